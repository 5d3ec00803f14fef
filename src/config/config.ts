/**
 * `codex-flow.config.yaml` (or `.json`): one optional file at the project root with a section per
 * subsystem. This module only finds, parses and shape-checks it; each subsystem resolves its own
 * defaults from its section (compiler: resolveCompilerOptions, router: resolveRouterOptions, …).
 */
import { resolve } from 'node:path';
import { diagnostic, hasErrors, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import type { Locate } from './check-section.js';
import { SECTIONS, UNKNOWN_SECTION_CODE } from './sections.js';
import { readRegularFile } from '../util/read-regular-file.js';
import { configCache, type CachedConfig } from './config-cache.js';
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

export const CONFIG_FILES = ['codex-flow.config.yaml', 'codex-flow.config.yml', 'codex-flow.config.json'] as const;

/** The `compiler:` section (checked against config/compiler-schema.ts; resolved by resolveCompilerOptions). */
export interface CompilerConfig {
  src?: string;
  out?: string;
  exclude?: string[];
  skip_folders?: string[];
  defaults?: { tools?: string[]; model?: string; domain?: string };
  models?: string[];
}

/** Top-level sections; a section owned by a subsystem is passed to it as is. */
export interface CodexFlowConfig {
  compiler?: CompilerConfig;
  router?: Record<string, unknown>;
  learning?: Record<string, unknown>;
  providers?: Record<string, unknown>;
  runner?: Record<string, unknown>;
  server?: Record<string, unknown>;
  /** The task queue (src/queue, docs/queue.md): `url` makes runs enqueue tasks for `codex-flow worker`. */
  queue?: Record<string, unknown>;
}

/** A config is a page of settings; a megabyte is far past any real one and bounds what a wrong path can cost. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  config: CodexFlowConfig;
  /** Relative path of the file read, if any. */
  file?: string;
  diagnostics: Diagnostic[];
  /** Where a setting sits in the file (its nearest written ancestor), for a subsystem's own diagnostics. */
  locate?: (path: readonly (string | number)[]) => SourceLocation;
}

/**
 * Loads the project's config; a missing file is an empty config, a broken one an error diagnostic.
 *
 * @example const { config } = await loadConfig(process.cwd());
 */
export async function loadConfig(root: string, explicit?: string): Promise<LoadedConfig> {
  const candidates = explicit ? [explicit] : CONFIG_FILES;
  for (const file of candidates) {
    const read = readRegularFile(resolve(root, file), MAX_CONFIG_BYTES);
    if (!read.ok) {
      // Only "not there" moves on to the next name: a config that exists but cannot be read must
      // stop the command, or it would run with defaults (and write where the config says not to).
      if (read.reason === 'missing' && !explicit) continue;
      return {
        config: {},
        file,
        diagnostics: [
          diagnostic(
            'CF9010',
            `config file ${file} cannot be read: ${read.problem}`,
            { file, line: 1, column: 1 },
            { hint: unreadableHint(read.reason, file, explicit !== undefined) },
          ),
        ],
      };
    }
    const cache = configCache(root, file, read.text);
    const hit = cache?.read();
    if (hit) return fromCache(hit, read.text, file);
    const loaded = await parseConfig(read.text, file);
    if (!hasErrors(loaded.diagnostics) && loaded.locate)
      cache?.write({ config: loaded.config as Record<string, unknown>, diagnostics: loaded.diagnostics });
    return loaded;
  }
  return { config: {}, diagnostics: [] };
}

/** The config file's text parsed and checked against the section registry: the full load, without the cache. */
async function parseConfig(text: string, file: string): Promise<LoadedConfig> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return { config: {}, file, diagnostics: [yamlErrorDiagnostic(doc.errors[0]!, text, file)] };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // The yaml package throws here on alias bombs (maxAliasCount) and a few malformed documents.
    return {
      config: {},
      file,
      diagnostics: [
        diagnostic('CF9001', `the config cannot be read: ${firstLine((error as Error).message)}`, { file, line: 1, column: 1 }),
      ],
    };
  }
  if (value === null || value === undefined) return { config: {}, file, diagnostics: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      config: {},
      file,
      diagnostics: [diagnostic('CF9001', 'the config must be a mapping of sections (compiler, router, …)', { file, line: 1, column: 1 })],
    };
  }
  const diagnostics = await checkSections(value as Record<string, unknown>, doc, text, file);
  if (hasErrors(diagnostics)) return { config: {}, file, diagnostics };
  return { config: value as CodexFlowConfig, file, diagnostics, locate: nearestLocation(locator(doc, text, file), file) };
}

/** Where a setting sits: its own value, else its nearest written ancestor, else the file's start. */
function nearestLocation(at: Locate, file: string): (path: readonly (string | number)[]) => SourceLocation {
  return (path) => {
    for (let length = path.length; length > 0; length--) {
      const where = at(path.slice(0, length).map(String), 'value');
      if (where) return { file, line: where.line, column: where.column };
    }
    return { file, line: 1, column: 1 };
  };
}

/**
 * What the full load gave for these bytes (config-cache.ts): its sections count as checked, and positions are found by parsing the text again when a subsystem first asks for one.
 */
function fromCache(hit: CachedConfig, text: string, file: string): LoadedConfig {
  for (const [name, section] of Object.entries(hit.config))
    if (SECTIONS[name] && section !== null && typeof section === 'object') checked.add(section);
  let locate: ((path: readonly (string | number)[]) => SourceLocation) | undefined;
  return {
    config: hit.config as CodexFlowConfig,
    file,
    diagnostics: hit.diagnostics,
    locate: (path) => {
      if (!locate) {
        const { parseDocument } = requireHere('yaml') as typeof import('yaml');
        locate = nearestLocation(locator(parseDocument(text, { prettyErrors: false }), text, file), file);
      }
      return locate(path);
    },
  };
}

type ConfigDocument = import('yaml').Document.Parsed;

const checked = new WeakSet<object>();

/**
 * Whether `section` came from a config file the loader already checked against the section's
 * schema: its problems were reported there, at their positions, and are not reported again by
 * the subsystem (which still checks a section given to it directly, as a library caller does).
 */
export function checkedByLoader(section: unknown): boolean {
  return section !== null && typeof section === 'object' && checked.has(section);
}

/**
 * The whole file against the section registry (sections.ts), once: each top-level key names a
 * section, and every section is checked against its schema (then its rules), so every problem of
 * the file comes back from one run. Problems are reported at the key or value they concern.
 */
async function checkSections(value: Record<string, unknown>, doc: ConfigDocument, text: string, file: string): Promise<Diagnostic[]> {
  const locate = locator(doc, text, file);
  const known = Object.keys(SECTIONS);
  const diagnostics: Diagnostic[] = [];
  for (const [name, section] of Object.entries(value)) {
    const spec = SECTIONS[name];
    if (!spec) {
      const guess = closest(name, known);
      const where = locate([name], 'key');
      diagnostics.push(
        diagnostic(
          UNKNOWN_SECTION_CODE,
          `unknown section \`${name}\`; known: ${known.join(', ')}`,
          where && { file, line: where.line, column: where.column },
          {
            ...(where?.sourceLine !== undefined ? { sourceLine: where.sourceLine } : {}),
            ...(guess ? { hint: `did you mean \`${guess}\`?` } : {}),
          },
        ),
      );
      continue;
    }
    if (section === undefined) continue;
    const { checkSection, ruleDiagnostics } = await import('./check-section.js');
    const problems = checkSection(name, section, spec, await spec.schema(), locate);
    if (problems.length === 0 && spec.rules) problems.push(...ruleDiagnostics(name, (await spec.rules())(section), spec, locate));
    diagnostics.push(...problems);
    if (section !== null && typeof section === 'object') checked.add(section);
  }
  return diagnostics;
}

/** Positions from the parsed document: a key's own scalar, or the value node at a path. Exported for tests. */
export function locator(doc: ConfigDocument, text: string, file: string): Locate {
  return (path, part) => {
    let offset: number | undefined;
    if (part === 'key') {
      const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
      const items = (parent as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | null)?.items;
      offset = items?.find((pair) => String(pair.key?.value) === path[path.length - 1])?.key?.range?.[0];
    } else {
      offset = (doc.getIn(path, true) as { range?: [number, number, number] } | undefined)?.range?.[0];
    }
    if (offset === undefined) return undefined;
    const location = offsetLocation(text, offset, file);
    return { ...location, sourceLine: text.split('\n')[location.line - 1] ?? '' };
  };
}

function unreadableHint(reason: string, file: string, explicit: boolean): string {
  if (reason === 'missing') return 'check the path given to --config';
  if (reason === 'not-regular') return `${file} must be a regular file; move what is there away, or pass --config <file>`;
  if (reason === 'too-large') return `${file} is not a config file: move it away, or pass --config <file>`;
  return explicit
    ? `make ${file} readable by this user`
    : `make ${file} readable by this user, or remove it: no other config is read while it exists`;
}

/** A YAML error at its own line and column (the parser's offset; `linePos` is not filled without prettyErrors). */
function yamlErrorDiagnostic(error: { code: string; message: string; pos: [number, number] }, text: string, file: string): Diagnostic {
  const location = offsetLocation(text, error.pos[0], file);
  const sourceLine = text.split('\n')[location.line - 1] ?? '';
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^\s*(?:-\s+)?(['"]?)([^'":#]+)\1\s*:/.exec(sourceLine)?.[2]?.trim();
    return diagnostic('CF9011', `${key ? `\`${key}\`` : 'a key'} is set twice in the same section`, location, { sourceLine });
  }
  return diagnostic('CF9001', firstLine(error.message).replace(/ at line \d+, column \d+:?$/, ''), location, { sourceLine });
}

function offsetLocation(text: string, offset: number, file: string): { file: string; line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { file, line, column: before.length - before.lastIndexOf('\n') };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}
