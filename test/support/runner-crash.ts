/**
 * Run as a child process by the run-record test: writes a run record's events, then dies by
 * SIGKILL in the middle of the run, before the result is written.
 * argv: <runs dir> <run id> <events before the kill>
 */
import { RunRecorder } from '../../src/runner/run-record.js';

const [runsDir, runId, count] = process.argv.slice(2);
const record = RunRecorder.create(runsDir!, runId!);
record.event({ event: 'run-start' });
for (let i = 0; i < Number(count); i++) record.event({ event: 'tool-call', step: i, payload: 'x'.repeat(200) });
process.kill(process.pid, 'SIGKILL');
record.finish({ never: 'written' });
