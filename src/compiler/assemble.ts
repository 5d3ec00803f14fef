/**
 * assemble: a normalized brief + what inference found + the `codex:` block → a candidate
 * definition. Explicit beats inferred field by field: `codex:` objects merge key by key into the
 * inferred definition, lists and scalars replace. Also records, for each field the brief set
 * explicitly, where in the front-matter it was set, so validation errors point there.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AgentDefinition } from '../schema/definition.js';
import { SCHEMA_VERSION } from '../schema/definition.js';
import type { Inferred } from './infer/index.js';
import { qualityPrior } from './models.js';
import { workloadOf } from '../fleet/workload.js';
import type { NormalizedBrief } from './normalize.js';
import { DEFAULT_HOOK_TIMEOUT_MS, definitionDefaults, type CompilerOptions } from './options.js';
import { classifyTool, EXEC_TOOLS, WRITE_TOOLS } from './tools.js';

/** Sections the compiler owns: a brief cannot set them through `codex:`. */
const COMPILER_OWNED = new Set(['schema_version', 'prompt', 'provenance']);

export interface Assembled {
  /** Not yet validated: `codex:` may have put anything anywhere. */
  candidate: Record<string, unknown>;
  /** Definition paths (dot-joined) that came from the `codex:` block. */
  explicitPaths: Set<string>;
  diagnostics: Diagnostic[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeExplicit(base: unknown, override: unknown, path: string[], explicit: Set<string>): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    explicit.add(path.join('.'));
    return override;
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeExplicit(base[key], value, [...path, key], explicit);
  return merged;
}

/** An `mcp__*` tool runs a bridge command, so the runner gates it like Bash (autonomy ≥ 3). */
function autonomyFor(allowed: readonly string[]): number {
  if (allowed.some((tool) => EXEC_TOOLS.has(tool) || tool.startsWith('mcp__'))) return 3;
  if (allowed.some((tool) => WRITE_TOOLS.has(tool))) return 2;
  return allowed.length > 0 ? 1 : 0;
}

/** Accepts hooks and regexes written the short way in `codex:` (`["npm test"]`, `["\\bfoo\\b"]`). */
function expandShorthands(codex: Record<string, unknown>): Record<string, unknown> {
  const result = structuredClone(codex);
  const hooks = result.hooks;
  if (isPlainObject(hooks)) {
    for (const [phase, list] of Object.entries(hooks)) {
      if (Array.isArray(list))
        hooks[phase] = list.map((hook) => (typeof hook === 'string' ? { run: hook, timeout_ms: DEFAULT_HOOK_TIMEOUT_MS } : hook));
    }
  }
  const triggers = result.triggers;
  if (isPlainObject(triggers) && Array.isArray(triggers.regex)) {
    triggers.regex = triggers.regex.map((entry) => (typeof entry === 'string' ? { pattern: entry, priority: 5 } : entry));
  }
  return result;
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Builds the candidate definition of one brief.
 *
 * @example assembleDefinition(brief, inferred, new Set(['code-reviewer']), options).candidate
 */
export function assembleDefinition(
  brief: NormalizedBrief,
  inferred: Inferred,
  fleetIds: ReadonlySet<string>,
  options: CompilerOptions,
): Assembled {
  const diagnostics: Diagnostic[] = [];
  const at = (path: (string | number)[], part: 'key' | 'value' = 'key') => {
    const location = brief.locate(path, part);
    return [location, { sourceLine: brief.lines[location.line - 1] ?? '' }] as const;
  };
  const toolsKey = brief.toolsKey ?? 'tools';
  /** Points at the token itself inside the `tools:` line when it can be found there. */
  const atTool = (token: string) => {
    const [location, extras] = at([toolsKey], 'value');
    const column = extras.sourceLine.indexOf(token, location.column - 1);
    return [column >= 0 ? { ...location, column: column + 1 } : location, extras] as const;
  };
  const allowed: string[] = [];
  const prefers: string[] = [];
  if (brief.toolTokens === undefined) {
    if (options.defaultTools.length > 0) {
      allowed.push(...options.defaultTools);
      diagnostics.push(diagnostic('CF2017', `no \`tools:\`; using the fleet default (${options.defaultTools.join(', ')})`, ...at([])));
    } else {
      diagnostics.push(
        diagnostic(
          'CF2011',
          'no `tools:` declared: this agent gets no tools (deny by default), unlike Claude Code where it would inherit all of them',
          ...at([]),
        ),
      );
    }
  }
  for (const token of brief.toolTokens ?? []) {
    const tool = classifyTool(token, fleetIds);
    if (tool.kind === 'agent') {
      prefers.push(tool.name);
      diagnostics.push(
        diagnostic(
          'CF2015',
          `\`${token}\` in tools is an agent of this fleet, not a tool; recorded as a preferred delegation`,
          ...atTool(token),
        ),
      );
      continue;
    }
    if (tool.kind === 'obsolete') {
      const message =
        tool.name === token
          ? `tool \`${token}\` is retired in Claude Code; kept, the runner still provides it`
          : `tool \`${token}\` is now \`${tool.name}\``;
      diagnostics.push(diagnostic('CF2013', message, ...atTool(token)));
    }
    if (tool.kind === 'mcp')
      diagnostics.push(
        diagnostic('CF2014', `MCP tool \`${token}\` kept; the runner offers it only when its server is configured`, ...atTool(token)),
      );
    if (tool.kind === 'unknown')
      diagnostics.push(
        diagnostic('CF2012', `\`${token}\` is not a known tool; kept, but the runner will refuse it unless configured`, ...atTool(token)),
      );
    allowed.push(tool.name);
  }
  const restricted = dedupe(brief.restrictedTokens.map((token) => classifyTool(token, new Set()).name));
  const grantable = dedupe(allowed).filter((tool) => !restricted.includes(tool));
  const defaults = definitionDefaults(brief.id);
  const agent: AgentDefinition['agent'] = {
    id: brief.id,
    name: brief.name,
    classification: {
      domain: brief.domain,
      tier: inferred.tier,
      workload: workloadOf({
        id: brief.id,
        domain: brief.domain,
        ...(brief.subdomain ? { subdomain: brief.subdomain } : {}),
        model: brief.model,
        tier: inferred.tier,
      }),
    },
    description: brief.description,
    model: brief.model,
  };
  if (brief.subdomain) agent.classification.subdomain = brief.subdomain;
  if (brief.color) agent.color = brief.color;
  if (Object.keys(brief.extensions).length > 0) agent.extensions = brief.extensions;
  const inferredDefinition: Record<string, unknown> = {
    schema_version: SCHEMA_VERSION,
    agent,
    runtime: {
      ...defaults.runtime,
      autonomy_level: autonomyFor(grantable),
      execution_mode: grantable.length > 0 ? 'agent-loop' : 'single-shot',
    },
    capabilities: {
      core: inferred.core,
      detail: {
        languages: inferred.languages,
        frameworks: inferred.frameworks,
        domains: inferred.domains,
        tools: { allowed: grantable, restricted },
      },
      quality: qualityPrior(brief.model),
    },
    responsibilities: inferred.responsibilities,
    triggers: {
      keywords: inferred.keywords,
      regex: inferred.regex,
      file_patterns: inferred.file_patterns,
      delegations: { prefers: dedupe(prefers), complements: [] },
    },
    workflow: defaults.workflow,
    memory: defaults.memory,
    metrics: defaults.metrics,
    hooks: defaults.hooks,
    testing: defaults.testing,
    observability: defaults.observability,
    prompt: { system: brief.body },
    provenance: { source: brief.file.path, hash: brief.file.hash },
  };
  const explicitPaths = new Set<string>();
  let candidate = inferredDefinition;
  if (brief.codex) {
    const codex = expandShorthands(brief.codex);
    for (const key of Object.keys(codex)) {
      if (!COMPILER_OWNED.has(key)) continue;
      diagnostics.push(diagnostic('CF4002', `\`codex.${key}\` is computed by the compiler and cannot be set`, ...at(['codex', key])));
      delete codex[key];
    }
    candidate = mergeExplicit(inferredDefinition, codex, [], explicitPaths) as Record<string, unknown>;
  }
  const triggers = candidate.triggers as Record<string, unknown> | undefined;
  if (isPlainObject(triggers) && Array.isArray(triggers.keywords)) {
    triggers.keywords = dedupe(
      triggers.keywords.map((keyword) => (typeof keyword === 'string' ? keyword.trim().toLowerCase() : keyword)) as string[],
    );
  }
  return { candidate, explicitPaths, diagnostics };
}
