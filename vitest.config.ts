import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Property tests and the corpus compile are CPU-bound; the CI machine has 2 cores.
    testTimeout: 60_000,
    pool: 'forks',
    // One scratch TMPDIR per run, removed at the end (test/support/global-temp.ts).
    globalSetup: ['test/support/global-temp.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] } },
      // The packed package run as a process: its global setup packs and installs once per run,
      // and only when an e2e file is selected (test/e2e/support/packed-install.ts). Its files
      // mostly wait on the CLI processes they start, so they run side by side, after the unit tests.
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/support/packed-install.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
