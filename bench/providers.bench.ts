/**
 * Failover-layer overhead: the same provider call made directly and through the failover chain,
 * in the same tinybench run, against the local fixture server (test/support/provider-server.ts)
 * on 127.0.0.1. The chain is built the way the CLI builds it — breaker, health persisted to a
 * state file, budget, redacting log — and wraps the very same provider instance, so the
 * difference between the medians is what the chain adds per call (no failure: no backoff).
 *
 * Three pairs:
 * - stub: a provider that answers at once, so the chain's own cost is not lost in network noise;
 * - openai generate: @ai-sdk/openai → HTTP → JSON;
 * - openai stream: @ai-sdk/openai → HTTP → SSE, all events drained.
 *
 * Run: npx tsx bench/providers.bench.ts [--quick]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { Budget } from '../src/providers/budget.js';
import { createProviderChain } from '../src/providers/chain.js';
import { resolveProviderOptions } from '../src/providers/options.js';
import type { Provider, ProviderRequest, ProviderResult, StreamEvent } from '../src/providers/provider.js';
import { createProvider, runtimeFor } from '../src/providers/registry.js';
import { startProviderServer } from '../test/support/provider-server.js';
import { fixtureEnv } from '../test/support/provider-env.js';

const quick = process.argv.includes('--quick');
const server = await startProviderServer();
server.setDefault('openai', { text: 'The quick brown fox jumps over the lazy dog.', usage: { input: 42, output: 10 } });
const env = fixtureEnv(server);
const options = resolveProviderOptions(env);
const request: ProviderRequest = { system: 'Be brief.', messages: [{ role: 'user', content: 'Say something short.' }], maxOutputTokens: 64 };

const openai = await createProvider(options.providers.openai!, env, runtimeFor(options));
const cannedResult: ProviderResult = {
  provider: 'openai', model: 'gpt-4.1-mini', text: 'ok', toolCalls: [], usage: { input: 42, output: 10, cached: 0 },
  costUsd: 0.00002, finishReason: 'stop', timings: { ttftMs: null, totalMs: 0 },
};
const stub: Provider = {
  id: 'openai', kind: 'openai', model: 'gpt-4.1-mini', supportsTools: true,
  generate: async () => cannedResult,
  async *stream() { yield { type: 'text', text: 'ok' }; yield { type: 'finish', result: cannedResult }; },
};

function chainOver(provider: Provider) {
  return createProviderChain({ provider: 'openai', fallback: ['anthropic', 'ollama'] }, env, {
    providers: { openai: provider },
    stateFile: join(mkdtempSync(join(tmpdir(), 'cf-bench-state-')), 'providers-state.json'),
    budget: new Budget(1_000_000),
    log: () => {},
  });
}

async function drain(events: AsyncIterable<StreamEvent>): Promise<void> {
  for await (const _ of events) { /* consume */ }
}

const pairs: Array<{ name: string; direct: () => Promise<unknown>; chained: () => Promise<unknown> }> = [];
const stubChain = chainOver(stub);
pairs.push({ name: 'stub generate', direct: () => stub.generate(request), chained: () => stubChain.generate(request) });
pairs.push({ name: 'stub stream', direct: () => drain(stub.stream(request)), chained: () => drain(stubChain.stream(request)) });
const openaiChain = chainOver(openai);
pairs.push({ name: 'openai generate (HTTP)', direct: () => openai.generate(request), chained: () => openaiChain.generate(request) });
pairs.push({ name: 'openai stream (SSE)', direct: () => drain(openai.stream(request)), chained: () => drain(openaiChain.stream(request)) });

const rows = ['| call | direct median µs | through chain median µs | chain overhead µs |', '|---|---:|---:|---:|'];
const micro = (ms: number) => (ms * 1000).toFixed(1);
const median = (task: { result?: unknown }) => (task.result as { latency?: { p50?: number } }).latency?.p50 ?? Number.NaN;
for (const pair of pairs) {
  // Two passes, direct-first then chain-first, so warm-up and drift do not favour either side.
  const medians = { direct: 0, chain: 0 };
  for (const order of [['direct', 'chain'], ['chain', 'direct']] as const) {
    const bench = new Bench({ time: quick ? 300 : 1_500, warmupTime: quick ? 100 : 300 });
    for (const name of order) bench.add(name, name === 'direct' ? pair.direct : pair.chained);
    await bench.run();
    for (const task of bench.tasks) medians[task.name as 'direct' | 'chain'] += median(task) / 2;
  }
  rows.push(`| ${pair.name} | ${micro(medians.direct)} | ${micro(medians.chain)} | ${micro(medians.chain - medians.direct)} |`);
  console.error(rows.at(-1));
}
stubChain.flush();
openaiChain.flush();
await server.close();
console.log(rows.join('\n'));
