/**
 * "Unknown key" warnings (CF8010) with a did-you-mean hint for a `runner:` section given to the
 * runner directly (a library caller, a test). A section read from the config file was checked by
 * the loader against the same keys (config/runner-schema.ts), with positions, and is not walked again.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import { RUNNER_KEYS, type KeyShape } from '../config/runner-schema.js';

type Shape = KeyShape;

/** CF8010 warnings for keys of `config` that the runner does not read. */
export function unknownRunnerKeys(config: unknown, shape: Shape = RUNNER_KEYS, path = 'runner'): Diagnostic[] {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return [];
  const out: Diagnostic[] = [];
  for (const [key, value] of Object.entries(config)) {
    const child = shape[key] ?? shape['*'];
    if (child === undefined) {
      const guess = closest(key, Object.keys(shape));
      out.push(
        diagnostic(
          'CF8010',
          `unknown key \`${path}.${key}\`; ignored`,
          undefined,
          guess ? { hint: `did you mean \`${path}.${guess}\`?` } : {},
        ),
      );
    } else if (child !== true) {
      out.push(...unknownRunnerKeys(value, child, `${path}.${key}`));
    }
  }
  return out;
}
