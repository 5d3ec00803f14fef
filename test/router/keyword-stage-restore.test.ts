/**
 * A keyword stage restored from its image holds its owner lists as views of the image (read when
 * a phrase is first asked for): the lists, the matches and the image bytes are those of the stage
 * that was built, and an image whose list bounds do not fit is refused, as any other bad image.
 */
import { describe, expect, it } from 'vitest';
import { KeywordStage, type PhraseLists } from '../../src/router/stages/keyword/keyword-stage.js';
import { unpackArrays, packArrays } from '../../src/router/build-cache.js';
import { MAX_KEYWORD_HITS } from '../../src/router/limits.js';
import type { HitBuffers } from '../../src/router/types.js';
import { emptyHitBuffers } from '../support/hit-buffers.js';

const newHitBuffers = (): HitBuffers => emptyHitBuffers({ keywordSlots: MAX_KEYWORD_HITS * 4, fileSlots: 0 });

function built(): KeywordStage {
  const stage = new KeywordStage();
  stage.add('react', [3, 1]);
  stage.add('web fonts', [2]);
  stage.add('react', [0]);
  stage.addMention('css-layout-fixer', 2);
  stage.addTopic('typescript', 0);
  stage.build();
  return stage;
}

const all = (lists: PhraseLists) => Array.from({ length: lists.length }, (_, i) => lists.at(i));

describe('keyword stage restore', () => {
  it('answers as the built stage and writes the same image', () => {
    const original = built();
    const restored = new KeywordStage();
    expect(restored.restore(original.image(), 4)).toBe(true);
    expect(all(restored.agentsOf)).toEqual(all(original.agentsOf));
    expect(all(restored.mentionsOf)).toEqual(all(original.mentionsOf));
    expect(restored.agentsOf.at(restored.lookup('react'))).toEqual([3, 1, 0]);
    expect(restored.agentsOf.at(-1)).toBeUndefined();
    expect(restored.agentsOf.at(restored.agentsOf.length)).toBeUndefined();
    expect(restored.image()).toEqual(original.image());
    const hits = [original, restored].map((stage) => {
      const buffers = newHitBuffers();
      stage.match('react flickers when the web fonts load; ask css-layout-fixer', buffers);
      return Array.from(buffers.keywordHits.subarray(0, buffers.keywordCount * 4));
    });
    expect(hits[1]).toEqual(hits[0]);
  });

  it('refuses an image whose list starts run backwards or past the values', () => {
    const image = built().image();
    const arrays = unpackArrays(image, 2, 10)!;
    const starts = Int32Array.from(arrays[0] as Int32Array);
    starts[1] = starts[2]! + 1;
    const backwards = packArrays(2, [starts, ...arrays.slice(1)] as Int32Array[]);
    expect(new KeywordStage().restore(backwards, 4)).toBe(false);
    const past = Int32Array.from(arrays[0] as Int32Array);
    past[past.length - 1]! += 1;
    expect(new KeywordStage().restore(packArrays(2, [past, ...arrays.slice(1)] as Int32Array[]), 4)).toBe(false);
  });

  it('refuses an image whose patterns name a phrase it does not hold', () => {
    // The patterns' phrases are read back only when asked for: an out-of-range one must not wait until then.
    const arrays = unpackArrays(built().image(), 2, 10)!;
    const patternPhrase = Int32Array.from(arrays[5] as Int32Array);
    patternPhrase[0] = 99;
    const bad = packArrays(2, [...arrays.slice(0, 5), patternPhrase, ...arrays.slice(6)] as Int32Array[]);
    expect(new KeywordStage().restore(bad, 4)).toBe(false);
  });

  it('reads a phrase from the packed text only when asked, and refuses phrase starts that do not fit the text', () => {
    const original = built();
    const restored = new KeywordStage();
    expect(restored.restore(original.image(), 4)).toBe(true);
    expect(restored.phraseCount).toBe(original.phraseCount);
    expect(Array.from({ length: restored.phraseCount }, (_, i) => restored.phrase(i))).toEqual(original.phrases);
    expect(restored.phrase(restored.phraseCount)).toBeUndefined();
    expect(restored.phrases).toEqual(original.phrases);
    const arrays = unpackArrays(original.image(), 2, 10)!;
    for (const change of [(starts: Int32Array) => (starts[starts.length - 1]! += 1), (starts: Int32Array) => (starts[1] = -1)]) {
      const starts = Int32Array.from(arrays[6] as Int32Array);
      change(starts);
      const bad = packArrays(2, [...arrays.slice(0, 6), starts, ...arrays.slice(7)] as Int32Array[]);
      expect(new KeywordStage().restore(bad, 4)).toBe(false);
    }
  });
});
