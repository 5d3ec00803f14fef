/**
 * Exactly once across a crash: `codex-flow swarm` is SIGKILLed at exact points of its event log
 * (right before or after a subtask's `subtask-started`, `subtask-result` or `subtask-finished`
 * line), chosen by a seeded random draw among the subtasks not finished yet, then resumed until it
 * ends by itself. Every subtask's work reaches the scripted provider server exactly once: a kill
 * between a subtask's answer and its finish line does not run it again. One subtask in flight at a
 * time (`--max-parallel 1`), so no other subtask's call is cut off by the kill: that one would
 * rightly run again.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import type { RecordedRequest } from '../support/provider-server.js';

const server = useProviderServer();
let project: string;
const AGENTS = ['api-designer', 'code-reviewer', 'api-docs-writer', 'sql-query-tuner'];
const SUBTASKS = 6;
/** Kills per run of the test: each one is a process start (tsx included) on a loaded machine. */
const KILLS = 4;
const PROCESS_TIMEOUT_MS = 60_000;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-once-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  const lines = Array.from(
    { length: SUBTASKS },
    (_, index) =>
      `  - id: k${index + 1}\n    task: thing ${index + 1}\n    agent: ${AGENTS[index % AGENTS.length]}\n${index % 3 === 2 ? `    depends_on: [k${index}]\n` : ''}`,
  );
  await writeFile(join(project, 'once.yaml'), `subtasks:\n${lines.join('')}`);
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const subtaskOf = (request: RecordedRequest) => /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(request.body.messages))?.[1] ?? '?';

interface KillAt {
  event: string;
  id: string;
  when: 'before' | 'after';
}

function cli(args: string[], killAt?: KillAt): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        '--import',
        new URL('./support/kill-at-write.mjs', import.meta.url).href,
        new URL('../support/cli-process.ts', import.meta.url).pathname,
        ...args,
      ],
      {
        cwd: project,
        stdio: 'ignore',
        env: {
          ...process.env,
          ...fixtureEnv(server),
          CODEX_FLOW_PROVIDER: 'openai',
          CI: 'true',
          ...(killAt ? { CF_TEST_KILL_AT: JSON.stringify(killAt) } : {}),
        } as NodeJS.ProcessEnv,
      },
    );
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`swarm ${args.join(' ')} did not end in ${PROCESS_TIMEOUT_MS} ms`));
    }, PROCESS_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      resolve(signal ?? String(code));
    });
  });
}

function logOf(swarmId: string): Array<{ event: string; id?: string }> {
  const file = join(project, '.runs', swarmId, 'events.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
    : [];
}

describe("a swarm killed between a subtask's answer and its finish line", () => {
  it(
    "kill_between_answer_and_finish_runs_the_subtask_again: each subtask's work reaches the provider once",
    async () => {
      server.setDefault('openai', { text: 'done', latencyMs: 20 });
      let seed = 11;
      const draw = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
      const points: Array<Pick<KillAt, 'event' | 'when'>> = [
        { event: 'subtask-finished', when: 'before' },
        { event: 'subtask-result', when: 'after' },
        { event: 'subtask-finished', when: 'after' },
        { event: 'subtask-started', when: 'after' },
      ];
      // The first kill is the one the bug is about: k1's answer is in, its finish line is not.
      const ends = [
        await cli(['swarm', '--plan', 'once.yaml', '--max-parallel', '1'], { event: 'subtask-finished', id: 'k1', when: 'before' }),
      ];
      expect(ends[0]).toBe('SIGKILL');
      const swarmId = (await readdir(join(project, '.runs')))[0]!;
      for (let kill = 1; kill < KILLS; kill++) {
        const finished = new Set(
          logOf(swarmId)
            .filter((event) => event.event === 'subtask-finished')
            .map((event) => event.id),
        );
        const open = Array.from({ length: SUBTASKS }, (_, index) => `k${index + 1}`).filter((id) => !finished.has(id));
        if (open.length === 0) break;
        ends.push(
          await cli(['swarm', '--resume', swarmId, '--max-parallel', '1'], {
            ...points[draw(points.length)]!,
            id: open[draw(open.length)]!,
          }),
        );
      }
      ends.push(await cli(['swarm', '--resume', swarmId]));
      expect(ends.at(-1)).toBe('0');
      expect(ends.filter((end) => end === 'SIGKILL').length).toBeGreaterThanOrEqual(2);
      const work = new Map<string, number>();
      for (const request of server.requests) work.set(subtaskOf(request), (work.get(subtaskOf(request)) ?? 0) + 1);
      expect(Object.fromEntries(work)).toEqual(Object.fromEntries(Array.from({ length: SUBTASKS }, (_, index) => [`k${index + 1}`, 1])));
      const report = JSON.parse(readFileSync(join(project, '.runs', swarmId, 'report.json'), 'utf8'));
      expect(report.counts.completed).toBe(SUBTASKS);
    },
    (KILLS + 2) * PROCESS_TIMEOUT_MS,
  );
});
