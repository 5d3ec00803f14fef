/**
 * The section registry against the subsystems it checks for: every schema compiles, the figures it
 * mirrors match the subsystems' own, a value the schema lets through never makes a resolver throw
 * (so a file mistake is always a diagnostic at its place, never a usage error), and a library
 * caller's plain object gets the registry's diagnostics, without a position.
 */
import { describe, expect, it } from 'vitest';
import { checkSection } from '../../src/config/check-section.js';
import { DEFAULT_REWARD_WEIGHTS, LearningConfigSchema, learningRules } from '../../src/config/learning-schema.js';
import { ROUTER_LIMITS, ROUTER_WEIGHTS, RouterConfigSchema, SEMANTIC_MODES } from '../../src/config/router-schema.js';
import { SECTIONS } from '../../src/config/sections.js';
import { WORKLOADS } from '../../src/fleet/workload.js';
import { resolveLearningOptions } from '../../src/learn/options.js';
import { DEFAULT_REWARD } from '../../src/learn/reward.js';
import { resolveProviderOptions } from '../../src/providers/options.js';
import { resolveQueueOptions } from '../../src/queue/options.js';
import { DEFAULT_WEIGHTS, MAX_TOP, resolveRouterOptions } from '../../src/router/options.js';
import { MAX_RERANK_K, MAX_RERANK_TIMEOUT_MS, resolveRerankOptions } from '../../src/router/rerank/options.js';
import { resolveRunnerOptions } from '../../src/runner/options.js';

const nowhere = () => undefined;
const VALUES: unknown[] = [-1, 0, 0.001, 0.5, 1, 2, 15, 60, 5000, 2 ** 33, 1.5, 'x', ' ', '30m', 'on', true, null, [], ['a'], [1], {}];
/** Whether the loader would let `value` through: the schema, then the section's rules. */
const passes = (name: string, schema: object, value: unknown) =>
  checkSection(name, value, SECTIONS[name]!, schema, nowhere).length === 0 && (name !== 'learning' || learningRules(value).length === 0);

describe('the section registry', () => {
  it('every section has a schema that compiles and accepts an empty section', async () => {
    for (const [name, spec] of Object.entries(SECTIONS)) {
      expect(checkSection(name, {}, spec, await spec.schema(), nowhere), name).toEqual([]);
    }
  });

  it('mirrors the subsystems: weights, semantic modes, limits, workloads and reward defaults', () => {
    expect([...ROUTER_WEIGHTS].sort()).toEqual(Object.keys(DEFAULT_WEIGHTS).sort());
    expect(SEMANTIC_MODES).toEqual(['fallback', 'always', 'off']);
    expect(ROUTER_LIMITS).toEqual({ top: MAX_TOP, rerankK: MAX_RERANK_K, rerankTimeoutMs: MAX_RERANK_TIMEOUT_MS });
    expect(DEFAULT_REWARD_WEIGHTS).toEqual({ latency: DEFAULT_REWARD.latency, cost: DEFAULT_REWARD.cost, review: DEFAULT_REWARD.review });
    const perTier = (LearningConfigSchema as any).properties.reward.properties.latency_ref_ms.properties;
    expect(Object.keys(perTier)).toEqual([...WORKLOADS]);
  });

  it('a learning value the schema accepts never makes resolveLearningOptions throw', () => {
    const keys = Object.keys((LearningConfigSchema as any).properties).filter((key) => key !== 'reward');
    for (const key of keys)
      for (const value of VALUES)
        if (passes('learning', LearningConfigSchema, { [key]: value }))
          expect(() => resolveLearningOptions({ [key]: value }), `${key}: ${JSON.stringify(value)}`).not.toThrow();
    for (const key of ['latency', 'cost', 'review'])
      for (const value of VALUES)
        if (passes('learning', LearningConfigSchema, { reward: { [key]: value } }))
          expect(() => resolveLearningOptions({ reward: { [key]: value } }), `reward.${key}: ${JSON.stringify(value)}`).not.toThrow();
  });

  it('a router value the schema accepts never makes resolveRouterOptions throw or resolveRerankOptions complain', () => {
    for (const key of ['top', 'semantic', 'semanticMinRelative', 'disabled', 'weights'])
      for (const value of [...VALUES, 'always', { keyword: 2 }, { keyword: -1 }, { nope: 1 }])
        if (passes('router', RouterConfigSchema, { [key]: value }))
          expect(() => resolveRouterOptions({ [key]: value } as never), `${key}: ${JSON.stringify(value)}`).not.toThrow();
    for (const key of ['enabled', 'provider', 'fallback', 'model', 'k', 'timeout_ms', 'budget', 'ttl'])
      for (const value of VALUES)
        if (passes('router', RouterConfigSchema, { rerank: { [key]: value } }))
          expect(resolveRerankOptions({ [key]: value }).problems, `rerank.${key}: ${JSON.stringify(value)}`).toEqual([]);
  });

  it('library callers with a plain object get the same unknown-key diagnostics, without a position', () => {
    const runner = resolveRunnerOptions({ workspce: '.' } as never).diagnostics;
    const queue = resolveQueueOptions({ url: 'redis://127.0.0.1:6379/0', stal_ms: 10 }, {}).diagnostics;
    const providers = resolveProviderOptions({}, { fallbak: ['openai'] } as never).diagnostics;
    expect([...runner, ...queue, ...providers].map((d) => [d.code, d.severity, d.message, d.hint, d.location])).toEqual([
      ['CF8010', 'warning', 'unknown key `runner.workspce`; ignored', 'did you mean `runner.workspace`?', undefined],
      ['CF8500', 'warning', 'unknown key `queue.stal_ms`; ignored', 'did you mean `queue.stall_ms`?', undefined],
      ['CF7001', 'warning', 'unknown key `providers.fallbak`; ignored', 'did you mean `providers.fallback`?', undefined],
    ]);
  });
});
