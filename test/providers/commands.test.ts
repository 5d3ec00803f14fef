/**
 * `codex-flow bench` and `codex-flow providers` as functions with a captured CommandIO, against
 * the fixture server: files written, what they say, progress, exit codes, no secrets anywhere.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchCommand } from '../../src/cli/commands/bench.js';
import { decodeRate } from '../../src/providers/bench-measure.js';
import { runProviders } from '../../src/cli/commands/providers.js';
import { UsageError, memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { TEST_KEYS, fixtureEnv } from '../support/provider-env.js';

const server = useProviderServer();

const STAMP = new Date('2026-03-04T05:06:07.890Z');
const tempDir = () => mkdtempSync(join(tmpdir(), 'cf-bench-'));

function expectNoSecrets(text: string): void {
  for (const key of Object.values(TEST_KEYS)) expect(text).not.toContain(key);
}

describe('codex-flow bench', () => {
  it('writes data/bench/<stamp>.json, .md and .csv with per-provider numbers', async () => {
    server.setDefault('openai', { text: 'alpha beta gamma delta', ttftMs: 30, chunkIntervalMs: 5, usage: { input: 100, cached: 40 } });
    server.setDefault('anthropic', { text: 'one two three', ttftMs: 10, chunkIntervalMs: 2 });
    server.setDefault('ollama', { text: 'local words here now', chunkIntervalMs: 1 });
    const cwd = tempDir();
    const io = memoryIO(cwd, fixtureEnv(server));
    const code = await runBenchCommand(
      io,
      { prompt: 'Write a haiku', providers: 'openai,anthropic,ollama', runs: '3', concurrency: '2', stream: true },
      { now: () => STAMP },
    );
    expect(code).toBe(0);
    expect(readdirSync(join(cwd, 'data', 'bench')).sort()).toEqual([
      '2026-03-04T05-06-07Z.csv',
      '2026-03-04T05-06-07Z.json',
      '2026-03-04T05-06-07Z.md',
    ]);
    expect(io.out()).toContain(
      'wrote data/bench/2026-03-04T05-06-07Z.json, data/bench/2026-03-04T05-06-07Z.md, data/bench/2026-03-04T05-06-07Z.csv',
    );
    expect(io.err()).toBe(''); // not a TTY: no progress bar

    const json = JSON.parse(readFileSync(join(cwd, 'data/bench/2026-03-04T05-06-07Z.json'), 'utf8'));
    expect(json.status).toBe('complete');
    expect(json.runs).toHaveLength(9); // the warm-up call per provider is not measured…
    expect(server.requests).toHaveLength(12); // …but was made
    const openai = json.summaries.find((s: { provider: string }) => s.provider === 'openai');
    expect(openai).toMatchObject({ ok: 3, errors: 0, model: 'gpt-4.1-mini', tokens: { input: 100, output: 4, cached: 40 } });
    expect(openai.ttftMs.p50).toBeGreaterThanOrEqual(25);
    expect(openai.latencyMs.p95).toBeGreaterThanOrEqual(openai.latencyMs.p50);
    expect(openai.tokensPerSecond.p50).toBeGreaterThan(0);
    expect(openai.costUsd).toBeGreaterThan(0);
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort()); // sorted keys

    const md = readFileSync(join(cwd, 'data/bench/2026-03-04T05-06-07Z.md'), 'utf8');
    expect(md).toContain('| Provider | Model | OK | Errors | TTFT p50 |');
    expect(md).toMatch(/\| openai \| gpt-4\.1-mini \| 3\/3 \| 0 \|/);
    expect(md).toContain('## Latency p50 (ms, shorter is better)');
    expect(md).toMatch(/openai\s+█+/);
    expect(md).toContain('Output tok/s (after first chunk)');

    const csv = readFileSync(join(cwd, 'data/bench/2026-03-04T05-06-07Z.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'provider,model,runs,ok,errors,ttft_p50_ms,ttft_p95_ms,latency_p50_ms,latency_p95_ms,output_tokens_per_s_p50,input_tokens_mean,output_tokens_mean,cached_tokens_mean,cost_usd,cost_per_run_usd,skipped',
    );
    expect(csv).toHaveLength(4);
    expect(csv[1]!.startsWith('openai,gpt-4.1-mini,3,3,0,')).toBe(true);
    for (const file of readdirSync(join(cwd, 'data/bench'))) expectNoSecrets(readFileSync(join(cwd, 'data/bench', file), 'utf8'));
  });

  it('records errors per provider, skips unconfigured ones, and exits 1 when a provider never answered', async () => {
    server.setDefault('openai', { status: 429, errorMessage: `quota exceeded for ${TEST_KEYS.openai}` });
    server.setDefault('ollama', { text: 'fine' });
    const cwd = tempDir();
    const io = memoryIO(cwd, fixtureEnv(server, { ANTHROPIC_API_KEY: undefined }));
    const code = await runBenchCommand(
      io,
      { prompt: 'hi', providers: 'openai,anthropic,ollama', runs: '2', json: true },
      { now: () => STAMP },
    );
    expect(code).toBe(1);
    const out = JSON.parse(io.out());
    expect(out.ok).toBe(false);
    const [openai, anthropic, ollama] = out.report.summaries;
    expect(openai).toMatchObject({ ok: 0, errors: 2, errorKinds: { 'rate-limit': 2 } });
    expect(anthropic.skipped).toBe('not configured: ANTHROPIC_API_KEY is not set');
    expect(out.diagnostics).toMatchObject([{ code: 'CF7003', message: 'anthropic skipped: not configured: ANTHROPIC_API_KEY is not set' }]);
    expect(ollama).toMatchObject({ ok: 2, ttftMs: null }); // not streamed: no ttft
    const md = readFileSync(join(cwd, 'data/bench/2026-03-04T05-06-07Z.md'), 'utf8');
    expect(md).toContain('## Errors');
    expect(md).toContain('openai run 1: openai: rate-limit (429): quota exceeded for [redacted]');
    expectNoSecrets(io.out());
    expectNoSecrets(md);
  });

  it('stops at the budget with a partial status and says so', async () => {
    // ~$0.0016 per call at gpt-4.1-mini prices (1000 in, 1000 out)
    server.setDefault('openai', { text: 'x', usage: { input: 1_000, output: 1_000 } });
    const cwd = tempDir();
    const io = memoryIO(cwd, fixtureEnv(server));
    const code = await runBenchCommand(
      io,
      { prompt: 'hi', providers: 'openai', runs: '10', warmup: '0', budget: '0.003' },
      { now: () => STAMP },
    );
    expect(code).toBe(1);
    expect(io.out()).toContain('partial: budget of $0.003000 reached after 2 of 10 runs');
    const json = JSON.parse(readFileSync(join(cwd, 'data/bench/2026-03-04T05-06-07Z.json'), 'utf8'));
    expect(json.status).toBe('partial');
    expect(json.runs).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    expect(readFileSync(join(cwd, 'data/bench/2026-03-04T05-06-07Z.md'), 'utf8')).toContain('**Partial:** budget of $0.003000');
  });

  it('benches a provider named twice once', async () => {
    const io = memoryIO(tempDir(), fixtureEnv(server));
    expect(
      await runBenchCommand(io, { prompt: 'hi', providers: 'ollama,ollama', runs: '2', warmup: '0', json: true }, { now: () => STAMP }),
    ).toBe(0);
    expect(JSON.parse(io.out()).report.summaries.map((s: { provider: string }) => s.provider)).toEqual(['ollama']);
    expect(server.requests).toHaveLength(2);
  });

  it('shows a progress bar on stderr when attached to a terminal', async () => {
    const cwd = tempDir();
    const io = { ...memoryIO(cwd, fixtureEnv(server)), isTTY: true };
    let err = '';
    io.stderr = (text: string) => {
      err += text;
    };
    await runBenchCommand(io, { prompt: 'hi', providers: 'openai,ollama', runs: '2' }, { now: () => STAMP });
    expect(err).toContain('\r[');
    expect(err).toContain('4/4');
    expect(err.endsWith('\n')).toBe(true);
  });

  it('exits 1 and says so when every provider named was skipped', async () => {
    const cwd = tempDir();
    const io = memoryIO(cwd, { ANTHROPIC_API_KEY: undefined });
    expect(await runBenchCommand(io, { prompt: 'hi', providers: 'anthropic', json: true }, { now: () => STAMP })).toBe(1);
    const out = JSON.parse(io.out());
    expect(out).toMatchObject({
      ok: false,
      message: 'nothing was measured: every provider named was skipped; no report written',
      files: [],
    });
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('bench writes data/bench results when every provider failed (regression: it must write nothing and say so)', async () => {
    server.setDefault('openai', { status: 401, errorMessage: 'bad key' });
    server.setDefault('ollama', { status: 400, errorMessage: 'no such model' });
    const cwd = tempDir();
    const text = memoryIO(cwd, fixtureEnv(server));
    expect(await runBenchCommand(text, { prompt: 'hi', providers: 'openai,ollama', runs: '2', warmup: '0' }, { now: () => STAMP })).toBe(1);
    expect(text.out()).toContain('no provider answered: no report written');
    expect(text.out()).not.toContain('wrote');
    const json = memoryIO(cwd, fixtureEnv(server));
    expect(
      await runBenchCommand(json, { prompt: 'hi', providers: 'openai,ollama', runs: '2', warmup: '0', json: true }, { now: () => STAMP }),
    ).toBe(1);
    expect(JSON.parse(json.out())).toMatchObject({ ok: false, message: 'no provider answered: no report written', files: [] });
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('checks where the report goes before spending anything', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'data'), 'a file where the folder should be');
    const io = memoryIO(cwd, fixtureEnv(server));
    expect(await runBenchCommand(io, { prompt: 'hi', providers: 'openai' }, { now: () => STAMP })).toBe(1);
    expect(io.err()).toMatch(/error CF5030: cannot write the bench report to data\/bench: E\w+; pass --out <dir>\n/);
    const json = memoryIO(cwd, fixtureEnv(server));
    expect(await runBenchCommand(json, { prompt: 'hi', providers: 'openai', json: true }, { now: () => STAMP })).toBe(1);
    expect(JSON.parse(json.out())).toMatchObject({ ok: false, command: 'bench', diagnostics: [{ code: 'CF5030' }] });
    await expect(runBenchCommand(io, { prompt: 'hi', providers: 'openai', out: 'data/x' })).rejects.toThrowError(/^--out data\/x: E\w+$/);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [{ providers: 'openai' }, /--prompt/],
    [{ prompt: 'x', providers: 'openai', runs: '0' }, /--runs needs a whole number/],
    [{ prompt: 'x', providers: 'openai', concurrency: 'many' }, /--concurrency/],
    [{ prompt: 'x', providers: 'openai', budget: '-1' }, /--budget/],
    [{ prompt: 'x', providers: 'opneai' }, /unknown provider "opneai" \(did you mean openai\?\); use one of: .*openai/],
  ])('rejects %o as a usage error', async (flags, message) => {
    const io = memoryIO(tempDir(), fixtureEnv(server));
    await expect(runBenchCommand(io, flags)).rejects.toThrowError(UsageError);
    await expect(runBenchCommand(io, flags)).rejects.toThrowError(message);
  });
});

describe('codex-flow providers', () => {
  function withState(providers: Record<string, unknown>): string {
    const cwd = tempDir();
    mkdirSync(join(cwd, '.codex-flow'));
    writeFileSync(join(cwd, '.codex-flow', 'providers-state.json'), JSON.stringify({ version: 1, providers }));
    return cwd;
  }
  const NOW = Date.parse('2026-01-01T00:00:00Z');

  it('lists providers, models and live state from the state file', async () => {
    const cwd = withState({
      openai: {
        state: 'open',
        opens: 1,
        openUntil: NOW + 60_000,
        outcomes: [[NOW - 1_000, 0]],
        lastError: { kind: 'server', message: 'boom', at: NOW - 1_000 },
      },
      ollama: { state: 'closed', opens: 0, outcomes: [], blockedUntil: NOW + 5_000 },
    });
    const io = memoryIO(cwd, { OPENAI_API_KEY: TEST_KEYS.openai, CODEX_FLOW_PROVIDER: 'openai', CODEX_FLOW_FALLBACK: 'anthropic,ollama' });
    expect(await runProviders(io, { probe: false }, { now: () => NOW })).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^PROVIDER\s+KIND\s+MODEL\s+ENDPOINT\s+STATE/);
    expect(out).toMatch(
      /openai\s+openai\s+gpt-4\.1-mini\s+https:\/\/api\.openai\.com\/v1\s+circuit open, cooling down until 2026-01-01T00:01:00\.000Z \(last error: server\)/,
    );
    expect(out).toMatch(/anthropic\s+.*not configured: ANTHROPIC_API_KEY is not set/);
    expect(out).toMatch(/ollama\s+.*rate-limited until 2026-01-01T00:00:05\.000Z/);
    expect(out).toContain('chain: openai → anthropic → ollama');
    expectNoSecrets(out);
  });

  it('says the same in --json, without keys', async () => {
    const cwd = withState({
      anthropic: {
        state: 'closed',
        opens: 0,
        outcomes: [],
        lowQuota: { remainingFraction: 0.05, until: NOW + 30_000, source: 'anthropic-ratelimit-requests-remaining 5/100' },
      },
    });
    const io = memoryIO(cwd, {
      ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
      CODEX_FLOW_HTTP_URL: 'https://user:hunter2secret@cf.example.com/base?token=abc',
      OLLAMA_HOST: '0.0.0.0',
    });
    expect(await runProviders(io, { json: true, probe: false }, { now: () => NOW })).toBe(0);
    const parsed = JSON.parse(io.out());
    const byId = Object.fromEntries(parsed.providers.map((p: { id: string }) => [p.id, p]));
    expect(byId.anthropic).toMatchObject({ configured: true, status: 'low-quota', model: 'claude-sonnet-4-5' });
    expect(byId.openai).toMatchObject({ configured: false, status: 'not-configured', missing: 'OPENAI_API_KEY is not set' });
    expect(byId.ollama).toMatchObject({ configured: true, status: 'not-probed', endpoint: 'http://127.0.0.1:11434/api' });
    expect(byId.http.endpoint).toBe('https://cf.example.com/base');
    expect(io.out()).not.toContain('hunter2secret');
    expectNoSecrets(io.out());
  });

  it('reads a hand-edited state file field by field instead of crashing on it', async () => {
    const cwd = withState({
      openai: {
        state: 'open',
        opens: 1,
        openUntil: 'soon',
        outcomes: [
          ['x', 0],
          [NOW - 1_000, 0],
        ],
        lastError: { kind: 'server', message: 'm', at: 'never' },
      },
      ollama: { state: 'closed', outcomes: [], blockedUntil: 1e20, lowQuota: { remainingFraction: 0.1, until: NOW + 1_000, source: 'x' } },
      anthropic: { state: 'sideways', outcomes: [] },
      http: 'not a record',
    });
    const io = memoryIO(cwd, { OPENAI_API_KEY: TEST_KEYS.openai });
    expect(await runProviders(io, { json: true, probe: false }, { now: () => NOW })).toBe(0);
    const parsed = JSON.parse(io.out());
    const byId = Object.fromEntries(parsed.providers.map((p: { id: string }) => [p.id, p]));
    expect(byId.openai).toMatchObject({ status: 'half-open', failureRate: 1 });
    expect(byId.openai.lastError).toBeUndefined();
    expect(byId.ollama).toMatchObject({ status: 'low-quota' });
    expect(parsed.diagnostics).toMatchObject([{ code: 'CF7004' }]);
    expect(parsed.diagnostics[0].message).toMatch(/has unusable entries for anthropic, http; they start from a clean state$/);
  });

  it('exits 1 when the configured chain names a provider that does not exist', async () => {
    const io = memoryIO(tempDir(), { CODEX_FLOW_PROVIDER: 'opnai', CODEX_FLOW_FALLBACK: 'ollama' });
    expect(await runProviders(io, { probe: false })).toBe(1);
    expect(io.err()).toContain('error CF7002: CODEX_FLOW_PROVIDER: unknown provider "opnai" (did you mean openai?)');
    expect(io.out()).toContain('chain: opnai → ollama');
  });

  it('shows a setting that cannot work as the reason, never a crash', async () => {
    const io = memoryIO(tempDir(), {
      OLLAMA_HOST: 'http://[bad',
      CODEX_FLOW_CLI_CMD: 'llm "x',
      OPENAI_API_KEY: TEST_KEYS.openai,
      OPENAI_BASE_URL: `not-a-url/${TEST_KEYS.openai}`,
    });
    expect(await runProviders(io, { json: true, probe: false })).toBe(0);
    const byId = Object.fromEntries(JSON.parse(io.out()).providers.map((p: { id: string }) => [p.id, p]));
    expect(byId.ollama).toMatchObject({
      status: 'not-configured',
      detail: 'not configured: OLLAMA_HOST="http://[bad" is not a host, host:port or http(s) URL',
    });
    expect(byId.cli).toMatchObject({ status: 'not-configured', missing: 'CODEX_FLOW_CLI_CMD has an unclosed " quote' });
    expect(byId.openai.missing).toBe('OPENAI_BASE_URL="not-a-url/[redacted]" is not an http(s) URL');
    expectNoSecrets(io.out());
  });

  it('is registered on the command line', async () => {
    const io = memoryIO(tempDir(), {});
    expect(await main(['providers', '--json', '--no-probe'], io)).toBe(0);
    expect(JSON.parse(io.out()).command).toBe('providers');
  });
});

describe('decodeRate', () => {
  it('counts the tokens after the first chunk over the time after it', () => {
    // 10 tokens; the first chunk carried 2 of 20 characters, so 9 tokens arrived in the 100 ms after it
    expect(
      decodeRate(10, [
        { atMs: 100, size: 2 },
        { atMs: 150, size: 9 },
        { atMs: 200, size: 9 },
      ]),
    ).toBeCloseTo(90, 10);
    // a long wait for the first chunk does not change the rate
    expect(
      decodeRate(10, [
        { atMs: 5_000, size: 2 },
        { atMs: 5_050, size: 9 },
        { atMs: 5_100, size: 9 },
      ]),
    ).toBeCloseTo(90, 10);
  });

  it('is null when there is no interval to measure', () => {
    expect(decodeRate(10, [])).toBeNull();
    expect(decodeRate(10, [{ atMs: 1, size: 5 }])).toBeNull();
    expect(
      decodeRate(10, [
        { atMs: 1, size: 5 },
        { atMs: 1, size: 5 },
      ]),
    ).toBeNull();
  });
});
