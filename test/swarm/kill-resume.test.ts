/**
 * Killing `codex-flow swarm` (SIGKILL, as a crash) at seeded random points of its event log, then
 * `--resume` until it ends by itself: nothing is lost (every subtask completes) and no completed
 * subtask is started again (its log never shows `subtask-started` after its completed outcome).
 * The CLI runs as its own process against the wire-format server of this test process.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';

const server = useProviderServer();
let project: string;
const AGENTS = ['api-designer', 'code-reviewer', 'api-docs-writer', 'sql-query-tuner'];
const SUBTASKS = 8;
/** Bound on one CLI process (tsx start-up included, on a loaded machine). */
const PROCESS_TIMEOUT_MS = 60_000;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-kill-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  const lines = Array.from(
    { length: SUBTASKS },
    (_, index) =>
      `  - id: k${index + 1}\n    task: thing ${index + 1}\n    agent: ${AGENTS[index % AGENTS.length]}\n${index % 3 === 2 ? `    depends_on: [k${index}, k${index - 1}]\n` : ''}`,
  );
  await writeFile(join(project, 'kill.yaml'), `subtasks:\n${lines.join('')}`);
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const eventsFile = async () => {
  const runs = existsSync(join(project, '.runs')) ? await readdir(join(project, '.runs')) : [];
  return runs.length === 1 ? join(project, '.runs', runs[0]!, 'events.jsonl') : undefined;
};
const lineCount = (file: string | undefined) => (file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

/** Runs the CLI; with `killAfter`, SIGKILLs it once the log has that many more lines. Resolves to its exit code or signal. */
function cli(args: string[], killAfter?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), new URL('../support/cli-process.ts', import.meta.url).pathname, ...args],
      {
        cwd: project,
        env: { ...process.env, ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' } as NodeJS.ProcessEnv,
        stdio: 'ignore',
      },
    );
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`swarm ${args.join(' ')} did not end in ${PROCESS_TIMEOUT_MS} ms`));
    }, PROCESS_TIMEOUT_MS);
    let poll: NodeJS.Timeout | undefined;
    if (killAfter !== undefined) {
      let start: number | undefined;
      poll = setInterval(async () => {
        const file = await eventsFile();
        start ??= file ? lineCount(file) : undefined;
        if (start !== undefined && lineCount(file) >= start + killAfter) child.kill('SIGKILL');
      }, 3);
    }
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      clearInterval(poll);
      resolve(signal ?? String(code));
    });
  });
}

describe('a swarm killed at random points and resumed', () => {
  it(
    'loses nothing and never starts a completed subtask again',
    async () => {
      server.setDefault('openai', { text: 'done', latencyMs: 60 });
      let seed = 7;
      // Two in flight at a time: the log moves one subtask at a time, and kills land between finishes.
      const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 6) + 3;
      const first = await cli(['swarm', '--plan', 'kill.yaml', '--max-parallel', '2'], next());
      expect(first).toBe('SIGKILL');
      const swarmId = (await readdir(join(project, '.runs')))[0]!;
      const ends: string[] = [first];
      for (let attempt = 0; attempt < 2; attempt++) ends.push(await cli(['swarm', '--resume', swarmId, '--max-parallel', '2'], next()));
      ends.push(await cli(['swarm', '--resume', swarmId]));
      expect(ends.at(-1)).toBe('0');
      const events = readFileSync(join(project, '.runs', swarmId, 'events.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      const completedAt = new Map<string, number>();
      events.forEach((event, index) => {
        if (event.event === 'subtask-finished' && event.outcome?.state === 'completed' && !completedAt.has(event.id))
          completedAt.set(event.id, index);
      });
      expect(completedAt.size).toBe(SUBTASKS);
      events.forEach((event, index) => {
        if (event.event === 'subtask-started')
          expect(index, `${event.id} started again after it completed`).toBeLessThan(completedAt.get(event.id)!);
      });
      const report = JSON.parse(readFileSync(join(project, '.runs', swarmId, 'report.json'), 'utf8'));
      expect(report.counts.completed).toBe(SUBTASKS);
      expect(ends.filter((end) => end === 'SIGKILL').length).toBeGreaterThanOrEqual(2);
      // The kills fell between finishes: some subtasks completed before the last attempt started.
      const lastStart = events.findLastIndex((event) => event.event === 'swarm-resumed');
      expect([...completedAt.values()].filter((index) => index < lastStart).length).toBeGreaterThan(0);
    },
    4 * PROCESS_TIMEOUT_MS,
  );
});
