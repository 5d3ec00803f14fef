/**
 * Every endpoint of `codex-flow serve` over real HTTP on 127.0.0.1: routing answers as `route
 * --json` does and names its fleet in the header and the body, feedback reaches the learner, runs
 * and swarms go through the runner on a local provider server, /v1/generate serves the HTTP
 * provider's client, and the meta endpoints say what they should.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { createProviderChain } from '../../src/providers/chain.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import { call, makeProject, serve, type Started } from './support.js';

const providers = useProviderServer();
let root: string;
let started: Started;
let url: string;

beforeAll(async () => {
  root = await makeProject();
  started = await serve(root, { env: { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'openai', CODEX_FLOW_HTTP_URL: undefined } });
  url = started.server.url;
});
afterAll(async () => {
  await started?.server.stop();
});

describe('serve: routing', () => {
  it('POST /v1/route answers the route --json body, with the fleet hash in the header and the body', async () => {
    const { status, body, headers } = await call(url, '/v1/route', {
      body: { task: 'review this change before merge', files: ['src/a.ts'], top: 2, record: false, explore: false },
    });
    expect(status).toBe(200);
    expect(headers.get('x-codex-flow-fleet')).toBe(body.fleet_hash);
    const io = memoryIO(root, {});
    await main(
      ['route', 'review this change before merge', '--files', 'src/a.ts', '--top', '2', '--no-record', '--explore', 'off', '--json'],
      io,
    );
    const cli = JSON.parse(io.out());
    expect(body.result.candidates.map((c: { id: string }) => c.id)).toEqual(cli.result.candidates.map((c: { id: string }) => c.id));
    expect(body.command).toBe('route');
    expect(body.fleet).toBe(cli.fleet);
  });

  it('POST /v1/feedback records the outcome of a routed decision', async () => {
    const routed = await call(url, '/v1/route', { body: { task: 'review this change before merge' } });
    expect(routed.body.learning.recorded).toBe(true);
    const { status, body } = await call(url, '/v1/feedback', { body: { route_id: routed.body.result.routeId, ok: true } });
    expect(status).toBe(200);
    expect(body.outcome.agent).toBe(routed.body.result.candidates[0].id);
    const unknown = await call(url, '/v1/feedback', { body: { route_id: 'route:nope', ok: true } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.diagnostics[0].code).toBe('CF6603');
  });

  it("POST /v1/hooks/user-prompt answers Claude Code's hook output on a confident match, nothing otherwise", async () => {
    const confident = await call(url, '/v1/hooks/user-prompt', {
      body: { prompt: 'please do a code review of this pull request', session_id: 's1', cwd: root, hook_event_name: 'UserPromptSubmit' },
    });
    expect(confident.status).toBe(200);
    expect(confident.body.hookSpecificOutput.hookEventName).toBe('UserPromptSubmit');
    expect(confident.body.hookSpecificOutput.additionalContext).toMatch(/`code-reviewer` subagent/);
    const unsure = await call(url, '/v1/hooks/user-prompt', { body: { prompt: 'zzqx', session_id: 's1' } });
    expect(unsure).toMatchObject({ status: 200, body: '' });
  });

  it('GET /v1/agents, /healthz, /readyz, /openapi.json and /metrics', async () => {
    const agents = await call(url, '/v1/agents');
    expect(agents.body.agents.map((a: { id: string }) => a.id).sort()).toEqual(['code-reviewer', 'generalist']);
    expect((await call(url, '/healthz')).body.ok).toBe(true);
    const ready = await call(url, '/readyz');
    expect(ready.body).toMatchObject({ ok: true, fleet_hash: agents.body.fleet_hash, diagnostics: [] });
    const openapi = await call(url, '/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/v1/route', '/v1/runs/{id}/events', '/v1/generate']));
    const metrics = await call(url, '/metrics');
    expect(metrics.body).toMatch(/codex_flow_http_requests_total\{method="POST",route="\/v1\/route",status="200"\} [1-9]/);
    expect(metrics.body).toMatch(/codex_flow_route_duration_seconds_count [1-9]/);
    const missing = await call(url, '/v1/nothing');
    expect(missing.status).toBe(404);
    expect(missing.body.diagnostics[0].code).toBe('CF9509');
  });
});

describe('serve: runs, swarms and the provider protocol', () => {
  it('POST /v1/runs starts a run; GET /v1/runs/:id/events streams it to its end', async () => {
    providers.enqueue('openai', { text: 'Reviewed: looks fine.' });
    const started = await call(url, '/v1/runs', { body: { task: 'review this change', agent: 'code-reviewer' } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const events = await fetch(`${url}${started.body.links.events}`, { signal: AbortSignal.timeout(20_000) });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const stream = await events.text();
    expect(stream).toMatch(/event: end\ndata: \{"status":"ok"\}/);
    const run = await call(url, `/v1/runs/${started.body.id}`);
    expect(run.body.status).toBe('ok');
    expect(run.body.result.tasks[0].agent).toBe('code-reviewer');
    expect((await call(url, '/metrics')).body).toMatch(/codex_flow_runs_total\{outcome="ok"\} 1/);
    expect((await call(url, '/v1/runs/nope')).status).toBe(404);
  });

  it('POST /v1/swarms with dry_run answers the routed plan', async () => {
    const { status, body } = await call(url, '/v1/swarms', {
      body: { goal: 'review the login change and then document it', dry_run: true },
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.plan.subtasks.length).toBeGreaterThan(0);
  });

  it('POST /v1/generate serves the HTTP provider client (--provider http)', async () => {
    providers.enqueue('openai', { text: 'hello over http' });
    const chain = createProviderChain({ provider: 'http' }, { CODEX_FLOW_HTTP_URL: url }, { stateFile: null, log: () => {} });
    const result = await chain.generate({ messages: [{ role: 'user', content: 'hi' }] });
    expect(result.text).toBe('hello over http');
    providers.enqueue('openai', { text: 'streamed reply' });
    let text = '';
    for await (const event of chain.stream({ messages: [{ role: 'user', content: 'hi' }] })) if (event.type === 'text') text += event.text;
    expect(text).toBe('streamed reply');
  });
});
