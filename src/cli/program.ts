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
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { projectIO, rebaseTypedPaths } from './project-io.js';
import { fsFailure, fsHint, isEnvironmentFsError } from '../util/fs-errors.js';

export type CommandRegistrar = (program: Command, io: CommandIO, setExit: (code: number) => void) => void;

/** Command name → its module, loaded on demand. */
export type CommandTable = Record<string, () => Promise<{ register: CommandRegistrar }>>;

/** Adds a command module to the program; other subsystems call this from their entry here. */
export function buildProgram(io: CommandIO, setExit: (code: number) => void, writeErr: (text: string) => void = io.stderr): Command {
  const program = new Command();
  program
    .name('codex-flow')
    .description('Compile agent briefs into a validated fleet, route tasks to agents, run them.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr })
    .showHelpAfterError('(run with --help for usage)');
  return program;
}

/** `--json` among the options (not after `--`, where it would be a task word). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs `argv` (without node and script) against `commands` and resolves to the exit code. */
export async function runCommands(argv: string[], commands: CommandTable, io: CommandIO): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  // Under --json a machine reads stdout: commander's own complaints are held back and reported
  // as the one JSON object every command prints, with the same `diagnostics` shape.
  const json = wantsJson(argv);
  const program = buildProgram(io, setExit, json ? () => {} : io.stderr);
  const named = argv[0] !== undefined ? commands[argv[0]] : undefined;
  const command = named ? argv[0]! : null;
  // init makes a project where it is typed; every other command finds the one it is in.
  const project = command === 'init' ? io : projectIO(io);
  program.hook('preAction', (_program, action) => rebaseTypedPaths(action, project));
  for (const load of named ? [named] : Object.values(commands)) (await load()).register(program, project, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      if (error.exitCode === 0) return 0;
      if (json) usageJson(io, command, error.message.replace(/^error: /, ''));
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      if (json) usageJson(io, command, error.message, error.hint, error.diagnostics);
      else {
        for (const found of error.diagnostics) io.stderr(formatDiagnostic(found));
        io.stderr(`codex-flow: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      }
      return EXIT_USAGE;
    }
    // A folder the user cannot write or a full disk is the machine's state, not a bug of ours.
    if (isEnvironmentFsError(error)) {
      const found = diagnostic('CF9030', fsFailure(error), undefined, { hint: fsHint(error.code) });
      if (json) io.stdout(`${JSON.stringify({ ok: false, command, diagnostics: [found] }, null, 2)}\n`);
      else io.stderr(formatDiagnostic(found));
      return 1;
    }
    throw error;
  }
}

function usageJson(io: CommandIO, command: string | null, message: string, hint?: string, found: readonly Diagnostic[] = []): void {
  const help = command ? `run \`codex-flow ${command} --help\`` : 'run `codex-flow --help`';
  const usage = diagnostic('CF9003', message, undefined, { hint: hint ?? help });
  io.stdout(`${JSON.stringify({ ok: false, command, diagnostics: [...found, usage] }, null, 2)}\n`);
}
