/**
 * One verdict per route id and agent (learn/verdicts.ts), the same rule for `codex-flow feedback`
 * and POST /v1/feedback: before, every `feedback` on one route id appended another outcome, so a
 * task fed back twice reinforced its agent twice. Now the first verdict stands: a repeat of it is
 * counted once (CF9551), a different one is refused naming the first (CF9550), and a verdict on
 * another agent (the task re-assigned) is still recorded.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { claimVerdict } from '../../src/learn/verdicts.js';
import { call, makeProject, serve, type Started } from '../server/support.js';

const CI = { CI: 'true' };
const TASK = 'add a GraphQL resolver for the orders API backend';

function outcomesOf(dir: string, routeId: string): Array<{ agent: string; ok: boolean }> {
  return readFileSync(join(dir, '.codex-flow/outcomes.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((outcome) => outcome.route_id === routeId);
}

async function cli(dir: string, argv: string[]) {
  const io = memoryIO(dir, CI);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('one verdict per route id and agent', () => {
  it('feedback-twice-reinforces-twice (CLI): a repeat is counted once, a different verdict is refused naming the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-verdict-'));
    cpSync(join(import.meta.dirname, '../fixtures/fleets/small'), join(dir, 'codex/agents'), { recursive: true });
    const routed = JSON.parse((await cli(dir, ['route', TASK, '--json'])).out);
    const id: string = routed.result.routeId;
    const [winner, runnerUp] = routed.result.candidates.map((c: { id: string }) => c.id);
    expect((await cli(dir, ['feedback', id, '--ok'])).code).toBe(0);
    const repeat = await cli(dir, ['feedback', id, '--ok', '--json']);
    expect(repeat.code).toBe(0);
    expect(JSON.parse(repeat.out)).toMatchObject({ ok: true, recorded: false, verdict: { agent: winner, ok: true } });
    expect(JSON.parse(repeat.out).diagnostics[0].code).toBe('CF9551');
    const flipped = await cli(dir, ['feedback', id, '--fail']);
    expect(flipped.code).toBe(1);
    expect(flipped.err).toContain('CF9550');
    expect(flipped.err).toContain(`already has a verdict on ${winner}: success of ${winner}`);
    expect(outcomesOf(dir, id)).toEqual([expect.objectContaining({ agent: winner, ok: true })]);
    // Re-assigned to another agent: other work, recorded.
    expect((await cli(dir, ['feedback', id, '--fail', '--agent', runnerUp])).code).toBe(0);
    expect(outcomesOf(dir, id).map((o) => o.agent)).toEqual([winner, runnerUp]);
  });

  it('the earliest claim owns the route id and agent; another agent has its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-verdict-claim-'));
    const at = new Date(0).toISOString();
    expect(claimVerdict(dir, { route_id: 'route:a', agent: 'x', ok: true, at }, 100)).toEqual({ owner: true });
    expect(claimVerdict(dir, { route_id: 'route:a', agent: 'x', ok: false, at }, 100)).toMatchObject({
      owner: false,
      same: false,
      first: { ok: true },
    });
    expect(claimVerdict(dir, { route_id: 'route:a', agent: 'y', ok: false, at }, 100)).toEqual({ owner: true });
    expect(claimVerdict(dir, { route_id: 'route:ab', agent: 'x', ok: false, at }, 100)).toEqual({ owner: true });
    // Past half of maxDecisions the log rotates; the verdicts in the old file still stand.
    for (let i = 0; i < 100 && !existsSync(join(dir, 'verdicts.jsonl.old')); i++)
      claimVerdict(dir, { route_id: `route:n${i}`, agent: 'x', ok: true, at }, 100);
    expect(existsSync(join(dir, 'verdicts.jsonl.old'))).toBe(true);
    // The claim written just before the rotation is in the old file now, and still owns its id.
    expect(claimVerdict(dir, { route_id: 'route:a', agent: 'x', ok: false, at }, 100)).toMatchObject({ owner: false, same: false });
  });
});

describe('one verdict per route id and agent over HTTP', () => {
  let root: string;
  let started: Started;
  beforeAll(async () => {
    root = await makeProject();
    started = await serve(root);
  });
  afterAll(async () => {
    await started?.server.stop();
  });

  it('feedback-twice-reinforces-twice (server): a repeat answers 200 unrecorded, a different verdict 409 CF9550', async () => {
    const url = started.server.url;
    const routed = await call(url, '/v1/route', { body: { task: 'review this change before merge' } });
    const id: string = routed.body.result.routeId;
    expect((await call(url, '/v1/feedback', { body: { route_id: id, ok: true } })).body.recorded).toBe(true);
    const repeat = await call(url, '/v1/feedback', { body: { route_id: id, ok: true } });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ recorded: false, diagnostics: [{ code: 'CF9551' }] });
    const flipped = await call(url, '/v1/feedback', { body: { route_id: id, ok: false } });
    expect(flipped.status).toBe(409);
    expect(flipped.body.diagnostics[0].code).toBe('CF9550');
    expect(outcomesOf(root, id)).toHaveLength(1);
    // The CLI on the same project sees the server's verdict: one store, one rule.
    expect((await cli(root, ['feedback', id, '--fail'])).code).toBe(1);
    expect(outcomesOf(root, id)).toHaveLength(1);
  });
});
