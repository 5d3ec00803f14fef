/**
 * The review step through the CLI against scripted agents: a reviewer's fail sends the work back
 * once with the review attached, and a pass completes it; a fail with no revision left fails the
 * subtask and skips its dependents; an unknown reviewer is CF8117 and the work runs unreviewed.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { verdictOf } from '../../src/swarm/review.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import type { RecordedRequest } from '../support/provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-review-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  await writeFile(
    join(project, 'plan.yaml'),
    'subtasks:\n  - id: work\n    task: add the rate limiter\n    agent: api-designer\n    reviewer: code-reviewer\n    acceptance: [tests cover the 429 path]\n  - id: docs\n    task: document it\n    agent: api-docs-writer\n    depends_on: [work]\n',
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const markerOf = (request: RecordedRequest) => /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(request.body.messages))?.[1] ?? '?';
const requestsOf = (id: string) => server.requests.filter((request) => markerOf(request) === id);

/** Reviews answer in turn from `verdicts`; every other call answers "done". */
function script(verdicts: string[]) {
  server.setDefault('openai', (request) => {
    if (markerOf(request) === 'work.review')
      return { text: `checked the limiter\nVERDICT: ${verdicts.shift() ?? 'pass'}`, usage: { input: 50, output: 5 } };
    return { text: `done ${markerOf(request)}`, usage: { input: 100, output: 10 } };
  });
}

/** Outcomes the learning store received since `from` lines. */
function outcomesSince(from: number): Array<{ agent: string; ok: boolean; stop_reason: string }> {
  const file = join(project, '.codex-flow/outcomes.jsonl');
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  return lines.slice(from).map((line) => JSON.parse(line));
}
const outcomeCount = () => outcomesSince(0).length;

async function cli(argv: string[]) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('the review step', () => {
  it('reads the last verdict line', () => {
    expect(verdictOf('looks fine\nVERDICT: pass')).toBe('pass');
    expect(verdictOf('**Verdict:** FAIL — no tests')).toBe('fail');
    expect(verdictOf('VERDICT: fail\n…fixed on a second look\nVERDICT: pass')).toBe('pass');
    expect(verdictOf('no verdict here')).toBe('none');
  });

  it('a fail sends the work back once with the review; the pass completes it; totals include every attempt and review', async () => {
    script(['fail', 'pass']);
    const before = outcomeCount();
    const { code, out } = await cli(['swarm', '--plan', 'plan.yaml', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    const work = report.subtasks.find((s: any) => s.id === 'work');
    expect(work.reviews.map((r: any) => [r.reviewer, r.verdict, r.revision])).toEqual([
      ['code-reviewer', 'fail', 0],
      ['code-reviewer', 'pass', 1],
    ]);
    expect([requestsOf('work').length, requestsOf('work.review').length, requestsOf('docs').length]).toEqual([2, 2, 1]);
    const revision = JSON.stringify(requestsOf('work')[1]!.body.messages);
    expect(revision).toContain('A review by code-reviewer failed your previous answer');
    expect(revision).toContain('checked the limiter');
    expect(JSON.stringify(requestsOf('work.review')[0]!.body.messages)).toContain('tests cover the 429 path');
    expect(work.usage).toEqual({ input: 300, output: 30, cached: 0 });
    expect(report.totals.usage.input).toBe(400);
    const events = readFileSync(join(project, report.dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event);
    expect(events.filter((e: string) => e.startsWith('subtask-re'))).toEqual([
      'subtask-result',
      'subtask-reviewed',
      'subtask-revised',
      'subtask-result',
      'subtask-reviewed',
      'subtask-result',
    ]);
    // One learning outcome for the reviewed subtask (not one per attempt); the reviews are the reviewer's own tasks.
    const learned = outcomesSince(before)
      .map((o) => [o.agent, o.ok])
      .sort();
    expect(learned).toEqual([
      ['api-designer', true],
      ['api-docs-writer', true],
      ['code-reviewer', true],
      ['code-reviewer', true],
    ]);
  });

  it('a fail with no revision left fails the subtask and skips its dependents', async () => {
    script(['fail', 'fail']);
    const before = outcomeCount();
    const { code, out } = await cli(['swarm', '--plan', 'plan.yaml', '--json']);
    expect(code).toBe(1);
    // The work's agent learns that it failed: its review failed it, though each attempt "completed".
    expect(outcomesSince(before).filter((o) => o.agent === 'api-designer')).toEqual([
      expect.objectContaining({ ok: false, stop_reason: 'review-failed' }),
    ]);
    const report = JSON.parse(out);
    expect(report.subtasks.find((s: any) => s.id === 'work')).toMatchObject({
      state: 'failed',
      reason: 'code-reviewer failed the work after 1 revision(s): checked the limiter',
    });
    expect(report.subtasks.find((s: any) => s.id === 'docs')).toMatchObject({ state: 'skipped' });
    script(['fail']);
    const none = JSON.parse((await cli(['swarm', '--plan', 'plan.yaml', '--max-revisions', '0', '--json'])).out);
    expect(none.subtasks[0]).toMatchObject({
      state: 'failed',
      reason: 'code-reviewer failed the work after 0 revision(s): checked the limiter',
    });
  });

  it('an unknown reviewer is CF8117 and the work runs without a review', async () => {
    await writeFile(
      join(project, 'unknown.yaml'),
      'subtasks:\n  - id: work\n    task: add the rate limiter\n    agent: api-designer\n    reviewer: nobody-reviews\n',
    );
    script([]);
    const { code, err } = await cli(['swarm', '--plan', 'unknown.yaml']);
    expect(code).toBe(0);
    expect(err).toContain(
      'unknown.yaml:5:15: warning CF8117: subtask "work": no agent or alias "nobody-reviews" to review it; it runs without a review',
    );
    expect(requestsOf('work.review')).toHaveLength(0);
  });

  it('held_outcomes_keyed_by_task_hash: two reviewed subtasks with the same agent, task and files each teach learning their own outcome', async () => {
    await writeFile(
      join(project, 'twins.yaml'),
      'subtasks:\n  - id: w1\n    task: add the rate limiter\n    agent: api-designer\n    reviewer: code-reviewer\n  - id: w2\n    task: add the rate limiter\n    agent: api-designer\n    reviewer: code-reviewer\n',
    );
    server.setDefault('openai', (request) => {
      const marker = markerOf(request);
      if (marker === 'w1.review') return { text: 'no tests\nVERDICT: fail', usage: { input: 50, output: 5 } };
      if (marker === 'w2.review') return { text: 'fine\nVERDICT: pass', usage: { input: 50, output: 5 } };
      return { text: `done ${marker}`, usage: { input: 100, output: 10 } };
    });
    const before = outcomeCount();
    const { code, out } = await cli(['swarm', '--plan', 'twins.yaml', '--max-revisions', '0', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out).subtasks.map((s: any) => [s.id, s.state])).toEqual([
      ['w1', 'failed'],
      ['w2', 'completed'],
    ]);
    const learned = outcomesSince(before)
      .filter((o) => o.agent === 'api-designer')
      .map((o) => [o.ok, o.stop_reason])
      .sort();
    expect(learned).toEqual([
      [false, 'review-failed'],
      [true, 'completed'],
    ]);
  });

  it('reviewer_not_run_passes_silently: a reviewer that cannot run is a CF8121 warning and review: not-run in the report', async () => {
    server.setDefault('openai', (request) => {
      if (markerOf(request) === 'work.review') return { status: 400, errorMessage: 'the reviewer model is gone' };
      return { text: `done ${markerOf(request)}`, usage: { input: 100, output: 10 } };
    });
    const { code, out } = await cli(['swarm', '--plan', 'plan.yaml', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    const work = report.subtasks.find((s: any) => s.id === 'work');
    expect(work).toMatchObject({ state: 'completed', review: 'not-run' });
    expect(work.reviews.map((r: any) => r.verdict)).toEqual(['not-run']);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'CF8121',
        severity: 'warning',
        message: expect.stringContaining('subtask "work": its reviewer code-reviewer could not run'),
      }),
    );
    const text = await cli(['swarm', '--plan', 'plan.yaml']);
    expect(text.err).toContain('warning CF8121');
    expect(text.out).toContain('(review: not-run)');
  });
});
