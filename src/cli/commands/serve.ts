/**
 * `codex-flow serve [--port 7878] [--host 127.0.0.1] [--watch]`: the router, feedback, runs and
 * swarms over HTTP (src/server, docs/serve.md). Runs until SIGTERM or SIGINT, then drains and
 * exits 0; a start it must refuse (a public address without a token, a port in use) exits 1 with
 * the diagnostic.
 */
import type { Command } from 'commander';
import { untilStopSignal } from '../../util/stop-signal.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics } from '../report.js';

export const DEFAULT_PORT = 7878;
export const DEFAULT_HOST = '127.0.0.1';

interface ServeFlags extends CommonFlags {
  port?: string;
  host?: string;
  watch?: boolean;
  fleet?: string;
}

export async function runServe(io: CommandIO, flags: ServeFlags, signal?: AbortSignal): Promise<number> {
  const port = flags.port === undefined ? DEFAULT_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${flags.port}: give an integer from 0 to 65535`);
  const host = flags.host ?? DEFAULT_HOST;
  if (!/^[\w.:[\]-]+$/.test(host)) throw new UsageError(`--host ${host}: give a host name or an address`);
  const { startServer } = await import('../../server/serve.js');
  const started = await startServer({
    root: io.cwd,
    env: io.env,
    host,
    port,
    watch: flags.watch === true,
    log: (line) => io.stderr(`codex-flow serve: ${line}\n`),
    ...(flags.config ? { configFile: flags.config } : {}),
    ...(flags.fleet ? { fleetDir: flags.fleet } : {}),
  });
  const { server, diagnostics } = started;
  if (!server) {
    if (flags.json) jsonOut(io, { ok: false, command: 'serve', diagnostics });
    else printDiagnostics(io, diagnostics, flags);
    return EXIT_FINDINGS;
  }
  printDiagnostics(io, diagnostics, flags);
  const ready = server.context.holder.current;
  if (flags.json)
    io.stdout(
      `${JSON.stringify({ event: 'listening', url: server.url, fleet_hash: ready?.hash ?? null, auth: server.context.tokens.required })}\n`,
    );
  else
    io.stdout(
      `listening on ${server.url} (fleet ${ready?.hash ?? 'none yet'}${server.context.tokens.required ? ', bearer tokens required' : ', no token: loopback only'}); SIGTERM or Ctrl-C stops\n`,
    );
  await untilStopSignal(['SIGTERM', 'SIGINT'], signal);
  io.stderr('codex-flow serve: stopping: finishing requests and runs in flight\n');
  await server.stop();
  return EXIT_OK;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program
      .command('serve')
      .description('serve routing, feedback, runs and swarms over HTTP (docs/serve.md); SIGTERM drains and stops')
      .option('--port <n>', `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`)
      .option('--host <host>', `address to listen on (default ${DEFAULT_HOST}; anything else needs CODEX_FLOW_TOKENS or server.tokens)`)
      .option('--watch', 'recompile and reload the fleet when a brief changes')
      .option('--fleet <dir>', 'compiled fleet folder (default: compiler.out or codex/agents)'),
  ).action(async (flags: ServeFlags) => setExit(await runServe(io, flags)));
}
