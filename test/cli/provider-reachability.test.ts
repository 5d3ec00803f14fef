/**
 * `providers` says whether an endpoint answers now, and `run` names the real problem of a provider
 * it cannot use. Regressions: an unreachable Ollama was listed "healthy" under a promise of "live
 * state"; a bad OPENAI_BASE_URL with the key set told the user to set a key.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { runProviders } from '../../src/cli/commands/providers.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const KEY = 'sk-test-provider-reachability-0000000000';

/** A server that answers every request with 404, as an API root does. */
let answering: Server;
/** A server that accepts connections and never answers. */
let silent: Server;
let closedPort: number;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  answering = createServer((_request, response) => response.writeHead(404).end('{"error":"not found"}'));
  silent = createServer(() => {});
  await Promise.all([listen(answering), listen(silent)]);
  // A port that was just free and is closed again: a connection is refused at once.
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  silent.closeAllConnections();
  await Promise.all([new Promise((resolve) => answering.close(resolve)), new Promise((resolve) => silent.close(resolve))]);
});

const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-provider-reach-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  return dir;
}

async function providersJson(env: Record<string, string>, timeoutMs = 2_000) {
  const io = memoryIO(project(), env);
  const code = await runProviders(io, { json: true }, { probeTimeoutMs: timeoutMs });
  const parsed = JSON.parse(io.out());
  return { code, parsed, byId: Object.fromEntries(parsed.providers.map((row: { id: string }) => [row.id, row])) };
}

describe('providers probes each endpoint (regression: unreachable Ollama listed "healthy" as "live state")', () => {
  it('an Ollama that does not answer is "unreachable", with the reason and a warning naming OLLAMA_HOST', async () => {
    const { code, byId, parsed } = await providersJson({ OLLAMA_HOST: `127.0.0.1:${closedPort}` });
    expect(code).toBe(0);
    expect(byId.ollama).toMatchObject({ configured: true, status: 'unreachable', probe: { reachable: false } });
    expect(byId.ollama.detail).toMatch(/^unreachable: ECONNREFUSED/);
    const warning = parsed.diagnostics.find((found: { code: string }) => found.code === 'CF9012');
    expect(warning.message).toBe(`ollama: http://127.0.0.1:${closedPort}/api does not answer (ECONNREFUSED); OLLAMA_HOST sets it`);
  });

  it('an endpoint that answers (any HTTP status) is reachable, and one that never answers times out within the bound', async () => {
    const started = Date.now();
    const { byId } = await providersJson({ OLLAMA_HOST: url(answering), OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${url(silent)}/v1` }, 300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(byId.ollama).toMatchObject({ status: 'healthy', probe: { reachable: true } });
    expect(byId.ollama.detail).toMatch(/^reachable \(\d+ ms\), no failed calls recorded$/);
    expect(byId.openai).toMatchObject({ status: 'unreachable', detail: 'unreachable: no answer within 300 ms' });
  });

  it('a bad OPENAI_BASE_URL with the key set is reported as unreachable, never as a missing key', async () => {
    const io = memoryIO(project(), { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `http://127.0.0.1:${closedPort}/v1` });
    expect(await runProviders(io, {}, { probeTimeoutMs: 2_000 })).toBe(0);
    expect(io.out()).toMatch(/openai\s+openai\s+\S+\s+http:\/\/127\.0\.0\.1:\d+\/v1\s+unreachable: ECONNREFUSED/);
    expect(io.err()).toContain('warning CF9012: openai: ');
    expect(io.err()).toContain('OPENAI_BASE_URL sets it');
    expect(io.out() + io.err()).not.toMatch(/OPENAI_API_KEY/);
    expect(io.out() + io.err()).not.toContain(KEY);
  });

  it('--no-probe says plainly that the state is not live', async () => {
    const io = memoryIO(project(), { OLLAMA_HOST: `127.0.0.1:${closedPort}` });
    expect(await runProviders(io, { json: true, probe: false })).toBe(0);
    const ollama = JSON.parse(io.out()).providers.find((row: { id: string }) => row.id === 'ollama');
    expect(ollama).toMatchObject({ status: 'not-probed', detail: 'not probed; no failed calls recorded' });
    expect(ollama.probe).toBeUndefined();
  });
});

describe('run names the real problem of an unusable provider (regression: "set a key" when the key was set)', () => {
  it('an OPENAI_BASE_URL that is not a URL: the hint names it, not a key', async () => {
    const io = memoryIO(project(), {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: 'localhost:8080/v1',
      CODEX_FLOW_PROVIDER: 'openai',
      CI: 'true',
    });
    expect(await main(['run', '--agent', 'graphql-architect', 'add a resolver'], io)).toBe(2);
    expect(io.err()).toContain('codex-flow: no provider configured (openai: OPENAI_BASE_URL="localhost:8080/v1" is not an http(s) URL)');
    expect(io.err()).toContain('hint: fix OPENAI_BASE_URL');
    expect(io.err()).not.toMatch(/set a key/);
  });

  it('keys that are not set are still named as such', async () => {
    const io = memoryIO(project(), { CODEX_FLOW_PROVIDER: 'openai', CODEX_FLOW_FALLBACK: 'anthropic', CI: 'true' });
    expect(await main(['run', '--agent', 'graphql-architect', 'add a resolver'], io)).toBe(2);
    expect(io.err()).toContain('hint: set OPENAI_API_KEY or ANTHROPIC_API_KEY, or pass --provider ollama');
  });
});
