/**
 * The model reranker end to end in one process: `codex-flow route --rerank on` against the local
 * wire-format server, with a scripted model that reorders, answers garbage (once, then twice),
 * stalls past timeout_ms, answers 429, or is never called because the budget is too small. Calls
 * are counted at the server.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { fixtureEnv } from '../support/provider-env.js';
import type { RecordedRequest, Script } from '../support/provider-server.js';
import { useProviderServer } from '../support/use-provider-server.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const TASK = 'add a GraphQL resolver for orders';

function project(rerank: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-rerank-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  cpSync(join(fixture, 'briefs'), join(dir, 'briefs'), { recursive: true });
  writeFileSync(join(dir, 'codex-flow.config.yaml'), `router:\n  rerank:\n${rerank}`);
  return dir;
}

/** The candidate ids the prompt lists, in its (lexical) order. */
function promptIds(request: RecordedRequest): string[] {
  const user = (request.body.messages as Array<{ role: string; content: unknown }>).find((message) => message.role === 'user');
  const text = typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content);
  return [...text.matchAll(/^- ([a-z0-9-]+): /gm)].map((match) => match[1]!);
}

/** A model that ranks the candidates in reverse lexical order. */
const reversing = (request: RecordedRequest): Script => ({
  text: JSON.stringify({
    ranking: promptIds(request)
      .reverse()
      .map((id) => ({ id, reason: `${id} fits best` })),
  }),
  usage: { input: 900, output: 120 },
});

interface Routed {
  code: number;
  json: any;
  err: string;
  ms: number;
}

async function route(dir: string, env: Record<string, string | undefined>, ...extra: string[]): Promise<Routed> {
  const io = memoryIO(dir, { ...env, CI: 'true' });
  const started = performance.now();
  const code = await main(['route', TASK, '--top', '6', '--json', '--no-record', ...extra], io);
  return { code, json: code === 0 ? JSON.parse(io.out()) : JSON.parse(io.out() || '{}'), err: io.err(), ms: performance.now() - started };
}

const ids = (routed: Routed): string[] => routed.json.result.candidates.map((candidate: { id: string }) => candidate.id);

describe('route --rerank on', () => {
  const server = useProviderServer();

  it('reorders the lexical top k by the model, says tokens and cost, and a repeated request makes no call', async () => {
    const dir = project('    provider: openai\n    timeout_ms: 5000\n');
    const env = fixtureEnv(server);
    const lexical = ids(await route(dir, env, '--rerank', 'off'));
    expect(server.requests).toHaveLength(0);
    server.setDefault('openai', reversing);
    const first = await route(dir, env);
    expect(first.code).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(promptIds(server.requests[0]!)).toEqual(lexical);
    expect(ids(first)).toEqual([...lexical].reverse());
    expect(first.json.rerank).toMatchObject({ status: 'reranked', cacheHit: false, calls: 1, tokens: { input: 900, output: 120 } });
    expect(first.json.rerank.costUsd).toBeGreaterThan(0);
    expect(first.json.rerank.places[0]).toMatchObject({ rank: 1, lexicalRank: lexical.length, reason: `${lexical.at(-1)} fits best` });
    const again = await route(dir, env);
    expect(server.requests).toHaveLength(1);
    expect(ids(again)).toEqual(ids(first));
    expect(again.json.rerank).toMatchObject({ status: 'reranked', cacheHit: true, calls: 0, tokens: { input: 0, output: 0 } });
  });

  it('--explain prints the model reason beside each lexical place', async () => {
    const dir = project('    provider: openai\n');
    server.setDefault('openai', reversing);
    const io = memoryIO(dir, { ...fixtureEnv(server), CI: 'true' });
    expect(await main(['route', TASK, '--explain', '--no-record'], io)).toBe(0);
    expect(io.out()).toMatch(/^rerank: top 15 reordered by openai \(900 \+ 120 tokens/m);
    expect(io.out()).toMatch(/^ {3}1\. \S+\s+lexical #\d+ {2}\S+ fits best$/m);
  });

  it('repairs an answer that is not JSON with one more call', async () => {
    const dir = project('    provider: openai\n');
    server.enqueue('openai', { text: 'Sure! The best agent is graphql-architect.' }, reversing);
    const routed = await route(dir, fixtureEnv(server));
    expect(server.requests).toHaveLength(2);
    expect(routed.json.rerank).toMatchObject({ status: 'reranked', repaired: true, calls: 2 });
    expect(routed.json.diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF3202');
    const repair = server.requests[1]!.body.messages.at(-1).content;
    expect(JSON.stringify(repair)).toContain('not a JSON object');
  });

  it('two unusable answers leave the lexical order, with CF3201 and the reason in text and --json', async () => {
    const dir = project('    provider: openai\n');
    const env = fixtureEnv(server);
    const lexical = ids(await route(dir, env, '--rerank', 'off'));
    server.enqueue('openai', { text: '{"ranking": [{"id": "nobody", "reason": "x"}]}' }, { text: 'still not it' });
    const routed = await route(dir, env);
    expect(routed.code).toBe(0);
    expect(ids(routed)).toEqual(lexical);
    expect(routed.json.rerank).toMatchObject({ status: 'lexical', fallback: { reason: 'invalid' }, calls: 2 });
    expect(routed.json.diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF3201');
    server.enqueue('openai', { text: 'no' }, { text: 'no' });
    const io = memoryIO(dir, { ...env, CI: 'true' });
    expect(await main(['route', TASK, '--top', '6', '--no-record'], io)).toBe(0);
    expect(io.out()).toMatch(/^rerank: invalid: .*; the lexical order is shown$/m);
    // A failed rerank is never cached: the next route asks again.
    server.setDefault('openai', reversing);
    expect((await route(dir, env)).json.rerank.status).toBe('reranked');
  });

  it('a model stalling past timeout_ms gives the lexical order within the timeout plus the lexical route', async () => {
    const dir = project('    provider: openai\n    timeout_ms: 400\n');
    const env = fixtureEnv(server);
    const lexical = await route(dir, env, '--rerank', 'off');
    server.setDefault('openai', { latencyMs: 20_000, text: '{}' });
    const routed = await route(dir, env);
    expect(ids(routed)).toEqual(ids(lexical));
    expect(routed.json.rerank).toMatchObject({ status: 'lexical', fallback: { reason: 'timeout' } });
    expect(routed.json.diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF3203');
    // Loose on purpose (a loaded machine): the bound is the timeout plus a lexical route, not the model's 20 s.
    expect(routed.ms).toBeLessThan(400 + lexical.ms + 5_000);
  });

  it('429 on every call gives the lexical order, said as a provider failure or the timeout', async () => {
    const dir = project('    provider: openai\n    timeout_ms: 3000\n');
    const env = fixtureEnv(server);
    const lexical = ids(await route(dir, env, '--rerank', 'off'));
    server.setDefault('openai', { status: 429, retryAfter: 0 });
    const routed = await route(dir, env);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(ids(routed)).toEqual(lexical);
    expect(['provider', 'timeout']).toContain(routed.json.rerank.fallback.reason);
  });

  it('a budget the call would pass is refused before any call', async () => {
    const dir = project('    provider: openai\n    budget: 0.0000001\n');
    const env = fixtureEnv(server);
    const lexical = ids(await route(dir, env, '--rerank', 'off'));
    server.setDefault('openai', reversing);
    const routed = await route(dir, env);
    expect(server.requests).toHaveLength(0);
    expect(ids(routed)).toEqual(lexical);
    expect(routed.json.rerank).toMatchObject({ status: 'lexical', fallback: { reason: 'budget' }, calls: 0 });
    expect(routed.json.diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF3204');
  });

  it('a wrong router.rerank setting is CF3200 at its file:line:col, found with the whole file (so --rerank off stops too)', async () => {
    const dir = project('    provider: openai\n    k: 1\n    timeout_ms: soon\n    color: blue\n');
    const routed = await route(dir, fixtureEnv(server));
    expect(routed.code).toBe(1);
    const found = routed.json.diagnostics.filter((entry: { code: string }) => entry.code === 'CF3200');
    expect(found.map((entry: any) => `${entry.location.line}:${entry.location.column}`)).toEqual(['4:8', '5:17', '6:5']);
    expect((await route(dir, fixtureEnv(server), '--rerank', 'off')).code).toBe(1);
    expect(await main(['route', TASK, '--rerank', 'maybe'], memoryIO(dir))).toBe(2);
  });

  it('feedback after a reranked route credits the reranked top-1, not the lexical one', async () => {
    const dir = project('    provider: openai\n');
    const env = fixtureEnv(server);
    const lexical = ids(await route(dir, env, '--rerank', 'off'));
    server.setDefault('openai', reversing);
    const io = memoryIO(dir, { ...env, CI: 'true' });
    expect(await main(['route', TASK, '--top', '6', '--json'], io)).toBe(0);
    const routed = JSON.parse(io.out());
    expect(routed.rerank.status).toBe('reranked');
    expect(routed.learning.recorded).toBe(true);
    const shown = routed.result.candidates.map((candidate: { id: string }) => candidate.id);
    expect(shown[0]).not.toBe(lexical[0]);
    const feedback = memoryIO(dir, { ...env, CI: 'true' });
    expect(await main(['feedback', routed.result.routeId, '--ok', '--json'], feedback)).toBe(0);
    expect(JSON.parse(feedback.out()).outcome.agent).toBe(shown[0]);
  });

  it('hook route never calls the reranker, even with router.rerank written', async () => {
    const dir = project('    provider: openai\n');
    server.setDefault('openai', reversing);
    const io = memoryIO(dir, { ...fixtureEnv(server), CI: 'true' }, JSON.stringify({ task: TASK, top: 3 }));
    expect(await main(['hook', 'route'], io)).toBe(0);
    expect(JSON.parse(io.out()).rerank).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it('an unknown provider is CF3200 at router.rerank.provider, and the lexical order stands', async () => {
    const dir = project('    provider: nosuch\n');
    const routed = await route(dir, fixtureEnv(server));
    expect(routed.code).toBe(0);
    expect(routed.json.rerank).toMatchObject({ status: 'lexical', fallback: { reason: 'config' } });
    const found = routed.json.diagnostics.find((entry: { code: string }) => entry.code === 'CF3200');
    expect(found.location).toMatchObject({ file: 'codex-flow.config.yaml', line: 3 });
  });
});
