/**
 * The runs-in-flight cap and the shutdown check hold for requests that arrive together: each
 * request takes its slot before its first await, and a run whose setup outlasts the start of
 * shutdown is refused instead of starting after the drain's abort pass.
 */
import { describe, expect, it } from 'vitest';
import { MAX_JOBS_IN_FLIGHT } from '../../src/server/jobs.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import { call, makeProject, serve } from './support.js';

const providers = useProviderServer();
const RUN = { task: 'review this change', agent: 'code-reviewer' };

describe('serve: runs in flight', () => {
  it('concurrent POST /v1/runs cannot pass the in-flight cap', async () => {
    providers.setDefault('openai', { text: 'Reviewed.', latencyMs: 3_000 });
    const started = await serve(await makeProject(), { env: { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'openai' } });
    try {
      const answers = await Promise.all(
        Array.from({ length: MAX_JOBS_IN_FLIGHT + 8 }, () => call(started.server.url, '/v1/runs', { body: RUN })),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 202).length, JSON.stringify(statuses)).toBe(MAX_JOBS_IN_FLIGHT);
      expect(statuses.filter((status) => status === 429).length).toBe(8);
      expect(started.server.context.jobs.inFlight).toBeLessThanOrEqual(MAX_JOBS_IN_FLIGHT);
    } finally {
      await started.server.stop();
    }
  });

  it('a run still opening when shutdown begins is refused with 503, not started after the drain', async () => {
    const env = { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'openai' };
    const started = await serve(await makeProject(), { env });
    const context = started.server.context;
    let stopping: Promise<void> | undefined;
    // The handler reads context.env once it has passed its checks and is opening the run: shutdown begins right then.
    Object.defineProperty(context, 'env', {
      configurable: true,
      get() {
        stopping ??= started.server.stop();
        return env;
      },
    });
    const answer = await call(started.server.url, '/v1/runs', { body: RUN });
    await stopping;
    expect(stopping).toBeDefined();
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(answer.body.diagnostics[0].code).toBe('CF9507');
    expect(context.jobs.inFlight).toBe(0);
  });
});
