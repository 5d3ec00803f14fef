/**
 * The process's CommandIO for `codex-flow route` (route-main.ts): output written straight to file
 * descriptors 1 and 2, in order and synchronously, as Node's own stdout does for files and pipes.
 *
 * Naive approach: processIO (io.ts), whose first touch of `process.stdout` and `process.stderr`
 * builds both streams and loads Node's stream machinery at every start, before the command has
 * anything to say (figures in docs/routing.md). A route prints a few lines once.
 * Invariants: the same bytes in the same order as processIO; a reader that closed the pipe
 * (`codex-flow route … | head -1`) ends the command quietly with exit 0; a descriptor that
 * answers EAGAIN (non-blocking, shared with another process) hands the rest to Node's stream,
 * which waits for it.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { processIO, type CommandIO } from './io.js';

export function descriptorIO(): CommandIO {
  let streams: CommandIO | undefined;
  // processIO also makes a closed pipe end the command quietly on the streams.
  const opened = () => (streams ??= processIO());
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: descriptorWriter(1, () => {
      opened();
      return process.stdout;
    }),
    stderr: descriptorWriter(2, () => {
      opened();
      return process.stderr;
    }),
    readStdin: () => opened().readStdin!(),
    // Asked only when a command needs to know: `node:tty` loads `net` and the streams with it.
    get isTTY() {
      return isTerminal(1);
    },
    get stderrIsTTY() {
      return isTerminal(2);
    },
  };
}

const require = createRequire(import.meta.url);

function isTerminal(fd: 1 | 2): boolean {
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

/** Writes to `fd` until it answers EAGAIN once; from then on, this and every later write goes through `stream()`, in order. */
function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): (text: string) => void {
  let fellBack = false;
  return (text) => {
    let bytes = Buffer.from(text, 'utf8');
    while (!fellBack && bytes.length > 0) {
      try {
        bytes = bytes.subarray(writeSync(fd, bytes));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') process.exit(0);
        if (code !== 'EAGAIN') throw error;
        fellBack = true;
      }
    }
    if (bytes.length > 0) stream().write(bytes);
  };
}
