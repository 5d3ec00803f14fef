import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Learning } from '../../src/learn/learner.js';
import { findDecision, readDecisions, recordDecision } from '../../src/learn/decisions.js';
import { appendFileSync } from 'node:fs';
import { resolveLearningOptions, type LearningOptions } from '../../src/learn/options.js';
import { stateToJSON } from '../../src/learn/state.js';
import { createRandom } from '../../src/learn/random.js';
import type { Outcome } from '../../src/learn/outcome.js';

const AGENTS = ['code-reviewer', 'debugger', 'security-auditor'];

function outcomes(count: number, seed: number): Outcome[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const agent = AGENTS[i % AGENTS.length]!;
    return {
      route_id: `route:${i % 5}`,
      agent,
      alias: agent,
      ok: random.next() < 0.7,
      latency_ms: Math.round(100 + random.next() * 4000),
      retries: i % 4 === 0 ? 1 : 0,
      tool_errors: i % 9 === 0 ? 1 : 0,
      stop_reason: i % 11 === 0 ? 'max-steps' : 'completed',
      task_hash: `t${i}`,
      at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    };
  });
}

function project(options: Partial<LearningOptions> = {}): Learning {
  const root = mkdtempSync(join(tmpdir(), 'cf-learn-'));
  const learning = new Learning(root, { ...resolveLearningOptions({}, { CI: 'true' }), ...options });
  for (let i = 0; i < 5; i++) {
    recordDecision(
      learning.dir,
      {
        route_id: `route:${i}`,
        at: '2026-01-01T00:00:00.000Z',
        chosen: 'code-reviewer',
        candidates: AGENTS,
        features: [`kw:k${i}`, 'w:1', `w:${10 + i}`],
        explore: false,
      },
      5000,
    );
  }
  return learning;
}

const bytes = (learning: Learning) => JSON.stringify(stateToJSON(learning.load().state));

describe('learned state: a fold over the outcome log', () => {
  it('is the same before and after compaction, and after compacting in several steps', () => {
    const all = outcomes(120, 1);
    const once = project();
    const steps = project();
    const never = project();
    all.forEach((outcome, i) => {
      once.record(outcome);
      steps.record(outcome);
      never.record(outcome);
      if (i % 37 === 36) steps.compact(`step-${i}`);
    });
    const before = bytes(once);
    expect(once.compact()).toBe(true);
    expect(bytes(once)).toBe(before);
    expect(bytes(steps)).toBe(before);
    expect(bytes(never)).toBe(before);
    expect(existsSync(join(once.dir, 'learned-state.json'))).toBe(true);
    expect(readdirSync(once.dir).filter((name) => name.endsWith('.segment'))).toEqual([]);
  });

  it('compacts on its own once the log passes compactAfterBytes, keeping the log bounded', () => {
    const learning = project({ compactAfterBytes: 4096 });
    const reference = project();
    for (const outcome of outcomes(200, 2)) {
      learning.record(outcome);
      reference.record(outcome);
    }
    expect(learning.load().logBytes).toBeLessThan(4096 + 1024);
    expect(bytes(learning)).toBe(bytes(reference));
  });

  it('recovers from a crash between publishing the snapshot and deleting the segment', () => {
    const learning = project();
    for (const outcome of outcomes(30, 3)) learning.record(outcome);
    const before = bytes(learning);
    learning.compact('crash');
    // The segment the snapshot already folded comes back, as if the delete never ran.
    writeFileSync(join(learning.dir, 'outcomes.jsonl.crash.segment'), `${JSON.stringify(outcomes(1, 9)[0])}\n`);
    expect(bytes(learning)).toBe(before);
    learning.compact();
    expect(bytes(learning)).toBe(before);
  });

  it('copies the decision context into the outcome and learns W[feature → agent] from it', () => {
    const learning = project();
    const stored = learning.record(outcomes(1, 4)[0]!);
    expect(stored.context).toEqual(['kw:k0', 'w:1', 'w:10']);
    expect(learning.load().state.weights.get('kw:k0')?.get('code-reviewer')?.[1]).toBeCloseTo(1 / Math.sqrt(3));
  });

  it('decays (or resets) an agent whose brief changed, with a CF6602 note', () => {
    const learning = project();
    for (const outcome of outcomes(30, 5)) learning.record(outcome);
    const trials = learning.load().state.agents.get('debugger')!.trials;
    // Evidence recorded under brief hash "a"…
    learning.record({ ...outcomes(1, 6)[0]!, agent: 'debugger', route_id: 'none', brief_hash: 'sha256:a' } as Outcome);
    const unchanged = learning.load(new Map([['debugger', 'sha256:a']]));
    expect(unchanged.diagnostics).toEqual([]);
    const changed = learning.load(new Map([['debugger', 'sha256:b']]));
    expect(changed.diagnostics.map((d) => d.code)).toEqual(['CF6602']);
    expect(changed.state.agents.get('debugger')!.trials).toBeCloseTo((trials + 1) * 0.5);
    const reset = new Learning(join(learning.dir, '..'), { ...learning.options, onBriefChange: 'reset' }).load(
      new Map([['debugger', 'sha256:b']]),
    );
    expect(reset.state.agents.get('debugger')!.trials).toBe(0);
    expect(reset.state.agents.get('debugger')!.tasks).toBe(unchanged.state.agents.get('debugger')!.tasks);
  });

  it('rebuilds from the log when the snapshot is unreadable (CF6604) and reports torn lines (CF6601)', () => {
    const learning = project();
    for (const outcome of outcomes(10, 7)) learning.record(outcome);
    learning.compact();
    copyFileSync(join(learning.dir, 'decisions.jsonl'), join(learning.dir, 'learned-state.json'));
    writeFileSync(join(learning.dir, 'outcomes.jsonl'), '{"agent": "debugger", "ok": tr');
    const loaded = learning.load();
    expect(loaded.diagnostics.map((d) => d.code).sort()).toEqual(['CF6601', 'CF6604']);
    expect(loaded.state.outcomes).toBe(0);
  });
});

describe('decision log', () => {
  it('rotates past half of maxDecisions and still finds recent decisions', async () => {
    const { readDecisions } = await import('../../src/learn/decisions.js');
    const dir = mkdtempSync(join(tmpdir(), 'cf-decisions-'));
    for (let i = 0; i < 60; i++)
      recordDecision(
        dir,
        { route_id: `route:${i}`, at: '', chosen: 'a', candidates: ['a'], features: ['w:1'.padEnd(400, 'x')], explore: false },
        10,
      );
    const { byId } = readDecisions(dir);
    expect(byId.has('route:59')).toBe(true);
    expect(byId.has('route:0')).toBe(false);
    expect(byId.size).toBeLessThanOrEqual(20);
  });
  it('finds one decision by id as reading the whole log does: the latest whole line, across the rotated file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-decisions-'));
    const decision = (i: number, chosen: string) => ({
      route_id: `route:${i % 7}`,
      at: `${i}`,
      chosen,
      candidates: [chosen],
      features: [`w:${i}`.padEnd(300, 'x')],
      explore: false,
    });
    for (let i = 0; i < 40; i++) recordDecision(dir, decision(i, `agent-${i}`), 12);
    // A torn last line naming route:3, and a line whose nested object names route:6.
    appendFileSync(
      join(dir, 'decisions.jsonl'),
      '{"route_id":"route:5","at":"","chosen":"x","candidates":["x"],"features":["w:9"],"explore":false,"extra":{"route_id":"route:6"}}\n{"route_id":"route:3","at":"torn","cho',
    );
    const { byId } = readDecisions(dir);
    for (const id of ['route:0', 'route:3', 'route:5', 'route:6', 'route:9', 'nope']) expect(findDecision(dir, id)).toEqual(byId.get(id));
    expect(findDecision(dir, 'route:3')!.at).not.toBe('torn');
    expect(findDecision(mkdtempSync(join(tmpdir(), 'cf-empty-')), 'route:1')).toBeUndefined();
  });
});
