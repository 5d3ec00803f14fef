/**
 * The tier ranking reads the bench results as a prior: a member with no runs in the tier is judged
 * by its bench (success, latency p50, cost per call), the tier's own runs take over as they
 * accumulate, and a bench folder that is missing or holds a damaged report never stops a run.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { benchKey, readBenchPriors, type BenchPrior } from '../../src/providers/bench-priors.js';
import { BENCH_PRIOR_RUNS, rankTierChain, type TierObservation } from '../../src/providers/tiers.js';

const price = (input: number, output: number) => ({ input, output, cached: 0 });
const entries = [{ provider: 'a' }, { provider: 'b' }];
const bench = (provider: string, latencyP50Ms: number, costPerCallUsd: number | null, ok = 5, runs = 5): BenchPrior => ({
  provider,
  model: 'm',
  stamp: '2026-12-01T10-00-00Z',
  runs,
  ok,
  latencyP50Ms,
  costPerCallUsd,
});
const runs = (tasks: number, ok: number, meanMs: number): TierObservation => ({
  tasks,
  ok,
  latencyMs: tasks * meanMs,
  latencyCount: tasks,
  costUsd: 0,
  costCount: 0,
});

describe('rankTierChain with bench results', () => {
  it('bench results alone move a faster, cheaper second member first (without them: the configured order)', () => {
    const benches = new Map([
      ['a', bench('a', 2400, 0.004)],
      ['b', bench('b', 420, 0.0003)],
    ]);
    const ranked = rankTierChain(
      entries,
      () => null,
      undefined,
      undefined,
      (entry) => benches.get(entry.provider),
    );
    expect(ranked.order.map((member) => member.provider)).toEqual(['b', 'a']);
    expect(ranked.order[0]!.why).toMatch(/success 86 % \(bench 5\/5\), bench p50 420 ms, \$0\.0003\/call/);
    expect(ranked.order[0]!.evidence).toMatchObject({ bench: { latency_p50_ms: 420, cost_per_call_usd: 0.0003 }, bench_share: 1 });
    expect(ranked.explanation).toMatch(new RegExp(`bench result counts as up to ${BENCH_PRIOR_RUNS} runs`));
    expect(rankTierChain(entries, () => null, undefined).order.map((member) => member.provider)).toEqual(['a', 'b']);
  });

  it('a bench that failed half its calls loses to one that never failed, at the same speed and cost', () => {
    const benches = new Map([
      ['a', bench('a', 500, 0.001, 2, 4)],
      ['b', bench('b', 500, 0.001)],
    ]);
    const ranked = rankTierChain(
      entries,
      () => null,
      undefined,
      undefined,
      (entry) => benches.get(entry.provider),
    );
    expect(ranked.order.map((member) => member.provider)).toEqual(['b', 'a']);
  });

  it("the tier's own runs take over from the bench as they accumulate", () => {
    // The bench says b is 5× faster; the tier's runs say a is twice as fast as b.
    const benches = new Map([
      ['a', bench('a', 2000, null)],
      ['b', bench('b', 400, null)],
    ]);
    const order = (n: number) =>
      rankTierChain(
        entries,
        () => null,
        new Map([
          ['a', runs(n, n, 1000)],
          ['b', runs(n, n, 2000)],
        ]),
        undefined,
        (entry) => benches.get(entry.provider),
      ).order;
    expect(order(1).map((member) => member.provider)).toEqual(['b', 'a']);
    expect(order(40).map((member) => member.provider)).toEqual(['a', 'b']);
    const few = order(2).find((member) => member.provider === 'b')!;
    expect(few.why).toMatch(/success \d+ % \(2\/2 runs \+ bench 5\/5\), bench p50 400 ms, mean 2000 ms, price unknown, bench weighs 5\/7/);
    expect(few.evidence!.bench_share).toBeCloseTo(5 / 7, 3);
  });

  it('with one or two runs and a bench, the runs already count (without a bench they need three)', () => {
    const benches = new Map([['b', bench('b', 1000, null)]]);
    const observed = new Map([['b', runs(2, 0, 1000)]]);
    const ranked = rankTierChain(
      entries,
      () => null,
      observed,
      undefined,
      (entry) => benches.get(entry.provider),
    );
    expect(ranked.order.find((member) => member.provider === 'b')!.evidence!.runs).toEqual({ tasks: 2, ok: 0, mean_latency_ms: 1000 });
  });

  it('the price table still counts beside the bench cost per call', () => {
    const benches = new Map([
      ['a', bench('a', 500, 0.001)],
      ['b', bench('b', 500, 0.001)],
    ]);
    const ranked = rankTierChain(
      entries,
      (entry) => (entry.provider === 'a' ? price(0.01, 0.03) : price(0.0001, 0.0002)),
      undefined,
      undefined,
      (entry) => benches.get(entry.provider),
    );
    expect(ranked.order.map((member) => member.provider)).toEqual(['b', 'a']);
  });
});

describe('readBenchPriors', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const report = (summaries: unknown[]) => JSON.stringify({ version: 1, stamp: 'x', summaries, runs: [] });
  const summary = (provider: string, model: string, p50: number) => ({
    provider,
    model,
    runs: 3,
    ok: 3,
    errors: 0,
    latencyMs: { p50, p95: p50 * 2 },
    costPerRunUsd: 0.0002,
  });

  it('a missing folder gives no priors and no warning', () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-bench-priors-'));
    expect(readBenchPriors(join(dir, 'data/bench'))).toEqual({ priors: new Map(), diagnostics: [] });
  });

  it('the newest report wins per provider and model; older ones fill in what it lacks', () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-bench-priors-'));
    writeFileSync(join(dir, '2026-12-01T10-00-00Z.json'), report([summary('openai', 'gpt-4o-mini', 900), summary('ollama', 'qwen', 3000)]));
    writeFileSync(join(dir, '2026-12-02T10-00-00Z.json'), report([summary('openai', 'gpt-4o-mini', 420)]));
    writeFileSync(join(dir, 'notes.json'), 'not a report, not read');
    const { priors, diagnostics } = readBenchPriors(dir);
    expect(diagnostics).toEqual([]);
    expect(priors.get(benchKey('openai', 'gpt-4o-mini'))).toMatchObject({ latencyP50Ms: 420, stamp: '2026-12-02T10-00-00Z' });
    expect(priors.get(benchKey('ollama', 'qwen'))).toMatchObject({ latencyP50Ms: 3000, costPerCallUsd: 0.0002, runs: 3, ok: 3 });
  });

  it('a damaged or wrong-shaped report is a CF6720 warning naming the file; the others still count', () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-bench-priors-'));
    writeFileSync(join(dir, '2026-12-01T10-00-00Z.json'), report([summary('ollama', 'qwen', 3000)]));
    writeFileSync(join(dir, '2026-12-02T10-00-00Z.json'), '{"summaries": [ {"provider": "openai", ');
    writeFileSync(join(dir, '2026-12-03T10-00-00Z.json'), report([{ provider: 'openai', model: 'x', runs: -1, ok: 0 }]));
    mkdirSync(join(dir, '2026-12-04T10-00-00Z.json'));
    const { priors, diagnostics } = readBenchPriors(dir);
    expect([...priors.keys()]).toEqual([benchKey('ollama', 'qwen')]);
    expect(diagnostics.map((entry) => [entry.code, entry.severity])).toEqual([
      ['CF6720', 'warning'],
      ['CF6720', 'warning'],
      ['CF6720', 'warning'],
    ]);
    expect(diagnostics[1]!.message).toMatch(/2026-12-03T10-00-00Z\.json ignored: summaries\[0\]: runs and ok should be counts/);
    expect(diagnostics[2]!.message).toMatch(/2026-12-02T10-00-00Z\.json ignored: not JSON/);
    expect(diagnostics[2]!.location).toMatchObject({ file: join(dir, '2026-12-02T10-00-00Z.json') });
  });

  it('a report that is a link (to /dev/zero, which never ends) is a CF6720 warning, never read', () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-bench-priors-'));
    writeFileSync(join(dir, '2026-12-01T10-00-00Z.json'), report([summary('ollama', 'qwen', 3000)]));
    symlinkSync('/dev/zero', join(dir, '2026-12-02T10-00-00Z.json'));
    const { priors, diagnostics } = readBenchPriors(dir);
    expect([...priors.keys()]).toEqual([benchKey('ollama', 'qwen')]);
    expect(diagnostics.map((entry) => entry.code)).toEqual(['CF6720']);
  });

  it('a skipped provider (never called) is no evidence', () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-bench-priors-'));
    writeFileSync(join(dir, '2026-12-01T10-00-00Z.json'), report([{ ...summary('openai', 'm', 1), skipped: 'not configured' }]));
    expect(readBenchPriors(dir)).toEqual({ priors: new Map(), diagnostics: [] });
  });
});
