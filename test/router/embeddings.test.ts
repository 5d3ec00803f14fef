import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddingCache, embeddingModelFactory, type EmbeddingProvider } from '../../src/router/embeddings.js';
import { createRouter } from '../../src/router/staged-router.js';
import { loadFleet } from '../../src/fleet/load.js';
import { openLearning } from '../../src/learn/open.js';
import { LearnedRouter } from '../../src/runner/learned-router.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');

/** A deterministic stand-in provider: counts of a few topic words, so similarity is checkable. */
function fakeProvider(): EmbeddingProvider & { calls: number; texts: number } {
  const axes = ['terraform', 'cloud', 'react', 'css', 'graphql', 'security'];
  const provider = {
    id: 'fake:axes',
    calls: 0,
    texts: 0,
    async embed(texts: readonly string[]) {
      provider.calls++;
      provider.texts += texts.length;
      return texts.map((text) => axes.map((axis) => text.toLowerCase().split(axis).length - 1));
    },
  };
  return provider;
}

describe('embedding semantic model', () => {
  it('ranks by cosine similarity through routeAsync and caches vectors by content hash', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cf-emb-'));
    const provider = fakeProvider();
    const router = createRouter(loadFleet(fixture).fleet!, {
      options: { semantic: 'fallback' },
      semanticModel: embeddingModelFactory(provider, new EmbeddingCache(cacheDir)),
    });
    const result = await router.routeAsync({ task: 'cloud cloud and more cloud' });
    expect(result.fallback?.kind).toBe('semantic');
    expect(result.candidates[0]).toMatchObject({ id: 'terraform-engineer', stages: ['semantic'] });
    expect(result.candidates[0]!.evidence[0]).toMatchObject({ stage: 'semantic', term: 'embedding' });
    expect(provider.texts).toBe(7); // six agents and the query

    const again = fakeProvider();
    const second = createRouter(loadFleet(fixture).fleet!, {
      options: { semantic: 'fallback' },
      semanticModel: embeddingModelFactory(again, new EmbeddingCache(cacheDir)),
    });
    await second.routeAsync({ task: 'cloud cloud and more cloud' });
    expect(again.calls).toBe(0);
  });

  it('without preparation the synchronous route answers from the generalist tier', () => {
    const router = createRouter(loadFleet(fixture).fleet!, {
      options: { semantic: 'fallback' },
      semanticModel: embeddingModelFactory(fakeProvider(), new EmbeddingCache(mkdtempSync(join(tmpdir(), 'cf-emb-')))),
    });
    expect(router.route({ task: 'cloud' }).fallback?.kind).toBe('generalist');
  });
});

describe('a failing embedding provider', () => {
  it('routes without the semantic model and says why', async () => {
    const failing: EmbeddingProvider = {
      id: 'down',
      embed: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    const router = createRouter(loadFleet(fixture).fleet!, {
      semanticModel: embeddingModelFactory(failing, new EmbeddingCache(mkdtempSync(join(tmpdir(), 'cf-emb-')))),
    });
    const result = await router.routeAsync({ task: 'add a graphql resolver' });
    expect(result.candidates[0]!.id).toBe('graphql-architect');
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'CF6005', message: expect.stringContaining('ECONNREFUSED') }),
    );
  });

  it("says why through the runner's learned router too, which prepares, then routes once", async () => {
    let embedded = 0;
    const failing: EmbeddingProvider = {
      id: 'down',
      embed: async () => {
        embedded++;
        throw new Error('connect ECONNREFUSED');
      },
    };
    const fleet = loadFleet(fixture).fleet!;
    const router = createRouter(fleet, {
      semanticModel: embeddingModelFactory(failing, new EmbeddingCache(mkdtempSync(join(tmpdir(), 'cf-emb-')))),
    });
    const opened = openLearning(mkdtempSync(join(tmpdir(), 'cf-emb-learn-')), undefined, {}, fleet, { mode: 'off' });
    const result = await new LearnedRouter(opened, router, () => router, false).routeAsync({ task: 'add a graphql resolver' });
    expect(result.candidates[0]!.id).toBe('graphql-architect');
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'CF6005', message: expect.stringContaining('ECONNREFUSED') }),
    );
    expect(embedded).toBeGreaterThan(0);
  });
});

describe('embeddings with changed files', () => {
  it('prepares the same query the semantic stage reads (task and paths)', async () => {
    const provider = fakeProvider();
    const router = createRouter(loadFleet(fixture).fleet!, {
      options: { semantic: 'always' },
      semanticModel: embeddingModelFactory(provider, new EmbeddingCache(mkdtempSync(join(tmpdir(), 'cf-emb-')))),
    });
    const result = await router.routeAsync({ task: 'tidy this up', files: ['cloud/terraform/main.hcl'] });
    expect(result.candidates[0]).toMatchObject({ id: 'terraform-engineer', stages: ['semantic'] });
  });
});
