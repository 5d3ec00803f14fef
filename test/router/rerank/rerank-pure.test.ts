/**
 * The reranker's pure parts: settings and their problems, the prompt, the answer check, the merge
 * over the lexical order, the cache key; and the disk cache's TTL.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRerankAnswer } from '../../../src/router/rerank/answer.js';
import { rerankCacheKey } from '../../../src/router/rerank/cache-key.js';
import { mergeRanking } from '../../../src/router/rerank/merge.js';
import { DEFAULT_RERANK_K, resolveRerankOptions } from '../../../src/router/rerank/options.js';
import { briefExcerpt, buildRerankPrompt } from '../../../src/router/rerank/prompt.js';
import { RERANK_CACHE_DIR, RerankCache } from '../../../src/project/rerank-cache.js';
import type { RouteCandidate } from '../../../src/router/types.js';

const candidate = (id: string, rank: number): RouteCandidate => ({
  id,
  rank,
  score: 10 - rank,
  tier: 'core' as RouteCandidate['tier'],
  domain: 'x',
  stages: ['keyword'],
  evidence: [],
  terms: [],
});

describe('resolveRerankOptions', () => {
  it('is off without a section, on with one, with the defaults filled', () => {
    expect(resolveRerankOptions(undefined).options).toMatchObject({ enabled: false, k: DEFAULT_RERANK_K, budgetUsd: null });
    expect(resolveRerankOptions({ provider: 'openai', ttl: '2h', budget: 0.01 }).options).toMatchObject({
      enabled: true,
      provider: 'openai',
      ttlMs: 7_200_000,
      budgetUsd: 0.01,
    });
    expect(resolveRerankOptions({ enabled: false }).options?.enabled).toBe(false);
  });
  it('names every wrong key with its path, and gives no options', () => {
    const { options, problems } = resolveRerankOptions({ k: 0, timeout_ms: -1, ttl: 'soon', budget: 'free', model: '', extra: 1 });
    expect(options).toBeUndefined();
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['extra', 'model', 'k', 'timeout_ms', 'budget', 'ttl']);
    expect(resolveRerankOptions([1]).problems[0]!.path).toEqual([]);
  });
});

describe('buildRerankPrompt', () => {
  it('lists the candidates in the order given, with description and excerpt, and bounds the files', () => {
    const files = Array.from({ length: 25 }, (_, index) => `src/f${index}.ts`);
    const prompt = buildRerankPrompt({ task: 'our  checkout\nlooks dated', files }, [
      { id: 'b', description: 'Designs\ninterfaces', excerpt: briefExcerpt('# Role\nYou are a **designer**.') },
      { id: 'a', description: 'Writes code', excerpt: '' },
    ]);
    expect(prompt.user).toContain('Request: our checkout looks dated');
    expect(prompt.user).toContain('(and 5 more)');
    expect(prompt.user.indexOf('- b: Designs interfaces | You are a designer .')).toBeLessThan(prompt.user.indexOf('- a: '));
  });
});

describe('checkRerankAnswer', () => {
  const ids = ['a', 'b', 'c'];
  it('accepts the shape, in a code fence too, with reasons on one line', () => {
    const checked = checkRerankAnswer('```json\n{"ranking":[{"id":"b","reason":"owns\\nthe API"},{"id":"a","reason":"x"}]}\n```', ids);
    expect(checked.ranking).toEqual([
      { id: 'b', reason: 'owns the API' },
      { id: 'a', reason: 'x' },
    ]);
  });
  it('says what is wrong: not JSON, wrong shape, unknown or repeated ids', () => {
    expect(checkRerankAnswer('I think b', ids).problems).toEqual(['the answer is not a JSON object']);
    expect(checkRerankAnswer('{"ranking": [', ids).problems[0]).toMatch(/^not valid JSON/);
    expect(checkRerankAnswer('{"order": []}', ids).problems.join(' ')).toMatch(/ranking/);
    expect(checkRerankAnswer('{"ranking":[{"id":"z","reason":""},{"id":"a","reason":""},{"id":"a","reason":""}]}', ids).problems).toEqual([
      '"z" is not one of the candidate ids',
      '"a" is ranked twice',
    ]);
  });
});

describe('mergeRanking', () => {
  const lexical = ['a', 'b', 'c', 'd'].map((id, index) => candidate(id, index + 1));
  it('puts the ranked ids first and keeps the ones left out in lexical order after them', () => {
    const merged = mergeRanking(lexical, [
      { id: 'c', reason: 'best' },
      { id: 'a', reason: 'next' },
    ]);
    expect(merged.candidates.map((entry) => `${entry.rank}:${entry.id}`)).toEqual(['1:c', '2:a', '3:b', '4:d']);
    expect(merged.places[0]).toEqual({ id: 'c', rank: 1, lexicalRank: 3, reason: 'best' });
    expect(merged.places[2]).toEqual({ id: 'b', rank: 3, lexicalRank: 2 });
  });
  it('is the lexical order when there is no ranking, and ignores ids it was not given', () => {
    expect(mergeRanking(lexical, undefined).candidates.map((entry) => entry.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(mergeRanking(lexical, [{ id: 'gone', reason: '' }]).candidates.map((entry) => entry.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('rerankCacheKey and RerankCache', () => {
  const base = { fleetHash: 'sha256:f', request: { task: 'x', files: [] }, model: 'm', k: 15 };
  it('changes with the fleet, the request, the model and k', () => {
    const key = rerankCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const changed of [{ fleetHash: 'sha256:g' }, { request: { task: 'y', files: [] } }, { model: 'n' }, { k: 10 }])
      expect(rerankCacheKey({ ...base, ...changed })).not.toBe(key);
  });
  it('answers an entry until its TTL runs out; a broken entry is a miss with a problem', () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-rerank-cache-'));
    let now = 1_000;
    const cache = new RerankCache(root, () => now);
    expect(cache.write('k1', { ranking: [{ id: 'a', reason: 'r' }] }, 60_000)).toBeUndefined();
    expect(cache.read('k1').entry?.ranking).toEqual([{ id: 'a', reason: 'r' }]);
    now += 60_001;
    expect(cache.read('k1')).toEqual({});
    mkdirSync(join(root, RERANK_CACHE_DIR), { recursive: true });
    writeFileSync(join(root, RERANK_CACHE_DIR, 'k2.json'), '{"ranking": 3');
    expect(cache.read('k2').problem).toMatch(/not JSON/);
    expect(cache.write('k3', { ranking: [] }, 0)).toBeUndefined();
    expect(cache.read('k3')).toEqual({});
  });
});
