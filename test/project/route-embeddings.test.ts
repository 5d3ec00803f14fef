/**
 * What a route makes of its embedding provider's failure: a provider error is a warning and the
 * lexical answer; a bug under the call (a TypeError) is thrown on, to exit 70.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRouteEmbeddings } from '../../src/project/route-embeddings.js';
import { ProviderError } from '../../src/providers/errors.js';
import { lexicalModelFactory } from '../../src/router/stages/semantic/semantic-stage.js';
import type { LexicalDocument } from '../../src/router/lexical-model.js';

const documents = (): LexicalDocument[] =>
  ['api', 'css'].map((word) => ({ name: `${word}-agent`, description: `${word} work`, keywords: [word], responsibilities: [], body: '' }));

async function withEmbed(embed: (texts: readonly string[]) => Promise<number[][]>) {
  const embeddings = await openRouteEmbeddings(
    { provider: 'ollama', model: 'm' },
    {
      root: mkdtempSync(join(tmpdir(), 'cf-route-embeddings-')),
      env: {},
      open: async () => ({ model: 'm', embedder: { id: 'test:m', usage: { calls: 0, tokens: 0 }, embed } }),
    },
    lexicalModelFactory,
    { ids: () => ['api-agent', 'css-agent'], hash: (id) => `h-${id}` },
  );
  const model = embeddings.factory!(documents);
  const problem = await model.prepare!('build an api').then(
    () => undefined,
    (error: Error) => ({ code: 'CF6005' as const, severity: 'warning' as const, message: error.message }),
  );
  return { embeddings, problem, model };
}

describe('route embeddings outcome', () => {
  it('a provider error becomes CF3301 in place of the router’s CF6005, and search is lexical', async () => {
    const { embeddings, problem, model } = await withEmbed(async () => {
      throw new ProviderError('rate-limit', 'slow down', { provider: 'ollama', status: 429 });
    });
    expect(embeddings.settle(problem).map((d) => d.code)).toEqual(['CF3301']);
    expect(embeddings.report()).toMatchObject({ used: false, fallback: 'ollama: rate-limit (429): slow down' });
    expect(model.search('build an api').map((hit) => hit.terms.some((t) => t.term === 'embedding'))).not.toContain(true);
  });

  it('a bug under the call is thrown on, never a warning', async () => {
    const { embeddings, problem } = await withEmbed(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'map')");
    });
    expect(() => embeddings.settle(problem)).toThrow(TypeError);
  });

  it('vectors fuse an embedding term into the lexical hits', async () => {
    const { embeddings, problem, model } = await withEmbed(async (texts) => texts.map((text) => (text.includes('api') ? [1, 0] : [0, 1])));
    expect(embeddings.settle(problem)).toEqual([]);
    const hits = model.search('build an api');
    expect(hits[0]!.doc).toBe(0);
    expect(hits[0]!.terms.some((term) => term.term === 'embedding')).toBe(true);
  });
});
