/**
 * Loads the shared corpus's briefs as InferInput, for the corpus test and scripts/infer-report.ts.
 * Front-matter is read leniently (the `yaml` package, falling back to regexes for the briefs
 * with invalid YAML); the real parser is the compiler's, this is only a harness.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { InferInput } from '../../../src/compiler/infer/index.js';
import { slugify } from '../../../src/util/slug.js';
import { CORPUS } from '../../support/requirements.js';

export const CORPUS_ROOT = CORPUS;

function frontMatter(text: string): { data: Record<string, unknown>; body: string } {
  const match = /^\s*---\r?\n([\s\S]*?)\r?\n-{3,}\s*\r?\n([\s\S]*)$/.exec(text);
  if (!match) return { data: {}, body: text };
  const yaml = match[1] ?? '';
  try {
    const data = parse(yaml) as unknown;
    if (data && typeof data === 'object') return { data: data as Record<string, unknown>, body: match[2] ?? '' };
  } catch {
    // fall through to the regex reading
  }
  const data: Record<string, unknown> = {};
  for (const key of ['name', 'description', 'tools']) {
    const line = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(yaml);
    if (line) data[key] = (line[1] ?? '').replace(/^["']|["']$/g, '');
  }
  return { data, body: match[2] ?? '' };
}

function briefFiles(): { file: string; domain: string }[] {
  const files: { file: string; domain: string }[] = [];
  const volt = join(CORPUS_ROOT, 'VoltAgent__awesome-claude-code-subagents', 'categories');
  if (existsSync(volt)) {
    for (const category of readdirSync(volt).sort()) {
      const dir = join(volt, category);
      for (const name of readdirSync(dir).sort()) {
        if (name.endsWith('.md') && name !== 'README.md') files.push({ file: join(dir, name), domain: category.replace(/^\d+-/, '') });
      }
    }
  }
  const plugins = join(CORPUS_ROOT, 'wshobson__agents', 'plugins');
  if (existsSync(plugins)) {
    for (const plugin of readdirSync(plugins).sort()) {
      const dir = join(plugins, plugin, 'agents');
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) if (name.endsWith('.md')) files.push({ file: join(dir, name), domain: plugin });
    }
  }
  return files;
}

/** Every brief of both collections, in a stable order. */
export function loadCorpus(): InferInput[] {
  return briefFiles().map(({ file, domain }) => {
    const { data, body } = frontMatter(readFileSync(file, 'utf8'));
    const name = typeof data.name === 'string' ? data.name : (file.split('/').pop() ?? '').replace(/\.md$/, '');
    const tools =
      typeof data.tools === 'string'
        ? data.tools
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : [];
    return {
      id: slugify(name),
      name,
      description: typeof data.description === 'string' ? data.description : '',
      body,
      tools,
      domain,
      source: relative(CORPUS_ROOT, file),
    };
  });
}
