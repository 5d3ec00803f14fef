/**
 * The reranker's prompt size and cost per route on real fleets, computed from the prompt
 * router/rerank/prompt.ts builds: every request of the held-out-style sets (`*.real.jsonl`) is
 * routed lexically for the top 15, the prompt is built from those candidates' definitions, and its
 * tokens are counted as the provider layer estimates them (four characters a token). The answer is
 * a ranking of all 15 with a 12-word reason each. Costs use the built-in price table.
 * Run: npx tsx bench/rerank-prompt.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadFleet, type LoadedFleet } from '../src/fleet/load.js';
import { createRouter } from '../src/router/staged-router.js';
import { parseLabels } from '../src/router/eval.js';
import { briefExcerpt, buildRerankPrompt } from '../src/router/rerank/prompt.js';
import { DEFAULT_RERANK_K } from '../src/router/rerank/options.js';
import { estimateTokens } from '../src/providers/runtime.js';
import { builtinPrice, costOf } from '../src/providers/pricing.js';
import { compileCollection } from '../test/support/corpus.js';

const root = join(import.meta.dirname, '..');
const SETS = { 'voltagent.real': 'VoltAgent__awesome-claude-code-subagents', 'wshobson.real': 'wshobson__agents' } as const;
const MODELS = [
  ['openai', 'gpt-5-nano'],
  ['openai', 'gpt-4.1-mini'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-haiku-4-5'],
] as const;
const fleetsDir = join(tmpdir(), `cf-rerank-fleets-${process.pid}`);

async function fleetOf(collection: string): Promise<LoadedFleet> {
  const dir = join(fleetsDir, collection);
  if (!existsSync(join(dir, 'index.json')))
    for (const [file, text] of (await compileCollection(collection)).files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  return loadFleet(dir).fleet!;
}

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const reason = 'handles the checkout flow and its payment provider integration for the web shop';

for (const [set, collection] of Object.entries(SETS)) {
  const fleet = await fleetOf(collection);
  const file = join(root, 'test/fixtures/routing', `${set}.jsonl`);
  const { labels } = parseLabels(readFileSync(file, 'utf8'), file);
  const router = createRouter(fleet, {});
  const input: number[] = [];
  const output: number[] = [];
  const shortlists: number[] = [];
  for (const label of labels) {
    const candidates = router.route({ task: label.task, files: label.files ?? [] }, { top: DEFAULT_RERANK_K }).candidates;
    const prompt = buildRerankPrompt(
      { task: label.task, files: label.files ?? [] },
      candidates.map((candidate) => {
        const definition = fleet.definition(candidate.id);
        return {
          id: candidate.id,
          description: definition?.agent.description ?? '',
          excerpt: briefExcerpt(definition?.prompt.system ?? ''),
        };
      }),
    );
    input.push(estimateTokens(prompt.system) + estimateTokens(prompt.user));
    output.push(estimateTokens(JSON.stringify({ ranking: candidates.map((candidate) => ({ id: candidate.id, reason })) })));
    shortlists.push(candidates.length);
  }
  const median = { input: quantile(input, 0.5), output: quantile(output, 0.5), cached: 0 };
  console.log(
    `${set} (${fleet.index.agents.length} agents, ${labels.length} requests, median shortlist ${quantile(shortlists, 0.5)}): input tokens median ${median.input}, p95 ${quantile(input, 0.95)}, max ${Math.max(...input)}; output median ${median.output}`,
  );
  for (const [kind, model] of MODELS) {
    const cost = costOf(median, builtinPrice(kind, model));
    console.log(
      `  ${model.padEnd(18)} $${cost?.toFixed(5)} per route (median prompt), $${((cost ?? 0) * 1000).toFixed(2)} per 1,000 uncached routes`,
    );
  }
}
