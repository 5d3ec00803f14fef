/**
 * Swarms started through the server record their hand-offs as `codex-flow swarm` does: both go
 * through `swarmRunInput` (project/open-swarm.ts), so a swarm POSTed to /v1/swarms tallies each
 * subtask that ran after another in `.codex-flow/handoffs.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import { call, makeProject, serve, type Started } from '../server/support.js';

const providers = useProviderServer();
let root: string;
let started: Started;
let url: string;

beforeAll(async () => {
  root = await makeProject();
  started = await serve(root, { env: { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'openai', CODEX_FLOW_HTTP_URL: undefined } });
  url = started.server.url;
});
afterAll(async () => {
  await started?.server.stop();
});

async function swarmToEnd(goal: string): Promise<any> {
  const posted = await call(url, '/v1/swarms', { body: { goal } });
  expect(posted.status, JSON.stringify(posted.body)).toBe(202);
  const events = await fetch(`${url}${posted.body.links.events}`, { signal: AbortSignal.timeout(60_000) });
  expect(await events.text()).toMatch(/event: end/);
  return (await call(url, `/v1/swarms/${posted.body.id}`)).body;
}

describe('server swarms record hand-offs', () => {
  it('server-swarm-records-handoffs: a POSTed swarm with a dependency tallies the pair in handoffs.json', async () => {
    providers.setDefault('openai', () => ({ text: 'done' }));
    const goal = 'fix the failing login test and then document the login change';
    const planned = await call(url, '/v1/swarms', { body: { goal, dry_run: true } });
    const dependent = planned.body.plan.subtasks.filter((s: { depends_on?: string[] }) => (s.depends_on ?? []).length > 0);
    expect(dependent.length, JSON.stringify(planned.body.plan)).toBeGreaterThan(0);
    // The first swarm gives the receiving agents their first outcomes: a baseline the second's hand-offs are judged against.
    await swarmToEnd(goal);
    const second = await swarmToEnd(goal);
    expect(second.status, JSON.stringify(second)).toBe('ok');
    const file = join(root, '.codex-flow/handoffs.json');
    expect(existsSync(file)).toBe(true);
    const pairs = JSON.parse(readFileSync(file, 'utf8')).pairs as Record<string, { handoffs: number }>;
    const total = Object.values(pairs).reduce((sum, tally) => sum + tally.handoffs, 0);
    expect(total).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
