import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { applyOutcome, emptyState } from '../../src/learn/state.js';
import { recentFailureRate, scorecards } from '../../src/learn/scorecard.js';
import { SUGGESTED_PARALLEL_CAP, suggestTuning } from '../../src/learn/suggest.js';
import type { Outcome } from '../../src/learn/outcome.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const CI = { CI: 'true' };

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-stats-faults-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  cpSync(join(fixture, 'briefs'), join(dir, 'briefs'), { recursive: true });
  return dir;
}

async function routeJson(dir: string): Promise<{ result: { routeId: string; candidates: unknown[] } }> {
  const io = memoryIO(dir, CI);
  expect(await main(['route', 'add a GraphQL resolver for the orders API', '--json'], io)).toBe(0);
  return JSON.parse(io.out()) as { result: { routeId: string; candidates: unknown[] } };
}

async function routeId(dir: string): Promise<string> {
  return (await routeJson(dir)).result.routeId;
}

function outcome(agent: string, i: number, ok: boolean, extra: Partial<Outcome> = {}): Outcome {
  return {
    agent,
    alias: agent,
    ok,
    latency_ms: 5000,
    retries: 0,
    tool_errors: 0,
    stop_reason: ok ? 'completed' : 'error',
    task_hash: '',
    at: new Date(Date.UTC(2026, 0, 1) + i * 100).toISOString(),
    ...extra,
  };
}

describe('feedback --agent (regression: an agent not in the fleet was recorded and then listed by stats)', () => {
  it('refuses an agent neither in the fleet nor among the candidates, and records nothing', async () => {
    const dir = project();
    const id = await routeId(dir);
    const io = memoryIO(dir, CI);
    expect(await main(['feedback', id, '--ok', '--agent', 'nobody'], io)).toBe(2);
    expect(io.err()).toContain('--agent nobody: not in the fleet; nothing recorded');
    expect(existsSync(join(dir, '.codex-flow/outcomes.jsonl'))).toBe(false);
    const stats = memoryIO(dir, CI);
    expect(await main(['stats', '--json'], stats)).toBe(0);
    expect(JSON.parse(stats.out()).agents).toEqual([]);
  });

  it('hints the likely id for a typo, as JSON under --json', async () => {
    const dir = project();
    const io = memoryIO(dir, CI);
    expect(await main(['feedback', await routeId(dir), '--fail', '--agent', 'graphql-architekt', '--json'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({
      ok: false,
      command: 'feedback',
      diagnostics: [{ code: 'CF9003', hint: 'did you mean graphql-architect?' }],
    });
  });

  it('still records for an agent of the fleet', async () => {
    const dir = project();
    expect(await main(['feedback', await routeId(dir), '--ok', '--agent', 'terraform-engineer'], memoryIO(dir, CI))).toBe(0);
    expect(readFileSync(join(dir, '.codex-flow/outcomes.jsonl'), 'utf8')).toContain('"agent":"terraform-engineer"');
  });
});

describe('stats --agent (regression: an unknown agent exited 1 with no message)', () => {
  it('says why for an agent neither in the fleet nor in the outcome log', async () => {
    const io = memoryIO(project(), CI);
    expect(await main(['stats', '--agent', 'nobody'], io)).toBe(1);
    expect(io.err()).toContain('error CF6012: no agent nobody in the fleet or the outcome log');
  });

  it('an agent of the fleet without outcomes is not an error', async () => {
    const io = memoryIO(project(), CI);
    expect(await main(['stats', '--agent', 'terraform-engineer'], io)).toBe(0);
    expect(io.out()).toBe('no outcomes recorded for terraform-engineer yet\n');
  });
});

describe('trend (regression: 14 failures out of 14 showed "up")', () => {
  it("reads a constant failure rate as flat, and the recent rate without the EMA's start", () => {
    const state = emptyState();
    for (let i = 0; i < 14; i++) applyOutcome(state, outcome('debugger', i, false), [], 0.1);
    expect(scorecards(state, new Map(), 2, 0.1)[0]).toMatchObject({ tasks: 14, successRate: 0, trend: 'flat' });
    expect(recentFailureRate(state.agents.get('debugger')!, 0.1)).toBeCloseTo(1, 10);
  });

  it('still sees a real change either way', () => {
    const state = emptyState();
    for (let i = 0; i < 10; i++) applyOutcome(state, outcome('better', i, false), [], 0.1);
    for (let i = 10; i < 20; i++) applyOutcome(state, outcome('better', i, true), [], 0.1);
    for (let i = 0; i < 10; i++) applyOutcome(state, outcome('worse', i, true), [], 0.1);
    for (let i = 10; i < 20; i++) applyOutcome(state, outcome('worse', i, false), [], 0.1);
    const cards = new Map(scorecards(state, new Map(), 2, 0.1).map((card) => [card.id, card.trend]));
    expect(cards).toEqual(
      new Map([
        ['better', 'up'],
        ['worse', 'down'],
      ]),
    );
  });
});

describe('stats --suggest parallelism (regression: 2 → 83 for an agent that failed every task)', () => {
  it('never raises parallelism for an agent failing above its threshold', () => {
    const state = emptyState();
    // 14 failures reported within 1.4 s, 5 s each: Little's law alone asks for ~75 in flight.
    for (let i = 0; i < 14; i++) applyOutcome(state, outcome('debugger', i, false), [], 0.1);
    const suggestions = suggestTuning(state, [{ id: 'debugger', autonomy_level: 2, max_parallel_tasks: 2 }], 0.1);
    expect(suggestions.find((s) => s.setting === 'max_parallel_tasks')).toBeUndefined();
    expect(suggestions).toEqual([expect.objectContaining({ setting: 'autonomy_level', current: 2, suggested: 1 })]);
    // Its brief's own threshold is honoured: at 100 % allowed, it may be raised, but only one doubling.
    const lenient = suggestTuning(state, [{ id: 'debugger', autonomy_level: 2, max_parallel_tasks: 2, failure_rate_pct: 100 }], 0.1);
    expect(lenient.find((s) => s.setting === 'max_parallel_tasks')).toMatchObject({ current: 2, suggested: 4 });
  });

  it('never suggests more than one doubling or the cap for a healthy agent', () => {
    const state = emptyState();
    for (let i = 0; i < 40; i++) applyOutcome(state, outcome('busy', i, true, { latency_ms: 60_000 }), [], 0.1);
    const [small] = suggestTuning(state, [{ id: 'busy', autonomy_level: 4, max_parallel_tasks: 3 }], 0.1);
    expect(small).toMatchObject({ setting: 'max_parallel_tasks', current: 3, suggested: 6 });
    const [large] = suggestTuning(state, [{ id: 'busy', autonomy_level: 4, max_parallel_tasks: 30 }], 0.1);
    expect(large).toMatchObject({ setting: 'max_parallel_tasks', current: 30, suggested: SUGGESTED_PARALLEL_CAP });
  });

  it('via the CLI: 14 failures fed back give no parallelism raise', async () => {
    const dir = project();
    // One verdict per route id and agent (learn/verdicts.ts): each failure is fed back on a new decision.
    const failing = ((await routeJson(dir)).result.candidates[0] as { id: string }).id;
    for (let i = 0; i < 14; i++)
      expect(await main(['feedback', await routeId(dir), '--fail', '--agent', failing, '--latency-ms', '5000'], memoryIO(dir, CI))).toBe(0);
    const io = memoryIO(dir, CI);
    expect(await main(['stats', '--suggest', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as {
      agents: Array<{ trend: string }>;
      suggestions: Array<{ setting: string; current: number; suggested: number }>;
    };
    expect(report.agents[0]!.trend).toBe('flat');
    expect(report.suggestions.filter((s) => s.setting === 'max_parallel_tasks' && s.suggested > s.current)).toEqual([]);
  });
});
