/**
 * Realistic bench input: the 360 briefs of ../shared/corpus replicated with distinct names into
 * fleets of any size (the copy number goes into `name:` and the path), as in-memory sources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCompilerOptions } from '../src/compiler/options.js';
import { listBriefs } from '../src/compiler/sources.js';
import type { BriefSource } from '../src/compiler/sources.js';

export const CORPUS = join(import.meta.dirname, '../../shared/corpus');

export async function corpusBriefs(): Promise<Array<{ relativePath: string; text: string }>> {
  const options = resolveCompilerOptions(CORPUS, {}, { src: '.' });
  const paths = await listBriefs(options);
  return paths.map((relativePath) => ({ relativePath, text: readFileSync(join(CORPUS, relativePath), 'utf8') }));
}

/** `count` briefs: corpus briefs in order, repeated; a brief whose `name:` is already taken (the
 * next copy, or the same name in the other collection) gets `-<n>` appended, under `copy-<k>/`. */
export function replicate(briefs: ReadonlyArray<{ relativePath: string; text: string }>, count: number): BriefSource[] {
  const sources: BriefSource[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const brief = briefs[i % briefs.length]!;
    const copy = Math.floor(i / briefs.length);
    const name =
      /^name:\s*(.+)$/m
        .exec(brief.text)?.[1]
        ?.trim()
        .replace(/^["']|["']$/g, '') ?? `agent-${i}`;
    const unique = used.has(name) ? `${name}-${i}` : name;
    used.add(unique);
    const text = unique === name ? brief.text : brief.text.replace(/^name:\s*(.+)$/m, `name: ${unique}`);
    const relativePath = copy === 0 ? brief.relativePath : `copy-${copy}/${brief.relativePath}`;
    sources.push({ relativePath, path: `.claude/agents/${relativePath}`, bytes: Buffer.from(text) });
  }
  return sources;
}
