import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-route-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  cpSync(join(fixture, 'briefs'), join(dir, 'briefs'), { recursive: true });
  return dir;
}

describe('codex-flow route', () => {
  it('prints the top agents, and --json is byte-identical across runs in CI', async () => {
    const dir = project();
    const text = memoryIO(dir);
    expect(await main(['route', 'add a GraphQL resolver for orders', '--top', '2'], text)).toBe(0);
    expect(text.out()).toMatch(/^ 1\. graphql-architect/);
    // CI mode: no exploration, nothing random (learning explores by default on a laptop).
    const runs = await Promise.all(
      [1, 2].map(async () => {
        const io = memoryIO(dir, { CI: 'true' });
        expect(await main(['route', 'add a GraphQL resolver', '--files', 'infra/main.tf', '--json'], io)).toBe(0);
        return io.out();
      }),
    );
    expect(runs[0]).toBe(runs[1]);
    expect(JSON.parse(runs[0]!).result.candidates.map((c: { id: string }) => c.id)).toContain('terraform-engineer');
  });
  it('reads changed files from stdin with --files -', async () => {
    const io = memoryIO(project(), {}, 'infra/main.tf\nsrc/App.tsx\n');
    expect(await main(['route', '--files', '-', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out()).request.files).toEqual(['infra/main.tf', 'src/App.tsx']);
  });
  it('--explain shows evidence and terms; --explain <id> says why not', async () => {
    const dir = project();
    const io = memoryIO(dir);
    await main(['route', 'fix CVE-2021-44228', '--explain'], io);
    expect(io.out()).toContain('regex    /CVE-\\d{4}-\\d+/ priority 9 matched "CVE-2021-44228" at 4–18');
    expect(io.out()).toMatch(/\+ regex\s+1\.000 × 0\.900 = 0\.900/);
    const whyNot = memoryIO(dir);
    await main(['route', 'fix CVE-2021-44228', '--explain', 'frontend-developer'], whyNot);
    expect(whyNot.out()).toMatch(/frontend-developer: not chosen — no trigger matched/);
  });
  it('usage errors exit 2, a missing fleet exits 1, a stale fleet warns', async () => {
    expect(await main(['route'], memoryIO(project()))).toBe(2);
    expect(await main(['route', 'x', '--top', 'many'], memoryIO(project()))).toBe(2);
    expect(await main(['route', 'x', '--semantic', 'sometimes'], memoryIO(project()))).toBe(2);
    const empty = memoryIO(mkdtempSync(join(tmpdir(), 'cf-empty-')));
    expect(await main(['route', 'x'], empty)).toBe(1);
    expect(empty.err()).toContain('CF5011');
    const dir = project();
    writeFileSync(join(dir, 'briefs/graphql-architect.md'), 'edited\n');
    const stale = memoryIO(dir);
    expect(await main(['route', 'graphql'], stale)).toBe(0);
    expect(stale.err()).toContain('CF5024');
  });
  it('with nothing matched, names the fallback once, as an escalation, and still answers', async () => {
    const io = memoryIO(project());
    expect(await main(['route', 'zzqx blorp', '--semantic', 'off', '--no-record'], io)).toBe(0);
    const reasons = io
      .out()
      .split('\n')
      .filter((line) => line.includes('no keyword, regex or glob matched'));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^escalation: /);
    expect(io.out()).toMatch(/^ 1\. \S+/m);
  });
});

describe('codex-flow eval', () => {
  it('reports top-1, top-3, MRR, confusion and misses; --min-top1 gates', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'labels.jsonl'),
      [
        '{"task": "add a graphql resolver", "expected": "graphql-architect"}',
        '{"task": "", "files": ["infra/vpc.tf"], "expected": ["terraform-engineer"]}',
        '{"task": "make the css grid responsive", "expected": "backend-developer"}',
        'not json',
        '{"task": "x", "expected": "nobody"}',
      ].join('\n'),
    );
    const io = memoryIO(dir);
    // The unusable line fails the run; the other lines are still scored and reported.
    expect(await main(['eval', 'labels.jsonl', '--json'], io)).toBe(1);
    const { ok, report, diagnostics } = JSON.parse(io.out());
    expect(ok).toBe(false);
    expect(report).toMatchObject({ total: 4, top1: 0.5, depth: 15 });
    // Depth: the backend developer is listed among the weak candidates, so recall@5 counts it.
    expect(Object.keys(report.recall)).toEqual(['5', '10', '15']);
    expect(report.recall[5]).toBeGreaterThanOrEqual(report.top3);
    expect(report.perAgent['backend-developer']).toEqual({ expected: 1, top1: 0, chosenInstead: [{ id: 'frontend-developer', count: 1 }] });
    expect(report.misses.map((m: { line: number }) => m.line)).toEqual([3, 5]);
    expect(diagnostics.map((d: { code: string }) => d.code).sort()).toEqual(['CF6010', 'CF6011']);
    const text = memoryIO(dir);
    expect(await main(['eval', 'labels.jsonl', '--min-top1', '0.9'], text)).toBe(1);
    expect(text.out()).toMatch(/top-1 50\.0%, top-3 .*MRR .*recall@5\/10\/15 \d/);
    expect(text.out()).toContain('1 line(s) of labels.jsonl could not be used (above); the report covers the other 4');
    // Without the bad line the same set passes.
    writeFileSync(join(dir, 'labels.jsonl'), readFileSync(join(dir, 'labels.jsonl'), 'utf8').replace('not json\n', ''));
    expect(await main(['eval', 'labels.jsonl'], memoryIO(dir))).toBe(0);
  });
});
