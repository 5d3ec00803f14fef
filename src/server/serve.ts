/**
 * Starts and stops `codex-flow serve`: refuses to listen beyond loopback without a token, opens
 * (and with `watch`, follows) the fleet, listens, and on stop drains: no new connections or runs,
 * in-flight requests finish, runs get up to `drainMs` to end on their own and are then aborted.
 *
 * @example
 * const { server } = await startServer({ root: '/repo', env: process.env, host: '127.0.0.1', port: 7878 });
 * await server?.stop();
 */
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../config/config.js';
import { watchServedFleet, type ServedFleetEvent } from '../project/watch-served-fleet.js';
import { BackgroundCompaction } from '../project/background-compaction.js';
import { DecisionBatch, FLUSH_AT_STOP_MS } from '../learn/decision-batch.js';
import { createServerApp, DEFAULT_LIMITS, type ServerLimits } from './app.js';
import { isLoopbackHost, serverTokens } from './auth.js';
import type { ServerContext } from './context.js';
import { JobStore } from './jobs.js';
import { ServerMetrics } from './metrics.js';

/** How long a stop waits for runs to end before aborting them: a run's provider call ends or times out within it. */
export const DEFAULT_DRAIN_MS = 30_000;
/** After the runs, how long in-flight requests and event streams get before their sockets are closed. */
const CLOSE_GRACE_MS = 5_000;

export interface ServeOptions {
  root: string;
  env: Record<string, string | undefined>;
  host: string;
  port: number;
  watch?: boolean;
  configFile?: string;
  fleetDir?: string;
  limits?: Partial<ServerLimits>;
  drainMs?: number;
  /** How long one hot-reload compile may run before it is cut (CF9600); default COMPILE_TIMEOUT_MS. */
  compileTimeoutMs?: number;
  log?: (line: string) => void;
  /** How long a route decision waits in memory for its batch to be written (decision-batch.ts's FLUSH_DELAY_MS by default). */
  decisionFlushMs?: number;
  /** Route decisions held in memory at most before new ones are dropped and counted (decision-batch.ts's MAX_UNWRITTEN_DECISIONS by default). */
  maxUnwrittenDecisions?: number;
}

export interface RunningServer {
  /** `http://host:port`, with the port the system chose for port 0. */
  url: string;
  port: number;
  context: ServerContext;
  stop(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<{ server?: RunningServer; diagnostics: Diagnostic[] }> {
  const log = options.log ?? ((line: string) => process.stderr.write(`codex-flow serve: ${line}\n`));
  const loaded = await loadConfig(options.root, options.configFile);
  const { tokens, diagnostics } = serverTokens(options.env, loaded.config.server);
  diagnostics.unshift(...loaded.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  if (!tokens.required && !isLoopbackHost(options.host)) {
    return {
      diagnostics: [
        ...diagnostics,
        diagnostic(
          'CF9503',
          `--host ${options.host} reaches beyond this machine and no token is set: anyone who can reach it could route, run agents and spend the providers' budget`,
        ),
      ],
    };
  }
  const request = {
    root: options.root,
    env: options.env,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.fleetDir ? { fleetDir: options.fleetDir } : {}),
  };
  const metrics = new ServerMetrics();
  metrics.watchQueue(request);
  // Route decisions are written in batches off the request path; a failed write is logged (CF9610),
  // and so are decisions dropped when the disk falls behind the bound (CF9621, counted in /metrics).
  const decisions = new DecisionBatch((message) => log(`CF9610: ${message}`), options.decisionFlushMs, {
    onDrop: (message) => log(`CF9621: ${message}`),
    ...(options.maxUnwrittenDecisions !== undefined ? { maxUnwritten: options.maxUnwrittenDecisions } : {}),
  });
  metrics.watchDecisions(decisions);
  // Outcome compactions run on a thread of their own, never inside a feedback request; a failure is logged (CF9622).
  const compaction = new BackgroundCompaction((message) => log(`CF9622: ${message}`));
  const holder = await watchServedFleet(request, {
    watch: options.watch === true,
    decisions,
    compaction,
    log: (event) => logFleetEvent(log, metrics, event),
    ...(options.compileTimeoutMs !== undefined ? { compileTimeoutMs: options.compileTimeoutMs } : {}),
  });
  // A bad `learning:` or `router:` section (CF9515) refuses the start, as it does for `codex-flow route`; later it only stays pending.
  const badConfig = holder.pending.filter((entry) => entry.code === 'CF9515');
  if (badConfig.length > 0) {
    await holder.close();
    return { diagnostics: [...diagnostics, ...badConfig] };
  }
  const context: ServerContext = { holder, tokens, metrics, jobs: new JobStore(), ...request, log, draining: false };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = createServerApp(context, limits);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await holder.close();
    return {
      diagnostics: [
        ...diagnostics,
        diagnostic('CF9508', `cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`, undefined, {
          hint: listenHint((error as NodeJS.ErrnoException).code, options.port),
        }),
      ],
    };
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      context.draining = true;
      await holder.close();
      const closed = app.close();
      await context.jobs.drain(options.drainMs ?? DEFAULT_DRAIN_MS);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      app.server.closeAllConnections();
      await closed;
      // The routes that finished while draining recorded decisions after the holder's close.
      await decisions.flush(FLUSH_AT_STOP_MS);
    })());
  return { server: { url, port, context, stop }, diagnostics };
}

function logFleetEvent(log: (line: string) => void, metrics: ServerMetrics, event: ServedFleetEvent): void {
  metrics.reloads.inc({ result: event.event === 'fleet-loaded' ? 'loaded' : 'kept' });
  const problems = event.diagnostics
    .filter((entry) => entry.severity === 'error')
    .map(
      (entry) =>
        `\n  ${entry.location ? `${entry.location.file}:${entry.location.line}:${entry.location.column}: ` : ''}${entry.code}: ${entry.message}`,
    )
    .join('');
  if (event.event === 'fleet-loaded') log(`[${event.reason}] serving fleet ${event.hash} (opened in ${event.ms} ms)`);
  else log(`[${event.reason}] ${event.hash ? `fleet ${event.hash} keeps serving` : 'no fleet loaded'}:${problems}`);
}

/** What to do about a failed listen: a port in use or a privileged port is no malformed option. */
function listenHint(code: string | undefined, port: number): string {
  if (code === 'EADDRINUSE') return `port ${port} is in use (another server?): stop it, or give --port another port (0 picks a free one)`;
  if (code === 'EACCES') return `port ${port} needs privileges here: give --port 1024 or above`;
  if (code === 'EADDRNOTAVAIL')
    return 'this machine has no such address: give --host one of its addresses (127.0.0.1 for this machine only)';
  return 'give --port an integer from 0 to 65535 and --host a host name or address';
}
