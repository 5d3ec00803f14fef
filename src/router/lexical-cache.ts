/**
 * The lexical model of a fleet, cached on disk by the fleet's content hash. Building it means
 * parsing every definition (the brief bodies carry most of the signal) — the slowest part of a
 * start-up — so `codex-flow route` builds it once per compile and
 * later runs read one binary file (typed arrays, no objects to rebuild). A missing, stale or unreadable cache is rebuilt; a cache
 * that cannot be written is skipped silently (routing must not fail because a disk is read-only).
 * Only the newest few models are kept (pruneCacheFiles), older compiles' files are removed.
 *
 * @example createRouter(fleet, { semanticModel: cachedLexicalModelFactory('.codex-flow/cache', fleet.index.hash) })
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEXICAL_MODEL_VERSION, LexicalModel } from './lexical-model.js';
import { lexicalSemanticModel, type SemanticModelFactory } from './stages/semantic/semantic-stage.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { pruneCacheFiles } from './build-cache.js';

/** The cache file of a fleet hash (`sha256:…`). */
export function lexicalCachePath(cacheDir: string, fleetHash: string): string {
  return join(cacheDir, `lexical-v${LEXICAL_MODEL_VERSION}-${fleetHash.replace(/^sha256:/, '').slice(0, 32)}.bin`);
}

export function cachedLexicalModelFactory(cacheDir: string, fleetHash: string): SemanticModelFactory {
  return (documents) => {
    const path = lexicalCachePath(cacheDir, fleetHash);
    try {
      const cached = LexicalModel.deserialize(readFileSync(path));
      if (cached) return lexicalSemanticModel(cached);
    } catch {
      // Missing or unreadable: rebuild below.
    }
    const model = LexicalModel.build(documents());
    try {
      writeFileAtomic(path, model.serialize());
      pruneCacheFiles(cacheDir, 'lexical-');
    } catch {
      // Read-only or full disk: the model still works for this process.
    }
    return lexicalSemanticModel(model);
  };
}
