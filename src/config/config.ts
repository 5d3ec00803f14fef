/**
 * `codex-flow.config.yaml` (or `.json`): one optional file at the project root with a section per
 * subsystem. This module only finds, parses and shape-checks it; each subsystem resolves its own
 * defaults from its section (compiler: resolveCompilerOptions, router: resolveRouterOptions, …).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompilerConfig } from '../compiler/options.js';

export const CONFIG_FILES = ['codex-flow.config.yaml', 'codex-flow.config.yml', 'codex-flow.config.json'] as const;

/** Top-level sections; a section owned by a subsystem is passed to it as is. */
export interface CodexFlowConfig {
  compiler?: CompilerConfig;
  router?: Record<string, unknown>;
  learning?: Record<string, unknown>;
  providers?: Record<string, unknown>;
  runner?: Record<string, unknown>;
}

const SECTIONS = new Set(['compiler', 'router', 'learning', 'providers', 'runner']);

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
    let text: string;
    try {
      text = await readFile(resolve(root, file), 'utf8');
    } catch {
      if (explicit) return { config: {}, diagnostics: [diagnostic('CF9001', `config file ${file} cannot be read`, { file, line: 1, column: 1 })] };
      continue;
    }
    const { parseDocument } = await import('yaml');
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0) {
      const error = doc.errors[0]!;
      const pos = error.linePos?.[0] ?? { line: 1, col: 1 };
      return { config: {}, file, diagnostics: [diagnostic('CF9001', error.message.split('\n')[0]!, { file, line: pos.line, column: pos.col }, { sourceLine: text.split('\n')[pos.line - 1] ?? '' })] };
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return { config: {}, file, diagnostics: [] };
    if (typeof value !== 'object' || Array.isArray(value)) {
      return { config: {}, file, diagnostics: [diagnostic('CF9001', 'the config must be a mapping of sections (compiler, router, …)', { file, line: 1, column: 1 })] };
    }
    const diagnostics: Diagnostic[] = [];
    const at = (path: (string | number)[]) => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      const offset = node?.range?.[0] ?? 0;
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      return { file, line, column: offset - before.lastIndexOf('\n') };
    };
    for (const key of Object.keys(value)) {
      if (!SECTIONS.has(key)) diagnostics.push(diagnostic('CF9002', `unknown section \`${key}\`; known: ${[...SECTIONS].join(', ')}`, at([key])));
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
    return { config: value as CodexFlowConfig, file, diagnostics };
  }
  return { config: {}, diagnostics: [] };
}
