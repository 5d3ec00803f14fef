/**
 * The command-line program without its command table: commander set up for codex-flow, and the
 * run loop that loads the invoked command's module and turns its outcome into an exit code.
 * main.ts gives it every command; route-main.ts only `route`, so the bundle `codex-flow route`
 * starts from (scripts/bundle-cli.ts) holds none of the other commands' code.
 */
// A static import: the bundle (scripts/bundle-cli.ts) then holds commander, read with the rest.
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError, type CommandIO } from './io.js';
import { VERSION } from '../version.js';

export type CommandRegistrar = (program: Command, io: CommandIO, setExit: (code: number) => void) => void;

/** Command name → its module, loaded on demand. */
export type CommandTable = Record<string, () => Promise<{ register: CommandRegistrar }>>;

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

/** Runs `argv` (without node and script) against `commands` and resolves to the exit code. */
export async function runCommands(argv: string[], commands: CommandTable, io: CommandIO): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => { exitCode = code; };
  const program = buildProgram(io, setExit);
  const named = argv[0] !== undefined ? commands[argv[0]] : undefined;
  for (const load of named ? [named] : Object.values(commands)) (await load()).register(program, io, setExit);
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
