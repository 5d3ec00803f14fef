/**
 * The runner around the loop: aliases with overrides (the compiled definition untouched), memory
 * carried from one task to the next, timeout_ms through a tool (its process group killed), an MCP
 * bridge, cancelling a run, option resolution, and a run record that survives a SIGKILL.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FileMemoryStore } from '../../src/runner/memory/file-store.js';
import { resolveRunnerOptions, DEFAULT_MAX_QUEUED_PER_ALIAS } from '../../src/runner/options.js';
import { runTasks } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, commandGone, fleetOf, readEvents, requestSummary, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();

const worker = agent('worker', { capabilities: { detail: { tools: { allowed: ['Read', 'Bash', 'mcp__echo__say'], restricted: [] } } } });
const fleet = fleetOf(
  worker,
  agent('quick', { runtime: { timeout_ms: 400 }, capabilities: { detail: { tools: { allowed: ['Bash'], restricted: [] } } } }),
);

describe('aliases', () => {
  const config = {
    aliases: {
      'worker-readonly': {
        id: 'worker',
        overrides: { capabilities: { detail: { tools: { allowed: ['Read'] } } }, runtime: { max_steps: 1 } },
      },
      broken: { id: 'worker', overrides: { runtime: { max_steps: 'many' } } },
      ghost: { id: 'nobody' },
    },
  };

  it('runs an agent with overrides without changing the compiled definition', async () => {
    server.enqueue('openai', { text: 'ok' });
    const result = await runTasks([{ alias: 'worker-readonly', task: 'x' }], runnerInit(server, project.root, fleet, { config }));
    expect(result.tasks[0]).toMatchObject({ ok: true, agent: 'worker', alias: 'worker-readonly' });
    expect(requestSummary(server.requests[0]!.body).tools).toEqual(['Read']);
    expect(fleet.definition('worker')!.capabilities.detail.tools.allowed).toEqual(['Read', 'Bash', 'mcp__echo__say']);
  });

  it('invalid overrides and aliases of unknown agents are refused with a code', async () => {
    const result = await runTasks(
      [
        { alias: 'broken', task: 'x' },
        { alias: 'ghost', task: 'y' },
      ],
      runnerInit(server, project.root, fleet, { config }),
    );
    expect(result.tasks.map((task) => task.stop_reason)).toEqual(['invalid', 'invalid']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['CF8003', 'CF8002']));
    expect(server.requests).toHaveLength(0);
  });
});

describe('memory across tasks', () => {
  it("a finished task is remembered and put into the next task's system prompt", async () => {
    const memory = new FileMemoryStore(join(project.root, '.codex-flow/memory'));
    server.enqueue('openai', { text: 'The cache key must include the locale.' }, { text: 'ok' });
    await runTasks([{ agent: 'worker', task: 'investigate the cache' }], runnerInit(server, project.root, fleet, { memory }));
    await runTasks([{ agent: 'worker', task: 'fix the cache' }], runnerInit(server, project.root, fleet, { memory }));
    const system = JSON.stringify(server.requests[1]!.body.messages[0]);
    expect(system).toContain('## Memory');
    expect(system).toContain('The cache key must include the locale.');
  });
});

describe('hard stops', () => {
  it('timeout_ms cuts a running tool and kills its process tree', async () => {
    const marker = `30.${process.pid}1`;
    server.enqueue('openai', { toolCalls: [{ name: 'Bash', input: { command: `sleep ${marker} & wait` } }] });
    const result = await runTasks([{ agent: 'quick', task: 'hang' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]).toMatchObject({ ok: false, stop_reason: 'timeout' });
    expect(await commandGone(marker)).toBe(true);
  });

  it('cancelling the run stops its tasks with stop reason cancelled', async () => {
    const controller = new AbortController();
    server.enqueue('openai', { text: 'late', latencyMs: 2_000 });
    const running = runTasks([{ agent: 'worker', task: 'x' }], { ...runnerInit(server, project.root, fleet), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await running).tasks[0]).toMatchObject({ ok: false, stop_reason: 'cancelled' });
  });
});

describe('MCP bridge', () => {
  it('runs a configured bridge with the call as JSON on stdin', async () => {
    server.enqueue('openai', { toolCalls: [{ name: 'mcp__echo__say', input: { words: 'hi' } }] });
    server.enqueue('openai', (request) => ({ text: requestSummary(request.body).toolResults.join('') }));
    const config = { tools: { mcp: { echo: { command: 'cat' } } } };
    const result = await runTasks([{ agent: 'worker', task: 'say hi' }], runnerInit(server, project.root, fleet, { config }));
    expect(result.tasks[0]).toMatchObject({ ok: true, tool_refusals: 0 });
    expect(JSON.parse(result.tasks[0]!.text)).toEqual({ tool: 'say', input: { words: 'hi' } });
  });
});

describe('resolveRunnerOptions', () => {
  it('resolves every default in one place; bad values warn and fall back', () => {
    const { options, diagnostics } = resolveRunnerOptions(
      { queue: { max_queued: -1 }, aliases: { bad: {} as never } },
      { MEM_REDIS_URL: 'redis://127.0.0.1:1/0' },
    );
    expect(options.queue.maxQueued).toBe(DEFAULT_MAX_QUEUED_PER_ALIAS);
    expect(options.memory.redisUrl).toBe('redis://127.0.0.1:1/0');
    expect(options.tools.webfetch.enabled).toBe(false);
    expect(options.limits).toEqual({ memory: true, cpuTime: true, disk: true });
    expect(diagnostics.map((d) => d.code)).toEqual(['CF8010', 'CF8010']);
  });

  it('reports misspelled keys with a did-you-mean hint', () => {
    const { diagnostics } = resolveRunnerOptions({
      queue: { max_queud: 3 },
      tools: { mcp: { github: { comand: 'x' } } },
      aliases: { a: { id: 'x', overides: {} } },
    });
    expect(diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ['unknown key `runner.queue.max_queud`; ignored', 'did you mean `runner.queue.max_queued`?'],
      ['unknown key `runner.tools.mcp.github.comand`; ignored', 'did you mean `runner.tools.mcp.github.command`?'],
      ['unknown key `runner.aliases.a.overides`; ignored', 'did you mean `runner.aliases.a.overrides`?'],
      ['runner.tools.mcp.github needs a `command`; the server stays unsupported', 'fix the key under runner: in codex-flow.config.yaml'],
    ]);
  });
});

describe('run record', () => {
  it('a SIGKILL mid-run leaves readable events and no half-written result', async () => {
    const runs = join(project.root, 'crash-runs');
    const child = promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      new URL('../support/runner-crash.ts', import.meta.url).pathname,
      runs,
      'crashed',
      '25',
    ]);
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });
    const events = readEvents(join(runs, 'crashed'));
    expect(events).toHaveLength(26);
    expect(events.every((event) => typeof event.at === 'string')).toBe(true);
    expect(existsSync(join(runs, 'crashed', 'result.json'))).toBe(false);
  });

  it('a long task leaves task-heartbeat events at runtime.heartbeat_interval_ms', async () => {
    const beating = fleetOf(agent('beating', { runtime: { heartbeat_interval_ms: 100 } }));
    server.enqueue('openai', { text: 'slow', latencyMs: 450 });
    const result = await runTasks([{ agent: 'beating', task: 'x' }], runnerInit(server, project.root, beating));
    const events = readEvents(join(project.root, result.record!)).map((event) => event.event);
    expect(events.filter((name) => name === 'task-heartbeat').length).toBeGreaterThanOrEqual(1);
    expect(events.indexOf('task-heartbeat')).toBeLessThan(events.indexOf('task-end'));
    expect(events.lastIndexOf('task-heartbeat')).toBeLessThan(events.indexOf('task-end'));
  });

  it('every event of a finished run is in events.jsonl in order, result last', async () => {
    server.enqueue('openai', { text: 'ok' });
    const result = await runTasks([{ agent: 'worker', task: 'x' }], runnerInit(server, project.root, fleet));
    const events = readEvents(join(project.root, result.record!));
    expect(events.map((event) => event.event)).toEqual(['run-start', 'task-start', 'model-call', 'model-result', 'task-end', 'run-end']);
  });
});
