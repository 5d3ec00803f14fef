/**
 * The runner's check of a `runner:` section given to it directly (a library caller, a test): the
 * config registry's (config/sections.ts, config/runner-schema.ts), so an unknown key is the same
 * CF8010 warning with the same did-you-mean hint as in the file, without a position. A section
 * read from the file was checked by the loader and is not walked again.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkPlainSection } from '../config/check-plain.js';
import { RunnerConfigSchema } from '../config/runner-schema.js';

/** CF8010 warnings for keys of `config` that the runner does not read. */
export function unknownRunnerKeys(config: unknown): Diagnostic[] {
  return checkPlainSection('runner', config, RunnerConfigSchema);
}
