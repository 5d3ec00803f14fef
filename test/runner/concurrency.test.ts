/**
 * Evidence for per-alias concurrency: 200 tasks over 3 aliases (one of them a configured alias
 * with overrides) run against the fixture provider server. In-flight model calls are counted per
 * alias by a wrapper around the real provider chain; the server's request log proves nothing was
 * lost or run twice; backpressure rejects exactly what exceeds each alias's limit + threshold.
 */
import { describe, expect, it } from 'vitest';
import type { ModelClient } from '../../src/runner/agent-loop.js';
import { Runner } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();

const fleet = fleetOf(
  agent('alpha', { runtime: { concurrency: { max_parallel_tasks: 2, queue_strategy: 'fifo' } } }),
  agent('beta', { runtime: { concurrency: { max_parallel_tasks: 3, queue_strategy: 'lifo' } } }),
  agent('gamma', { runtime: { concurrency: { max_parallel_tasks: 5, queue_strategy: 'priority' } } }),
);
const config = {
  queue: { max_queued: 1000 },
  aliases: {
    fast: { id: 'alpha', overrides: { runtime: { concurrency: { max_parallel_tasks: 4 } } }, max_queued: 60 },
    beta: { id: 'beta', max_queued: 50 },
  },
};
const LIMITS: Record<string, number> = { fast: 4, beta: 3, gamma: 5 };
const AGENT_TO_ALIAS: Record<string, string> = { alpha: 'fast', beta: 'beta', gamma: 'gamma' };
const COUNTS: Record<string, number> = { fast: 80, beta: 70, gamma: 50 };
const THRESHOLDS: Record<string, number> = { fast: 60, beta: 50, gamma: 1000 };

/** Wraps the chain: counts model calls in flight per alias (the system prompt names the agent). */
function counting(model: ModelClient) {
  const inFlight: Record<string, number> = {};
  const peak: Record<string, number> = {};
  const wrapped: ModelClient = {
    async generate(request, signal) {
      const alias = AGENT_TO_ALIAS[/You are (\w+)\./.exec(request.system ?? '')![1]!]!;
      inFlight[alias] = (inFlight[alias] ?? 0) + 1;
      peak[alias] = Math.max(peak[alias] ?? 0, inFlight[alias]!);
      try {
        return await model.generate(request, signal);
      } finally {
        inFlight[alias]!--;
      }
    },
    stream: (request, signal) => model.stream(request, signal),
  };
  return { wrapped, peak };
}

describe('200 tasks over 3 aliases', () => {
  it('never exceeds a limit, rejects exactly the excess, loses nothing, runs nothing twice', async () => {
    server.setDefault('openai', { text: 'done', latencyMs: 4 });
    const init = runnerInit(server, project.root, fleet, { config, record: false });
    const { wrapped, peak } = counting(init.model);
    const runner = await Runner.create({ ...init, model: wrapped });
    const aliases = Object.entries(COUNTS).flatMap(([alias, count]) => Array.from({ length: count }, () => alias));
    // Interleave the aliases so every lane fills up at the same time.
    const tasks = aliases.map((alias, index) => ({
      alias: aliases[(index * 7) % aliases.length]!,
      task: `task #${index}`,
      priority: index % 4,
    }));
    const result = await runner.runTasks(tasks);

    expect(result.tasks).toHaveLength(200);
    for (const alias of Object.keys(COUNTS)) {
      const mine = result.tasks.filter((task) => task.alias === alias);
      const expectedRejected = Math.max(0, mine.length - LIMITS[alias]! - THRESHOLDS[alias]!);
      expect(mine.filter((task) => task.stop_reason === 'rejected')).toHaveLength(expectedRejected);
      expect(mine.filter((task) => task.ok)).toHaveLength(mine.length - expectedRejected);
      expect(peak[alias]).toBeLessThanOrEqual(LIMITS[alias]!);
      expect(peak[alias]).toBe(LIMITS[alias]); // the limit was actually reached: the test can fail both ways
    }
    expect(result.counts.rejected).toBe(16 + 17);
    const seen = new Map<string, number>();
    for (const request of server.requests) {
      const text = JSON.stringify(request.body.messages);
      const id = /task #(\d+)/.exec(text)![1]!;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const accepted = result.tasks
      .filter((task) => task.stop_reason !== 'rejected')
      .map((task) => String(task.index))
      .sort();
    expect([...seen.keys()].sort()).toEqual(accepted);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    const rejected = result.tasks.find((task) => task.stop_reason === 'rejected')!;
    expect(rejected.error).toMatch(/saturated: \d+ running and \d+ queued \(threshold \d+\); task rejected/);
  });
});
