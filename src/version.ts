/** The package version, kept in one place; `scripts/check-version` keeps it equal to package.json. */
export const VERSION = '0.1.0';
