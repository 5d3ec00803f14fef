/**
 * A worker process for the queue tests: `codex-flow worker` through `main`, in the folder it is
 * started in, with the arguments it is given; exits with the command's code.
 */
import { main } from '../../../src/cli/main.js';
import { processIO } from '../../../src/cli/io.js';

const code = await main(['worker', ...process.argv.slice(2)], processIO());
process.exit(code);
