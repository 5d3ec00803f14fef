import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const TASK = 'add a GraphQL resolver for the orders API backend';
const CI = { CI: 'true' };

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-learn-cli-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  cpSync(join(fixture, 'briefs'), join(dir, 'briefs'), { recursive: true });
  return dir;
}

async function routeJson(dir: string, args: string[] = [], env: Record<string, string> = CI) {
  const io = memoryIO(dir, env);
  expect(await main(['route', TASK, '--json', ...args], io)).toBe(0);
  return JSON.parse(io.out()) as {
    result: { routeId: string; candidates: Array<{ id: string; terms: Array<{ name: string; detail: string }> }> };
    learning: { recorded: boolean; explore: boolean; shadow?: { changed: boolean; learned: string; plain: string } };
  };
}

async function feedback(dir: string, args: string[]): Promise<number> {
  return main(['feedback', ...args], memoryIO(dir, CI));
}

describe('codex-flow feedback / stats / route with learning', () => {
  it('records a decision per route, and feedback by route id moves the next answer', async () => {
    const dir = project();
    const first = await routeJson(dir);
    expect(first.learning).toMatchObject({ recorded: true, explore: false });
    const [winner, runnerUp] = first.result.candidates.map((c) => c.id) as [string, string];
    // One verdict per route id and agent (learn/verdicts.ts): each round is a new decision.
    for (let i = 0, routeId = first.result.routeId; i < 3; i++, routeId = (await routeJson(dir)).result.routeId) {
      expect(await feedback(dir, [routeId, '--fail', '--agent', winner, '--latency-ms', '1500'])).toBe(0);
      expect(await feedback(dir, [routeId, '--ok', '--agent', runnerUp, '--latency-ms', '900', '--retries', '1'])).toBe(0);
    }
    const outcomes = readFileSync(join(dir, '.codex-flow/outcomes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(outcomes[0]).toMatchObject({
      route_id: first.result.routeId,
      agent: winner,
      ok: false,
      latency_ms: 1500,
      stop_reason: 'feedback',
    });
    expect(outcomes[0].context.length).toBeGreaterThan(0);
    const after = await routeJson(dir);
    expect(after.result.candidates[0]!.id).toBe(runnerUp);
    expect(after.result.candidates[0]!.terms.find((t) => t.name === 'reward')!.detail).toMatch(/prior .* → learned/);
    // Explore off (CI): the same inputs give the same answer.
    expect(JSON.stringify((await routeJson(dir)).result)).toBe(JSON.stringify(after.result));
  });

  it('gives each decision its own route id: a new one after feedback, per draw when exploring, the same one for the same inputs in CI', async () => {
    const dir = project();
    const first = await routeJson(dir);
    expect((await routeJson(dir)).result.routeId).toBe(first.result.routeId);
    expect(await feedback(dir, [first.result.routeId, '--fail'])).toBe(0);
    const after = await routeJson(dir);
    expect(after.result.routeId).not.toBe(first.result.routeId);
    // Feedback on the first id still finds the first decision (on another agent: the first's verdict stands).
    expect(await feedback(dir, [first.result.routeId, '--ok', '--agent', first.result.candidates[1]!.id])).toBe(0);
    const explore = { CI: 'true' };
    const drawn = [
      await routeJson(dir, ['--explore', 'on', '--seed', '1'], explore),
      await routeJson(dir, ['--explore', 'on', '--seed', '2'], explore),
      await routeJson(dir, ['--explore', 'on', '--seed', '1'], explore),
    ];
    expect(drawn[0]!.result.routeId).not.toBe(drawn[1]!.result.routeId);
    expect(drawn[2]!.result.routeId).toBe(drawn[0]!.result.routeId);
    expect(new Set([after, ...drawn].map((r) => r.result.routeId)).size).toBe(3);
  });

  it('--shadow routes as if nothing was learned and says what learning would have changed', async () => {
    const dir = project();
    const first = await routeJson(dir);
    const runnerUp = first.result.candidates[1]!.id;
    for (let i = 0, routeId = first.result.routeId; i < 3; i++, routeId = (await routeJson(dir, ['--no-record'])).result.routeId) {
      await feedback(dir, [routeId, '--fail', '--agent', first.result.candidates[0]!.id]);
      await feedback(dir, [routeId, '--ok', '--agent', runnerUp]);
    }
    const shadow = await routeJson(dir, ['--shadow']);
    expect(shadow.result.candidates[0]!.id).toBe(first.result.candidates[0]!.id);
    expect(shadow.learning.shadow).toEqual({ changed: true, learned: runnerUp, plain: first.result.candidates[0]!.id });
    const stats = memoryIO(dir, CI);
    expect(await main(['stats', '--json'], stats)).toBe(0);
    expect(JSON.parse(stats.out()).shadow).toEqual({ decisions: 1, changed: 1 });
  });

  it('stats shows scorecards and weights, text and JSON from the same data', async () => {
    const dir = project();
    const { result } = await routeJson(dir);
    await feedback(dir, [result.routeId, '--ok', '--latency-ms', '1200', '--tool-errors', '2']);
    const json = memoryIO(dir, CI);
    expect(await main(['stats', '--json', '--suggest'], json)).toBe(0);
    const data = JSON.parse(json.out());
    expect(data.agents[0]).toMatchObject({ id: result.candidates[0]!.id, tasks: 1, successRate: 1, toolErrors: 2 });
    expect(data.agents[0].latency.p50).toBeCloseTo(1200, -2);
    expect(data.weights.length).toBeGreaterThan(0);
    const text = memoryIO(dir, CI);
    expect(await main(['stats'], text)).toBe(0);
    expect(text.out()).toContain(result.candidates[0]!.id);
    expect(text.out()).toMatch(/learned weights furthest from their priors/);
    expect(await main(['stats', '--agent', 'nobody'], memoryIO(dir, CI))).toBe(1);
  });

  it('usage errors exit 2, an unknown route id exits 1 (CF6603) unless --agent names who did it', async () => {
    const dir = project();
    expect(await feedback(dir, ['route:0', '--ok', '--fail'])).toBe(2);
    expect(await feedback(dir, ['route:0'])).toBe(2);
    expect(await feedback(dir, ['route:0', '--ok', '--retries', 'x'])).toBe(2);
    const missing = memoryIO(dir, CI);
    expect(await main(['feedback', 'route:0', '--ok'], missing)).toBe(1);
    expect(missing.err()).toContain('CF6603');
    expect(await feedback(dir, ['route:0', '--ok', '--agent', 'terraform-engineer'])).toBe(0);
    expect(await main(['route', TASK, '--explore', 'maybe'], memoryIO(dir, CI))).toBe(2);
    expect(await main(['route', TASK, '--seed', '-1'], memoryIO(dir, CI))).toBe(2);
  });

  it('--explore on samples, and the same --seed replays the same ranking', async () => {
    const dir = project();
    const first = await routeJson(dir);
    await feedback(dir, [first.result.routeId, '--ok']);
    await feedback(dir, [first.result.routeId, '--fail', '--agent', first.result.candidates[1]!.id]);
    const seeded = async (seed: string) =>
      JSON.stringify((await routeJson(dir, ['--explore', 'on', '--seed', seed, '--no-record'], {})).result);
    expect(await seeded('7')).toBe(await seeded('7'));
    const runs = new Set(await Promise.all(['1', '2', '3', '4', '5', '6'].map(seeded)));
    expect(runs.size).toBeGreaterThan(1);
    const compact = memoryIO(dir, CI);
    expect(await main(['stats', '--compact', '--json'], compact)).toBe(0);
    expect(JSON.parse(compact.out()).outcomes).toBe(2);
  });

  it('--no-record records nothing; explore defaults on locally and off in CI', async () => {
    const dir = project();
    expect((await routeJson(dir, ['--no-record'])).learning.recorded).toBe(false);
    expect((await routeJson(dir, [], {})).learning.explore).toBe(true);
    expect((await routeJson(dir, ['--explore', 'off'], {})).learning.explore).toBe(false);
  });

  it('eval --learn prints the learning curve', async () => {
    const dir = project();
    const labels = join(dir, 'labels.jsonl');
    cpSync(join(import.meta.dirname, '../fixtures/routing/sample.dev.jsonl'), labels);
    const io = memoryIO(join(import.meta.dirname, '../..'), CI);
    expect(await main(['eval', labels, '--learn', '--repeats', '1', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out()).learning_curve.points.map((p: { fraction: number }) => p.fraction)).toEqual([0, 0.1, 0.25, 0.5, 1]);
    expect(await main(['eval', labels, '--learn', '--folds', '1'], memoryIO(dir, CI))).toBe(2);
  });
});

describe('learning configuration', () => {
  it('learning.mode off records nothing and leaves R neutral; a bad learning setting is a config error at its place (exit 1)', async () => {
    const { writeFileSync, existsSync } = await import('node:fs');
    const dir = project();
    writeFileSync(join(dir, 'codex-flow.config.yaml'), 'learning:\n  mode: off\n');
    const off = await routeJson(dir);
    expect(off.learning.recorded).toBe(false);
    expect(existsSync(join(dir, '.codex-flow/decisions.jsonl'))).toBe(false);
    writeFileSync(join(dir, 'codex-flow.config.yaml'), 'learning:\n  explor: true\n');
    const bad = memoryIO(dir, CI);
    expect(await main(['route', TASK], bad)).toBe(1);
    expect(bad.err()).toContain('codex-flow.config.yaml:2:3: error CF9001: unknown key `learning.explor`');
    expect(bad.err()).toContain('hint: did you mean `learning.explore`?');
  });
});
