import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/router/staged-router.js';
import { createLearnedModel, priorsFrom } from '../../src/learn/model.js';
import { applyOutcome, emptyState, type LearnedState } from '../../src/learn/state.js';
import { featuresOf } from '../../src/learn/features.js';
import { loadFleet } from '../../src/fleet/load.js';
import type { FleetIndex, TriggerTable } from '../../src/fleet/types.js';
import type { Outcome } from '../../src/learn/outcome.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const triggers = JSON.parse(readFileSync(join(fixture, 'triggers.json'), 'utf8')) as TriggerTable;
const index = JSON.parse(readFileSync(join(fixture, 'index.json'), 'utf8')) as FleetIndex;
const fleet = { triggers, index };
const priors = priorsFrom(triggers);
const TASK = 'add a GraphQL resolver for the orders API backend';

function feedback(state: LearnedState, router: ReturnType<typeof createRouter>, agent: string, ok: boolean, times = 1): void {
  const result = router.route({ task: TASK });
  const context = featuresOf(TASK, [], result.fired ?? []);
  for (let i = 0; i < times; i++) {
    const outcome: Outcome = {
      agent,
      alias: agent,
      ok,
      latency_ms: 100,
      retries: 0,
      tool_errors: 0,
      stop_reason: 'feedback',
      task_hash: '',
      at: '2026-01-01T00:00:00.000Z',
    };
    applyOutcome(state, outcome, context, 0.1);
  }
}

describe('learned model in the router', () => {
  it('changes nothing while nothing is learned: same ranking, same scores, no reward term', () => {
    const plain = createRouter(fleet).route({ task: TASK });
    const learned = createRouter(fleet, {
      learned: createLearnedModel(emptyState(), priors, { explore: true, seed: 1, priorStrength: 2 }),
    }).route({ task: TASK });
    expect(learned.candidates).toEqual(plain.candidates);
    expect(learned.fired).toContain('kw:graphql');
  });

  it('moves traffic after feedback, explains prior vs learned, and is deterministic with explore off', () => {
    const state = emptyState();
    const model = createLearnedModel(state, priors, { explore: false, priorStrength: 2 });
    const router = createRouter(fleet, { learned: model, options: { weights: { reward: 1 } } });
    const before = router.route({ task: TASK }).candidates.map((c) => c.id);
    const [first, second] = before as [string, string];
    feedback(state, router, first, false, 3);
    feedback(state, router, second, true, 3);
    const after = router.route({ task: TASK });
    expect(after.candidates[0]!.id).toBe(second);
    const reward = after.candidates[0]!.terms.find((t) => t.name === 'reward')!;
    expect(reward.detail).toMatch(
      /^R: prior 0\.\d{3} → learned 0\.\d{3} \(posterior mean; 3 outcome\(s\) for the agent, [\d.]+ in this context\); the term is R − prior$/,
    );
    // The term is what was learned beyond the prior: positive after successes, negative after failures.
    expect(reward.value).toBeGreaterThan(0);
    expect(after.candidates.find((c) => c.id === first)!.terms.find((t) => t.name === 'reward')!.value).toBeLessThan(0);
    expect(JSON.stringify(router.route({ task: TASK }))).toBe(JSON.stringify(after));
  });

  it('samples with explore on: the same seed replays the same ranking', () => {
    const state = emptyState();
    const seeded = (seed: number) =>
      createRouter(fleet, {
        learned: createLearnedModel(state, priors, { explore: true, seed, priorStrength: 2 }),
        options: { weights: { reward: 1 } },
      });
    feedback(state, seeded(1), 'backend-developer', true, 1);
    const draws = (seed: number) => {
      const router = seeded(seed);
      return Array.from({ length: 8 }, () =>
        router
          .route({ task: TASK })
          .candidates.map((c) => c.score)
          .join(','),
      );
    };
    expect(draws(5)).toEqual(draws(5));
    expect(new Set(draws(5)).size).toBeGreaterThan(1);
  });

  it('features are sorted, unique, bounded, and the same for the same request', () => {
    const features = featuresOf('Review the review of src/app.ts', ['src/app.ts', 'infra/main.tf'], ['kw:review']);
    expect(features).toEqual([...new Set(features)].sort());
    expect(features).toEqual(expect.arrayContaining(['kw:review', 'ext:ts', 'ext:tf', 'dir:src', 'dir:infra']));
    expect(featuresOf('x '.repeat(10) + 'word '.repeat(500), [], [])).toHaveLength(1);
    expect(featuresOf(Array.from({ length: 200 }, (_, i) => `term${i}`).join(' '), [], []).length).toBeLessThanOrEqual(64);
  });
});

describe('compiled state (the hot path)', () => {
  it('sums the same evidence per agent as the feature list featuresOf records', async () => {
    const { CompiledState } = await import('../../src/learn/compiled-state.js');
    const { contextEvidence } = await import('../../src/learn/model.js');
    const state = emptyState();
    const tasks = [
      'review the orders resolver',
      'terraform plan fails on the vpc module',
      'review flaky tests in the orders service',
      'Reviews of resolvers',
    ];
    tasks.forEach((task, i) =>
      applyOutcome(
        state,
        {
          agent: `agent-${i % 3}`,
          alias: '',
          ok: i % 2 === 0,
          latency_ms: 1,
          retries: 0,
          tool_errors: 0,
          stop_reason: 'completed',
          task_hash: '',
          at: '',
        },
        featuresOf(task, ['infra/main.tf'], ['kw:review']),
        0.1,
      ),
    );
    const compiled = new CompiledState(state);
    for (const task of [...tasks, 'nothing in common', 'review review review']) {
      for (const paths of [[], ['infra/main.tf', 'infra/vpc.tf']]) {
        compiled.collect(task, paths, ['kw:review', 'kw:other']);
        const expected = contextEvidence(state, featuresOf(task, paths, ['kw:review', 'kw:other']));
        for (const id of ['agent-0', 'agent-1', 'agent-2']) {
          const got = compiled.evidence(id);
          const want = expected.get(id);
          // The compiled cells are float32 (the state's doubles rounded once): ~1e-7 relative.
          expect(got?.[1] ?? 0).toBeCloseTo(want?.[1] ?? 0, 6);
          expect(got?.[0] ?? 0).toBeCloseTo(want?.[0] ?? 0, 6);
          // What explanations read later, from the feature list instead of the scratch sums.
          const later = compiled.evidenceOver(featuresOf(task, paths, ['kw:review', 'kw:other']), id);
          expect(later?.[1] ?? 0).toBeCloseTo(want?.[1] ?? 0, 6);
        }
      }
    }
  });
});

describe('router asks R only of agents that can make the top n', () => {
  it('gives the same top n as evaluating R for every candidate', () => {
    const state = emptyState();
    const router = createRouter(fleet, {
      learned: createLearnedModel(state, priors, { explore: false, priorStrength: 2 }),
      options: { weights: { reward: 3 } },
    });
    const tasks = [
      TASK,
      'terraform module for the vpc',
      'frontend css bug in the checkout',
      'security review of the graphql api',
      'backend microservice in c#',
    ];
    tasks.forEach((task, i) => {
      const result = router.route({ task });
      const context = featuresOf(task, [], result.fired ?? []);
      for (const [rank, c] of result.candidates.entries())
        applyOutcome(
          state,
          {
            agent: c.id,
            alias: c.id,
            ok: (rank + i) % 2 === 0,
            latency_ms: 1,
            retries: 0,
            tool_errors: 0,
            stop_reason: 'feedback',
            task_hash: '',
            at: '',
          },
          context,
          0.1,
        );
    });
    for (const task of tasks) {
      for (const top of [1, 2, 3]) {
        const pruned = router.route({ task }, { top }).candidates;
        const full = router.route({ task }, { top: 1000 }).candidates.slice(0, top);
        expect(pruned.map((c) => [c.id, c.score])).toEqual(full.map((c) => [c.id, c.score]));
      }
    }
  });

  it('exploring, draws R near the top only and ranks that list: the same top n as drawing for all', () => {
    // A constant source makes each Beta draw a function of (α, β) alone, so drawing for fewer
    // agents cannot change the others' draws: pruned and full must agree exactly.
    const state = emptyState();
    const constant = { next: () => 0.5 };
    const sample = loadFleet(join(import.meta.dirname, '../../codex/agents')).fleet!;
    const router = createRouter(sample, {
      learned: createLearnedModel(state, priorsFrom(sample.triggers), { explore: true, random: constant, priorStrength: 2 }),
      options: { weights: { reward: 3 } },
    });
    const tasks = [
      TASK,
      'terraform module for the vpc and a helm chart for the api',
      'frontend css bug in the checkout page, react component re-renders',
      'security review of the graphql api and the postgres schema',
      'backend microservice in c# with a slow database query and flaky tests',
    ];
    tasks.forEach((task, i) => {
      const result = router.route({ task });
      const context = featuresOf(task, [], result.fired ?? []);
      for (const [rank, c] of result.candidates.entries())
        applyOutcome(
          state,
          {
            agent: c.id,
            alias: c.id,
            ok: (rank + i) % 2 === 0,
            latency_ms: 1,
            retries: 0,
            tool_errors: 0,
            stop_reason: 'feedback',
            task_hash: '',
            at: '',
          },
          context,
          0.1,
        );
    });
    let widest = 0;
    for (const task of tasks) {
      for (const top of [1, 2, 3]) {
        const pruned = router.route({ task }, { top }).candidates;
        const full = router.route({ task }, { top: 1000 }).candidates;
        widest = Math.max(widest, full.length);
        expect(pruned.map((c) => [c.id, c.score])).toEqual(full.slice(0, top).map((c) => [c.id, c.score]));
      }
    }
    // Some request had candidates well past the cut, so the near list was a real subset.
    expect(widest).toBeGreaterThan(6);
  });
});

describe('fired triggers (the learning context)', () => {
  it('lists each trigger once, in match order, builds keys that outlive later routes, and keeps the JSON key order', () => {
    // Two agents carrying the same regex: the router holds it twice, the context keys it once.
    const shared = structuredClone(triggers);
    shared.regex = [...(shared.regex ?? []), { pattern: 'CVE-\\d{4}-\\d+', priority: 5, agents: ['backend-developer'] }];
    const state = emptyState();
    const router = createRouter(
      { triggers: shared, index },
      { learned: createLearnedModel(state, priors, { explore: false, priorStrength: 2 }) },
    );
    const task = 'patch CVE-2024-1234 in the GraphQL resolver';
    const result = router.route({ task, files: ['src/schema.graphql'] });
    const fired = result.fired!;
    expect(fired.filter((key) => key === 're:CVE-\\d{4}-\\d+')).toHaveLength(1);
    expect(new Set(fired).size).toBe(fired.length);
    expect(fired).toContain('kw:graphql');
    const kinds = fired.map((key) => key.slice(0, key.indexOf(':')));
    expect(kinds).toEqual([...kinds].sort((a, b) => ['kw', 're', 'glob'].indexOf(a) - ['kw', 're', 'glob'].indexOf(b)));
    // Read after another route: the numbers were copied, not the router's scratch.
    const late = router.route({ task, files: ['src/schema.graphql'] });
    router.route({ task: 'tune the postgres indexes' });
    expect(late.fired).toEqual(fired);
    const keys = Object.keys(JSON.parse(JSON.stringify(result)) as object);
    expect(keys.slice(keys.indexOf('diagnostics'))).toEqual(['diagnostics', 'fired']);
    expect(Object.keys(result)).toEqual(keys);
    // Learned evidence on the shared regex is summed once: the same as featuresOf's context.
    // An outcome counts 1/√m for each of its m features; the request shares all m: √m in this context.
    const context = featuresOf(task, ['src/schema.graphql'], fired);
    applyOutcome(
      state,
      {
        agent: 'security-auditor',
        alias: 'security-auditor',
        ok: true,
        latency_ms: 1,
        retries: 0,
        tool_errors: 0,
        stop_reason: 'feedback',
        task_hash: '',
        at: '2026-01-01T00:00:00.000Z',
      },
      context,
      0.1,
    );
    const learned = router.route({ task, files: ['src/schema.graphql'] });
    const trials = Math.round(Math.sqrt(context.length) * 100) / 100;
    expect(learned.candidates.find((c) => c.id === 'security-auditor')!.terms.find((t) => t.name === 'reward')!.detail).toContain(
      `1 outcome(s) for the agent, ${trials} in this context`,
    );
  });
});
