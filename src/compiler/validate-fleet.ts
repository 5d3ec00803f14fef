/**
 * `validate`: checks a compiled fleet as it is on disk, without the briefs: every definition
 * against the schema, index ↔ files ↔ triggers consistency, duplicate ids, dangling delegations,
 * and the format versions a reader of this codex-flow understands.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFINITION_SUFFIX, FLEET_FORMAT_VERSION, INDEX_FILE, TRIGGERS_FILE, type FleetIndex, type TriggerTable } from '../fleet/types.js';
import { SCHEMA_FILE_NAME, SCHEMA_VERSION, type AgentDefinition } from '../schema/definition.js';
import { emitFleet, sameContent, type OutputFiles } from './emit.js';
import { ROUTING_IMAGE_FILE } from '../fleet/routing-image.js';
import { readCompleteFleet } from './publish.js';
import { indexShapeProblems, triggersShapeProblems } from '../fleet/shape.js';
import { definitionValidator } from './validate.js';
import { positionedDefinition } from './definition-positions.js';

export interface FleetValidation {
  agents: number;
  diagnostics: Diagnostic[];
}

function readJson<T>(files: OutputFiles, name: string, out: string, diagnostics: Diagnostic[]): T | undefined {
  const text = files.get(name);
  const at = { file: `${out}/${name}`, line: 1, column: 1 };
  if (typeof text !== 'string') {
    diagnostics.push(diagnostic('CF5020', `${name} is missing`, at));
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    diagnostics.push(diagnostic('CF5020', `${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, at));
    return undefined;
  }
}

function readDefinitions(files: OutputFiles, out: string, diagnostics: Diagnostic[]): Map<string, AgentDefinition> {
  const validate = definitionValidator();
  const byPath = new Map<string, AgentDefinition>();
  const firstPathOfId = new Map<string, string>();
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!path.endsWith(DEFINITION_SUFFIX) || typeof text !== 'string') continue;
    const at = { file: `${out}/${path}`, line: 1, column: 1 };
    const { value, yamlError, locate, sourceLine } = positionedDefinition(text, `${out}/${path}`);
    if (yamlError) {
      const { location, message } = yamlError;
      diagnostics.push(diagnostic('CF4001', `not valid YAML: ${message}`, location, { sourceLine: sourceLine(location.line) }));
      continue;
    }
    if (!validate(value)) {
      for (const error of validate.errors ?? []) {
        const location = locate(error);
        diagnostics.push(
          diagnostic(
            'CF4001',
            `\`${error.instancePath.split('/').slice(1).join('.') || 'definition'}\` ${error.message ?? 'is invalid'}`,
            location,
            { sourceLine: sourceLine(location.line) },
          ),
        );
      }
      continue;
    }
    const definition = value as AgentDefinition;
    const previous = firstPathOfId.get(definition.agent.id);
    if (previous) diagnostics.push(diagnostic('CF5001', `id \`${definition.agent.id}\` is defined again; first in ${out}/${previous}`, at));
    else firstPathOfId.set(definition.agent.id, path);
    byPath.set(path, definition);
  }
  return byPath;
}

/**
 * Validates the fleet in `outDir` (relative paths in diagnostics use `out`).
 *
 * @example const { diagnostics } = await validateFleet('/repo/codex/agents', 'codex/agents');
 */
export async function validateFleet(outDir: string, out: string): Promise<FleetValidation> {
  // A reader: the last complete fleet as it is on disk, never a recovery (a publish may be running).
  const files = await readCompleteFleet(outDir);
  const diagnostics: Diagnostic[] = [];
  const index = readJson<FleetIndex>(files, INDEX_FILE, out, diagnostics);
  const triggers = readJson<TriggerTable>(files, TRIGGERS_FILE, out, diagnostics);
  const at = (name: string) => ({ file: `${out}/${name}`, line: 1, column: 1 });
  // A wrong-shaped file (`null`, `{}`, a string where a list belongs) is reported as such, never read field by field.
  const shapeProblems = [
    ...(index === undefined ? [] : indexShapeProblems(index, `${out}/${INDEX_FILE}`)),
    ...(triggers === undefined ? [] : triggersShapeProblems(triggers, `${out}/${TRIGGERS_FILE}`)),
  ];
  if (shapeProblems.length > 0) return { agents: 0, diagnostics: [...diagnostics, ...shapeProblems] };
  if (index && (index.format_version !== FLEET_FORMAT_VERSION || index.schema_version !== SCHEMA_VERSION)) {
    diagnostics.push(
      diagnostic(
        'CF5023',
        `fleet format ${index.format_version}, schema ${index.schema_version}; this codex-flow reads format ${FLEET_FORMAT_VERSION}, schema ${SCHEMA_VERSION}`,
        at(INDEX_FILE),
      ),
    );
    return { agents: 0, diagnostics };
  }
  const byPath = readDefinitions(files, out, diagnostics);
  const definitions = [...byPath.values()];
  const ids = new Set(definitions.map((d) => d.agent.id));
  for (const definition of definitions) {
    for (const target of [...definition.triggers.delegations.prefers, ...definition.triggers.delegations.complements]) {
      if (!ids.has(target))
        diagnostics.push(
          diagnostic(
            'CF5002',
            `\`${definition.agent.id}\` delegates to \`${target}\`, which is not in this fleet`,
            at(definition.agent.id),
          ),
        );
    }
  }
  if (index) {
    const listed = new Set(index.agents.map((entry) => entry.path));
    for (const entry of index.agents)
      if (!byPath.has(entry.path))
        diagnostics.push(diagnostic('CF5021', `index lists ${entry.path}, which is missing or invalid`, at(INDEX_FILE)));
    for (const path of byPath.keys())
      if (!listed.has(path)) diagnostics.push(diagnostic('CF5021', `${path} is not listed in index.json`, at(path)));
  }
  if (index && triggers && diagnostics.length === 0) {
    // Re-emitting from the definitions must give back the same index and routing table.
    const expected = emitFleet(definitions, index.source_root, () => index.generatedAt);
    if (expected.get(INDEX_FILE) !== files.get(INDEX_FILE))
      diagnostics.push(diagnostic('CF5021', 'index.json does not match the definitions (hash or entries differ)', at(INDEX_FILE)));
    if (expected.get(TRIGGERS_FILE) !== files.get(TRIGGERS_FILE))
      diagnostics.push(diagnostic('CF5022', "triggers.json does not match the definitions' triggers", at(TRIGGERS_FILE)));
    if (expected.get(SCHEMA_FILE_NAME) !== files.get(SCHEMA_FILE_NAME))
      diagnostics.push(diagnostic('CF5021', `${SCHEMA_FILE_NAME} is missing or not this version's schema`, at(SCHEMA_FILE_NAME)));
    // The image is rebuilt from the definitions as parsed from disk: equal bytes also prove a
    // router restored from it ranks as one built from the JSON files would.
    const image = files.get(ROUTING_IMAGE_FILE);
    if (image === undefined)
      diagnostics.push(
        diagnostic(
          'CF5071',
          `${ROUTING_IMAGE_FILE} is missing: \`route\` builds its keyword index and lexical model on first use instead`,
          at(ROUTING_IMAGE_FILE),
        ),
      );
    else if (!sameContent(expected.get(ROUTING_IMAGE_FILE)!, image))
      diagnostics.push(
        diagnostic(
          'CF5070',
          `${ROUTING_IMAGE_FILE} does not match the definitions (compiled by another codex-flow, or edited)`,
          at(ROUTING_IMAGE_FILE),
        ),
      );
  }
  return { agents: definitions.length, diagnostics };
}
