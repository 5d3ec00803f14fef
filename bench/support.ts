/**
 * The set-up every benchmark shares, written once: command-line options, the dev sets' fleets, a
 * model that answers at once, and the learning warm-up. A benchmark keeps only what it measures.
 */
import { join } from 'node:path';
import { loadFleet, type LoadedFleet } from '../src/fleet/load.js';
import type { ModelClient } from '../src/runner/agent-loop.js';
import type { Outcome } from '../src/learn/outcome.js';
import { loadCompiledCollection } from '../test/support/corpus.js';

export const root = join(import.meta.dirname, '..');

/** The value after `name` on the command line (`--seeds 1-5`), or the fallback when it is absent. */
export function option(name: string): string | undefined;
export function option(name: string, fallback: string): string;
export function option(name: string, fallback?: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : (process.argv[at + 1] ?? fallback);
}

/** The dev sets (test/fixtures/routing/<set>.dev.jsonl) and the corpus collection each is labelled on; `sample` is codex/agents. */
export const DEV_SET_COLLECTIONS: Record<string, string | undefined> = {
  sample: undefined,
  voltagent: 'VoltAgent__awesome-claude-code-subagents',
  'voltagent-team': 'VoltAgent__awesome-claude-code-subagents',
  wshobson: 'wshobson__agents',
};

/** The fleet a dev set routes over: compiled from its corpus, or read from `compiledDir` (a `convert` output) when given. */
export async function devSetFleet(set: string, compiledDir = ''): Promise<LoadedFleet> {
  const collection = DEV_SET_COLLECTIONS[set];
  if (!collection) return loadFleet(join(root, 'codex/agents')).fleet!;
  if (compiledDir) return loadFleet(join(compiledDir, collection)).fleet!;
  return loadCompiledCollection(collection);
}

/** A model that answers "ok" at once: what a benchmark of the runner's own overhead runs. */
export const instantModel: ModelClient = {
  generate: async () => ({
    provider: 'instant',
    model: 'instant',
    text: 'ok',
    toolCalls: [],
    usage: { input: 1, output: 1, cached: 0 },
    costUsd: 0,
    finishReason: 'stop',
    timings: { ttftMs: null, totalMs: 0 },
  }),
  stream: async function* () {
    /* unused */
  },
};

/** A completed-or-failed outcome for the learning warm-ups: the fields a benchmark varies, the rest fixed. */
export function benchOutcome(agent: string, ok: boolean, latencyMs: number, at: Date): Outcome {
  return {
    agent,
    alias: agent,
    ok,
    latency_ms: latencyMs,
    retries: 0,
    tool_errors: 0,
    stop_reason: 'completed',
    task_hash: '',
    at: at.toISOString(),
  };
}
