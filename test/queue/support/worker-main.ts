/**
 * A worker process for the queue tests: `codex-flow worker` through `main`, in the folder it is
 * started in, with the arguments it is given; exits with the command's code. SIGUSR2 blocks its
 * event loop for CF_TEST_BLOCK_MS (the stall test).
 */
import { main } from '../../../src/cli/main.js';
import { processIO } from '../../../src/cli/io.js';

process.on('SIGUSR2', () => {
  const end = Date.now() + Number(process.env.CF_TEST_BLOCK_MS ?? 0);
  while (Date.now() < end);
});
const code = await main(['worker', ...process.argv.slice(2)], processIO());
process.exit(code);
