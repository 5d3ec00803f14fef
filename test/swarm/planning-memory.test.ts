/**
 * Planning only (`--dry-run`, `--plan-only`) runs no agent, so it opens no memory store: an
 * unreachable Redis under `runner.memory.required` must not refuse a plan (CF8021), nor make
 * planning wait for Redis.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-plan-memory-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  // Port 1 on the loopback: nothing listens, the connection is refused at once.
  await writeFile(join(project, 'codex-flow.config.yaml'), 'runner:\n  memory:\n    redis_url: redis://127.0.0.1:1\n    required: true\n');
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = memoryIO(project, { CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('planning opens no memory store', () => {
  it('swarm_dry_run_opens_memory: --dry-run and --plan-only plan with an unreachable required Redis', async () => {
    const dry = await cli(['swarm', 'add rate limiting to the public API and document it', '--dry-run']);
    expect(dry.err).not.toContain('CF8021');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('plan (heuristic, 2 subtasks)');
    const planOnly = await cli(['swarm', 'add rate limiting to the public API and document it', '--plan-only']);
    expect(planOnly.err).not.toContain('CF8021');
    expect(planOnly.code).toBe(0);
  });
});
