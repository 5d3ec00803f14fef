/**
 * `route` with router.embeddings against the fixture server: the embedding term in --json and
 * --explain, a failing provider costing the route its embedding term only (CF3301, exit 0), a
 * repeated request costing no call, --embeddings off, and a bad section at its line (CF3300).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { useProviderServer } from '../support/use-provider-server.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const server = useProviderServer();

function project(embeddings: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-route-embeddings-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  writeFileSync(join(dir, 'codex-flow.config.yaml'), `router:\n  embeddings:\n${embeddings}`);
  return dir;
}

const ollama = () => `    provider: ollama\n    model: fixture-embed\n    baseURL: ${server.baseUrl('ollama')}\n    timeoutMs: 2000\n`;

async function route(dir: string, argv: string[]) {
  const io = memoryIO(dir, { CI: 'true' });
  const code = await main(['route', '--no-record', '--no-stale-check', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('route with router.embeddings', () => {
  it('fuses the embedding term, says so in --json, and a repeated request costs no call', async () => {
    const dir = project(ollama());
    const first = await route(dir, ['build the checkout api service', '--json']);
    expect(first.code).toBe(0);
    const json = JSON.parse(first.out);
    expect(json.embeddings).toMatchObject({ provider: 'ollama', model: 'fixture-embed', used: true, calls: 2 });
    expect(json.embeddings.embedded).toBeGreaterThan(1);
    const terms = json.result.candidates.flatMap((c: { evidence?: unknown }) => JSON.stringify(c));
    expect(terms.join('')).toContain('embedding');
    const calls = server.requests.length;
    expect(calls).toBe(2);

    const again = await route(dir, ['build the checkout api service', '--json']);
    expect(JSON.parse(again.out).embeddings).toMatchObject({ used: true, calls: 0, embedded: 0 });
    expect(server.requests.length).toBe(calls);
    expect(JSON.parse(again.out).result.candidates).toEqual(json.result.candidates);
  });

  it('--explain says the embedding term is in and what it cost', async () => {
    const { code, out } = await route(project(ollama()), ['build the checkout api service', '--explain']);
    expect(code).toBe(0);
    expect(out).toMatch(/embeddings: ollama fixture-embed \(gated, weight 0\.25\): 2 call\(s\)/);
  });

  it.each([
    ['429', { status: 429 }, 'rate-limit (429)'],
    ['503', { status: 503 }, 'server (503)'],
    ['a stall past timeoutMs', { latencyMs: 4_000 }, 'timeout'],
    ['a malformed answer', { vectors: [[1]] }, 'malformed'],
  ])('a provider failing with %s routes on words alone, with CF3301, never exit 70', async (_name, script, kind) => {
    server.setDefault('ollama', script);
    const dir = project(ollama());
    const plain = await route(dir, ['build the checkout api service', '--json', '--embeddings', 'off']);
    const failed = await route(dir, ['build the checkout api service', '--json']);
    expect(failed.code).toBe(0);
    const json = JSON.parse(failed.out);
    expect(json.embeddings).toMatchObject({ used: false });
    expect(json.embeddings.fallback).toContain(kind);
    expect(json.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CF3301', severity: 'warning' })]));
    expect(json.diagnostics.map((d: { code: string }) => d.code)).not.toContain('CF6005');
    expect(json.result.candidates.map((c: { id: string }) => c.id)).toEqual(
      JSON.parse(plain.out).result.candidates.map((c: { id: string }) => c.id),
    );
    const text = await route(dir, ['build the checkout api service']);
    expect(text.code).toBe(0);
    expect(text.err).toContain('CF3301');
  });

  it('--embeddings off sends nothing; --embeddings on without the section is a usage error', async () => {
    const off = await route(project(ollama()), ['build the checkout api service', '--json', '--embeddings', 'off']);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.out).embeddings).toBeUndefined();
    expect(server.requests).toHaveLength(0);
    const dir = mkdtempSync(join(tmpdir(), 'cf-route-embeddings-'));
    cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
    expect((await route(dir, ['x', '--embeddings', 'on'])).code).toBe(2);
    expect((await route(dir, ['x', '--embeddings', 'maybe'])).code).toBe(2);
  });

  it('hook route never calls the embedding model, even with router.embeddings written (its 1.5 s cap)', async () => {
    const dir = project(ollama());
    const io = memoryIO(dir, { CI: 'true' }, JSON.stringify({ task: 'build the checkout api service', top: 3 }));
    expect(await main(['hook', 'route'], io)).toBe(0);
    expect(JSON.parse(io.out()).embeddings).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it('a provider without its key is named (CF3302) and the route goes on', async () => {
    const { code, out } = await route(project('    provider: openai\n'), ['build the checkout api service', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.embeddings).toMatchObject({ used: false, fallback: 'router.embeddings: OPENAI_API_KEY is not set' });
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain('CF3302');
  });

  it('eval embeds each labeled request once, and a second eval costs no call', async () => {
    const dir = project(ollama());
    writeFileSync(
      join(dir, 'labels.jsonl'),
      '{"task": "build the checkout api service", "expected": "backend-developer"}\n{"task": "the page looks dated", "expected": "frontend-developer"}\n',
    );
    const io = memoryIO(dir, { CI: 'true' });
    expect(await main(['eval', 'labels.jsonl', '--json', '--no-stale-check'], io)).toBe(0);
    const json = JSON.parse(io.out());
    expect(json.embeddings).toMatchObject({ used: true, calls: 3 });
    const again = memoryIO(dir, { CI: 'true' });
    await main(['eval', 'labels.jsonl', '--json', '--no-stale-check'], again);
    expect(JSON.parse(again.out()).embeddings).toMatchObject({ used: true, calls: 0 });
    expect(JSON.parse(again.out()).report).toEqual(json.report);
  });

  it('a bad section is CF3300 at its file:line:col, one diagnostic per mistake, with did-you-mean', async () => {
    const dir = project('    provider: olama\n    weight: -1\n    modle: x\n');
    const { code, out } = await route(dir, ['x', '--json']);
    expect(code).not.toBe(0);
    const diagnostics = JSON.parse(out).diagnostics as Array<{ code: string; message: string; hint?: string; location?: { line: number } }>;
    expect(diagnostics.every((d) => d.code === 'CF3300')).toBe(true);
    expect(diagnostics).toHaveLength(3);
    expect(diagnostics.find((d) => d.message.includes('weight'))?.location).toMatchObject({ file: 'codex-flow.config.yaml', line: 4 });
    expect(diagnostics.find((d) => d.message.includes('provider'))?.hint).toContain('`ollama`');
    const unknown = diagnostics.find((d) => d.message.includes('`router.embeddings.modle`'));
    expect(unknown?.location).toMatchObject({ line: 5 });
    expect(unknown?.hint).toContain('router.embeddings.model');
  });
});
