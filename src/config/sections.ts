/**
 * The one registry of codex-flow.config.yaml's sections: for each top-level key, the code its
 * problems carry and, where the section is declared, its JSON Schema (TypeBox or plain). The loader
 * (config.ts) checks the whole file against it once and reports each problem at its key or value
 * (check-section.ts). A section without a schema is handed to its subsystem as is, which checks it.
 * Schemas load lazily: TypeBox and ajv are hundreds of module files, and a bare `route` must start fast.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';

export interface SectionSpec {
  /** The code of a problem in this section (unknown key, wrong type, bad value). */
  code: DiagnosticCode;
  /** An error drops the whole config (the command stops); a warning leaves the value to its default. */
  severity: 'error' | 'warning';
  /** The section's JSON Schema; absent while its subsystem still checks the section itself. */
  schema?: () => Promise<object>;
}

export const SECTIONS: Readonly<Record<string, SectionSpec>> = {
  compiler: {
    code: 'CF9001',
    severity: 'error',
    schema: async () => (await import('./compiler-schema.js')).CompilerConfigSchema,
  },
  // Checked by their subsystems when they resolve their options (queue/options.ts CF8500, learn/options.ts and the router's options CF9515, server/auth.ts).
  router: { code: 'CF9001', severity: 'error' },
  learning: { code: 'CF9001', severity: 'error' },
  providers: { code: 'CF9001', severity: 'error' },
  runner: { code: 'CF8010', severity: 'warning', schema: async () => (await import('./runner-schema.js')).RunnerConfigSchema },
  server: { code: 'CF9001', severity: 'error' },
  queue: { code: 'CF8500', severity: 'warning' },
};

/** The code of a top-level key that names no section: a warning, the key is ignored. */
export const UNKNOWN_SECTION_CODE: DiagnosticCode = 'CF9002';
