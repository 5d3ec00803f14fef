import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createRouter } from '../../src/router/staged-router.js';
import { loadFleet } from '../../src/fleet/load.js';

const { fleet } = loadFleet(join(import.meta.dirname, '../fixtures/fleets/small'));

describe('route --top K: candidates with depth', () => {
  const router = createRouter(fleet!);
  const size = router.agents.length;

  it('returns K agents whenever the fleet has K, the weak ones after the found ones, each with a score and a depth term', () => {
    const result = router.route({ task: 'Add a GraphQL resolver' }, { top: size });
    expect(result.candidates).toHaveLength(size);
    expect(new Set(result.candidates.map((c) => c.id)).size).toBe(size);
    expect(result.candidates.map((c) => c.rank)).toEqual(Array.from({ length: size }, (_, i) => i + 1));
    const firstWeak = result.candidates.findIndex((c) => c.stages.length === 0);
    expect(firstWeak).toBeGreaterThan(0);
    for (const weak of result.candidates.slice(firstWeak)) {
      expect(weak.stages).toEqual([]);
      expect(weak.terms.map((t) => t.name)).toEqual(['depth']);
      expect(weak.score).toBeCloseTo(weak.terms[0]!.contribution, 6);
      expect(weak.score).toBeLessThanOrEqual(router.options.weights.semantic * router.options.semanticMinRelative);
    }
    // Weak ones with lexical similarity come first, best first, with that similarity as evidence.
    const weakScores = result.candidates.slice(firstWeak).map((c) => c.score);
    expect(weakScores).toEqual([...weakScores].sort((a, b) => b - a));
  });

  it('the found agents are the same, in the same order, as without depth', () => {
    const shallow = router.route({ task: 'Add a GraphQL resolver' }, { top: 2 });
    const deep = router.route({ task: 'Add a GraphQL resolver' }, { top: size });
    expect(deep.candidates.slice(0, 2).map((c) => c.id)).toEqual(shallow.candidates.map((c) => c.id));
  });

  it('lists no disabled agent, and nothing for an empty request or with the semantic stage off', () => {
    const disabled = router.agents[0]!;
    const withDisabled = createRouter(fleet!, { options: { disabled: [disabled] } }).route(
      { task: 'Add a GraphQL resolver' },
      { top: size },
    );
    expect(withDisabled.candidates.map((c) => c.id)).not.toContain(disabled);
    expect(withDisabled.candidates).toHaveLength(size - 1);
    expect(router.route({ task: '' }, { top: size }).candidates.every((c) => c.stages.length > 0 || c.terms[0]?.name === 'fallback')).toBe(
      true,
    );
    const off = createRouter(fleet!, { options: { semantic: 'off' } }).route({ task: 'Add a GraphQL resolver' }, { top: size });
    expect(off.candidates.every((c) => c.stages.length > 0)).toBe(true);
  });

  it('explain says a weak agent was not chosen', () => {
    const result = router.route({ task: 'Add a GraphQL resolver' }, { top: size });
    const weak = result.candidates.find((c) => c.stages.length === 0)!;
    expect(router.explain({ task: 'Add a GraphQL resolver' }, weak.id).chosen).toBe(false);
  });
});
