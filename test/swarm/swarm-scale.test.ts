/**
 * A 20-subtask plan over 5 aliases with limits, through the library (`runSwarm`) against the local
 * wire-format server: peak concurrency per alias never above its limit and the swarm never above
 * --max-parallel, every subtask run once, dependencies respected, the report's totals the sum of
 * its parts. In-flight model calls are counted per alias by a wrapper around the real chain.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelClient } from '../../src/runner/agent-loop.js';
import { runSwarm } from '../../src/swarm/swarm.js';
import { resolveSwarmOptions } from '../../src/swarm/options.js';
import type { RoutedPlan } from '../../src/swarm/plan.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-swarm-scale-');

const LIMITS: Record<string, number> = { alpha: 1, beta: 2, gamma: 3, delta: 1, epsilon: 2 };
const fleet = fleetOf(
  ...Object.entries(LIMITS).map(([id, limit]) =>
    agent(id, { runtime: { concurrency: { max_parallel_tasks: limit, queue_strategy: 'fifo' } } }),
  ),
);
const ALIASES = Object.keys(LIMITS);
const MAX_PARALLEL = 6;

/** 20 subtasks: every fourth waits on the three before it, the rest are independent. */
function plan(): RoutedPlan {
  return {
    goal: 'twenty things',
    source: 'file',
    subtasks: Array.from({ length: 20 }, (_, index) => ({
      id: `t${index + 1}`,
      task: `do thing ${index + 1}`,
      files: [],
      acceptance: [],
      depends_on: index % 4 === 3 ? [`t${index - 2}`, `t${index - 1}`, `t${index}`] : [],
      assignment: { agent: ALIASES[index % ALIASES.length]!, source: 'plan' as const, why: ['named in the plan'] },
    })),
  };
}

function counting(model: ModelClient) {
  const inFlight: Record<string, number> = {};
  const peak: Record<string, number> = {};
  let total = 0;
  let peakTotal = 0;
  const wrapped: ModelClient = {
    async generate(request, signal) {
      const alias = /You are (\w+)\./.exec(request.system ?? '')![1]!;
      inFlight[alias] = (inFlight[alias] ?? 0) + 1;
      peak[alias] = Math.max(peak[alias] ?? 0, inFlight[alias]!);
      peakTotal = Math.max(peakTotal, ++total);
      try {
        return await model.generate(request, signal);
      } finally {
        inFlight[alias]!--;
        total--;
      }
    },
    stream: (request, signal) => model.stream(request, signal),
  };
  return { wrapped, peak, peakTotal: () => peakTotal };
}

describe('a 20-subtask swarm over 5 aliases', () => {
  it('keeps every alias under its limit and the swarm under --max-parallel, runs each subtask once, and adds up', async () => {
    server.setDefault('openai', { text: 'done', latencyMs: 15, usage: { input: 120, output: 30 } });
    const init = runnerInit(server, project.root, fleet);
    const { wrapped, peak, peakTotal } = counting(init.model);
    const { report, dir } = await runSwarm(plan(), {
      init: { ...init, model: wrapped },
      options: resolveSwarmOptions({ maxParallel: MAX_PARALLEL }),
    });
    expect(report.ok).toBe(true);
    expect(report.counts.completed).toBe(20);
    for (const alias of ALIASES) expect(peak[alias], alias).toBeLessThanOrEqual(LIMITS[alias]!);
    expect(peak.gamma).toBeGreaterThan(1);
    expect(peakTotal()).toBeLessThanOrEqual(MAX_PARALLEL);
    expect(peakTotal()).toBeGreaterThan(1);
    const perSubtask = new Map<string, number>();
    for (const request of server.requests) {
      const id = /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(request.body.messages))![1]!;
      perSubtask.set(id, (perSubtask.get(id) ?? 0) + 1);
    }
    expect([...perSubtask.values()]).toEqual(Array(20).fill(1));
    // Dependencies: a waiting subtask starts only after each of its dependencies finished.
    const events = readFileSync(join(project.root, dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const position = (event: string, id: string) => events.findIndex((entry) => entry.event === event && entry.id === id);
    for (const subtask of plan().subtasks)
      for (const dependency of subtask.depends_on)
        expect(position('subtask-finished', dependency)).toBeLessThan(position('subtask-started', subtask.id));
    const sum = (pick: (s: (typeof report.subtasks)[number]) => number) => report.subtasks.reduce((total, s) => total + pick(s), 0);
    expect(report.totals.usage).toEqual({
      input: sum((s) => s.usage.input),
      output: sum((s) => s.usage.output),
      cached: sum((s) => s.usage.cached),
    });
    expect(report.totals.usage.input).toBe(20 * 120);
    expect(report.totals.subtask_ms).toBe(sum((s) => s.ms));
    expect(report.totals.steps).toBe(sum((s) => s.steps));
    expect(report.totals.cost_usd).toBeCloseTo(
      sum((s) => s.cost_usd ?? 0),
      10,
    );
    expect(init.outcomes.outcomes).toHaveLength(20);
  });
});
