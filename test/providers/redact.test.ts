/**
 * Secrets never leave the process: the redactor, and the places that use it (errors, logs,
 * results) against a server that echoes the key back.
 */
import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, secretsFromEnv, urlPassword } from '../../src/providers/redact.js';
import { ProviderError } from '../../src/providers/errors.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { TEST_KEYS, testChain } from '../support/provider-env.js';

describe('Redactor', () => {
  const redactor = new Redactor(['my-custom-secret-value', 'abc']);

  it('scrubs known values wherever they appear, but not values too short to be keys', () => {
    expect(redactor.text('GET https://x.test/?k=my-custom-secret-value&v=abc')).toBe(`GET https://x.test/?k=${REDACTED}&v=abc`);
  });

  it.each([
    ['Incorrect API key provided: sk-proj-AbC123xyz789DEF456', `Incorrect API key provided: ${REDACTED}`],
    ['key sk-ant-api03-Zz9_yY8-xX7wW6vV5uU4', `key ${REDACTED}`],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', `Authorization: Bearer ${REDACTED}`],
    ['sent Bearer abcdef123456 upstream', `sent Bearer ${REDACTED} upstream`],
    ['{"x-api-key":"secret-999999"}', `{"x-api-key":"${REDACTED}"}`],
    ['url?api_key=zzzzzzzz&other=1', `url?api_key=${REDACTED}&other=1`],
    ['url?token=abc123&other=1', `url?token=${REDACTED}&other=1`],
    [
      'cannot reach https://bob:hunter2secret@gw.example.com/v1: ECONNREFUSED',
      `cannot reach https://${REDACTED}@gw.example.com/v1: ECONNREFUSED`,
    ],
    ['max_tokens: 12, tokens=5 left', 'max_tokens: 12, tokens=5 left'],
  ])('scrubs key-shaped text: %s', (input, output) => {
    expect(new Redactor().text(input)).toBe(output);
  });

  it('deep-copies objects, replacing credential-named keys and scrubbing strings', () => {
    const input = {
      headers: { authorization: 'Bearer zzz', 'content-type': 'json' },
      apiKey: 'x1',
      nested: [{ note: 'my-custom-secret-value' }],
      tokens: 12,
      maxOutputTokens: 3,
    };
    const output = redactor.value(input);
    expect(output).toEqual({
      headers: { authorization: REDACTED, 'content-type': 'json' },
      apiKey: REDACTED,
      nested: [{ note: REDACTED }],
      tokens: 12,
      maxOutputTokens: 3,
    });
    expect(input.apiKey).toBe('x1'); // not mutated
  });

  it('turns errors into their JSON form, redacted', () => {
    const error = new ProviderError('auth', 'bad key my-custom-secret-value', { provider: 'openai', status: 401 });
    expect(redactor.value({ error })).toMatchObject({ error: { kind: 'auth', message: `bad key ${REDACTED}`, status: 401 } });
  });

  it('collects credential variables from an environment', () => {
    expect(
      secretsFromEnv({
        OPENAI_API_KEY: 'a',
        ANTHROPIC_AUTH_TOKEN: 'b',
        CODEX_FLOW_HTTP_TOKEN: 'c',
        HOME: '/root',
        OPENAI_MODEL: 'gpt',
      }).sort(),
    ).toEqual(['a', 'b', 'c']);
  });
});

describe('secrets in errors and logs', () => {
  const server = useProviderServer();

  it('a provider that echoes the key back never gets it into the error, the log or the causes', async () => {
    server.enqueue('openai', { status: 500, errorMessage: `upstream rejected ${TEST_KEYS.openai} at gateway` });
    server.enqueue('anthropic', { status: 401, errorMessage: `invalid x-api-key ${TEST_KEYS.anthropic}` });
    const { chain, events } = testChain(server, { provider: 'openai', fallback: ['anthropic'] });
    let caught: ProviderError | undefined;
    try {
      await chain.generate({ messages: [{ role: 'user', content: 'hi' }] });
    } catch (error) {
      caught = error as ProviderError;
    }
    expect(caught?.kind).toBe('auth');
    const everything = JSON.stringify([caught, caught?.message, caught?.hint, events]);
    for (const key of Object.values(TEST_KEYS)) expect(everything).not.toContain(key);
    expect(everything).toContain(REDACTED);
  });
});

describe('secrets under names that say nothing (regression: DATABASE_URL, MEM_REDIS_URL and GITHUB_PAT were not known)', () => {
  it('takes the password of every URL-valued variable, and PAT/DSN-named values', () => {
    const secrets = secretsFromEnv({
      DATABASE_URL: 'postgres://app:db%2Fpass99@db/app',
      MEM_REDIS_URL: 'redis://:r3dis-pass-123@cache:6379',
      GITHUB_PAT: 'ghp_0123456789',
      SENTRY_DSN: 'https://abc@sentry.io/1',
      HOME: '/root',
      OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1',
    });
    expect(secrets).toEqual(
      expect.arrayContaining(['db/pass99', 'db%2Fpass99', 'r3dis-pass-123', 'ghp_0123456789', 'https://abc@sentry.io/1']),
    );
    expect(secrets).not.toContain('/root');
    expect(secrets.some((secret) => secret.includes('127.0.0.1'))).toBe(false);
  });

  it('urlPassword reads an empty user too; a URL without a password has none', () => {
    expect(urlPassword('redis://:hunter22@cache:6379')).toBe('hunter22');
    expect(urlPassword('https://user:pa55word@gateway/v1')).toBe('pa55word');
    expect(urlPassword('https://gateway/v1')).toBeUndefined();
  });

  it('the URL shape catches `scheme://:password@host` with no user', () => {
    expect(new Redactor().text('connect redis://:shortpw@cache:6379 failed')).toBe(`connect redis://${REDACTED}@cache:6379 failed`);
  });
});
