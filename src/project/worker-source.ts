/**
 * Where a worker thread's code is, for the project's threads (the compile thread, the outcome
 * compaction): beside this module when it runs from dist/project, under dist/project from the CLI
 * bundle (dist/codex-flow.cjs, whose `import.meta.url` is the bundle's), and as TypeScript through
 * tsx when the sources run directly (tests). Every worker module lives in this folder.
 *
 * @example new Worker(workerSource('compile-worker').source, { eval: workerSource('compile-worker').eval })
 */
import { existsSync } from 'node:fs';

export function workerSource(module: string): { source: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = new URL(`./${module}.ts`, here).href;
    return { source: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, eval: true };
  }
  const beside = new URL(`./${module}.js`, here);
  return { source: existsSync(beside) ? beside : new URL(`./project/${module}.js`, here), eval: false };
}
