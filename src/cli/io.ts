import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fsReason } from '../util/fs-errors.js';

/**
 * The world a command sees. Commands never touch `process` directly, so a test can call any
 * command as a function with captured output, another working directory and environment.
 */
export interface CommandIO {
  /** The project's root folder (the working folder, or the project above it: cli/project-io.ts). */
  cwd: string;
  /** Where the command was typed, when that is a subfolder of `cwd`: typed paths are read from here. */
  invocationDir?: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for `--files -`); absent when there is none. */
  readStdin?: () => Promise<string>;
  /** Stops reading standard input (a reader that gave up waiting), so the process can end. */
  closeStdin?: () => void;
  /** Whether stdout is a terminal (colour, progress bars). */
  isTTY: boolean;
  /** Whether stderr is a terminal: progress notes go there, and only then. */
  stderrIsTTY?: boolean;
}

/** Exit codes shared by every command (SPEC §7). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/**
 * Raised for a user mistake on the command line; printed without a stack trace, exit 2 (under
 * --json as the command's JSON object, with `diagnostics` found before the mistake was).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/**
 * The usage error for an input file named on the command line that cannot be read: CF9031 with
 * the file and the reason ("no such file or folder (ENOENT)").
 */
export function unreadableInput(what: string, file: string, error: unknown): UsageError {
  const found = diagnostic('CF9031', `cannot read ${what} ${file}: ${fsReason(error)}`);
  return new UsageError(`cannot read ${what} ${file}`, undefined, [found]);
}

/** A reader that stops early (`codex-flow route … | head -1`) closes the pipe: that ends the
 * command quietly, as for any Unix tool, instead of an EPIPE stack trace. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

export function processIO(): CommandIO {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    closeStdin: () => process.stdin.destroy(),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** A CommandIO that records output, for tests and library callers. */
export function memoryIO(
  cwd: string,
  env: Record<string, string | undefined> = {},
  stdin = '',
): CommandIO & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    cwd,
    env,
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    readStdin: async () => stdin,
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}
