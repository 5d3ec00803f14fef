/**
 * The one place that decides whether a regex trigger is acceptable, shared by the compiler
 * (diagnostic CF4010 in `convert`) and the router, so both compile patterns with the same flags.
 */
import RE2 from 're2';
import { MAX_REGEX_LENGTH } from './limits.js';

/**
 * Flags every regex trigger is compiled with: case-insensitive, Unicode. RE2 has no `g`/`y`
 * state here: sets report which patterns match, single patterns locate the first match.
 */
export const REGEX_FLAGS = 'iu';

/**
 * Returns why RE2 refuses a pattern (no backreferences, no lookaround, too long), or undefined
 * when the pattern compiles. Pure: no state, no I/O.
 *
 * @example
 * checkRegexPattern('\\bgraphql\\b') === undefined
 * checkRegexPattern('(?<=api)key')   // 'invalid perl operator: (?<='
 */
export function checkRegexPattern(pattern: string): string | undefined {
  if (pattern.length === 0) return 'empty pattern';
  if (pattern.length > MAX_REGEX_LENGTH) return `pattern longer than MAX_REGEX_LENGTH (${MAX_REGEX_LENGTH} characters)`;
  try {
    new RE2(pattern, REGEX_FLAGS);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Compiles a pattern that passed `checkRegexPattern` into a single RE2 for match details. */
export function compileRegex(pattern: string): RE2 {
  return new RE2(pattern, REGEX_FLAGS);
}
