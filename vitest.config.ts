import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and the corpus compile are CPU-bound; the CI machine has 2 cores.
    testTimeout: 60_000,
    pool: 'forks',
    // One scratch TMPDIR per run, removed at the end (test/support/global-temp.ts).
    globalSetup: ['test/support/global-temp.ts'],
  },
});
