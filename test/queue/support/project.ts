/**
 * A project folder for the queue tests: a copy of the sample fleet, a config whose aliases q1…q4
 * set their limits (and offer no tools: the scripted model only answers), the queue's URL and a
 * short stall interval, and a tasks file.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../../..');

export interface QueueProject {
  root: string;
  remove(): void;
}

export function queueProject(url: string, limits: Record<string, number>, extra = '', moreAliases = ''): QueueProject {
  const root = mkdtempSync(join(tmpdir(), 'cf-queue-'));
  cpSync(join(REPO, 'codex/agents'), join(root, 'codex/agents'), { recursive: true });
  const aliases = Object.entries(limits)
    .map(
      ([alias, limit]) =>
        `    ${alias}:\n      id: api-designer\n      overrides:\n        runtime: { concurrency: { max_parallel_tasks: ${limit}, queue_strategy: fifo } }\n        capabilities: { detail: { tools: { allowed: [] } } }\n`,
    )
    .join('');
  writeFileSync(
    join(root, 'codex-flow.config.yaml'),
    `queue:\n  url: ${url}\n  stall_ms: 10000\n${extra}runner:\n  sandbox: { enabled: false }\n  aliases:\n${aliases}${moreAliases}`,
  );
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** `count` tasks spread over the aliases in turn, each text `<alias>: task <n>` (the provider counts by it). */
export function writeTasks(root: string, aliases: string[], count: number): string[] {
  const texts: string[] = [];
  const lines = Array.from({ length: count }, (_, index) => {
    const alias = aliases[index % aliases.length]!;
    const task = `${alias}: task ${index + 1}`;
    texts.push(task);
    return JSON.stringify({ task, alias });
  });
  writeFileSync(join(root, 'tasks.jsonl'), `${lines.join('\n')}\n`);
  return texts;
}

/** `--import` for a child process running TypeScript: tsx's loader by absolute URL (the child runs in a temp folder). */
export const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

/**
 * The worker entry bundled once (esbuild, dependencies left outside) into a temp folder whose
 * node_modules links to the repository's: three worker processes then start without each
 * transforming the sources again.
 */
export async function workerBundle(): Promise<{ file: string; remove: () => void }> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'cf-queue-worker-'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const file = join(dir, 'worker.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'worker-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: file,
    logLevel: 'error',
    target: 'node20',
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
