/**
 * A swarm records its hand-offs: a subtask that runs after another is a hand-off from that
 * subtask's agent to its own, judged against the receiving agent's baseline once one exists, and
 * tallied in `.codex-flow/handoffs.json`; `stats` shows the tallies and `stats --reset-tuning`
 * clears them.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-handoffs-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  await writeFile(
    join(project, 'two.yaml'),
    'subtasks:\n  - id: d1\n    task: make the build green\n    agent: flaky-test-hunter\n  - id: d2\n    task: summarize what d1 did\n    agent: api-docs-writer\n    depends_on: [d1]\n',
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('hand-offs recorded by a swarm', () => {
  it('the second run of a plan tallies d1 → d2 against the receiving agent’s record; stats shows it; --reset-tuning clears it', async () => {
    server.setDefault('openai', () => ({ text: 'done' }));
    // The first run gives api-docs-writer its first outcome: a baseline for the next hand-off to it.
    expect((await cli(['swarm', '--plan', 'two.yaml', '--json'])).code).toBe(0);
    expect((await cli(['swarm', '--plan', 'two.yaml', '--json'])).code).toBe(0);
    const file = join(project, '.codex-flow/handoffs.json');
    const data = JSON.parse(await readFile(file, 'utf8'));
    expect(data.format).toBe('codex-flow/handoffs');
    const tally = data.pairs['flaky-test-hunter → api-docs-writer'];
    expect(tally.handoffs).toBeGreaterThanOrEqual(1);
    expect(tally.better + tally.equal + tally.worse).toBe(tally.handoffs);

    const stats = await cli(['stats', '--json']);
    expect(JSON.parse(stats.out).handoffs.pairs[0]).toMatchObject({
      from: 'flaky-test-hunter',
      to: 'api-docs-writer',
      handoffs: tally.handoffs,
    });
    expect((await cli(['stats'])).out).toMatch(
      /flaky-test-hunter → api-docs-writer: \d+ hand-off\(s\), \d+ better \/ \d+ equal \/ \d+ worse/,
    );

    const reset = await cli(['stats', '--reset-tuning', '--json']);
    expect(JSON.parse(reset.out).handoffs).toEqual({ pairs: [], reset: 1 });
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8')).pairs).toEqual({});
  });

  it('a damaged hand-off file is a CF6721 warning for stats; nothing crashes', async () => {
    await writeFile(join(project, '.codex-flow/handoffs.json'), '{"format": "codex-flow/handoffs", "pairs": ');
    const stats = await cli(['stats', '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out).diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF6721');
    const plan = await cli(['swarm', '--plan', 'two.yaml', '--dry-run', '--json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.out).diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF6721');
  });
});
