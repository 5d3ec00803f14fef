/**
 * Is the compiled fleet older than its briefs? Each index entry records the sha256 of the brief
 * it was compiled from; a brief whose bytes hash differently (or that is gone) makes the fleet
 * stale. One warning lists how many and which, because routing on a stale fleet still works.
 *
 * @example checkFreshness(fleet.index, process.cwd()) // [] when up to date
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FleetIndex } from './types.js';

/** Stale briefs named in the warning; the rest are counted. */
const MAX_NAMED_STALE = 5;

export function checkFreshness(index: FleetIndex, projectRoot: string): Diagnostic[] {
  const stale: string[] = [];
  for (const entry of index.agents) {
    let hash = 'missing';
    try {
      hash = `sha256:${createHash('sha256').update(readFileSync(join(projectRoot, entry.source))).digest('hex')}`;
    } catch {
      // A deleted brief makes the fleet stale too.
    }
    if (hash !== entry.hash) stale.push(`${entry.source}${hash === 'missing' ? ' (deleted)' : ''}`);
  }
  if (stale.length === 0) return [];
  const named = stale.slice(0, MAX_NAMED_STALE);
  const more = stale.length > named.length ? [`…and ${stale.length - named.length} more`] : [];
  return [diagnostic('CF5024', `the fleet is older than ${stale.length} of its ${index.agents.length} brief(s)`, undefined, { notes: [...named, ...more] })];
}
