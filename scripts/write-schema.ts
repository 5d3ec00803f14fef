/**
 * Writes schema/codex-agent.schema.json from the TypeBox definition (src/schema/definition.ts),
 * the single source of truth. `npm run schema`; a test fails when the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionJsonSchema, SCHEMA_FILE_NAME } from '../src/schema/definition.js';

export const SCHEMA_PATH = join(import.meta.dirname, '../schema', SCHEMA_FILE_NAME);

export function schemaText(): string {
  return `${JSON.stringify(definitionJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, schemaText());
  console.log(`wrote ${SCHEMA_PATH}`);
}
