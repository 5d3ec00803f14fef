/**
 * The swarm's event log and what --resume reads from it: whole lines after a torn one, the last
 * event about a subtask wins, a started-but-unfinished subtask runs again, bad ids are refused.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSwarmLog, SwarmLog } from '../../src/swarm/event-log.js';
import { readSwarmState } from '../../src/swarm/resume.js';
import { Redactor } from '../../src/providers/redact.js';

let runs: string;
afterEach(() => rmSync(runs, { recursive: true, force: true }));
const fresh = () => (runs = mkdtempSync(join(tmpdir(), 'cf-swarm-log-')));
const routed = (id: string) => ({
  id,
  task: `do ${id}`,
  depends_on: [],
  files: [],
  acceptance: [],
  assignment: { agent: 'x', source: 'plan', why: [] },
});
const plan = { goal: 'g', source: 'file', subtasks: [routed('a'), routed('b'), routed('c')] };
const outcome = (id: string, state: string) => ({ id, state, usage: { input: 0, output: 0, cached: 0 } });

describe('SwarmLog', () => {
  it('after a torn last line (a kill mid-write) the next event starts on its own line; readers skip the torn one', () => {
    fresh();
    const first = SwarmLog.open(runs, 'sw1', () => 0);
    first.append({ event: 'swarm-planned', plan });
    first.close();
    appendFileSync(join(runs, 'sw1/events.jsonl'), '{"event":"subtask-sta');
    const second = SwarmLog.open(runs, 'sw1', () => 0);
    second.append({ event: 'swarm-resumed' });
    second.close();
    const { events, diagnostics } = readSwarmLog(join(runs, 'sw1'), '.runs/sw1');
    expect(events.map((event) => event.event)).toEqual(['swarm-planned', 'swarm-resumed']);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'CF8113', location: expect.objectContaining({ file: '.runs/sw1/events.jsonl', line: 2 }) }),
    ]);
    expect(readFileSync(join(runs, 'sw1/events.jsonl'), 'utf8').endsWith('}\n')).toBe(true);
  });
});

describe('SwarmLog.open', () => {
  it('swarm_id_escapes_runs_dir: an id that is not a folder name is refused before anything is written', async () => {
    fresh();
    const { existsSync } = await import('node:fs');
    for (const id of ['../x', 'a/b', '..', '.hidden', ''])
      expect(() => SwarmLog.open(join(runs, 'runs'), id)).toThrow(`"${id}" is not a swarm id`);
    expect(existsSync(join(runs, 'x'))).toBe(false);
  });

  it('runSwarm refuses a library swarmId outside the runs folder before taking its lock', async () => {
    fresh();
    const { existsSync } = await import('node:fs');
    const { runSwarm } = await import('../../src/swarm/swarm.js');
    const init = { root: runs, options: { runsDir: 'runs' } } as any;
    await expect(
      runSwarm({ goal: 'g', source: 'file', subtasks: [] }, { init, options: {} as any, swarmId: '../escaped' }),
    ).rejects.toThrow('"../escaped" is not a swarm id');
    expect(existsSync(join(runs, 'escaped'))).toBe(false);
  });
});

describe('SwarmLog.onEvent', () => {
  it('live_line_log_gets_the_unredacted_event: the live view sees what the log holds, secrets redacted', () => {
    fresh();
    const secret = 'sk-live-0123456789abcdef';
    const log = SwarmLog.open(runs, 'sw-redact', () => 0, new Redactor([secret]));
    const seen: string[] = [];
    log.onEvent = (event) => seen.push(JSON.stringify(event));
    log.append({ event: 'subtask-finished', id: 'a', outcome: { summary: `the key is ${secret}` } });
    log.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain(secret);
    expect(seen[0]).toContain('the key is [redacted]');
  });
});

describe('readSwarmState', () => {
  it('keeps completed subtasks only: started-but-unfinished and failed ones run again; the last event wins', () => {
    fresh();
    const log = SwarmLog.open(runs, 'sw2', () => 0);
    log.append({ event: 'swarm-planned', plan });
    log.append({ event: 'subtask-started', id: 'a' });
    log.append({ event: 'subtask-finished', id: 'a', outcome: outcome('a', 'completed') });
    log.append({ event: 'subtask-started', id: 'b' });
    log.append({ event: 'subtask-failed', id: 'c', outcome: outcome('c', 'failed') });
    log.append({ event: 'swarm-resumed' });
    log.append({ event: 'subtask-finished', id: 'c', outcome: outcome('c', 'completed') });
    log.close();
    const state = readSwarmState(runs, 'sw2');
    expect([...state.completed.keys()].sort()).toEqual(['a', 'c']);
    expect(state.attempts).toBe(2);
    expect(state.plan?.subtasks).toHaveLength(3);
  });

  it('refuses ids that are not a folder name and logs that do not exist, as CF8112', () => {
    fresh();
    expect(readSwarmState(runs, '../etc').diagnostics[0]).toMatchObject({ code: 'CF8112', message: '"../etc" is not a swarm id' });
    expect(readSwarmState(runs, 'nope').diagnostics[0]!.message).toBe('no swarm event log at .runs/nope/events.jsonl');
  });

  it("says that a run's record is not a swarm's, instead of calling its log torn", () => {
    fresh();
    const id = '20261207T211400Z-de7926';
    mkdirSync(join(runs, id), { recursive: true });
    writeFileSync(
      join(runs, id, 'events.jsonl'),
      `${JSON.stringify({ at: '2026-12-07T21:14:00.000Z', event: 'run-start', run_id: id })}\n`,
    );
    expect(readSwarmState(runs, id).diagnostics[0]).toMatchObject({
      code: 'CF8112',
      message: `${id} is the record of a \`codex-flow run\`, not of a swarm: there is nothing to resume`,
    });
  });
});
