import { describe, expect, it } from 'vitest';
import { ProviderChainError, ProviderError } from '../../src/providers/errors.js';

const unreachable = (provider: string) => new ProviderError('network', 'cannot reach http://127.0.0.1:9/v1', { provider });

describe('ProviderChainError', () => {
  it('lists the same failure of two rounds once, with its count, and keeps every attempt in causes', () => {
    const causes = [
      { provider: 'openai', error: unreachable('openai') },
      { provider: 'anthropic', error: unreachable('anthropic') },
      { provider: 'openai', error: unreachable('openai') },
      { provider: 'anthropic', error: unreachable('anthropic') },
      { provider: 'ollama', skipped: 'not configured: OLLAMA_HOST' },
    ];
    const error = new ProviderChainError(causes);
    expect(error.message).toBe(
      [
        'no provider could serve the request:',
        '  - openai: network: cannot reach http://127.0.0.1:9/v1 (2 attempts)',
        '  - anthropic: network: cannot reach http://127.0.0.1:9/v1 (2 attempts)',
        '  - ollama: skipped: not configured: OLLAMA_HOST',
      ].join('\n'),
    );
    expect((error.toJSON().causes as unknown[]).length).toBe(5);
  });
});
