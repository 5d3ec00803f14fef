/**
 * Small planning bugs of `codex-flow swarm`, each pinned by the test named after it:
 * `--plan-only <file>` replaced an existing (possibly hand-edited) plan file, and the swarm
 * routed with the learner exploring (Thompson sampling on when CI is unset), so `--dry-run`,
 * `--plan-only` and a run of the same goal could give different plans.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
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
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-bugs-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true', ...env });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const GOAL = 'add rate limiting to the public API and document it';

describe('swarm planning bugs', () => {
  it('plan_only_overwrites_an_existing_plan_file: refused with CF8130 unless --force', async () => {
    await writeFile(join(project, 'edited.yaml'), '# my edits\n');
    const refused = await cli(['swarm', GOAL, '--plan-only', 'edited.yaml']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('edited.yaml:1:1: error CF8130: edited.yaml exists; the plan was not written');
    expect(await readFile(join(project, 'edited.yaml'), 'utf8')).toBe('# my edits\n');
    const json = await cli(['swarm', GOAL, '--plan-only', 'edited.yaml', '--json']);
    expect([json.code, JSON.parse(json.out).diagnostics.at(-1).code]).toEqual([1, 'CF8130']);
    const forced = await cli(['swarm', GOAL, '--plan-only', 'edited.yaml', '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(join(project, 'edited.yaml'), 'utf8')).toContain('goal: add rate limiting');
  });

  it('dry_run_and_plan_only_give_different_plans: a swarm routes with exploration off, also where CI is unset', async () => {
    server.setDefault('openai', { text: 'done' });
    const ran = await cli(['swarm', GOAL, '--json'], { CI: '' });
    expect(ran.code).toBe(0);
    const decisions = readFileSync(join(project, '.codex-flow/decisions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(decisions.length).toBeGreaterThan(0);
    for (const decision of decisions) expect(decision.explore).toBe(false);
    const plans = [];
    for (let round = 0; round < 3; round++)
      plans.push(
        JSON.parse((await cli(['swarm', GOAL, '--dry-run', '--json'], { CI: '' })).out).plan.subtasks.map((s: any) => s.assignment.agent),
      );
    expect(new Set(plans.map((plan) => plan.join())).size).toBe(1);
    expect(existsSync(join(project, '.runs'))).toBe(true);
  });
});
