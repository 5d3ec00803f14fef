/**
 * The agent loop end to end against the fixture provider server (OpenAI wire through the real
 * client library): completion, tool round trips, every stop reason, streaming, and the record.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { Budget } from '../../src/providers/budget.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { testChain } from '../support/provider-env.js';
import { agent, fleetOf, readEvents, requestSummary, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();

const fleet = fleetOf(
  agent('writer', { capabilities: { detail: { tools: { allowed: ['Read', 'Write'], restricted: [] } } } }),
  agent('short', { runtime: { timeout_ms: 150 } }),
  agent('stepper', { runtime: { max_steps: 2 } }),
  agent('oneshot', { runtime: { execution_mode: 'single-shot' } }),
);

describe('agent loop', () => {
  it('completes a task: system prompt from the brief, task and files in the user message, only allowed tools offered', async () => {
    server.enqueue('openai', { text: 'Done: the contract is fine.', usage: { input: 30, output: 6 } });
    const init = runnerInit(server, project.root, fleet);
    const result = await runTasks(
      [{ agent: 'writer', task: 'check the API', files: ['api/openapi.yaml'], prompt: 'release is Friday' }],
      init,
    );
    const [task] = result.tasks;
    expect(task).toMatchObject({
      ok: true,
      stop_reason: 'completed',
      steps: 1,
      text: 'Done: the contract is fine.',
      provider: 'openai',
      usage: { input: 30, output: 6 },
    });
    expect(task!.task_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const body = server.requests[0]!.body;
    expect(JSON.stringify(body.messages[0])).toContain('You are writer.');
    const summary = requestSummary(body);
    expect(summary.tools.sort()).toEqual(['Read', 'Write']);
    expect(summary.lastUser).toContain('check the API');
    expect(summary.lastUser).toContain('- api/openapi.yaml');
    expect(summary.lastUser).toContain('release is Friday');
    expect(init.outcomes.outcomes).toEqual([
      expect.objectContaining({
        agent: 'writer',
        alias: 'writer',
        ok: true,
        stop_reason: 'completed',
        task_hash: task!.task_hash,
        retries: 0,
        tool_errors: 0,
      }),
    ]);
  });

  it('runs a tool the model calls and sends the result back', async () => {
    writeFileSync(join(project.root, 'notes.txt'), 'alpha\nbeta\n');
    server.enqueue('openai', { toolCalls: [{ id: 'c1', name: 'Read', input: { file_path: 'notes.txt' } }] });
    server.enqueue('openai', (request) => ({
      text: requestSummary(request.body).toolResults.join('').includes('beta') ? 'saw beta' : 'no result',
    }));
    const result = await runTasks([{ agent: 'writer', task: 'read the notes' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]).toMatchObject({ ok: true, text: 'saw beta', steps: 2, tool_calls: 1, tool_errors: 0, tool_refusals: 0 });
  });

  it('a tool result larger than tools.max_output_bytes reaches the model cut, with a marker', async () => {
    writeFileSync(join(project.root, 'big.txt'), 'y'.repeat(5000));
    server.enqueue('openai', { toolCalls: [{ id: 'c1', name: 'Read', input: { file_path: 'big.txt' } }] });
    server.enqueue('openai', { text: 'done' });
    await runTasks(
      [{ agent: 'writer', task: 'read it' }],
      runnerInit(server, project.root, fleet, { config: { tools: { max_output_bytes: 1000 } } }),
    );
    const [result] = requestSummary(server.requests[1]!.body).toolResults;
    expect(result).toMatch(/\[… cut at 1000 bytes of \d+\]$/);
    expect(result!.length).toBeLessThan(1100);
  });

  it('stops at max_steps with an explicit stop reason', async () => {
    server.setDefault('openai', { toolCalls: [{ name: 'Read', input: { file_path: 'notes.txt' } }] });
    const result = await runTasks([{ agent: 'stepper', task: 'loop forever' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]).toMatchObject({ ok: false, stop_reason: 'max-steps', steps: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('single-shot agents get one turn and no tools', async () => {
    server.enqueue('openai', { text: 'answer', toolCalls: [{ name: 'Read', input: { file_path: 'x' } }] });
    const result = await runTasks([{ agent: 'oneshot', task: 'q' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]).toMatchObject({ ok: true, stop_reason: 'completed', steps: 1, tool_calls: 0 });
    expect(requestSummary(server.requests[0]!.body).tools).toEqual([]);
  });

  it('timeout_ms is a hard cap through the provider call', async () => {
    server.enqueue('openai', { text: 'too late', latencyMs: 3_000 });
    const result = await runTasks([{ agent: 'short', task: 'slow' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]).toMatchObject({ ok: false, stop_reason: 'timeout' });
    expect(result.tasks[0]!.ms).toBeLessThan(3_000);
  });

  it('a provider error ends the task with stop reason error and the provider message', async () => {
    server.enqueue('openai', { status: 401, errorMessage: 'bad key' });
    const result = await runTasks([{ agent: 'writer', task: 'x' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]).toMatchObject({ ok: false, stop_reason: 'error' });
    expect(result.tasks[0]!.error).toContain('auth');
  });

  it('a spent budget stops the task with stop reason budget', async () => {
    const budget = new Budget(0);
    const { chain } = testChain(server, { provider: 'openai' }, { budget });
    const result = await runTasks([{ agent: 'writer', task: 'x' }], { ...runnerInit(server, project.root, fleet), model: chain });
    expect(result.tasks[0]).toMatchObject({ ok: false, stop_reason: 'budget' });
    expect(server.requests).toHaveLength(0);
  });

  it('streams text as it arrives', async () => {
    server.enqueue('openai', { text: 'one two three' });
    const chunks: string[] = [];
    const result = await runTasks([{ agent: 'writer', task: 'count' }], {
      ...runnerInit(server, project.root, fleet),
      onText: (_task, text) => chunks.push(text),
    });
    expect(chunks.join('')).toBe('one two three');
    expect(chunks.length).toBeGreaterThan(1);
    expect(result.tasks[0]).toMatchObject({ ok: true, text: 'one two three' });
  });

  it('leaves a run record: append-only events and a result written last', async () => {
    server.enqueue('openai', { text: 'ok' });
    const result = await runTasks([{ agent: 'writer', task: 'x' }], runnerInit(server, project.root, fleet));
    const dir = join(project.root, result.record!);
    const events = readEvents(dir).map((event) => event.event);
    expect(events[0]).toBe('run-start');
    expect(events).toEqual(expect.arrayContaining(['task-start', 'model-call', 'model-result', 'task-end']));
    expect(events.at(-1)).toBe('run-end');
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'))).toMatchObject({
      run_id: result.run_id,
      ok: true,
      counts: { ok: 1, failed: 0, rejected: 0 },
    });
    expect(existsSync(join(dir, `result.json.${process.pid}.tmp`))).toBe(false);
  });
});
