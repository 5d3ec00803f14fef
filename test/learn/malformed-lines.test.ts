/**
 * One learning line of valid JSON and the wrong shape (`"context":[1]`) crashed `route` and `run`
 * (issue 16): every field the learner reads is checked, and a line that fails is skipped with a
 * CF6601 warning.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { isDecision, isOutcome } from '../../src/learn/record-shape.js';

const fleet = join(import.meta.dirname, '../../codex/agents');
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const good = {
  agent: 'debugger',
  alias: 'default',
  ok: true,
  latency_ms: 5,
  retries: 0,
  tool_errors: 0,
  stop_reason: 'completed',
  task_hash: 'x',
  at: '2026-01-01T00:00:00.000Z',
};
const wrongShapes: Array<Record<string, unknown>> = [
  { context: [1] },
  { context: 'kw:1' },
  { labels: [[1, 'x']] },
  { labels: [['b']] },
  { brief_hash: 5 },
  { at: 7 },
  { route_id: {} },
  { latency_ms: 'slow' },
  { retries: [] },
  { stop_reason: 3 },
  { tokens: { input: 'many' } },
  { agent: 3 },
  { ok: 'yes' },
];

function project(lines: string[], decisions: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'cf-learn-lines-'));
  roots.push(root);
  cpSync(fleet, join(root, 'codex/agents'), { recursive: true });
  mkdirSync(join(root, '.codex-flow'));
  writeFileSync(join(root, '.codex-flow/outcomes.jsonl'), lines.join('\n') + '\n');
  if (decisions.length > 0) writeFileSync(join(root, '.codex-flow/decisions.jsonl'), decisions.join('\n') + '\n');
  return root;
}

async function cli(root: string, argv: string[]) {
  const io = memoryIO(root, { CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('learning lines of the wrong shape', () => {
  it('are rejected field by field', () => {
    expect(isOutcome(good)).toBe(true);
    for (const change of wrongShapes) expect(isOutcome({ ...good, ...change }), JSON.stringify(change)).toBe(false);
    const decision = { route_id: 'route:1', at: 'x', chosen: 'debugger', candidates: ['debugger'], features: ['kw:1'], explore: false };
    expect(isDecision(decision)).toBe(true);
    for (const change of [{ features: [1] }, { candidates: [null] }, { labels: [[1, 2]] }, { briefs: { debugger: 1 } }, { chosen: 4 }]) {
      expect(isDecision({ ...decision, ...change }), JSON.stringify(change)).toBe(false);
    }
  });

  it('route and run skip a "context":[1] line with CF6601 and route on the rest', async () => {
    const root = project([JSON.stringify(good), JSON.stringify({ ...good, context: [1] }), JSON.stringify({ ...good, labels: [[1, 2]] })]);
    const route = await cli(root, ['route', 'fix the flaky login test']);
    expect(route.code, route.err).toBe(0);
    expect(route.err).toContain('CF6601');
    const run = await cli(root, ['run', '--route', 'fix the flaky login test', '--dry-run']);
    expect(run.code, run.err).toBe(0);
    const stats = await cli(root, ['stats']);
    expect(stats.code, stats.err).toBe(0);
  }, 60_000);

  it('an outcome naming a decision whose features are not strings does not crash route', async () => {
    const decision = {
      route_id: 'route:bad',
      at: good.at,
      chosen: 'debugger',
      candidates: ['debugger'],
      features: [1, { x: 1 }],
      explore: false,
    };
    const root = project([JSON.stringify({ ...good, route_id: 'route:bad' })], [JSON.stringify(decision)]);
    const route = await cli(root, ['route', 'fix the flaky login test']);
    expect(route.code, route.err).toBe(0);
    expect(route.err).toContain('CF6601');
  }, 60_000);
});
