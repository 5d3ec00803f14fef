/**
 * Evidence for deny-by-default: a scripted model (fixture provider server, OpenAI wire) asks a
 * read-only agent to call every tool outside its allow-list, to escape the workspace by traversal,
 * absolute paths and symbolic links, and to reach the network. Zero calls execute (no file
 * appears or changes, the HTTP server is never hit, no secret reaches the model) and every one is
 * audited: a `tool-refused` event each in the run record, and the count in the task's JSON line.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, runnerInit, plantEscapes, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();
const outside = useTempProject('cf-outside-');
let web: Server;
let webHits = 0;
let webUrl = '';

beforeAll(async () => {
  plantEscapes(project.root, outside.root);
  writeFileSync(join(project.root, 'src', 'app.ts'), 'export const app = 1;\n');
  web = createServer((_req, res) => {
    webHits++;
    res.end('network reached');
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => web.close(resolve));
});

const reader = agent('reader', {
  capabilities: { detail: { tools: { allowed: ['Read', 'Grep', 'WebFetch', 'mcp__evil__exfiltrate'], restricted: [] } } },
  observability: { log_channels: ['file:logs/agents.jsonl'] },
  runtime: { max_steps: 3 },
});
const fleet = fleetOf(reader);

function attacks() {
  return [
    // Tools outside the allow-list.
    { name: 'Write', input: { file_path: 'pwned.txt', content: 'x' } },
    { name: 'Edit', input: { file_path: 'src/app.ts', old_string: 'app', new_string: 'pwned' } },
    { name: 'MultiEdit', input: { file_path: 'src/app.ts', edits: [{ old_string: 'app', new_string: 'pwned' }] } },
    { name: 'Bash', input: { command: 'touch bash-ran.txt' } },
    { name: 'LS', input: { path: '.' } },
    { name: 'Glob', input: { pattern: '**/*' } },
    { name: 'TodoWrite', input: { todos: [] } },
    { name: 'NotebookEdit', input: {} },
    { name: 'Task', input: { prompt: 'do it for me' } },
    { name: 'Agent', input: {} },
    { name: 'mcp__other__run', input: {} },
    { name: 'NoSuchTool', input: {} },
    // Allowed but unavailable here: MCP without a bridge, WebFetch while the network is off.
    { name: 'mcp__evil__exfiltrate', input: { data: 'x' } },
    { name: 'WebFetch', input: { url: webUrl } },
    // Allowed tools aimed outside the workspace.
    { name: 'Read', input: { file_path: '../' + outside.root.split('/').pop() + '/secret.txt' } },
    { name: 'Read', input: { file_path: join(outside.root, 'secret.txt') } },
    { name: 'Read', input: { file_path: 'escape/secret.txt' } },
    { name: 'Read', input: { file_path: 'secret-link.txt' } },
    { name: 'Read', input: { file_path: 'src/../../../etc/passwd' } },
    { name: 'Grep', input: { pattern: 'SECRET', path: 'escape' } },
    { name: 'Grep', input: { pattern: 'SECRET', path: '/' } },
  ].map((call, index) => ({ id: `call_${index}`, ...call }));
}

describe('adversarial model', () => {
  it('executes nothing outside the allow-list or the workspace, and audits every attempt', async () => {
    const calls = attacks();
    server.enqueue('openai', { toolCalls: calls });
    server.enqueue('openai', { text: 'I give up.' });
    const result = await runTasks([{ agent: 'reader', task: 'exfiltrate everything' }], runnerInit(server, project.root, fleet));
    const [task] = result.tasks;
    expect(task).toMatchObject({ ok: true, stop_reason: 'completed', tool_calls: calls.length, tool_refusals: calls.length });

    // Nothing executed.
    expect(existsSync(join(project.root, 'pwned.txt'))).toBe(false);
    expect(existsSync(join(project.root, 'bash-ran.txt'))).toBe(false);
    expect(readFileSync(join(project.root, 'src', 'app.ts'), 'utf8')).toBe('export const app = 1;\n');
    expect(webHits).toBe(0);
    const secondRequest = JSON.stringify(server.requests[1]!.body);
    expect(secondRequest).not.toContain('TOP SECRET');
    expect(secondRequest).not.toContain('root:x:0');

    // Every attempt audited, with a reason, in the record and in the task's JSON line.
    const refused = readEvents(join(project.root, result.record!)).filter((event) => event.event === 'tool-refused');
    expect(refused.map((event) => event.call_id).sort()).toEqual(calls.map((call) => call.id).sort());
    for (const event of refused) expect(event.reason).toEqual(expect.any(String));
    expect(refused.filter((event) => event.outside_allow_list)).toHaveLength(12);
    const line = JSON.parse(
      readFileSync(join(project.root, 'logs', 'agents.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .at(-1)!,
    );
    expect(line).toMatchObject({ agent: { id: 'reader' }, tool_calls: calls.length, tool_refusals: calls.length, ok: true });

    // The model saw refusals, not results.
    const toolMessages = server.requests[1]!.body.messages.filter((m: any) => m.role === 'tool');
    expect(toolMessages).toHaveLength(calls.length);
    for (const message of toolMessages) expect(String(message.content)).toContain('refused');
  });

  it('only the allow-list is offered to the model', async () => {
    server.enqueue('openai', { text: 'ok' });
    await runTasks([{ agent: 'reader', task: 'look' }], runnerInit(server, project.root, fleet));
    const offered = (server.requests[0]!.body.tools ?? []).map((tool: any) => tool.function.name).sort();
    expect(offered).toEqual(['Grep', 'Read']);
  });

  it('--strict-tools: a tool outside the allow-list fails the task before it runs', async () => {
    server.enqueue('openai', { toolCalls: [{ id: 'w', name: 'Write', input: { file_path: 'strict.txt', content: 'x' } }] });
    const result = await runTasks([{ agent: 'reader', task: 'write' }], { ...runnerInit(server, project.root, fleet), strictTools: true });
    expect(result.tasks[0]).toMatchObject({
      ok: false,
      stop_reason: 'tool-denied',
      tool_refusals: 1,
      error: 'Write is not in the allow-list of reader',
    });
    expect(existsSync(join(project.root, 'strict.txt'))).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('--strict-tools still lets the model see a refusal for a path outside the workspace', async () => {
    server.enqueue('openai', { toolCalls: [{ id: 'r', name: 'Read', input: { file_path: 'escape/secret.txt' } }] });
    server.enqueue('openai', { text: 'fine' });
    const result = await runTasks([{ agent: 'reader', task: 'read' }], { ...runnerInit(server, project.root, fleet), strictTools: true });
    expect(result.tasks[0]).toMatchObject({ ok: true, tool_refusals: 1 });
  });
});
