/**
 * The CLI as its own process, for tests that must see the process end by itself (a background
 * client that keeps the event loop alive is invisible to an in-process `main()`). Sets the exit
 * code and never calls process.exit: if anything holds the process open, the test sees it hang.
 * argv: the CLI's arguments.
 */
import { main } from '../../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
