/**
 * Hard limits, checked before any work starts on an input (picomatch does the same). Each one
 * bounds the time or memory a single hostile or broken brief can cost the whole compile.
 */

/** Largest brief read. The biggest real brief in the shared corpus is ~40 KiB; 1 MiB leaves room
 * for long prompts while keeping a 1,000-brief compile's memory bounded. */
export const MAX_BRIEF_BYTES = 1024 * 1024;

/** Entries (files, folders, links) the brief walk visits before giving up: far above the largest
 * fleet's brief folder, it bounds the walk of a brief folder that is really a home or root folder. */
export const MAX_WALK_ENTRIES = 100_000;

/** Largest front-matter block. Real ones are under 4 KiB; YAML parsing is the costliest pass,
 * so a runaway block is refused instead of parsed. */
export const MAX_FRONT_MATTER_BYTES = 64 * 1024;

/** Deepest nesting of YAML collections. Briefs nest at most 4 levels (codex: → section → key →
 * list); 32 stops stack-exhausting inputs like `[[[[…` long before the parser recurses. */
export const MAX_YAML_DEPTH = 32;

/** YAML aliases allowed in one front-matter; bounds "billion laughs" expansion. Real briefs use none. */
export const MAX_YAML_ALIASES = 16;

/** Lines scanned for a late front-matter fence (after blank lines or a stray title). Past this,
 * a `---` is a Markdown horizontal rule, not a fence. */
export const MAX_FENCE_SEARCH_LINES = 8;

/** Per-agent trigger caps: the router's automaton and regex sets grow with these, and a brief with
 * hundreds of triggers is a mistake, not a specialist. */
export const MAX_KEYWORDS_PER_AGENT = 64;
export const MAX_REGEX_PER_AGENT = 16;
export const MAX_FILE_PATTERNS_PER_AGENT = 64;

/** Fraction of control characters that marks a file as binary rather than text with a few stray bytes. */
export const BINARY_CONTROL_RATIO = 0.1;
