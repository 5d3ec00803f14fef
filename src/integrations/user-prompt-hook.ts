/**
 * `codex-flow hook user-prompt`, as a function of its stdin: parse the UserPromptSubmit input,
 * find the project from its `cwd`, route the prompt (a running server first, for at most
 * SERVER_TIMEOUT_MS; else the CLI as a child process, killed at the deadline), and answer with
 * Claude Code's hook output when the route is confident. Every failure is a value with a
 * diagnostic code, for one line on stderr; nothing here decides the exit code, which is always 0.
 */
import { findProjectRoot } from '../config/project-root.js';
import { MAX_TASK_CHARS } from '../router/limits.js';
import { confidentChoice } from './confidence.js';
import { readFleetAgents } from './fleet-agents.js';
import { contextFor, hookOutput } from './hook-context.js';
import { parseHookInput } from './hook-input.js';
import { routeLocally } from './local-route.js';
import type { RouteBody } from './route-body.js';
import { askServer, serverUrl } from './route-client.js';

/** A server on this machine answers a route in milliseconds; one slower than this is busy or not there. */
export const SERVER_TIMEOUT_MS = 150;
/** Candidates asked for: the margin needs the first two, the third costs nothing. */
const TOP = 3;

export interface HookDependencies {
  /** The folder the hook runs in: the project is looked for from the input's `cwd`, else from here. */
  cwd: string;
  env: Record<string, string | undefined>;
  /** Clock time (ms) by which the answer must be out: the local route is killed then. */
  deadline: number;
  now: () => number;
  /** Starts the CLI for the local route: [node, launcher] in the shipped bin. */
  cliCommand: readonly string[];
}

export type HookAnswer =
  | { kind: 'hint'; stdout: string; agent: string; via: 'server' | 'local' }
  | { kind: 'unsure'; via: 'server' | 'local' }
  | { kind: 'silent'; code: 'CF9545' | 'CF9546' | 'CF9547'; reason: string };

export async function answerUserPrompt(stdin: string, deps: HookDependencies): Promise<HookAnswer> {
  const parsed = parseHookInput(stdin, deps.cwd);
  if (!parsed.ok) return { kind: 'silent', code: 'CF9545', reason: parsed.reason };
  const root = findProjectRoot(parsed.input.cwd);
  const fleet = await readFleetAgents(root);
  if (!fleet.ok) return { kind: 'silent', code: 'CF9546', reason: fleet.reason };
  const task = parsed.input.prompt.slice(0, MAX_TASK_CHARS);
  if (task.trim() === '') return { kind: 'unsure', via: 'local' };

  let body: RouteBody | undefined;
  let via: 'server' | 'local' = 'server';
  const server = serverUrl(deps.env);
  if (server) {
    const wait = Math.min(SERVER_TIMEOUT_MS, deps.deadline - deps.now());
    const answer = wait > 0 ? await askServer(server, deps.env.CODEX_FLOW_TOKEN, { task, top: TOP }, wait) : undefined;
    // A server of another project answers with agents this project does not have: not used.
    const servesThisFleet = answer?.kind === 'answer' && answer.body.ok && (answer.body.result?.candidates ?? []).every((candidate) => fleet.agents.has(candidate.id));
    if (servesThisFleet) body = answer.body;
  }
  if (!body) {
    via = 'local';
    const local = await routeLocally(task, { command: deps.cliCommand, cwd: root, env: deps.env, timeoutMs: deps.deadline - deps.now(), top: TOP });
    if (local.kind === 'failed') return { kind: 'silent', code: 'CF9547', reason: local.reason };
    body = local.body;
  }
  if (!body.ok || !body.result) {
    const error = body.diagnostics.find((found) => found.severity === 'error');
    return { kind: 'silent', code: 'CF9547', reason: error ? `${error.code}: ${error.message}` : 'the route answered without a result' };
  }
  const choice = confidentChoice(body.result);
  if (!choice) return { kind: 'unsure', via };
  const agent = fleet.agents.get(choice.id) ?? { id: choice.id, name: choice.id, description: '' };
  return { kind: 'hint', stdout: hookOutput(contextFor(choice, agent)), agent: choice.id, via };
}
