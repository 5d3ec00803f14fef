/**
 * Mistakes in codex-flow.config.yaml as a user meets them through the CLI: every section of the
 * registry reports a misspelled key or value at its file:line:col with a stable code and a hint,
 * and a file with mistakes in several sections reports all of them in one run, exit 1 (never 2,
 * never 70). Regression: `learning:` and `router:` mistakes were usage errors (exit 2) with no
 * position, one section per run, and unknown `router:` and `providers:` keys passed silently.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const TASK = 'add a GraphQL resolver';

function project(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-config-cli-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  cpSync(join(fixture, 'briefs'), join(dir, 'briefs'), { recursive: true });
  writeFileSync(join(dir, 'codex-flow.config.yaml'), config);
  return dir;
}

interface Shown {
  code: string;
  severity: string;
  message: string;
  location?: { file: string; line: number; column: number };
  hint?: string;
}

async function route(config: string): Promise<{ exit: number; diagnostics: Shown[]; err: string }> {
  const io = memoryIO(project(config), { CI: 'true' });
  const exit = await main(['route', TASK, '--json', '--no-record', '--no-stale-check'], io);
  const out = JSON.parse(io.out() || '{}') as { diagnostics?: Shown[] };
  return { exit, diagnostics: (out.diagnostics ?? []).filter((entry) => entry.location?.file === 'codex-flow.config.yaml'), err: io.err() };
}

// [config text, exit, code, severity, line:col, message, hint]
const CASES: Array<[string, number, string, string, string, string, string]> = [
  ['compiler:\n  ot: build\n', 1, 'CF9001', 'error', '2:3', 'unknown key `compiler.ot`', 'did you mean `compiler.out`?'],
  ['router:\n  topp: 3\n', 1, 'CF9001', 'error', '2:3', 'unknown key `router.topp`', 'did you mean `router.top`?'],
  [
    'router:\n  semantic: alwys\n',
    1,
    'CF9001',
    'error',
    '2:13',
    '`router.semantic` must be one of: fallback, always, off',
    'did you mean `always`?',
  ],
  [
    'router:\n  weights:\n    keywrd: 2\n',
    1,
    'CF9001',
    'error',
    '3:5',
    'unknown key `router.weights.keywrd`',
    'did you mean `router.weights.keyword`?',
  ],
  ['router:\n  top: 0\n', 1, 'CF9001', 'error', '2:8', '`router.top` must be >= 1', 'the default is 5'],
  [
    'router:\n  rerank:\n    modle: x\n',
    1,
    'CF3200',
    'error',
    '3:5',
    'unknown key `router.rerank.modle`',
    'did you mean `router.rerank.model`?',
  ],
  [
    'router:\n  embeddings:\n    provider: olama\n',
    1,
    'CF3300',
    'error',
    '3:15',
    '`router.embeddings.provider` must be one of: openai, ollama, compatible',
    'did you mean `ollama`?',
  ],
  ['learning:\n  mdoe: on\n', 1, 'CF9001', 'error', '2:3', 'unknown key `learning.mdoe`', 'did you mean `learning.mode`?'],
  ['learning:\n  mode: shadw\n', 1, 'CF9001', 'error', '2:9', '`learning.mode` must be one of: on, shadow, off', 'did you mean `shadow`?'],
  [
    'learning:\n  reward:\n    latency_ref_ms:\n      codng: 100\n',
    1,
    'CF9001',
    'error',
    '4:7',
    'unknown key `learning.reward.latency_ref_ms.codng`',
    'did you mean `learning.reward.latency_ref_ms.coding`?',
  ],
  [
    'learning:\n  reward:\n    latency: 0.5\n    cost: 0.5\n',
    1,
    'CF9001',
    'error',
    '3:5',
    '`learning.reward`: latency + cost + review must be at most 1, so a success never scores below a failure',
    'they sum to 1.3 here (an unset one counts at its default); lower one of them',
  ],
  ['server:\n  tokns: []\n', 1, 'CF9511', 'error', '2:3', 'unknown key `server.tokns`', 'did you mean `server.tokens`?'],
  [
    'providers:\n  fallbak: [openai]\n',
    0,
    'CF7001',
    'warning',
    '2:3',
    'unknown key `providers.fallbak`; ignored',
    'did you mean `providers.fallback`?',
  ],
  [
    'providers:\n  breaker:\n    windowMS: 10\n',
    0,
    'CF7001',
    'warning',
    '3:5',
    'unknown key `providers.breaker.windowMS`; ignored',
    'did you mean `providers.breaker.windowMs`?',
  ],
  ['runner:\n  workspce: x\n', 0, 'CF8010', 'warning', '2:3', 'unknown key `runner.workspce`; ignored', 'did you mean `runner.workspace`?'],
  [
    'runner:\n  tools: [bash]\n',
    0,
    'CF8010',
    'warning',
    '2:10',
    '`runner.tools` must be object',
    'write a mapping (`key: value` lines indented below) there',
  ],
  ['queue:\n  stal_ms: 10\n', 0, 'CF8500', 'warning', '2:3', 'unknown key `queue.stal_ms`; ignored', 'did you mean `queue.stall_ms`?'],
];

describe('a mistake in any config section, through `codex-flow route`', () => {
  it.each(CASES)('%j → exit %i, %s %s at %s', async (config, exit, code, severity, at, message, hint) => {
    const routed = await route(config);
    expect(routed.exit, routed.err).toBe(exit);
    expect(routed.diagnostics.map((d) => [d.code, d.severity, `${d.location!.line}:${d.location!.column}`, d.message, d.hint])).toEqual([
      [code, severity, at, message, hint],
    ]);
  });

  it('one file with mistakes in three sections gives three diagnostics in one run, exit 1, each at its place', async () => {
    const io = memoryIO(project('learning:\n  mode: onn\nrouter:\n  top: 0\ncompiler:\n  ot: x\n'), { CI: 'true' });
    expect(await main(['route', TASK, '--no-record'], io)).toBe(1);
    const shown = io.err();
    expect(shown).toContain('codex-flow.config.yaml:2:9: error CF9001: `learning.mode` must be one of: on, shadow, off');
    expect(shown).toContain('hint: did you mean `on`?');
    expect(shown).toContain('codex-flow.config.yaml:4:8: error CF9001: `router.top` must be >= 1');
    expect(shown).toContain('codex-flow.config.yaml:6:3: error CF9001: unknown key `compiler.ot`');
    expect(shown).not.toMatch(/usage|internal error/i);
  });

  it('a good config with every section routes as before, with no config diagnostic', async () => {
    const routed = await route(
      [
        'compiler:\n  out: codex/agents\n',
        'router:\n  top: 3\n  semantic: always\n  weights:\n    keyword: 1.5\n  rerank:\n  disabled: []\n',
        'learning:\n  mode: shadow\n  explore: false\n  reward:\n    latency: 0.2\n    latency_ref_ms:\n      coding: 30000\n',
        'server:\n  tokens: []\n',
        'providers:\n  rounds: 2\n  breaker:\n    windowMs: 1000\n',
        'runner:\n  workspace: .\n',
        'queue:\n  prefix: cf\n',
      ].join(''),
    );
    expect(routed.exit, routed.err).toBe(0);
    expect(routed.diagnostics).toEqual([]);
  });
});
