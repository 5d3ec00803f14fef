/**
 * `learning.autotune: apply` through `codex-flow run`: the outcomes so far tune the agent before
 * the run (CF5101 says what changed), `run --dry-run` shows the tuned limit, and with `suggest`
 * (the default) nothing changes.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { recordOutcome } from '../../src/learn/record.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-autotune-run-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  for (let i = 0; i < 12; i++)
    recordOutcome(project, {
      agent: 'flaky-test-hunter',
      alias: 'flaky-test-hunter',
      ok: i % 2 === 0,
      latency_ms: 3000,
      retries: 0,
      tool_errors: 0,
      stop_reason: i % 2 === 0 ? 'completed' : 'timeout',
      task_hash: `t${i}`,
      at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('run with learning.autotune', () => {
  it('suggest (the default) changes nothing', async () => {
    const { code, out } = await cli(['run', '--agent', 'flaky-test-hunter', 'fix it', '--dry-run']);
    expect(code).toBe(0);
    expect(out).toMatch(/limits\s+.* 2 parallel/);
    expect(existsSync(join(project, '.codex-flow/tuning.json'))).toBe(false);
  });

  it('apply tunes the agent before the run, says so (CF5101, a note --verbose shows), and the run uses the tuned limit', async () => {
    await writeFile(join(project, 'codex-flow.config.yaml'), 'learning:\n  autotune: apply\n');
    server.enqueue('openai', { text: 'done' });
    const { code, err } = await cli(['run', '--agent', 'flaky-test-hunter', 'fix it', '--verbose']);
    expect(code).toBe(0);
    expect(err).toMatch(/CF5101.*flaky-test-hunter max_parallel_tasks 2 → 1/);
    expect(err).toMatch(/CF5101.*flaky-test-hunter autonomy_level 3 → 2/);
    const dry = await cli(['run', '--agent', 'flaky-test-hunter', 'fix it', '--dry-run']);
    expect(dry.out).toMatch(/limits\s+.* 1 parallel/);
  });

  it('stats says tuned values are not applied once autotune is no longer apply, and runs use the compiled limit', async () => {
    const applied = await cli(['stats']);
    expect(applied.out).toContain('tuned (learning.autotune: apply;');
    await writeFile(join(project, 'codex-flow.config.yaml'), 'learning:\n  autotune: off\n');
    const off = await cli(['stats']);
    expect(off.out).toContain('tuned values on file, not applied (learning.autotune: off;');
    const json = await cli(['stats', '--json']);
    expect(JSON.parse(json.out).tuning.applied).toBe(false);
    const dry = await cli(['run', '--agent', 'flaky-test-hunter', 'fix it', '--dry-run']);
    expect(dry.out).toMatch(/limits\s+.* 2 parallel/);
  });
});
