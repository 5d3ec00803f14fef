/**
 * codex-flow's library surface. Named exports only; the CLI is a thin shell over these.
 */
export { VERSION } from './version.js';
export * from './diagnostics/diagnostic.js';
export { CODES, type DiagnosticCode } from './diagnostics/codes.js';
export * from './schema/definition.js';
export * from './fleet/types.js';
