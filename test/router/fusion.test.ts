import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION, agentEmbeddingText, fuse, fusedModelFactory } from '../../src/router/fusion.js';
import type { EmbeddingCache, EmbeddingProvider } from '../../src/router/embeddings.js';
import type { SemanticHit, SemanticModelFactory } from '../../src/router/stages/semantic/semantic-stage.js';

const hit = (doc: number, score: number): SemanticHit => ({
  doc,
  score,
  terms: [{ term: `t${doc}`, field: 'description', contribution: score }],
});

describe('lexical and embedding fusion', () => {
  it('linear: the embedding adds to the words and reaches agents the words missed', () => {
    const fused = fuse([hit(0, 4), hit(1, 2)], [0.1, 0.2, 0.9, 0.15], DEFAULT_FUSION);
    expect(fused.map((h) => h.doc)).toEqual([0, 1, 2]);
    expect(fused[0]!.score).toBeCloseTo(1, 6);
    // Agent 2: no lexical share, the best cosine: w × 1.
    expect(fused[2]!.score).toBeCloseTo(DEFAULT_FUSION.weight, 6);
    expect(fused[2]!.terms).toEqual([{ term: 'embedding', field: 'cosine 0.900', contribution: DEFAULT_FUSION.weight }]);
    // Below the fleet's median cosine an agent gets nothing from the embedding.
    expect(fused.find((h) => h.doc === 3)).toBeUndefined();
  });

  it('rrf ranks by reciprocal ranks', () => {
    const fused = fuse([hit(0, 4), hit(1, 2)], [0.1, 0.9, 0.5], { method: 'rrf', weight: 0, k: 60 });
    expect(fused.map((h) => h.doc)).toEqual([1, 0, 2]);
  });

  it('answers with the lexical model alone until a query is prepared, and embeds each agent text once', async () => {
    const lexical: SemanticModelFactory = () => ({ name: 'words', search: () => [hit(0, 1)] });
    const seen: string[] = [];
    const provider: EmbeddingProvider = {
      id: 'fake',
      embed: async (texts) => {
        seen.push(...texts);
        return texts.map((t) => (t.includes('mail') ? [1, 0] : [0, 1]));
      },
    };
    const memory = new Map<string, Float32Array>();
    const cache = {
      get: (_: string, t: string) => memory.get(t),
      set: (_: string, t: string, v: Float32Array) => memory.set(t, v),
    } as unknown as EmbeddingCache;
    const docs = [
      {
        name: 'code-reviewer code-reviewer',
        description: 'Reviews code.<example>x</example>',
        keywords: [],
        responsibilities: [],
        body: '',
      },
      { name: 'email-deliverability email', description: 'Gets mail delivered.', keywords: [], responsibilities: [], body: '' },
    ];
    const model = fusedModelFactory(lexical, provider, cache)(() => docs);
    expect(model.search('our mail lands in junk').map((h) => h.doc)).toEqual([0]);
    await model.prepare!('our mail lands in junk');
    await model.prepare!('our mail lands in junk');
    expect(model.search('our mail lands in junk').map((h) => h.doc)).toEqual([0, 1]);
    expect(seen).toEqual(['code reviewer: Reviews code. ', 'email deliverability: Gets mail delivered.', 'our mail lands in junk']);
    expect(agentEmbeddingText(docs[0]!)).toBe('code reviewer: Reviews code. ');
  });
});
