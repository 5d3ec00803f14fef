/**
 * The registry's check for a section handed to a subsystem directly, as a library caller (or a
 * test) does with a plain object: the same schema, code, severity and hints as for the file, with
 * no position since there is no file. A section read from the file was already checked by the
 * loader (checkedByLoader) and gets nothing here, so no problem is reported twice.
 *
 * @example
 * const warnings = checkPlainSection('runner', { workspce: '.' }, RunnerConfigSchema);
 * // [CF8010 unknown key `runner.workspce`; ignored — did you mean `runner.workspace`?]
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkSection } from './check-section.js';
import { checkedByLoader } from './config.js';
import { SECTIONS } from './sections.js';

export function checkPlainSection(name: string, section: unknown, schema: object): Diagnostic[] {
  const spec = SECTIONS[name];
  if (!spec || section === undefined || checkedByLoader(section)) return [];
  // An empty mapping passes every section's schema (a test checks it): no need to load ajv, which
  // costs a provider chain built per call a noticeable first-call delay.
  if (section !== null && typeof section === 'object' && !Array.isArray(section) && Object.keys(section).length === 0) return [];
  // The object's own key order stands in for the file's lines, so problems come in the order the
  // caller wrote the keys; the stand-in position is not part of what is returned.
  const order = keyOrder(name, section);
  const found = checkSection(name, section, spec, schema, (path) => {
    const line = order.get(path.join('\u0000'));
    return line === undefined ? undefined : { file: '', line, column: 1 };
  });
  return found.map(({ location: _location, sourceLine: _sourceLine, ...rest }) => rest);
}

/** Each key path of `value` (joined by NUL) with its place in a depth-first walk. */
function keyOrder(name: string, value: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (node: unknown, path: string[]) => {
    order.set(path.join('\u0000'), order.size + 1);
    if (node !== null && typeof node === 'object') for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(value, [name]);
  return order;
}
