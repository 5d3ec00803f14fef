/**
 * Workload tiers and their model chains: `providers.tiers` is checked entry by entry, an agent's
 * calls go through its tier's chain (failover walks that chain, each member with its own model),
 * and the order among a tier's members follows observed success, speed and price once outcomes
 * exist for the tier — the configured order until then.
 */
import { describe, expect, it } from 'vitest';
import { createProviderChain } from '../../src/providers/chain.js';
import { ProviderError } from '../../src/providers/errors.js';
import { resolveProviderOptions } from '../../src/providers/options.js';
import type { Provider, ProviderRequest, ProviderResult } from '../../src/providers/provider.js';
import { checkTierChains, rankTierChain, type TierObservation } from '../../src/providers/tiers.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

const env = { OPENAI_API_KEY: 'sk-test-openai', ANTHROPIC_API_KEY: 'sk-ant-test', OLLAMA_HOST: '127.0.0.1:9' };

/** A provider that answers (or fails) from a script and records the model each call asked for. */
function scripted(
  id: string,
  kind: Provider['kind'],
  fail: boolean,
  calls: Array<{ provider: string; model: string | undefined }>,
): Provider {
  const generate = async (request: ProviderRequest): Promise<ProviderResult> => {
    calls.push({ provider: id, model: request.model });
    if (fail) throw new ProviderError('server', `${id} is down`, { provider: id, status: 503 });
    return {
      provider: id,
      model: request.model ?? 'default',
      text: `hello from ${id}`,
      toolCalls: [],
      usage: { input: 1, output: 1, cached: 0 },
      costUsd: 0,
      finishReason: 'stop',
      timings: { ttftMs: null, totalMs: 1 },
    };
  };
  return {
    id,
    kind,
    model: 'default',
    supportsTools: true,
    generate,
    async *stream(request) {
      yield { type: 'finish', result: await generate(request) };
    },
  };
}

const clock = { now: () => 1_000_000, sleep: async () => {} };

describe('providers.tiers', () => {
  it('reads provider and provider:model entries, and drops bad ones with a code', () => {
    const diagnostics: Diagnostic[] = [];
    const chains = checkTierChains(
      { coding: ['ollama:qwen2.5-coder', 'openai'], reasoning: 'anthropic:opus, nosuch', wizard: ['openai'], librarian: [3] },
      ['openai', 'anthropic', 'ollama'],
      diagnostics,
    );
    expect(chains).toEqual({
      coding: [{ provider: 'ollama', model: 'qwen2.5-coder' }, { provider: 'openai' }],
      reasoning: [{ provider: 'anthropic', model: 'opus' }],
    });
    expect(diagnostics.map((entry) => entry.code).sort()).toEqual(['CF7100', 'CF7100', 'CF7101']);
  });

  it('a provider named twice in one tier keeps the first (CF7102)', () => {
    const diagnostics: Diagnostic[] = [];
    expect(checkTierChains({ coding: ['openai:gpt-4o', 'openai:gpt-4o-mini'] }, ['openai'], diagnostics)).toEqual({
      coding: [{ provider: 'openai', model: 'gpt-4o' }],
    });
    expect(diagnostics[0]?.code).toBe('CF7102');
  });
});

describe('a tier chain at run time', () => {
  it('failover walks the tier chain in order, each member running its own model', async () => {
    const calls: Array<{ provider: string; model: string | undefined }> = [];
    const resolved = resolveProviderOptions(env, { tiers: { coding: ['anthropic:haiku', 'openai:gpt-4o-mini'] } });
    const chain = createProviderChain({ provider: 'ollama' }, env, {
      resolved,
      stateFile: null,
      clock,
      random: () => 0,
      log: () => {},
      providers: {
        anthropic: scripted('anthropic', 'anthropic', true, calls),
        openai: scripted('openai', 'openai', false, calls),
        ollama: scripted('ollama', 'ollama', false, calls),
      },
    });
    const view = chain.forWorkload('coding');
    expect(view.chain.ids).toEqual(['anthropic', 'openai']);
    const result = await view.chain.generate({ model: 'sonnet', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.provider).toBe('openai');
    expect(calls.map((call) => call.provider)).toEqual(['anthropic', 'openai']);
    expect(calls[1]!.model).toBe('gpt-4o-mini');
    expect(calls[0]!.model).toMatch(/haiku/);
    // A tier without a chain runs on the run's chain; the breaker of a provider is shared with it.
    expect(chain.forWorkload('reasoning').chain).toBe(chain);
    expect(chain.members.find((member) => member.id === 'anthropic')).toBeUndefined();
    expect(view.chain.members[0]!.breaker).toBe(chain.forWorkload('coding').chain.members[0]!.breaker);
  });

  it('the tier chain is ranked by what the outcomes say for that tier', () => {
    const observed = new Map<string, TierObservation>([
      ['anthropic', { tasks: 20, ok: 12, latencyMs: 20 * 9000, latencyCount: 20, costUsd: 2, costCount: 20 }],
      ['openai', { tasks: 20, ok: 19, latencyMs: 20 * 3000, latencyCount: 20, costUsd: 0.2, costCount: 20 }],
    ]);
    const resolved = resolveProviderOptions(env, { tiers: { coding: ['anthropic:sonnet', 'openai:gpt-4o-mini'] } });
    const chain = createProviderChain({}, env, {
      resolved,
      stateFile: null,
      clock,
      log: () => {},
      tierObservations: (workload) => (workload === 'coding' ? observed : undefined),
    });
    const view = chain.forWorkload('coding');
    expect(view.chain.ids).toEqual(['openai', 'anthropic']);
    expect(view.ranked!.order[0]!.why).toMatch(/success 91 % \(19\/20\), mean 3000 ms/);
    expect(view.ranked!.explanation).toMatch(/0.6·success \+ 0.2·speed \+ 0.2·cost/);
  });
});

describe('rankTierChain', () => {
  const price = (input: number, output: number) => ({ input, output, cached: 0 });
  const entries = [{ provider: 'a' }, { provider: 'b' }];

  it('keeps the configured order while the tier has no outcomes', () => {
    const ranked = rankTierChain(entries, (entry) => (entry.provider === 'a' ? price(0.01, 0.03) : price(0.0001, 0.0002)), undefined);
    expect(ranked.order.map((member) => member.provider)).toEqual(['a', 'b']);
    expect(ranked.explanation).toMatch(/configured order/);
  });

  it('at equal success, the faster and cheaper member goes first', () => {
    const same = { tasks: 10, ok: 9, costUsd: 0, costCount: 0 };
    const observed = new Map<string, TierObservation>([
      ['a', { ...same, latencyMs: 10 * 8000, latencyCount: 10 }],
      ['b', { ...same, latencyMs: 10 * 2000, latencyCount: 10 }],
    ]);
    const ranked = rankTierChain(entries, (entry) => (entry.provider === 'a' ? price(0.01, 0.03) : price(0.001, 0.002)), observed);
    expect(ranked.order.map((member) => member.provider)).toEqual(['b', 'a']);
  });

  it('a member that fails more loses its place even when it is cheaper', () => {
    const observed = new Map<string, TierObservation>([
      ['a', { tasks: 20, ok: 19, latencyMs: 0, latencyCount: 0, costUsd: 0, costCount: 0 }],
      ['b', { tasks: 20, ok: 6, latencyMs: 0, latencyCount: 0, costUsd: 0, costCount: 0 }],
    ]);
    const ranked = rankTierChain(entries, (entry) => (entry.provider === 'a' ? price(0.003, 0.015) : price(0.0001, 0.0004)), observed);
    expect(ranked.order.map((member) => member.provider)).toEqual(['a', 'b']);
  });

  it('fewer than three outcomes do not count as evidence', () => {
    const observed = new Map<string, TierObservation>([
      ['b', { tasks: 2, ok: 2, latencyMs: 2, latencyCount: 2, costUsd: 0, costCount: 0 }],
    ]);
    expect(rankTierChain(entries, () => null, observed).order.map((member) => member.provider)).toEqual(['a', 'b']);
  });
});
