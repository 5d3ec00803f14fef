import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { createRouter } from '../../src/router/staged-router.js';
import { evaluate, parseLabels } from '../../src/router/eval.js';
import { learningCurve } from '../../src/learn/learning-curve.js';
import { createLearnedModel, priorsFrom } from '../../src/learn/model.js';
import { applyOutcome, emptyState } from '../../src/learn/state.js';
import { featuresOf } from '../../src/learn/features.js';
import { loadCompiledCollection } from '../support/corpus.js';
import { sharedCorpus, skipWithout } from '../support/requirements.js';

const withoutCorpus = skipWithout(sharedCorpus, 'the held-out learning curves on corpus collections');

const root = join(import.meta.dirname, '../..');
const { fleet } = loadFleet(join(root, 'codex/agents'));
const { labels } = parseLabels(readFileSync(join(root, 'test/fixtures/routing/sample.dev.jsonl'), 'utf8'), 'sample.dev.jsonl');

/** The held-out learning curve (seed 1, one shuffle) of a dev set on a corpus collection compiled in-process. */
async function heldOutCurve(collection: string, set: string): Promise<ReturnType<typeof learningCurve>> {
  const corpus = await loadCompiledCollection(collection);
  const devSet = parseLabels(readFileSync(join(root, 'test/fixtures/routing', set), 'utf8'), set).labels;
  return learningCurve(
    (learned) => createRouter(corpus, { learned, options: { weights: { reward: 1 } } }),
    devSet,
    priorsFrom(corpus.triggers),
    { repeats: 1, seed: 1 },
  );
}

describe('learning curve (eval --learn)', () => {
  it('reports the five checkpoints, starting from the router without learning, and does not lose held-out accuracy', () => {
    const curve = learningCurve(
      (learned) => createRouter(fleet!, { learned, options: { weights: { reward: 1 } } }),
      labels,
      priorsFrom(fleet!.triggers),
      { repeats: 1 },
    );
    expect(curve.points.map((p) => p.fraction)).toEqual([0, 0.1, 0.25, 0.5, 1]);
    expect(curve.points[0]!.top1).toBe(evaluate(createRouter(fleet!), labels).top1);
    expect(curve.points[4]!.feedback).toBeCloseTo(labels.length * 0.8, -1);
    // Held-out requests share few words with the training ones (docs/learning.md): feedback must
    // not cost accuracy there (seeds 1–8: flat at every checkpoint, since R enters as R − prior
    // and sparse evidence moves nothing); the recurring-request test below is where it must gain.
    for (const point of curve.points) expect(point.top1).toBeGreaterThanOrEqual(curve.points[0]!.top1 - 0.014);
  });

  it('recurring requests: feedback on the misses fixes them (accuracy rises with feedback)', () => {
    const state = emptyState();
    const router = createRouter(fleet!, {
      learned: createLearnedModel(state, priorsFrom(fleet!.triggers), { explore: false, priorStrength: 2 }),
      options: { weights: { reward: 1 } },
    });
    const before = evaluate(router, labels).top1;
    for (let pass = 0; pass < 2; pass++) {
      for (const label of labels) {
        const result = router.route({ task: label.task, files: label.files }, { top: 1 });
        const chosen = result.candidates[0]?.id;
        const context = featuresOf(label.task, label.files, result.fired ?? []);
        const record = (agent: string, ok: boolean) =>
          applyOutcome(
            state,
            { agent, alias: agent, ok, latency_ms: 1, retries: 0, tool_errors: 0, stop_reason: 'feedback', task_hash: '', at: '' },
            context,
            0.1,
          );
        if (chosen && label.expected.includes(chosen)) record(chosen, true);
        else {
          if (chosen) record(chosen, false);
          record(label.expected[0]!, true);
        }
      }
    }
    expect(evaluate(router, labels).top1).toBeGreaterThan(before + 0.03);
  });

  it.skipIf(withoutCorpus)(
    'held-out requests: on the wshobson dev set, top-1 after all the feedback beats top-1 before it',
    async () => {
      // The learned stage brings agents the outcomes tie to a request's words into the candidates;
      // held-out requests share vocabulary with the training folds, so the curve must rise. Seeds
      // 1–8, one shuffle each, gained +0.6 to +2.5 points on the CLI-compiled fleet with query
      // expansion and 16 features (docs/learning.md). Seed 1 is the +0.6; with 32 features it was
      // +0.3, one request of 321 (expansion lifted its start by two requests, its end by one), so
      // the pin is a rise, not a size.
      const curve = await heldOutCurve('wshobson__agents', 'wshobson.dev.jsonl');
      expect(curve.points[4]!.top1).toBeGreaterThan(curve.points[0]!.top1);
    },
    30_000,
  );

  it.skipIf(withoutCorpus)(
    "held-out requests of one team's traffic (voltagent-team set): top-1 rises with the feedback",
    async () => {
      // Recurring team traffic over a few agents (test/fixtures/routing/README.md): seeds 1–8, one
      // shuffle each, went from 36.2 % to 41.4 % (mean) at 100 % of the feedback (+4.2 to +6.3
      // points; seed 1: +5.4). +4 points is 10 of 240.
      const curve = await heldOutCurve('VoltAgent__awesome-claude-code-subagents', 'voltagent-team.dev.jsonl');
      expect(curve.points[4]!.top1).toBeGreaterThanOrEqual(curve.points[0]!.top1 + 0.04);
      expect(curve.points[2]!.top1).toBeGreaterThanOrEqual(curve.points[0]!.top1);
    },
    30_000,
  );

  it('learned stage: an agent no trigger finds becomes a candidate, says why, and routing stays byte-identical with explore off', () => {
    const state = emptyState();
    const router = createRouter(fleet!, {
      learned: createLearnedModel(state, priorsFrom(fleet!.triggers), { explore: false, priorStrength: 2 }),
      options: { weights: { reward: 1 } },
    });
    const request = { task: 'the matching engine segfaults in release builds' };
    expect(router.route(request, { top: 10 }).candidates.map((c) => c.id)).not.toContain('performance-profiler');
    // The team's feedback: such crashes went to the profiler and it solved them.
    for (const task of [
      'segfaults in the matching engine under load',
      'segfaults only with -O2',
      'matching engine segfaults after upgrade',
    ]) {
      const context = featuresOf(task, [], router.route({ task }).fired ?? []);
      applyOutcome(
        state,
        {
          agent: 'performance-profiler',
          alias: '',
          ok: true,
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
    }
    const result = router.route(request, { top: 10 });
    const found = result.candidates.find((c) => c.id === 'performance-profiler')!;
    expect(found.stages).toContain('learned');
    expect(result.stagesFired).toContain('learned');
    expect(found.terms.find((t) => t.name === 'learned')!.detail).toMatch(
      /^learned: word '(segfault|matching|engine)' → performance-profiler \([\d.]+ ok \/ 0 fail/,
    );
    expect(found.terms.find((t) => t.name === 'reward')!.detail).toMatch(/prior 0\.\d{3} → learned 0\.\d{3} \(posterior mean/);
    expect(JSON.stringify(router.route(request, { top: 10 }))).toBe(JSON.stringify(result));
  });
});
