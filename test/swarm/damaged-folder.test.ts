/**
 * `--replay` and `--resume` on a damaged swarm folder: a logged plan with a malformed subtask and a
 * corrupt report.json are diagnostics (CF8112, CF8119), never a crash (exit 70).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { readSwarmState } from '../../src/swarm/resume.js';

let project: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'cf-swarm-damaged-'));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

const assignment = { agent: 'api-designer', source: 'plan', why: ['named in the plan'] };
const good = { id: 'a', task: 'do a', depends_on: [], files: [], acceptance: [], assignment };

function swarmFolder(id: string, plan: unknown, report?: string): void {
  const dir = join(project, '.runs', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'events.jsonl'),
    `${JSON.stringify({ at: '2026-12-07T00:00:00.000Z', event: 'swarm-planned', swarm_id: id, plan })}\n`,
  );
  if (report !== undefined) writeFileSync(join(dir, 'report.json'), report);
}

async function cli(argv: string[]) {
  const io = memoryIO(project, { CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('a damaged swarm folder', () => {
  it('a logged plan whose subtask has no depends_on list is CF8112 for --replay, not a TypeError', async () => {
    swarmFolder('sw-bad-plan', {
      goal: 'g',
      source: 'file',
      subtasks: [good, { id: 'b', task: 'do b', depends_on: { a: 1 }, assignment }],
    });
    const { code, err } = await cli(['swarm', '--replay', 'sw-bad-plan']);
    expect(code).toBe(1);
    expect(err).toContain('CF8112: the plan in the log of swarm sw-bad-plan is damaged: subtask 2: `depends_on` must be a list of strings');
  });

  it('a logged plan with a subtask that is not a mapping, a missing assignment or a cycle is refused by readSwarmState', () => {
    swarmFolder('sw-null', { goal: 'g', source: 'file', subtasks: [good, null] });
    swarmFolder('sw-no-assignment', { goal: 'g', source: 'file', subtasks: [{ ...good, assignment: undefined }] });
    swarmFolder('sw-cycle', {
      goal: 'g',
      source: 'file',
      subtasks: [
        { ...good, depends_on: ['b'] },
        { ...good, id: 'b', depends_on: ['a'] },
      ],
    });
    const runs = join(project, '.runs');
    const nullSubtask = readSwarmState(runs, 'sw-null');
    expect(nullSubtask.plan).toBeUndefined();
    expect(nullSubtask.diagnostics).toEqual([
      expect.objectContaining({ code: 'CF8112', message: expect.stringContaining('subtask 2 must be a mapping') }),
    ]);
    expect(readSwarmState(runs, 'sw-no-assignment').diagnostics[0]!.message).toContain('subtask 1: has no assignment');
    expect(readSwarmState(runs, 'sw-cycle').diagnostics[0]!.message).toContain('dependency cycle: a → b → a');
    expect(readSwarmState(runs, 'sw-cycle').plan).toBeUndefined();
  });

  it('a corrupt report.json is a CF8119 warning: the replay prints the plan and the log, exit 0', async () => {
    swarmFolder('sw-bad-report', { goal: 'g', source: 'file', subtasks: [good] }, '{"ok": tru');
    const { code, out, err } = await cli(['swarm', '--replay', 'sw-bad-report']);
    expect(err).toContain('warning CF8119: .runs/sw-bad-report/report.json is not JSON');
    expect(code).toBe(0);
    expect(out).toContain('└─ a  do a');
    const json = await cli(['swarm', '--replay', 'sw-bad-report', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).diagnostics).toEqual([expect.objectContaining({ code: 'CF8119' })]);
  });

  it('replay_drops_config_diagnostics: an unreadable config (CF9010) stops --replay, as it stops other commands', async () => {
    swarmFolder('sw-config', { goal: 'g', source: 'file', subtasks: [good] });
    mkdirSync(join(project, 'codex-flow.config.yaml'));
    const { code, out, err } = await cli(['swarm', '--replay', 'sw-config']);
    expect(err).toContain('CF9010: config file codex-flow.config.yaml cannot be read');
    expect([code, out]).toEqual([1, '']);
    const json = await cli(['swarm', '--replay', 'sw-config', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, command: 'swarm', diagnostics: [expect.objectContaining({ code: 'CF9010' })] });
  });
});
