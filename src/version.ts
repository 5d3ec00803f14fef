/** The package version, kept in one place; `scripts/check-version` keeps it equal to package.json. */
export const VERSION = '0.1.0';

/**
 * The first line of every bundle, before the hash of the rest (scripts/bundle-cli.ts writes it; the
 * config cache reads it; bin/code-cache.js, CommonJS loaded before any bundle, spells it itself).
 */
export const BUNDLE_HEADER = '// codex-flow bundle sha256:';
