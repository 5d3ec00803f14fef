import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { parseLabels } from '../../src/router/eval.js';
import { createRouter } from '../../src/router/staged-router.js';
import { CompiledState } from '../../src/learn/compiled-state.js';
import { createLearnedModel, priorsFrom } from '../../src/learn/model.js';
import { applyOutcome, changedSince, discountAgent, emptyState } from '../../src/learn/state.js';
import { featuresOf } from '../../src/learn/features.js';
import type { Outcome } from '../../src/learn/outcome.js';

const root = join(import.meta.dirname, '../..');
const fleet = loadFleet(join(root, 'codex/agents')).fleet!;
const file = join(root, 'test/fixtures/routing/sample.dev.jsonl');
const { labels } = parseLabels(readFileSync(file, 'utf8'), file);
const priors = priorsFrom(fleet.triggers);

const outcome = (agent: string, ok: boolean, n: number): Outcome => ({
  agent,
  alias: agent,
  ok,
  latency_ms: 1,
  retries: 0,
  tool_errors: 0,
  stop_reason: 'feedback',
  task_hash: '',
  at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
});

/** Everything a caller can see of a route, explanations included. */
const view = (result: ReturnType<ReturnType<typeof createRouter>['route']>) =>
  JSON.stringify([
    result.considered,
    result.fired,
    result.candidates.map((c) => [c.id, c.score, c.stages, c.terms.map((t) => [t.name, t.value, t.detail])]),
  ]);

describe('change journal', () => {
  it('names the rows outcomes changed since a revision, and nothing after any other change', () => {
    const state = emptyState();
    applyOutcome(state, outcome('a', true, 0), ['kw:x', 'w:1'], 0.1);
    const after1 = state.revision;
    applyOutcome(state, outcome('b', false, 1), ['w:1', 'w:2'], 0.1);
    applyOutcome(state, outcome('b', true, 2), ['dir:src'], 0.1);
    expect([...changedSince(state, after1)!].sort()).toEqual(['dir:src', 'w:1', 'w:2']);
    expect([...changedSince(state, 0)!].sort()).toEqual(['dir:src', 'kw:x', 'w:1', 'w:2']);
    expect(changedSince(state, state.revision)!.size).toBe(0);
    const beforeDiscount = state.revision;
    discountAgent(state, 'b', 0.5, 'hash');
    expect(changedSince(state, beforeDiscount)).toBeUndefined();
    const afterDiscount = state.revision;
    applyOutcome(state, outcome('a', true, 3), ['w:9'], 0.1);
    expect([...changedSince(state, afterDiscount)!]).toEqual(['w:9']);
    expect(changedSince(state, beforeDiscount)).toBeUndefined();
    expect(changedSince(emptyState(), 0)?.size ?? 0).toBe(0);
  });

  it('forgets revisions far behind: an old reader rebuilds', () => {
    const state = emptyState();
    for (let i = 0; i < 2000; i++) applyOutcome(state, outcome('a', true, i), [`w:${i}`], 0.1);
    expect(changedSince(state, 1)).toBeUndefined();
    expect(changedSince(state, state.revision - 3)!.size).toBe(3);
  });
});

describe('compiled state: applying one outcome patches its rows', () => {
  it('routes exactly as a state compiled from scratch, after every outcome of a feedback stream', () => {
    const state = emptyState();
    const live = createRouter(fleet, {
      learned: createLearnedModel(state, priors, { explore: false, priorStrength: 2 }),
      options: { weights: { reward: 1 } },
    });
    const probes = labels.slice(0, 12);
    let compared = 0;
    for (const [n, label] of labels.slice(12).entries()) {
      const result = live.route({ task: label.task, files: label.files });
      const chosen = result.candidates[0]?.id ?? label.expected[0]!;
      applyOutcome(
        state,
        outcome(chosen, label.expected.includes(chosen), n),
        featuresOf(label.task, label.files, result.fired ?? []),
        0.1,
      );
      if (!label.expected.includes(chosen))
        applyOutcome(state, outcome(label.expected[0]!, true, n), featuresOf(label.task, label.files, result.fired ?? []), 0.1);
      // A router whose model has never seen the state before compiles it in full.
      const fresh = createRouter(fleet, {
        learned: createLearnedModel(state, priors, { explore: false, priorStrength: 2 }),
        options: { weights: { reward: 1 } },
      });
      for (const probe of probes.slice(0, n % 3 === 0 ? 12 : 2)) {
        const request = { task: probe.task, files: probe.files };
        expect(view(live.route(request))).toBe(view(fresh.route(request)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('patches instead of recompiling once every agent that will succeed has, and agrees cell for cell', () => {
    const state = emptyState();
    const agents = ['a', 'b', 'c'];
    agents.forEach((agent, i) => applyOutcome(state, outcome(agent, true, i), [`kw:${agent}`], 0.1));
    const compiled = new CompiledState(state);
    compiled.refresh();
    const words = [
      'review the orders resolver',
      'terraform plan fails on the vpc module',
      'flaky tests in the orders service',
      'resolvers and reviews',
    ];
    for (let i = 0; i < 200; i++) {
      const task = words[i % words.length]!;
      applyOutcome(state, outcome(agents[i % 3]!, i % 4 !== 0, i), featuresOf(task, ['infra/main.tf'], [`kw:${agents[(i + 1) % 3]}`]), 0.1);
      compiled.refresh();
    }
    // Most outcomes were patches; a full compile comes back each time half the (small) arena is dead rows.
    expect(compiled.compiledAt).toBe(201);
    expect(compiled.compiledAt - compiled.fullCompiles).toBeGreaterThan(100);
    const scratch = new CompiledState(state);
    for (const task of [...words, 'nothing in common']) {
      for (const fired of [[], ['kw:a', 'kw:c']]) {
        compiled.collect(task, ['infra/main.tf'], fired);
        scratch.collect(task, ['infra/main.tf'], fired);
        for (const id of agents) expect(compiled.evidence(id)).toEqual(scratch.evidence(id));
        expect(compiled.touchedCount).toBe(scratch.touchedCount);
        const credit = (c: CompiledState) => agents.map((id) => c.sums[c.number.get(id)! * 4 + 2]);
        if (compiled.touchedCount > 0) expect(credit(compiled)).toEqual(credit(scratch));
      }
    }
  });

  it('recompiles in full after a discount or when an agent succeeds for the first time', () => {
    const state = emptyState();
    applyOutcome(state, outcome('a', true, 0), ['kw:a', 'w:1'], 0.1);
    const compiled = new CompiledState(state);
    compiled.refresh();
    applyOutcome(state, outcome('a', false, 1), ['w:1'], 0.1);
    compiled.refresh();
    expect(compiled.fullCompiles).toBe(1);
    applyOutcome(state, outcome('b', true, 2), ['w:1'], 0.1);
    compiled.refresh();
    expect(compiled.fullCompiles).toBe(2);
    discountAgent(state, 'b', 0, 'hash');
    compiled.refresh();
    expect(compiled.fullCompiles).toBe(3);
    compiled.collect('', [], ['w:1']);
    expect(compiled.evidence('b')).toBeUndefined();
    expect(compiled.evidence('a')![1]).toBeCloseTo(1 / Math.sqrt(2) + 1, 6);
  });
});
