/**
 * Hard limits of the router, checked before work starts. Inputs past a limit are cut and the cut
 * is reported as a diagnostic (CF6001, CF6002); a fleet past a limit loses the extra triggers with
 * a diagnostic (CF6003) rather than making every call slow.
 */

/**
 * Characters of a task that the matching stages read. Real requests are under 2,000 characters;
 * 16 K leaves room for pasted error messages while bounding the regex stage's linear scan.
 */
export const MAX_TASK_CHARS = 16_384;

/**
 * Changed paths considered per call. A large refactor touches thousands of files; routing on the
 * first 2,000 gives the same answer and bounds the glob stage.
 */
export const MAX_PATHS = 2_000;

/** Characters of one path; longer paths are ignored (no real repository path is this long). */
export const MAX_PATH_CHARS = 1_024;

/**
 * Keyword occurrences collected from the automaton per call (before boundary checks). A 16 K task
 * of repeated keywords can produce more; the first ones are enough to score and explain.
 */
export const MAX_RAW_KEYWORD_MATCHES = 8_192;

/** Distinct keyword phrases reported per call; more adds nothing to a ranking. */
export const MAX_KEYWORD_HITS = 1_024;

/** (glob, path) hits recorded per call: 2,000 paths × a few globs each. */
export const MAX_FILE_HITS = 16_384;

/**
 * Regex triggers in a fleet. RE2 sets are sharded (see regex-stage.ts), so the cap bounds memory
 * and build time, not per-call cost; it sits far above any real fleet.
 */
export const MAX_REGEX_PATTERNS = 20_000;

/** Length of one regex pattern (the definition schema allows 1,024). */
export const MAX_REGEX_LENGTH = 1_024;
