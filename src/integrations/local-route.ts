/**
 * The hook's own route when no server answers: `codex-flow route --json` started as a child
 * process of the hook, killed at the hook's deadline. A route is synchronous work (opening the
 * fleet, building or restoring the router), which no timer in the same process can interrupt; a
 * child can be killed at any instant, so the hook's time cap holds whatever the fleet's size,
 * and a route that crashes takes only the child down. The child is `codex-flow hook route`, which
 * reads the task on stdin (a command line is readable by every user of the machine, and a prompt
 * may hold what the user would not show them) and routes as `route --json --no-record --explore
 * off --no-stale-check` does: no decision recorded, no exploring, so a prompt leaves no state
 * behind and the same prompt gets the same hint.
 */
import { spawn } from 'node:child_process';
import { readRouteBody, type RouteBody } from './route-client.js';

/** Caps what is read of the child's stdout: a `route --json` body is kilobytes. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export type LocalAnswer = { kind: 'answer'; body: RouteBody } | { kind: 'failed'; reason: string };

export interface LocalRouteOptions {
  /** The program and leading arguments that start the CLI: [node, launcher] in the shipped bin. */
  command: readonly string[];
  /** The project's root: the child works on it. */
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  top: number;
}

/** The child's command: the hidden `hook route` (src/cli/commands/hook.ts), the task on its stdin. */
export const LOCAL_ROUTE_ARGUMENTS: readonly string[] = ['hook', 'route'];

export function routeLocally(task: string, options: LocalRouteOptions): Promise<LocalAnswer> {
  const [program, ...leading] = options.command;
  if (program === undefined || options.timeoutMs <= 0) return Promise.resolve({ kind: 'failed', reason: 'no time left to route' });
  return new Promise((settle) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const child = spawn(program, [...leading, ...LOCAL_ROUTE_ARGUMENTS], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'ignore'],
      windowsHide: true,
    });
    // A child that ends before reading its stdin closes the pipe: its exit says what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify({ task, top: options.top }));
    const done = (answer: LocalAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      settle(answer);
    };
    const timer = setTimeout(
      () => done({ kind: 'failed', reason: `the route took longer than ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) done({ kind: 'failed', reason: 'the route printed more than a route body' });
      else chunks.push(chunk);
    });
    child.on('error', (error) => done({ kind: 'failed', reason: `could not start the route (${error.message})` }));
    child.on('close', (code, signal) => {
      const body = readRouteBody(Buffer.concat(chunks).toString('utf8'));
      if (body) return done({ kind: 'answer', body });
      done({ kind: 'failed', reason: signal ? `the route was ended by ${signal}` : `the route exited ${code} without a route body` });
    });
  });
}
