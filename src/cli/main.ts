/**
 * The command-line shell: parses arguments with commander and hands each command to a function in
 * its own file, imported lazily so `codex-flow route` does not pay for loading the compiler.
 * Every command returns an exit code; user mistakes never print a stack trace.
 */
import { processIO, type CommandIO } from './io.js';
import { runCommands, type CommandRegistrar } from './program.js';

export { buildProgram, type CommandRegistrar } from './program.js';

/**
 * Each entry registers one command, by name. Command modules export `register` and do their heavy
 * imports inside the action; `main` loads only the module of the command being run (all of them
 * for help and unknown commands), so `codex-flow route` pays for nothing else.
 */
const registrars: Record<string, () => Promise<{ register: CommandRegistrar }>> = {
  convert: () => import('./commands/convert.js'),
  validate: () => import('./commands/validate.js'),
  init: () => import('./commands/init.js'),
  route: () => import('./commands/route.js'),
  eval: () => import('./commands/eval.js'),
  feedback: () => import('./commands/feedback.js'),
  stats: () => import('./commands/stats.js'),
  providers: () => import('./commands/providers.js'),
  bench: () => import('./commands/bench.js'),
  run: () => import('./commands/run.js'),
  swarm: () => import('./commands/swarm.js'),
  cleanup: () => import('./commands/cleanup.js'),
  hook: () => import('./commands/hook.js'),
  rules: () => import('./commands/rules.js'),
  serve: () => import('./commands/serve.js'),
  worker: () => import('./commands/worker.js'),
  queue: () => import('./commands/queue.js'),
  runs: () => import('./commands/runs.js'),
};

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  return runCommands(argv, registrars, io);
}
