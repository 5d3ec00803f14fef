/**
 * The router's side of the routing image (src/fleet/routing-image.ts): `convert` builds it from
 * the definitions it just compiled, `route` turns it back into what createRouter and the
 * semantic stage need, without building anything.
 *
 * Naive approach: the first `route` after each compile builds the keyword automaton and parses
 * every definition to build the lexical model (seconds on a 1,000-agent fleet, with nothing on
 * the screen), then caches them per project.
 * What we do: the same build, run once by the compiler, whose products (the keyword entry and the
 * serialized lexical model) ship inside the fleet. They are derived exactly as a route would
 * derive them (createRouter with a recording cache; agentDocument over the same definitions),
 * so a router restored from the image answers byte for byte as one built from the JSON files —
 * `validate` rebuilds the image from the definitions on disk and compares.
 * Invariants: the image holds no time, no absolute path and no codex-flow version; what would
 * change it is the fleet or ROUTING_IMAGE_FORMAT.
 *
 * @example const bytes = buildRoutingImage({ index, triggers, definition: (id) => byId.get(id) });
 */
import { agentDocument, lexicalSemanticModel, type SemanticModelFactory } from './stages/semantic/semantic-stage.js';
import { LexicalModel } from './lexical-model.js';
import { createRouter, type PrebuiltRouting } from './staged-router.js';
import { GLOB_CACHE_KIND, GlobStage, type CompiledGlob, type PrebuiltGlobs } from './stages/files/glob-stage.js';
import { packRoutingImage, type RoutingEntry, type RoutingImage } from '../fleet/routing-image.js';
import { jsonBytes, parseJsonBytes, type BuildCache } from './build-cache.js';
import type { FleetIndex, TriggerTable } from '../fleet/types.js';
import type { AgentDefinition } from '../schema/definition.js';

/** The compiled fleet an image is built from. */
export interface ImageSource {
  index: FleetIndex;
  triggers: TriggerTable;
  definition(id: string): AgentDefinition | undefined;
}

/** The routing image of a fleet, as bytes (deterministic: a pure function of the fleet). */
export function buildRoutingImage(fleet: ImageSource): Uint8Array {
  let keywords: Uint8Array | undefined;
  let compiledGlobs: CompiledGlob[] | undefined;
  const recorder: BuildCache = {
    read: () => undefined,
    write: (kind, _key, bytes) => {
      if (kind === 'keywords') keywords = bytes;
      if (kind === GLOB_CACHE_KIND) compiledGlobs = parseJsonBytes(bytes) as CompiledGlob[];
    },
  };
  const router = createRouter(fleet, { buildCache: recorder, options: { semantic: 'off' } });
  if (keywords === undefined || compiledGlobs === undefined)
    throw new Error('routing image: the router wrote no keyword entry or no globs');
  // The glob stage's own list (deduplicated, `./` dropped), in its order: the key it is read back by.
  const globStage = new GlobStage();
  for (const glob of Object.keys(fleet.triggers.file_patterns)) globStage.add(glob, []);
  const globs: PrebuiltGlobs = { globs: globStage.globs, compiled: compiledGlobs };
  const entries = new Map(fleet.index.agents.map((entry) => [entry.id, entry]));
  const lexical = LexicalModel.build(router.agents.map((id) => agentDocument(id, entries.get(id), fleet.definition(id)))).serialize();
  const { index, triggers } = fleet;
  const { keywords: _keywords, ...table } = triggers;
  void _keywords;
  const head = {
    format: index.format,
    format_version: index.format_version,
    schema_version: index.schema_version,
    hash: index.hash,
    entries: index.agents.map(routingEntry),
    table,
  };
  return packRoutingImage({ head, keywords, lexical, globs: jsonBytes(globs) as Uint8Array });
}

/** An index entry without what routing never reads, keys in one order. */
function routingEntry({ id, path, source, hash }: RoutingEntry): RoutingEntry {
  return { id, path, source, hash };
}

/** What createRouter takes from an image (globs only when the section reads as PrebuiltGlobs). */
export function prebuiltRouting(image: RoutingImage): PrebuiltRouting {
  const globs = prebuiltGlobs(image.globs);
  return { keywords: image.keywords, table: image.head.table, ...(globs ? { globs } : {}) };
}

function prebuiltGlobs(bytes: Uint8Array): PrebuiltGlobs | undefined {
  const parsed = parseJsonBytes(bytes) as Partial<PrebuiltGlobs> | undefined;
  if (!parsed || !Array.isArray(parsed.globs) || !Array.isArray(parsed.compiled) || parsed.globs.length !== parsed.compiled.length)
    return undefined;
  if (!parsed.globs.every((glob) => typeof glob === 'string') || !parsed.compiled.every(isCompiledGlob)) return undefined;
  return parsed as PrebuiltGlobs;
}

function isCompiledGlob(entry: unknown): entry is CompiledGlob {
  if (typeof entry === 'string') return true;
  const glob = entry as { source?: unknown; flags?: unknown; negated?: unknown } | null;
  return (
    typeof glob === 'object' &&
    glob !== null &&
    typeof glob.source === 'string' &&
    typeof glob.flags === 'string' &&
    typeof glob.negated === 'boolean'
  );
}

/**
 * A semantic model factory reading the image's lexical model (on first use), or `fallback` when
 * the section does not hold one this codex-flow reads.
 */
export function imageLexicalModelFactory(image: RoutingImage, fallback: SemanticModelFactory): SemanticModelFactory {
  return (documents) => {
    const model = LexicalModel.open(image.lexical);
    return model ? lexicalSemanticModel(model) : fallback(documents);
  };
}
