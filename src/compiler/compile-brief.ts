/**
 * One brief through the per-file passes: decode → split → parse → normalize → infer. Everything
 * here depends on the brief's bytes and the options only, so its result is cached by content
 * hash and reused when another brief changes (the incremental path of `convert --watch`).
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { splitFrontMatter } from './front-matter.js';
import { inferTriggers, type Inferred } from './infer/index.js';
import { normalizeBrief, type NormalizedBrief } from './normalize.js';
import type { CompilerOptions } from './options.js';
import { parseFrontMatter, type ParsedFrontMatter } from './parse.js';
import { decodeSource } from './source-file.js';

export interface BriefResult {
  relativePath: string;
  path: string;
  hash?: string;
  brief?: NormalizedBrief;
  inferred?: Inferred;
  diagnostics: Diagnostic[];
}

/**
 * Runs the per-file passes on one brief's bytes. Never throws.
 *
 * @example compileBrief(bytes, 'backend/api.md', '.claude/agents/backend/api.md', options).brief?.id
 */
export function compileBrief(bytes: Uint8Array, relativePath: string, path: string, options: CompilerOptions): BriefResult {
  const result: BriefResult = { relativePath, path, diagnostics: [] };
  const decoded = decodeSource(bytes, relativePath, path);
  result.diagnostics.push(...decoded.diagnostics);
  if (!decoded.file) return result;
  const file = decoded.file;
  result.hash = file.hash;
  const lines = file.lines;
  const split = splitFrontMatter(file);
  result.diagnostics.push(...split.diagnostics);
  if (split.diagnostics.some((d) => d.severity === 'error')) return result;
  let parsed: ParsedFrontMatter = { data: {}, locate: () => ({ file: path, line: 1, column: 1 }), diagnostics: [] };
  if (split.block) {
    parsed = parseFrontMatter(split.block, path, lines);
    result.diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) return result;
  }
  const normalized = normalizeBrief(file, parsed, split.body, split.block !== undefined, options);
  result.diagnostics.push(...normalized.diagnostics);
  if (!normalized.brief || normalized.diagnostics.some((d) => d.severity === 'error')) return result;
  const brief = normalized.brief;
  result.brief = brief;
  try {
    const inference = inferTriggers({
      id: brief.id,
      name: brief.name,
      description: brief.description,
      body: brief.body,
      tools: brief.toolTokens ?? [],
      domain: brief.domain,
      source: path,
      ...(brief.subdomain ? { subdomain: brief.subdomain } : {}),
    });
    result.inferred = inference.inferred;
    result.diagnostics.push(...inference.diagnostics);
  } catch (error) {
    // Inference must not throw; if it ever does, this brief fails alone, with the reason.
    result.diagnostics.push(
      diagnostic(
        'CF3001',
        `trigger inference failed: ${error instanceof Error ? error.message : String(error)}`,
        { file: path, line: 1, column: 1 },
        { severity: 'error' },
      ),
    );
    delete result.brief;
  }
  return result;
}
