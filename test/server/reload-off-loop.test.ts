/**
 * A hot reload parses the published fleet on the compile thread, not on the event loop
 * (regression: every reload parsed index.json and triggers.json and checked them on the main
 * thread, the longest stall of a reload under load). The compile thread reads the fleet back,
 * checks it and hands over the texts; the served snapshot parses them only if a request reads the
 * index (/v1/agents), and then from those texts, so it still never mixes with a later publish.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, makeProject, serve, type Started } from './support.js';

let root: string;
let started: Started;
const BRIEF = '.claude/agents/quality/code-reviewer.md';

beforeAll(async () => {
  root = await makeProject();
  started = await serve(root, { watch: true });
  const deadline = Date.now() + 90_000;
  while (started.server.context.holder.compiles < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(started.server.context.holder.compiles).toBeGreaterThanOrEqual(1);
}, 120_000);
afterAll(async () => {
  await started?.server.stop();
});

describe('serve --watch: the reload off the event loop', () => {
  it('a reload after an edit never parses index.json or triggers.json on the main thread', async () => {
    const { holder } = started.server.context;
    const before = holder.current!.hash;
    const parse = vi.spyOn(JSON, 'parse');
    const brief = join(root, BRIEF);
    writeFileSync(
      brief,
      readFileSync(brief, 'utf8').replace(
        /^description: .*$/m,
        'description: Reviews code changes for quality and security; checks pull requests before merge.',
      ),
    );
    const deadline = Date.now() + 60_000;
    while (holder.current?.hash === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = holder.current!.hash;
    const published = ['index.json', 'triggers.json'].map((name) => readFileSync(join(root, 'codex/agents', name), 'utf8'));
    const fleetParses = parse.mock.calls.filter(([text]) => published.includes(text));
    parse.mockRestore();
    expect(after).not.toBe(before);
    expect(holder.pending).toEqual([]);
    expect(fleetParses).toHaveLength(0);

    // The snapshot still serves whole: a route, and the index parsed on demand from the checked texts.
    const routed = await call(started.server.url, '/v1/route', { body: { task: 'review this pull request before merge', record: false } });
    expect(routed.status).toBe(200);
    expect(routed.body.fleet_hash).toBe(after);
    const agents = await call(started.server.url, '/v1/agents');
    expect(agents.body.fleet_hash).toBe(after);
    expect(agents.body.agents.find((agent: { id: string }) => agent.id === 'code-reviewer').description).toMatch(
      /checks pull requests before merge/,
    );
  }, 120_000);
});
