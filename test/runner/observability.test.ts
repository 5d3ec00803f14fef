/**
 * Observability: the per-task JSON line on each configured channel, OpenTelemetry spans
 * `agent:<id>` sampled at tracing.sample_rate (a recording tracer stands in for an SDK), unknown
 * channels reported once, and the default outcome sink's one-line-per-outcome file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { LearningOutcomeSink } from '../../src/learn/record.js';
import { runTasks } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();

interface RecordedSpan {
  name: string;
  attributes: Record<string, unknown>;
  status?: { code: number };
  ended: boolean;
}

function recordingTracer(): { tracer: Tracer; spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  const tracer = {
    startSpan(name: string, options?: { attributes?: Record<string, unknown> }) {
      const span: RecordedSpan = { name, attributes: { ...options?.attributes }, ended: false };
      spans.push(span);
      return {
        setAttributes(attributes: Record<string, unknown>) {
          Object.assign(span.attributes, attributes);
          return this;
        },
        setStatus(status: { code: number }) {
          span.status = status;
          return this;
        },
        end() {
          span.ended = true;
        },
      };
    },
  } as unknown as Tracer;
  return { tracer, spans };
}

const fleet = fleetOf(
  agent('traced', {
    observability: { log_channels: ['file:logs/a.jsonl', 'stdout', 'carrier-pigeon'], tracing: { enabled: true, sample_rate: 0.5 } },
  }),
  agent('untraced', { observability: { log_channels: ['stderr'], tracing: { enabled: false, sample_rate: 1 } } }),
);

describe('observability', () => {
  it('writes one JSON line per task to each channel with the documented fields', async () => {
    server.setDefault('openai', { text: 'ok', usage: { input: 10, output: 2 } });
    let stdout = '';
    let stderr = '';
    const result = await runTasks(
      [
        { agent: 'traced', task: 'a' },
        { agent: 'untraced', task: 'b' },
      ],
      {
        ...runnerInit(server, project.root, fleet),
        write: {
          stdout: (t) => {
            stdout += t;
          },
          stderr: (t) => {
            stderr += t;
          },
        },
      },
    );
    const fileLine = JSON.parse(readFileSync(join(project.root, 'logs/a.jsonl'), 'utf8'));
    expect(fileLine).toEqual(JSON.parse(stdout));
    expect(fileLine).toMatchObject({
      agent: { id: 'traced' },
      alias: 'traced',
      task_hash: result.tasks[0]!.task_hash,
      ok: true,
      stop_reason: 'completed',
      // The fixture agent is api-designer's brief, model: opus, which OpenAI runs as gpt-4.1.
      provider: 'openai',
      model: 'gpt-4.1',
      tokens: { input: 10, output: 2, cached: 0 },
      ms: expect.any(Number),
      run_id: result.run_id,
    });
    expect(fileLine.cost_usd).toBeGreaterThan(0);
    expect(JSON.parse(stderr)).toMatchObject({ agent: { id: 'untraced' } });
    expect(result.diagnostics.filter((d) => d.code === 'CF8009').map((d) => d.message)).toEqual([
      'log channel "carrier-pigeon" is not file:<path>, stdout or stderr',
    ]);
  });

  it('opens a span agent:<id> when tracing is on and the sample says yes', async () => {
    server.setDefault('openai', { text: 'ok' });
    const { tracer, spans } = recordingTracer();
    const draws = [0.2, 0.7];
    await runTasks(
      [
        { agent: 'traced', task: 'sampled' },
        { agent: 'traced', task: 'not sampled' },
        { agent: 'untraced', task: 'off' },
      ],
      {
        ...runnerInit(server, project.root, fleet),
        tracer,
        random: () => draws.shift() ?? 0,
        outcomes: { record: async () => {} },
      },
    );
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      name: 'agent:traced',
      ended: true,
      status: { code: 1 },
      attributes: { 'agent.id': 'traced', alias: 'traced', ok: true, stop_reason: 'completed' },
    });
  });

  it('a task rejected by backpressure gets its JSON line but no outcome', async () => {
    server.setDefault('openai', { text: 'ok' });
    let stderr = '';
    const config = {
      aliases: { solo: { id: 'untraced', overrides: { runtime: { concurrency: { max_parallel_tasks: 1 } } }, max_queued: 0 } },
    };
    const init = runnerInit(server, project.root, fleet, { config });
    const result = await runTasks(
      [
        { alias: 'solo', task: 'first' },
        { alias: 'solo', task: 'second' },
      ],
      {
        ...init,
        write: {
          stdout: () => {},
          stderr: (t) => {
            stderr += t;
          },
        },
      },
    );
    expect(result.tasks.map((task) => task.stop_reason)).toEqual(['completed', 'rejected']);
    const lines = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.stop_reason).sort()).toEqual(['completed', 'rejected']);
    expect(init.outcomes.outcomes.map((outcome) => outcome.stop_reason)).toEqual(['completed']);
  });

  it('the default outcome sink (the learning store) appends one JSON line per outcome', async () => {
    const file = join(project.root, '.codex-flow/outcomes.jsonl');
    const sink = new LearningOutcomeSink(project.root);
    const outcome = (n: number) => ({
      agent: 'a',
      alias: 'a',
      ok: n % 2 === 0,
      latency_ms: n,
      retries: 0,
      tool_errors: 0,
      stop_reason: 'completed',
      task_hash: `h${n}`,
      at: '2026-01-01T00:00:00.000Z',
    });
    await Promise.all(Array.from({ length: 50 }, (_, n) => sink.record(outcome(n))));
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.latency_ms).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });
});
