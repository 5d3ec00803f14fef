/**
 * POST /v1/hooks/user-prompt is userPromptHookReply on the served fleet: the command form's bytes
 * on a confident match, an empty 200 when unsure, a 400 for input of another hook event.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userPromptHookReply } from '../../src/integrations/user-prompt-hook.js';
import { makeProject, serve, type Started } from './support.js';

let started: Started;
let url: string;

beforeAll(async () => {
  started = await serve(await makeProject());
  url = started.server.url;
});
afterAll(async () => {
  await started?.server.stop();
});

async function raw(body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/v1/hooks/user-prompt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text() };
}

describe('serve: the HTTP hook is userPromptHookReply', () => {
  it('hook route answers the same bytes as userPromptHookReply on a confident match (not its own wording)', async () => {
    const input = { prompt: 'please do a code review of this pull request', cwd: '/tmp', hook_event_name: 'UserPromptSubmit' };
    const served = started.server.context.holder.current!;
    const expected = userPromptHookReply(
      JSON.stringify(input),
      (task) => served.route({ task, files: [] }, { top: 3, record: false, explore: false }).result,
      (id) => served.fleet.entry(id),
    );
    expect(expected.body).toMatch(/code-reviewer/);
    const answer = await raw(input);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(expected.body);
  });

  // Regression: once learning had an outcome, the served hook explored (Thompson draws) and the
  // same prompt came back with another score each call; the command form routes with explore off.
  it('hook route gives the same bytes for the same prompt after learning has outcomes', async () => {
    const routed = await fetch(`${url}/v1/route`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task: 'please do a code review of this pull request' }),
      signal: AbortSignal.timeout(10_000),
    });
    const routeId = ((await routed.json()) as { result: { routeId: string } }).result.routeId;
    const feedback = await fetch(`${url}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route_id: routeId, ok: true }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(feedback.status).toBe(200);
    const input = { prompt: 'please do a code review of this pull request', hook_event_name: 'UserPromptSubmit' };
    const answers = new Set<string>();
    for (let call = 0; call < 4; call++) answers.add((await raw(input)).text);
    expect(answers.size).toBe(1);
  });

  it('hook route answers an empty 200 when unsure, not {}', async () => {
    const answer = await raw({ prompt: 'zzqx', session_id: 's1' });
    expect(answer).toEqual({ status: 200, text: '' });
  });

  it('hook route refuses another hook event with 400 instead of routing it', async () => {
    const answer = await raw({ prompt: 'please do a code review of this pull request', hook_event_name: 'PreToolUse' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toMatch(/PreToolUse/);
  });

  it('hook route on a server without a fleet answers an empty 200, never a block', async () => {
    const empty = await serve(mkdtempSync(join(tmpdir(), 'cf-serve-empty-')));
    try {
      expect(empty.server.context.holder.current).toBeUndefined();
      const response = await fetch(`${empty.server.url}/v1/hooks/user-prompt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'please do a code review of this pull request' }),
        signal: AbortSignal.timeout(10_000),
      });
      expect({ status: response.status, text: await response.text() }).toEqual({ status: 200, text: '' });
    } finally {
      await empty.server.stop();
    }
  });
});
