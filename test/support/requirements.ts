/**
 * What some tests need from outside the repository: `redis-server` on PATH, and the shared corpus
 * of real briefs (`../shared/corpus` beside the checkout, or wherever CODEX_FLOW_CORPUS points;
 * `.ci/fetch-corpus` builds it from the pinned upstream commits).
 *
 * Missing outside CI, the tests that need it are skipped and the file says so on stderr, with
 * what is missing and how to get it. Missing in CI (CI set, and not `false`/`0`), it is one
 * failing test with the same words instead: a CI run that skipped the corpus or Redis would pass
 * a change that breaks them.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { it } from 'vitest';

export interface Requirement {
  name: string;
  available: boolean;
  /** Why it is missing and how to provide it; empty when available. */
  missing: string;
}

/** Whether the tests run in CI, where a missing requirement fails instead of skipping. */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

/** The first executable `name` on PATH, as a shell would find it. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const folder of path.split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The shared corpus's folder: CODEX_FLOW_CORPUS, else `../shared/corpus` beside the checkout. */
export const CORPUS = process.env.CODEX_FLOW_CORPUS || join(import.meta.dirname, '../../../shared/corpus');

export const sharedCorpus: Requirement = existsSync(CORPUS)
  ? { name: 'the shared corpus', available: true, missing: '' }
  : {
      name: 'the shared corpus',
      available: false,
      missing: `no folder at ${CORPUS}; run .ci/fetch-corpus (git, network) or set CODEX_FLOW_CORPUS to a copy`,
    };

const redisBinary = onPath('redis-server');

/** Where redis-server is, when it is on PATH. */
export const REDIS_SERVER = redisBinary;

export const redisServer: Requirement = redisBinary
  ? { name: 'redis-server', available: true, missing: '' }
  : {
      name: 'redis-server',
      available: false,
      missing: 'redis-server is not on PATH; install the Debian package redis-server (.ci/run does)',
    };

/**
 * Call at the top level of a test file: true when the tests needing `requirement` must not run.
 * Outside CI it prints why they are skipped; in CI it registers a failing test that says why.
 *
 * @example describe.skipIf(skipWithout(sharedCorpus))('shared corpus', () => { … })
 */
export function skipWithout(requirement: Requirement, needs: string): boolean {
  if (requirement.available) return false;
  const reason = `${needs} — needs ${requirement.name}: ${requirement.missing}`;
  if (inCI()) {
    it(`CI has ${requirement.name}`, () => {
      throw new Error(`${reason} (CI is set, so this fails instead of skipping)`);
    });
  } else {
    console.warn(`skipped: ${reason}`);
  }
  return true;
}
