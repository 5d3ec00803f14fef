/**
 * Empty hit buffers for driving one router stage alone (the staged router owns its own, sized by
 * src/router/limits.ts): `keywordHits` holds 4 numbers a keyword hit, `fileHits` 2 a file hit.
 */
import type { HitBuffers } from '../../src/router/types.js';

export function emptyHitBuffers({ keywordSlots = 4, fileSlots = 2 }: { keywordSlots?: number; fileSlots?: number } = {}): HitBuffers {
  return {
    keywordCount: 0,
    keywordHits: new Int32Array(keywordSlots),
    regexHits: [],
    fileCount: 0,
    fileHits: new Int32Array(fileSlots),
    semantic: [],
  };
}
