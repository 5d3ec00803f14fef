/**
 * normalize: parsed front-matter → one agent brief with every key checked and named the way the
 * rest of the compiler expects. Recovers what is unambiguous (a name from the file name, a
 * description from the body, a misspelled `tools` key) with a warning; refuses the rest.
 * Pure: returns a new value and diagnostics, never throws.
 */
import { posix } from 'node:path';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { derivedId, slugify } from '../util/slug.js';
import { isKnownModel } from './models.js';
import type { CompilerOptions } from './options.js';
import type { ParsedFrontMatter, YamlPath } from './parse.js';
import type { SourceFile } from './source-file.js';
import { DISALLOWED_TOOL_KEYS, MISSPELLED_TOOL_KEYS, splitTools } from './tools.js';

export interface NormalizedBrief {
  file: SourceFile;
  id: string;
  name: string;
  description: string;
  body: string;
  domain: string;
  subdomain?: string;
  model: string;
  color?: string;
  /** Tool tokens as declared; undefined when the brief declares none. */
  toolTokens?: string[];
  /** The front-matter key the tools came from (`tools`, or a misspelling that was honoured). */
  toolsKey?: string;
  restrictedTokens: string[];
  codex?: Record<string, unknown>;
  extensions: Record<string, unknown>;
  locate: (path: YamlPath, part?: 'key' | 'value') => SourceLocation;
  lines: readonly string[];
}

const KNOWN_KEYS = new Set(['name', 'description', 'tools', 'model', 'color', 'codex', ...MISSPELLED_TOOL_KEYS, ...DISALLOWED_TOOL_KEYS]);

/** `01-core-development` → `core-development`: collections number their folders for ordering. */
function folderSlug(segment: string): string {
  return slugify(segment.replace(/^\d+[-_. ]+/, ''));
}

export function classify(relativePath: string, options: CompilerOptions): { domain: string; subdomain?: string } {
  const folders = posix
    .dirname(relativePath)
    .split('/')
    .filter((part) => part !== '.' && part !== '');
  const meaningful = folders
    .filter((part) => !options.skipFolders.includes(part))
    .map(folderSlug)
    .filter((part) => part !== '');
  if (meaningful.length === 0) return { domain: options.defaultDomain };
  if (meaningful.length === 1) return { domain: meaningful[0]! };
  return { domain: meaningful[0]!, subdomain: meaningful.slice(1).join('-') };
}

/** First paragraph of the body that is prose (not a heading, list, code or HTML). */
export function firstParagraph(body: string): string {
  for (const paragraph of body.split(/\n\s*\n/)) {
    const text = paragraph.trim();
    if (text === '' || /^(#|[-*+] |\d+\. |```|<|\|)/.test(text)) continue;
    return text.replace(/\s+/g, ' ').slice(0, 500);
  }
  return '';
}

interface Context {
  parsed: ParsedFrontMatter;
  lines: readonly string[];
  diagnostics: Diagnostic[];
}

function report(context: Context, code: Parameters<typeof diagnostic>[0], message: string, path: YamlPath, part: 'key' | 'value' = 'key') {
  const location = context.parsed.locate(path, part);
  context.diagnostics.push(diagnostic(code, message, location, { sourceLine: context.lines[location.line - 1] ?? '' }));
}

function stringKey(context: Context, key: string): string | undefined {
  const value = context.parsed.data[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  report(context, 'CF2006', `\`${key}\` must be a string, not ${Array.isArray(value) ? 'a list' : 'a mapping'}`, [key], 'value');
  return undefined;
}

function resolveTools(context: Context): { tokens?: string[]; key?: string; restricted: string[] } {
  const data = context.parsed.data;
  const present = ['tools', ...MISSPELLED_TOOL_KEYS].filter((key) => key in data);
  let tokens: string[] | undefined;
  let tokensKey: string | undefined;
  for (const key of present) {
    const value = splitTools(data[key]);
    if (value === undefined) {
      report(context, 'CF2006', `\`${key}\` must be a comma-separated string or a list of tool names`, [key], 'value');
      continue;
    }
    if (key !== 'tools')
      report(
        context,
        'CF2010',
        `\`${key}:\` is not a Claude Code key; honoured as \`tools:\` (other tools ignore it and grant every tool)`,
        [key],
      );
    if (tokens !== undefined && tokens.join(',') !== value.join(',')) {
      report(context, 'CF2016', `\`${key}:\` and \`${present[0]}:\` both set tools, differently`, [key]);
      continue;
    }
    tokens = value;
    tokensKey ??= key;
  }
  const restricted: string[] = [];
  for (const key of DISALLOWED_TOOL_KEYS) {
    if (!(key in data)) continue;
    const value = splitTools(data[key]);
    if (value === undefined) report(context, 'CF2006', `\`${key}\` must be a comma-separated string or a list`, [key], 'value');
    else restricted.push(...value);
  }
  return tokens === undefined ? { restricted } : { tokens, key: tokensKey!, restricted };
}

/**
 * Normalizes one parsed brief.
 *
 * @example normalizeBrief(file, parsed, body, options).brief?.id
 */
export function normalizeBrief(
  file: SourceFile,
  parsed: ParsedFrontMatter,
  body: string,
  hasFrontMatter: boolean,
  options: CompilerOptions,
): { brief?: NormalizedBrief; diagnostics: Diagnostic[] } {
  const lines = file.lines;
  const context: Context = { parsed, lines, diagnostics: [] };
  const stem = posix.basename(file.relativePath).replace(/\.md$/i, '');
  let name = stringKey(context, 'name');
  if (!name) {
    name = stem;
    if (hasFrontMatter) report(context, 'CF2002', `no \`name:\`; using the file name \`${stem}\``, []);
  }
  let id = slugify(name);
  if (id === '') {
    // CJK, emoji and other scripts slugify to nothing: the file name, else a stable id from the name.
    const fromFile = slugify(stem);
    id = fromFile !== '' ? fromFile : derivedId(name);
    const origin = fromFile !== '' ? 'taken from the file name' : 'derived from the name';
    report(
      context,
      'CF2050',
      `name \`${name}\` has no ASCII letters or digits; the id is \`${id}\` (${origin})`,
      stringKey(context, 'name') ? ['name'] : [],
      'value',
    );
  } else if (id !== name) {
    report(context, 'CF2003', `name \`${name}\` is not a slug; the id is \`${id}\``, ['name'], 'value');
  }
  let description = stringKey(context, 'description') ?? '';
  if (description === '') {
    description = firstParagraph(body);
    if (description === '') {
      report(context, 'CF2005', 'no `description:` and no prose paragraph in the body to take one from', hasFrontMatter ? [] : []);
      return { diagnostics: context.diagnostics };
    }
    if (hasFrontMatter) report(context, 'CF2031', 'no `description:`; using the first paragraph of the body', []);
  }
  let model = stringKey(context, 'model') ?? options.defaultModel;
  if (!isKnownModel(model, options.models))
    report(context, 'CF2020', `model \`${model}\` is not a known alias or model id; kept as written`, ['model'], 'value');
  const tools = resolveTools(context);
  const codexValue = parsed.data.codex;
  let codex: Record<string, unknown> | undefined;
  if (codexValue !== undefined && codexValue !== null) {
    if (typeof codexValue === 'object' && !Array.isArray(codexValue)) codex = codexValue as Record<string, unknown>;
    else
      report(
        context,
        'CF4003',
        '`codex:` must be a mapping of output sections, e.g. `codex: { triggers: { keywords: [a, b] } }`',
        ['codex'],
        'value',
      );
  }
  const extensions: Record<string, unknown> = {};
  for (const key of Object.keys(parsed.data).sort()) if (!KNOWN_KEYS.has(key)) extensions[key] = parsed.data[key];
  const color = stringKey(context, 'color');
  model = model.trim();
  const brief: NormalizedBrief = {
    file,
    id,
    name,
    description,
    body,
    ...classify(file.relativePath, options),
    model,
    restrictedTokens: tools.restricted,
    extensions,
    locate: parsed.locate,
    lines,
  };
  if (color) brief.color = color;
  if (tools.tokens !== undefined) {
    brief.toolTokens = tools.tokens;
    brief.toolsKey = tools.key!;
  }
  if (codex) brief.codex = codex;
  return { brief, diagnostics: context.diagnostics };
}
