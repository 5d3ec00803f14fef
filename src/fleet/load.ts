/**
 * Loading a compiled fleet for the router and the runner: `index.json` and `triggers.json` read
 * once and checked (format, versions, that both come from one compile); definitions parsed only
 * when first asked for, then frozen and cached (a router whose tasks hit triggers never parses a
 * single YAML file). Problems are diagnostics; `loadFleet` returns no fleet only when it cannot
 * route at all.
 *
 * @example
 * const { fleet, diagnostics } = loadFleet('codex/agents');
 * if (fleet) createRouter(fleet).route({ task: 'fix the flaky login test' });
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AgentDefinition } from '../schema/definition.js';
import { FLEET_FORMAT, FLEET_FORMAT_VERSION, INDEX_FILE, TRIGGERS_FILE, type FleetIndex, type IndexEntry, type TriggerTable } from './types.js';
import { completeTriggerTable } from './complete-triggers.js';
import { completeFleetDir } from './complete-fleet.js';

/**
 * The definition schema version this loader reads. A copy of schema/definition.ts's SCHEMA_VERSION
 * (a test keeps them equal): importing that module costs ~200 ms of TypeBox at start-up, which
 * `codex-flow route` must not pay.
 */
export const READABLE_SCHEMA_VERSION = 1;
const SCHEMA_VERSION = READABLE_SCHEMA_VERSION;

/** The YAML parser, loaded on first use: a route whose triggers match never parses a definition. */
let parseYaml: ((text: string) => unknown) | undefined;
function yamlParse(text: string): unknown {
  parseYaml ??= (createRequire(import.meta.url)('yaml') as { parse: (text: string) => unknown }).parse;
  return parseYaml(text);
}

export interface LoadedFleet {
  /** The fleet folder as given. */
  dir: string;
  index: FleetIndex;
  triggers: TriggerTable;
  /** The definition of an agent, parsed and frozen on first use; undefined if unknown or unreadable. */
  definition(id: string): AgentDefinition | undefined;
  entry(id: string): IndexEntry | undefined;
  /** Problems found so far, including those of definitions loaded later. */
  diagnostics: Diagnostic[];
}

/** A writer finishing its publish may delete the kept old folder a reader just chose: ask again this often. */
const FOLDER_ATTEMPTS = 3;

/**
 * Loads a compiled fleet from `dir` (usually `codex/agents`), or from the kept old fleet when a
 * publish is between its renames (complete-fleet.ts). Reads only: never recovers or deletes.
 */
export function loadFleet(dir: string): { fleet?: LoadedFleet; diagnostics: Diagnostic[] } {
  let diagnostics: Diagnostic[] = [];
  let source = dir;
  let index: FleetIndex | undefined;
  let rawTriggers: TriggerTable | undefined;
  for (let attempt = 0; attempt < FOLDER_ATTEMPTS; attempt++) {
    diagnostics = [];
    source = completeFleetDir(dir);
    index = readJson(join(source, INDEX_FILE), diagnostics) as FleetIndex | undefined;
    rawTriggers = readJson(join(source, TRIGGERS_FILE), diagnostics) as TriggerTable | undefined;
    if ((index && rawTriggers) || source === completeFleetDir(dir)) break;
  }
  if (!index || !rawTriggers) return { diagnostics };
  checkVersions(index, INDEX_FILE, diagnostics);
  checkVersions(rawTriggers, TRIGGERS_FILE, diagnostics);
  if (index.schema_version !== SCHEMA_VERSION) {
    diagnostics.push(diagnostic('CF5023', `${INDEX_FILE} holds definitions of schema version ${String(index.schema_version)}; this codex-flow reads version ${SCHEMA_VERSION}`));
  }
  if (!Array.isArray(index.agents)) diagnostics.push(diagnostic('CF5020', `${INDEX_FILE} has no agents list`));
  if (hasErrors(diagnostics)) return { diagnostics };
  if (rawTriggers.hash !== index.hash) {
    diagnostics.push(diagnostic('CF5022', `${TRIGGERS_FILE} (${rawTriggers.hash}) and ${INDEX_FILE} (${index.hash}) come from different compiles`));
    return { diagnostics };
  }
  const triggers = completeTriggerTable(rawTriggers, index);
  const byId = new Map(index.agents.map((entry) => [entry.id, entry]));
  const cache = new Map<string, AgentDefinition | undefined>();
  const fleet: LoadedFleet = {
    dir, index, triggers, diagnostics,
    entry: (id) => byId.get(id),
    definition(id) {
      if (cache.has(id)) return cache.get(id);
      const entry = byId.get(id);
      const loaded = entry ? readDefinition(source, entry, diagnostics) : undefined;
      cache.set(id, loaded);
      return loaded;
    },
  };
  return { fleet, diagnostics };
}

function readJson(path: string, diagnostics: Diagnostic[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    diagnostics.push(diagnostic(missing ? 'CF5011' : 'CF5020', `${path}: ${missing ? 'not found' : (error as Error).message}`));
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    diagnostics.push(diagnostic('CF5020', `${path}: not valid JSON (${(error as Error).message})`));
    return undefined;
  }
}

function checkVersions(file: { format?: unknown; format_version?: unknown }, name: string, diagnostics: Diagnostic[]): void {
  if (file.format !== FLEET_FORMAT || file.format_version !== FLEET_FORMAT_VERSION) {
    diagnostics.push(diagnostic('CF5023', `${name} is ${String(file.format)} version ${String(file.format_version)}; this codex-flow reads ${FLEET_FORMAT} version ${FLEET_FORMAT_VERSION}`));
  }
}

/** One definition file of the fleet, parsed and frozen; undefined (and a CF5021) when it does not hold that agent. */
export function readDefinition(dir: string, entry: Pick<IndexEntry, 'id' | 'path'>, diagnostics: Diagnostic[]): AgentDefinition | undefined {
  const path = join(dir, entry.path);
  try {
    const definition = yamlParse(readFileSync(path, 'utf8')) as AgentDefinition;
    if (definition?.schema_version !== SCHEMA_VERSION || definition.agent?.id !== entry.id) {
      diagnostics.push(diagnostic('CF5021', `${entry.path}: does not hold schema version ${SCHEMA_VERSION} of agent "${entry.id}"`));
      return undefined;
    }
    return deepFreeze(definition);
  } catch (error) {
    diagnostics.push(diagnostic('CF5021', `${entry.path}: ${(error as Error).message}`));
    return undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
