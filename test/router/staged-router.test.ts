import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createRouter } from '../../src/router/staged-router.js';
import { resolveRouterOptions, RouterConfigError, DEFAULT_WEIGHTS } from '../../src/router/options.js';
import { loadFleet } from '../../src/fleet/load.js';
import { tableOf } from './support/tables.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const { fleet } = loadFleet(fixture);

describe('createRouter on the small fleet', () => {
  const router = createRouter(fleet!);
  const request = { task: 'Add a GraphQL resolver; fix CVE-2021-44228', files: ['infra/main.tf', 'src/App.tsx'] };

  it('explains every candidate: stage, trigger, offsets or path, and terms that add up', () => {
    const result = router.route(request, { top: 10 });
    const graphql = result.candidates.find((c) => c.id === 'graphql-architect')!;
    expect(graphql.evidence).toContainEqual(
      expect.objectContaining({ stage: 'keyword', keyword: 'graphql', text: 'GraphQL', start: 6, end: 13 }),
    );
    const security = result.candidates.find((c) => c.id === 'security-auditor')!;
    expect(security.evidence).toContainEqual(expect.objectContaining({ stage: 'regex', text: 'CVE-2021-44228', start: 28, end: 42 }));
    const terraform = result.candidates.find((c) => c.id === 'terraform-engineer')!;
    expect(terraform.evidence).toContainEqual(expect.objectContaining({ stage: 'files', glob: '*.tf', path: 'infra/main.tf' }));
    for (const candidate of result.candidates) {
      const sum = candidate.terms.reduce((total, term) => total + term.contribution, 0);
      expect(sum).toBeCloseTo(candidate.score, 3);
    }
    expect(result.candidates.map((c) => c.score)).toEqual([...result.candidates.map((c) => c.score)].sort((a, b) => b - a));
  });

  it('is deterministic: two routers give byte-identical JSON', () => {
    const again = createRouter(loadFleet(fixture).fleet!);
    expect(JSON.stringify(again.route(request))).toBe(JSON.stringify(router.route(request)));
    expect(router.route(request).routeId).toMatch(/^route:[0-9a-f]{16}$/);
  });

  it('falls back to the generalist tier with an escalation event, never an empty answer', () => {
    const result = createRouter(fleet!, { options: { semantic: 'off' } }).route({ task: 'compose a sonnet about autumn' });
    expect(result.candidates.map((c) => c.id)).toEqual(['general-assistant']);
    expect(result.fallback?.kind).toBe('generalist');
    expect(result.events).toEqual([
      { type: 'route-escalation', reason: expect.stringContaining('no keyword'), notify: ['oncall@example.com'] },
    ]);
  });

  it('says why there is no answer when the fleet has no generalist', () => {
    const result = createRouter({ triggers: tableOf({ a: { keywords: ['x'] } }) }, { options: { semantic: 'off' } }).route({ task: 'y' });
    expect(result.candidates).toEqual([]);
    expect(result.fallback).toEqual({ kind: 'none', reason: expect.stringContaining('no generalist') });
  });

  it('explains why an agent was not chosen', () => {
    expect(router.explain(request, 'backend-developer').reason).toMatch(/^no trigger matched: none of its 5 keyword\(s\)/);
    const below = createRouter(fleet!, { options: { top: 1 } }).explain(request, 'terraform-engineer');
    expect(below).toMatchObject({ chosen: false, known: true, rank: expect.any(Number) });
    expect(below.reason).toMatch(/below the top 1; the last chosen, .* scored/);
    expect(router.explain(request, 'nobody').known).toBe(false);
    expect(createRouter(fleet!, { options: { disabled: ['graphql-architect'] } }).explain(request, 'graphql-architect').reason).toMatch(
      /disabled/,
    );
  });

  it('ranks an agent the request names first', () => {
    expect(router.route({ task: 'ask the terraform engineer about the GraphQL resolver' }).candidates[0]!.id).toBe('terraform-engineer');
  });

  it('uses the semantic stage when no trigger matches', () => {
    const result = createRouter(fleet!, { options: { semantic: 'fallback' } }).route({ task: 'cloud modules with remote state for AWS' });
    expect(result.fallback?.kind).toBe('semantic');
    expect(result.candidates[0]).toMatchObject({ id: 'terraform-engineer', stages: ['semantic'] });
    expect(result.candidates[0]!.evidence[0]).toMatchObject({ stage: 'semantic' });
  });

  it('reads changed paths as words in the semantic stage', () => {
    const result = createRouter(fleet!, { options: { semantic: 'fallback' } }).route({ files: ['modules/remote-state/aws.hcl'] });
    expect(result.candidates[0]).toMatchObject({ id: 'terraform-engineer', stages: ['semantic'] });
  });

  it('applies R(agent) and penalties as score terms', () => {
    const tuned = createRouter(fleet!, {
      options: { semantic: 'off' },
      reward: (id) => (id === 'security-auditor' ? 1 : 0),
      penalties: (id) => (id === 'graphql-architect' ? [{ name: 'saturated', value: 5, detail: 'queue full' }] : []),
    });
    const result = tuned.route(request, { top: 10 });
    const graphql = result.candidates.find((c) => c.id === 'graphql-architect')!;
    expect(graphql.terms).toContainEqual(expect.objectContaining({ name: 'penalty:saturated', contribution: -5 }));
    expect(result.candidates.find((c) => c.id === 'security-auditor')!.terms).toContainEqual(
      expect.objectContaining({ name: 'reward', value: 1 }),
    );
  });

  it('caps inputs and says so', () => {
    const result = router.route({ task: 'x'.repeat(20_000) });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CF6001']);
  });
});

describe('resolveRouterOptions', () => {
  it('fills defaults and keeps overrides', () => {
    const options = resolveRouterOptions({ top: 3, weights: { files: 4 } });
    expect(options).toMatchObject({ top: 3, semantic: 'always', weights: { ...DEFAULT_WEIGHTS, files: 4 } });
  });
  it('refuses bad values with every problem named', () => {
    expect(() => resolveRouterOptions({ top: 0, weights: { nope: 1 } as never, semantic: 'sometimes' as never })).toThrow(
      RouterConfigError,
    );
    expect(() => resolveRouterOptions({ top: 0 })).toThrow(/router.top/);
  });
});
