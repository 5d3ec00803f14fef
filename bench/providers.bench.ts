/**
 * Failover-layer overhead: the same provider call made directly and through the failover chain,
 * against the local fixture server (test/support/provider-server.ts) on 127.0.0.1. The chain is
 * built the way the CLI builds it — breaker, health persisted to a state file, budget, redacting
 * log — and wraps the very same provider instance, so the difference is what the chain adds per
 * call (no failure: no backoff).
 *
 * - stub: a provider that answers at once, so the chain's own cost is not lost in network noise.
 *   Measured with tinybench (direct-first, then chain-first, medians averaged).
 * - openai generate / stream: @ai-sdk/openai → HTTP → JSON or SSE, all events drained. A call
 *   takes milliseconds and a shared machine drifts by more than that between two tinybench
 *   blocks, so these pairs are sampled interleaved instead — direct and chain back to back, the
 *   order alternating — and the overhead is the median of the paired differences.
 *
 * Run: npx tsx bench/providers.bench.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
const request: ProviderRequest = {
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'Say something short.' }],
  maxOutputTokens: 64,
};

const openai = await createProvider(options.providers.openai!, env, runtimeFor(options));
const cannedResult: ProviderResult = {
  provider: 'openai',
  model: 'gpt-4.1-mini',
  text: 'ok',
  toolCalls: [],
  usage: { input: 42, output: 10, cached: 0 },
  costUsd: 0.00002,
  finishReason: 'stop',
  timings: { ttftMs: null, totalMs: 0 },
};
const stub: Provider = {
  id: 'openai',
  kind: 'openai',
  model: 'gpt-4.1-mini',
  supportsTools: true,
  generate: async () => cannedResult,
  async *stream() {
    yield { type: 'text', text: 'ok' };
    yield { type: 'finish', result: cannedResult };
  },
};

/** Provider health state of the benchmarked chains; removed when the run ends. */
const stateDir = mkdtempSync(join(tmpdir(), 'cf-bench-state-'));
let chains = 0;

function chainOver(provider: Provider) {
  return createProviderChain({ provider: 'openai', fallback: ['anthropic', 'ollama'] }, env, {
    providers: { openai: provider },
    stateFile: join(stateDir, `chain-${chains++}.json`),
    budget: new Budget(1_000_000),
    log: () => {},
  });
}

async function drain(events: AsyncIterable<StreamEvent>): Promise<void> {
  for await (const _ of events) {
    /* consume */
  }
}

const stubChain = chainOver(stub);
const openaiChain = chainOver(openai);
const rows = ['| call | direct median µs | through chain median µs | chain overhead µs |', '|---|---:|---:|---:|'];
const micro = (ms: number) => (ms * 1000).toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function tinybenchPair(name: string, direct: () => Promise<unknown>, chained: () => Promise<unknown>): Promise<void> {
  // Two passes, direct-first then chain-first, so warm-up and drift do not favour either side.
  const medians = { direct: 0, chain: 0 };
  for (const order of [
    ['direct', 'chain'],
    ['chain', 'direct'],
  ] as const) {
    const bench = new Bench({ time: quick ? 300 : 1_500, warmupTime: quick ? 100 : 300 });
    for (const task of order) bench.add(task, task === 'direct' ? direct : chained);
    await bench.run();
    for (const task of bench.tasks)
      medians[task.name as 'direct' | 'chain'] += ((task.result as { latency?: { p50?: number } }).latency?.p50 ?? Number.NaN) / 2;
  }
  report(name, medians.direct, medians.chain, medians.chain - medians.direct);
}

/** Direct and chained calls back to back, order alternating; the overhead is the median paired difference. */
async function interleavedPair(name: string, direct: () => Promise<unknown>, chained: () => Promise<unknown>): Promise<void> {
  const samples = quick ? 200 : 1_000;
  for (let i = 0; i < samples / 10; i++) {
    await direct();
    await chained();
  } // warm-up
  const times = { direct: [] as number[], chain: [] as number[] };
  const differences: number[] = [];
  for (let i = 0; i < samples; i++) {
    const taken = { direct: 0, chain: 0 };
    for (const task of i % 2 === 0 ? (['direct', 'chain'] as const) : (['chain', 'direct'] as const)) {
      const started = performance.now();
      await (task === 'direct' ? direct() : chained());
      taken[task] = performance.now() - started;
      times[task].push(taken[task]);
    }
    differences.push(taken.chain - taken.direct);
  }
  report(name, median(times.direct), median(times.chain), median(differences));
}

function report(name: string, direct: number, chain: number, overhead: number): void {
  rows.push(`| ${name} | ${micro(direct)} | ${micro(chain)} | ${micro(overhead)} |`);
  console.error(rows.at(-1));
}

await tinybenchPair(
  'stub generate',
  () => stub.generate(request),
  () => stubChain.generate(request),
);
await tinybenchPair(
  'stub stream',
  () => drain(stub.stream(request)),
  () => drain(stubChain.stream(request)),
);
await interleavedPair(
  'openai generate (HTTP)',
  () => openai.generate(request),
  () => openaiChain.generate(request),
);
await interleavedPair(
  'openai stream (SSE)',
  () => drain(openai.stream(request)),
  () => drain(openaiChain.stream(request)),
);
stubChain.flush();
openaiChain.flush();
await server.close();
rmSync(stateDir, { recursive: true, force: true });
console.log(rows.join('\n'));
