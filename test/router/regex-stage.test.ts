import { describe, expect, it } from 'vitest';
import { checkRegexPattern } from '../../src/router/regex-check.js';
import { HEAVY_PATTERNS_PER_SET, LIGHT_PATTERNS_PER_SET, RegexStage, isHeavyPattern } from '../../src/router/stages/regex/regex-stage.js';
import type { HitBuffers } from '../../src/router/types.js';
import { emptyHitBuffers } from '../support/hit-buffers.js';

const buffers = (): HitBuffers => emptyHitBuffers();

describe('checkRegexPattern', () => {
  it('accepts what RE2 compiles and explains what it refuses', () => {
    expect(checkRegexPattern('\\bgraphql\\b')).toBeUndefined();
    expect(checkRegexPattern('(?<=api)key')).toMatch(/invalid perl operator/);
    expect(checkRegexPattern('(a)\\1')).toMatch(/escape/);
    expect(checkRegexPattern('x'.repeat(2000))).toMatch(/MAX_REGEX_LENGTH/);
  });
});

describe('RegexStage', () => {
  it('answers a catastrophic pattern without backtracking', () => {
    const stage = new RegexStage();
    stage.add({ pattern: '(a+)+$', priority: 1 }, [0]);
    stage.build();
    const hits = buffers();
    stage.match(`${'a'.repeat(5000)}!`, hits);
    expect(hits.regexHits).toEqual([]);
  });
  it('shards light and heavy patterns and still reports every match in order', () => {
    const stage = new RegexStage();
    const total = LIGHT_PATTERNS_PER_SET + HEAVY_PATTERNS_PER_SET + 10;
    for (let i = 0; i < total; i++) stage.add({ pattern: i % 2 === 0 ? `\\bword${i}\\b` : `start${i}.*end`, priority: 5 }, [i]);
    expect(stage.build()).toEqual([]);
    expect(stage.shardCount).toBeGreaterThan(2);
    const hits = buffers();
    stage.match(`x word4 y start7 z end word${total - 1 - ((total - 1) % 2)}`, hits);
    expect(hits.regexHits).toEqual([4, 7, total - 1 - ((total - 1) % 2)]);
    expect(stage.locate(7, 'x start7 z end')).toEqual({ start: 2, end: 14, text: 'start7 z end' });
  });
  it('drops patterns RE2 refuses with a diagnostic', () => {
    const stage = new RegexStage();
    stage.add({ pattern: '(?=x)', priority: 1 }, [0]);
    expect(stage.build().map((d) => d.code)).toEqual(['CF6003']);
  });
  it('classifies wildcard-heavy patterns', () => {
    expect(isHeavyPattern('a.*b')).toBe(true);
    expect(isHeavyPattern('[^x]+y')).toBe(true);
    expect(isHeavyPattern('\\bapi\\b')).toBe(false);
  });
});

describe('RegexStage shard splitting', () => {
  it('splits a set RE2 cannot compile until every part compiles', () => {
    const words = ['api', 'graph', 'order', 'kube', 'docker', 'react', 'node', 'python', 'cloud', 'cache'];
    const stage = new RegexStage();
    for (let i = 0; i < 1000; i++) stage.add({ pattern: `${words[i % 10]}.{0,40}${words[(i * 7 + 3) % 10]}${i}`, priority: 5 }, [i]);
    expect(stage.build()).toEqual([]);
    expect(stage.shardCount).toBeGreaterThan(1);
    const hits = buffers();
    stage.match('the api layer and the kube10 cluster', hits);
    expect(hits.regexHits).toEqual([10]);
  });
});
