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
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AgentDefinition } from '../schema/definition.js';
import {
  FLEET_FORMAT,
  FLEET_FORMAT_VERSION,
  INDEX_FILE,
  TRIGGERS_FILE,
  type FleetIndex,
  type IndexEntry,
  type TriggerTable,
} from './types.js';
import { completeTriggerTable } from './complete-triggers.js';
import { completeFleetDir } from './complete-fleet.js';
import { definitionPathProblem, indexShapeProblems, triggersShapeProblems } from './shape.js';
import { readRegularFile } from '../util/read-regular-file.js';

/**
 * Size caps of what a reader loads: far above what convert writes for any real fleet (index.json and
 * triggers.json grow by one entry per agent; a definition holds a brief of at most MAX_BRIEF_BYTES),
 * far below what hurts a process.
 */
export const MAX_FLEET_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_DEFINITION_BYTES = 8 * 1024 * 1024;

/**
 * The definition schema version this loader reads. A copy of schema/definition.ts's SCHEMA_VERSION
 * (a test keeps them equal): importing that module loads TypeBox at start-up, which
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

/**
 * index.json and triggers.json as read, with the hash both hold: what a thread that checked a
 * fleet hands to the thread that serves it, which parses them only if it reads them.
 */
export interface FleetTexts {
  index: string;
  triggers: string;
  hash: string;
}

/** A writer finishing its publish may delete the kept old folder a reader just chose: ask again this often. */
const FOLDER_ATTEMPTS = 3;

/**
 * Loads a compiled fleet from `dir` (usually `codex/agents`), or from the kept old fleet when a
 * publish is between its renames (complete-fleet.ts). Reads only: never recovers or deletes.
 */
export function loadFleet(dir: string, given?: FleetTexts): { fleet?: LoadedFleet; diagnostics: Diagnostic[]; texts?: FleetTexts } {
  let diagnostics: Diagnostic[] = [];
  let source = dir;
  let index: FleetIndex | undefined;
  let rawTriggers: TriggerTable | undefined;
  let texts: Omit<FleetTexts, 'hash'> | undefined = given;
  if (given) {
    // Texts another thread read and checked: parsed as they are, the folder is not read again.
    index = parseJson(given.index, join(dir, INDEX_FILE), diagnostics) as FleetIndex | undefined;
    rawTriggers = parseJson(given.triggers, join(dir, TRIGGERS_FILE), diagnostics) as TriggerTable | undefined;
  } else
    for (let attempt = 0; attempt < FOLDER_ATTEMPTS; attempt++) {
      diagnostics = [];
      source = completeFleetDir(dir);
      const indexText = readText(join(source, INDEX_FILE), diagnostics);
      const triggersText = readText(join(source, TRIGGERS_FILE), diagnostics);
      index = indexText === undefined ? undefined : (parseJson(indexText, join(source, INDEX_FILE), diagnostics) as FleetIndex | undefined);
      rawTriggers =
        triggersText === undefined
          ? undefined
          : (parseJson(triggersText, join(source, TRIGGERS_FILE), diagnostics) as TriggerTable | undefined);
      texts = indexText !== undefined && triggersText !== undefined ? { index: indexText, triggers: triggersText } : undefined;
      if ((index !== undefined && rawTriggers !== undefined) || source === completeFleetDir(dir)) break;
    }
  if (index === undefined || rawTriggers === undefined) return { diagnostics };
  diagnostics.push(
    ...indexShapeProblems(index, join(source, INDEX_FILE)),
    ...triggersShapeProblems(rawTriggers, join(source, TRIGGERS_FILE)),
  );
  if (hasErrors(diagnostics)) return { diagnostics };
  checkVersions(index, INDEX_FILE, diagnostics);
  checkVersions(rawTriggers, TRIGGERS_FILE, diagnostics);
  if (index.schema_version !== SCHEMA_VERSION) {
    diagnostics.push(
      diagnostic(
        'CF5023',
        `${INDEX_FILE} holds definitions of schema version ${String(index.schema_version)}; this codex-flow reads version ${SCHEMA_VERSION}`,
      ),
    );
  }
  if (!Array.isArray(index.agents)) diagnostics.push(diagnostic('CF5020', `${INDEX_FILE} has no agents list`));
  if (hasErrors(diagnostics)) return { diagnostics };
  if (rawTriggers.hash !== index.hash) {
    diagnostics.push(
      diagnostic('CF5022', `${TRIGGERS_FILE} (${rawTriggers.hash}) and ${INDEX_FILE} (${index.hash}) come from different compiles`),
    );
    return { diagnostics };
  }
  const triggers = completeTriggerTable(rawTriggers, index);
  const byId = new Map(index.agents.map((entry) => [entry.id, entry]));
  const fleet: LoadedFleet = {
    dir,
    index,
    triggers,
    diagnostics,
    entry: (id) => byId.get(id),
    definition: definitionReader(source, byId, diagnostics),
  };
  return { fleet, diagnostics, ...(texts ? { texts: { ...texts, hash: index.hash } } : {}) };
}

/** A fleet's `definition(id)`: each definition read from `dir` on first use and kept, a miss included. */
export function definitionReader(
  dir: string,
  entries: ReadonlyMap<string, Pick<IndexEntry, 'id' | 'path'>>,
  diagnostics: Diagnostic[],
): (id: string) => AgentDefinition | undefined {
  const read = new Map<string, AgentDefinition | undefined>();
  return (id) => {
    if (read.has(id)) return read.get(id);
    const entry = entries.get(id);
    const loaded = entry ? readDefinition(dir, entry, diagnostics) : undefined;
    read.set(id, loaded);
    return loaded;
  };
}

function readText(path: string, diagnostics: Diagnostic[]): string | undefined {
  const read = readRegularFile(path, MAX_FLEET_FILE_BYTES);
  if (read.ok) return read.text;
  const code = read.reason === 'missing' ? 'CF5011' : read.reason === 'unreadable' ? 'CF5020' : 'CF5042';
  diagnostics.push(diagnostic(code, `${path}: ${read.problem}`));
  return undefined;
}

function parseJson(text: string, path: string, diagnostics: Diagnostic[]): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    diagnostics.push(diagnostic('CF5020', `${path}: not valid JSON (${(error as Error).message})`));
    return undefined;
  }
}

function checkVersions(file: { format?: unknown; format_version?: unknown }, name: string, diagnostics: Diagnostic[]): void {
  if (file.format !== FLEET_FORMAT || file.format_version !== FLEET_FORMAT_VERSION) {
    diagnostics.push(
      diagnostic(
        'CF5023',
        `${name} is ${String(file.format)} version ${String(file.format_version)}; this codex-flow reads ${FLEET_FORMAT} version ${FLEET_FORMAT_VERSION}`,
      ),
    );
  }
}

/** One definition file of the fleet, parsed and frozen; undefined (and a CF5021) when it does not hold that agent. */
export function readDefinition(
  dir: string,
  entry: Pick<IndexEntry, 'id' | 'path'>,
  diagnostics: Diagnostic[],
): AgentDefinition | undefined {
  const path = join(dir, entry.path);
  const outside = definitionPathProblem(entry.path);
  if (outside) {
    diagnostics.push(diagnostic('CF5041', `${entry.path}: the definition of "${entry.id}" should be ${outside}`));
    return undefined;
  }
  const read = readRegularFile(path, MAX_DEFINITION_BYTES);
  if (!read.ok) {
    diagnostics.push(
      diagnostic(read.reason === 'missing' || read.reason === 'unreadable' ? 'CF5021' : 'CF5042', `${entry.path}: ${read.problem}`),
    );
    return undefined;
  }
  try {
    const definition = yamlParse(read.text) as AgentDefinition;
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
