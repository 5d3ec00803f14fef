/**
 * A run's streamed text goes through the run's redactor like its record does, and every token of
 * CODEX_FLOW_TOKENS (a comma-separated list) is a secret of its own.
 */
import { describe, expect, it } from 'vitest';
import { secretsFromEnv } from '../../src/providers/redact.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import { call, makeProject, serve } from './support.js';

const providers = useProviderServer();
const FIRST = 'first-server-token-0123456789';
const SECOND = 'second-server-token-9876543210';

describe('serve: secrets in streamed runs', () => {
  it('CODEX_FLOW_TOKENS lists each token as a secret, not the joined string alone', () => {
    expect(secretsFromEnv({ CODEX_FLOW_TOKENS: `${FIRST}, ${SECOND}` })).toEqual(expect.arrayContaining([FIRST, SECOND]));
  });

  it('run text events mask a server token the model echoes', async () => {
    const started = await serve(await makeProject(), {
      env: { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'openai', CODEX_FLOW_TOKENS: `${FIRST},${SECOND}` },
    });
    try {
      providers.enqueue('openai', { text: `The token is ${SECOND} and that is all.` });
      const run = await call(started.server.url, '/v1/runs', {
        body: { task: 'review this change', agent: 'code-reviewer' },
        token: FIRST,
      });
      expect(run.status, JSON.stringify(run.body)).toBe(202);
      const events = await fetch(`${started.server.url}${run.body.links.events}`, {
        headers: { authorization: `Bearer ${FIRST}` },
        signal: AbortSignal.timeout(20_000),
      });
      const stream = await events.text();
      expect(stream).toMatch(/event: text\n/);
      expect(stream).toMatch(/event: end\n/);
      expect(stream).not.toContain(SECOND);
      expect(stream).toContain('[redacted]');
    } finally {
      await started.server.stop();
    }
  });
});

describe('serve: a secret split across streamed pieces', () => {
  const SPLIT = 'alpha-bravo charlie-delta echo-foxtrot';

  it('run text events redact a secret the model streams in several pieces (secret-split-across-chunks)', async () => {
    const started = await serve(await makeProject(), {
      env: { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'openai', DEPLOY_TOKEN: SPLIT },
    });
    try {
      // The fixture streams one word a chunk: the secret arrives as three pieces, none holding it whole.
      providers.enqueue('openai', { text: `The deploy token is ${SPLIT} and that is all.` });
      const run = await call(started.server.url, '/v1/runs', { body: { task: 'review this change', agent: 'code-reviewer' } });
      expect(run.status, JSON.stringify(run.body)).toBe(202);
      const events = await fetch(`${started.server.url}${run.body.links.events}`, { signal: AbortSignal.timeout(20_000) });
      const stream = await events.text();
      expect(stream).toMatch(/event: end\n/);
      const text = [...stream.matchAll(/event: text\ndata: (.*)\n/g)]
        .map((match) => (JSON.parse(match[1]!) as { text: string }).text)
        .join('');
      expect(text).toContain('The deploy token is');
      expect(text).toContain('and that is all.');
      expect(text).not.toContain('charlie-delta');
      expect(text).toContain('[redacted]');
    } finally {
      await started.server.stop();
    }
  });
});
