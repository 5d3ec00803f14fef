/**
 * The command-line shell: parses arguments with commander and hands each command to a function in
 * its own file, imported lazily so `codex-flow route` does not pay for loading the compiler.
 * Every command returns an exit code; user mistakes never print a stack trace.
 */
// A static import: the bundle (scripts/bundle-cli.ts) then holds commander, read with the rest.
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError, processIO, type CommandIO } from './io.js';
import { VERSION } from '../version.js';

export type CommandRegistrar = (program: Command, io: CommandIO, setExit: (code: number) => void) => void;

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
};

/** Adds a command module to the program; other subsystems call this from their entry here. */
export function buildProgram(io: CommandIO, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('codex-flow')
    .description('Compile agent briefs into a validated fleet, route tasks to agents, run them.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => { exitCode = code; };
  const program = buildProgram(io, setExit);
  const named = argv[0] !== undefined ? registrars[argv[0]] : undefined;
  for (const load of named ? [named] : Object.values(registrars)) (await load()).register(program, io, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`codex-flow: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
