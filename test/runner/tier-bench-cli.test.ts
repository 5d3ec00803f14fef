/**
 * `run --dry-run` and `route --explain` rank a tier chain with the bench results in data/bench:
 * a member the bench found faster and cheaper goes first before the tier has any run, the text
 * and `--json` carry the same figures, and a damaged report is a CF6720 warning, never a crash.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const env = { ANTHROPIC_API_KEY: 'sk-ant-test', OLLAMA_HOST: '127.0.0.1:9', CI: 'true' };
let project: string;

const summary = (provider: string, model: string, p50: number, costPerRunUsd: number | null) => ({
  provider,
  model,
  runs: 5,
  ok: 5,
  errors: 0,
  errorKinds: {},
  latencyMs: { p50, p95: p50 * 2 },
  costPerRunUsd,
});

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-tier-bench-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  await writeFile(join(project, 'codex-flow.config.yaml'), 'providers:\n  tiers:\n    librarian: [anthropic:haiku, "ollama:qwen2.5:3b"]\n');
  await mkdir(join(project, 'data/bench'), { recursive: true });
  await writeFile(
    join(project, 'data/bench/2026-12-01T10-00-00Z.json'),
    JSON.stringify({
      version: 1,
      summaries: [summary('anthropic', 'claude-haiku-4-5', 2400, 0.004), summary('ollama', 'qwen2.5:3b', 420, 0.0003)],
      runs: [],
    }),
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = memoryIO(project, env, '');
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('tier ranking from bench results', () => {
  it('run --dry-run ranks the bench-faster member first, in text and JSON', async () => {
    const text = await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /ranked 1st: ollama:qwen2\.5:3b — score [\d.]+: success 86 % \(bench 5\/5\), bench p50 420 ms, \$0\.0003\/call/,
    );
    expect(text.out).toMatch(/ranked 2nd: anthropic:haiku — .*bench p50 2400 ms, \$0\.0040\/call/);
    expect(text.out).toMatch(/providers ollama → anthropic/);
    const json = JSON.parse((await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--dry-run', '--json'])).out);
    expect(json.plans[0].tier.members[0]).toMatchObject({
      provider: 'ollama',
      evidence: { bench: { latency_p50_ms: 420, cost_per_call_usd: 0.0003, runs: 5, ok: 5 }, bench_share: 1 },
    });
    expect(json.plans[0].providers).toEqual(['ollama', 'anthropic']);
  });

  it('route --explain shows the same ranking', async () => {
    const text = await cli(['route', 'write the changelog for this release', '--explain', 'changelog-writer', '--no-record']);
    expect(text.out).toMatch(/1\. ollama qwen2\.5:3b — score [\d.]+: success 86 % \(bench 5\/5\), bench p50 420 ms/);
    const json = JSON.parse(
      (await cli(['route', 'write the changelog for this release', '--explain', 'changelog-writer', '--json', '--no-record'])).out,
    );
    expect(json.tier.chain[0]).toMatchObject({ provider: 'ollama', evidence: { bench: { latency_p50_ms: 420 } } });
  });

  it('a damaged bench report is a CF6720 warning; the run plan is still made from the rest', async () => {
    await writeFile(join(project, 'data/bench/2026-12-02T10-00-00Z.json'), '{"summaries": [');
    const json = JSON.parse((await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--dry-run', '--json'])).out);
    expect(json.ok).toBe(true);
    expect(json.diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF6720');
    expect(json.plans[0].providers).toEqual(['ollama', 'anthropic']);
    const text = await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.out + text.err).toMatch(/warning CF6720: bench report .*2026-12-02T10-00-00Z\.json ignored: not JSON/);
  });
});
