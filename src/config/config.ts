/**
 * `codex-flow.config.yaml` (or `.json`): one optional file at the project root with a section per
 * subsystem. This module only finds, parses and shape-checks it; each subsystem resolves its own
 * defaults from its section (compiler: resolveCompilerOptions, router: resolveRouterOptions, …).
 */
import { resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readRegularFile } from '../util/read-regular-file.js';

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

const SECTIONS = new Set(['compiler', 'router', 'learning', 'providers', 'runner', 'server', 'queue']);

/** A config is a page of settings; a megabyte is far past any real one and bounds what a wrong path can cost. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * yaml, ajv and the compiler section's schema (TypeBox: ~370 module files) are loaded only when a
 * config file has a compiler section: `route` must start fast.
 */
async function compilerValidator(): Promise<import('ajv').ValidateFunction> {
  const { default: Ajv2020 } = await import('ajv/dist/2020.js');
  const { CompilerConfigSchema } = await import('./compiler-schema.js');
  const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
  return new Ajv({ allErrors: true, strict: true }).compile(CompilerConfigSchema);
}

export interface LoadedConfig {
  config: CodexFlowConfig;
  /** Relative path of the file read, if any. */
  file?: string;
  diagnostics: Diagnostic[];
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
    const text = read.text;
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
    const diagnostics: Diagnostic[] = [];
    const at = (path: (string | number)[]) => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      return offsetLocation(text, node?.range?.[0] ?? 0, file);
    };
    for (const key of Object.keys(value)) {
      if (!SECTIONS.has(key))
        diagnostics.push(diagnostic('CF9002', `unknown section \`${key}\`; known: ${[...SECTIONS].join(', ')}`, at([key])));
    }
    const compiler = (value as CodexFlowConfig).compiler;
    const validate = compiler === undefined ? undefined : await compilerValidator();
    if (validate && !validate(compiler)) {
      for (const error of validate.errors ?? []) {
        const path = ['compiler', ...error.instancePath.split('/').slice(1)];
        const where = path.join('.');
        const extra = error.keyword === 'additionalProperties' ? ` \`${String(error.params.additionalProperty)}\`` : '';
        diagnostics.push(diagnostic('CF9001', `\`${where}\` ${error.message ?? 'is invalid'}${extra}`, at(path)));
      }
      return { config: {}, file, diagnostics };
    }
    const embeddings = (value as CodexFlowConfig).router?.embeddings;
    if (embeddings !== undefined) {
      const problems = await embeddingsProblems(embeddings, at);
      if (problems.length > 0) return { config: {}, file, diagnostics: [...diagnostics, ...problems] };
    }
    return { config: value as CodexFlowConfig, file, diagnostics };
  }
  return { config: {}, diagnostics: [] };
}

/** `router.embeddings` against its schema (config/embeddings-schema.ts), each problem at its line. */
async function embeddingsProblems(section: unknown, at: (path: (string | number)[]) => Diagnostic['location']): Promise<Diagnostic[]> {
  const { default: Ajv2020 } = await import('ajv/dist/2020.js');
  const { EmbeddingsConfigSchema } = await import('./embeddings-schema.js');
  const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(EmbeddingsConfigSchema);
  if (validate(section)) return [];
  return (validate.errors ?? []).map((error) => {
    const path = ['router', 'embeddings', ...error.instancePath.split('/').slice(1)];
    const extra = error.keyword === 'additionalProperties' ? ` \`${String(error.params.additionalProperty)}\`` : '';
    const allowed = error.keyword === 'const' || error.keyword === 'anyOf' ? ' (see docs/routing.md, "Embeddings")' : '';
    return diagnostic('CF3300', `\`${path.join('.')}\` ${error.message ?? 'is invalid'}${extra}${allowed}`, at(path));
  });
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
