// Preloaded into a CLI process by exactly-once.test.ts: SIGKILLs the process right before or right
// after it writes the swarm log line of one event about one subtask (CF_TEST_KILL_AT =
// {"event":"subtask-finished","id":"k3","when":"before"}), a crash at an exact point of the log.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const spec = process.env.CF_TEST_KILL_AT ? JSON.parse(process.env.CF_TEST_KILL_AT) : undefined;
if (spec) {
  const write = fs.writeSync;
  fs.writeSync = function writeThenMaybeDie(fd, data, ...rest) {
    const hit = typeof data === 'string' && data.includes(`"event":"${spec.event}"`) && data.includes(`"id":"${spec.id}"`);
    if (hit && spec.when === 'before') process.kill(process.pid, 'SIGKILL');
    const written = write.call(this, fd, data, ...rest);
    if (hit && spec.when === 'after') process.kill(process.pid, 'SIGKILL');
    return written;
  };
  syncBuiltinESMExports();
}
