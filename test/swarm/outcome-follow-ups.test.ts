/**
 * While a swarm runs: files a subtask changes through Bash (not only the file tools) are seen by a
 * snapshot of the workspace around its work, reach its dependents and its outcome, and a follow-up
 * rule matched on that outcome (a code file changed) schedules the rule's agent after it, once,
 * with the reason, logged before it joins the plan (so --resume keeps it).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { readSwarmState } from '../../src/swarm/resume.js';
import { changedBetween, snapshotWorkspace } from '../../src/swarm/workspace-snapshot.js';
import { matchFollowUpWork, followUpRules } from '../../src/fleet/follow-ups.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import type { RecordedRequest, Script } from '../support/provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-outcome-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  const file = join(project, 'codex/agents/quality/code-reviewer.codex.yaml');
  await writeFile(
    file,
    (await readFile(file, 'utf8')).replace(/^( {2}description: .*)$/m, '$1 Use proactively after writing or modifying code.'),
  );
  // "make the build green" names no kind of code work: no follow-up is planned for it, only its outcome can call for one.
  await writeFile(
    join(project, 'green.yaml'),
    'subtasks:\n  - id: d1\n    task: make the build green\n    agent: flaky-test-hunter\n  - id: d2\n    task: summarize what d1 did\n    agent: api-docs-writer\n    depends_on: [d1]\n',
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const subtaskOf = (request: RecordedRequest) => /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(request.body.messages))?.[1] ?? '?';

describe('outcomes while a swarm runs', () => {
  it('bash_writes_are_not_changed_files, follow_ups_ignore_outcomes: a Bash write is a changed file, and it schedules the code reviewer after d1, once', async () => {
    server.setDefault('openai', (request): Script => {
      const id = subtaskOf(request);
      const answered = request.body.messages.some((message: { role: string }) => message.role === 'tool');
      if (id === 'd1' && !answered)
        return { toolCalls: [{ id: 'b1', name: 'Bash', input: { command: 'mkdir -p src && echo "export {}" > src/build.ts' } }] };
      return { text: `answer of ${id}` };
    });
    const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' });
    const code = await main(['swarm', '--plan', 'green.yaml', '--json'], io);
    const report = JSON.parse(io.out());
    expect(code, io.err()).toBe(0);
    const d1 = report.subtasks.find((subtask: any) => subtask.id === 'd1');
    expect(d1.changed_files).toEqual(['src/build.ts']);
    expect(JSON.stringify(server.requests.filter((request) => subtaskOf(request) === 'd2')[0]!.body.messages)).toContain('src/build.ts');
    expect(report.subtasks.map((subtask: any) => [subtask.id, subtask.agent, subtask.state])).toEqual([
      ['d1', 'flaky-test-hunter', 'completed'],
      ['d2', 'api-docs-writer', 'completed'],
      ['d1-code-reviewer', 'code-reviewer', 'completed'],
    ]);
    expect(server.requests.filter((request) => subtaskOf(request) === 'd1-code-reviewer')).toHaveLength(1);
    const events = readFileSync(join(project, report.dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const scheduled = events.findIndex((event) => event.event === 'follow-up-scheduled');
    expect(events[scheduled]).toMatchObject({
      id: 'd1-code-reviewer',
      after: 'd1',
      reason:
        "follow-up: code-reviewer's brief asks to be used after writing or modifying code; d1's outcome matches (code changes: src/build.ts); delegation prior 0.60 from flaky-test-hunter (its brief prefers or complements it)",
    });
    expect(scheduled).toBeLessThan(events.findIndex((event) => event.event === 'subtask-started' && event.id === 'd1-code-reviewer'));
    expect(readFileSync(join(project, report.dir, 'report.md'), 'utf8')).toContain("follow-up: code-reviewer's brief asks");
    const state = readSwarmState(join(project, '.runs'), report.swarm_id);
    expect(state.plan!.subtasks.map((subtask) => subtask.id)).toEqual(['d1', 'd2', 'd1-code-reviewer']);
    expect([...state.completed.keys()].sort()).toEqual(['d1', 'd1-code-reviewer', 'd2']);
  });

  it('a snapshot diff finds files added, changed and removed, and leaves out the ignored folders', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cf-snapshot-'));
    try {
      await writeFile(join(root, 'a.txt'), 'a');
      await writeFile(join(root, 'gone.txt'), 'g');
      const before = await snapshotWorkspace(root, ['.runs']);
      await writeFile(join(root, 'a.txt'), 'longer');
      await writeFile(join(root, 'new.txt'), 'n');
      await rm(join(root, 'gone.txt'));
      await cp(join(root, 'new.txt'), join(root, '.runs-not/x.txt'), { recursive: true });
      await cp(join(root, 'new.txt'), join(root, '.runs/x.txt'), { recursive: true });
      expect(changedBetween(before, await snapshotWorkspace(root, ['.runs']))).toEqual(['.runs-not/x.txt', 'a.txt', 'gone.txt', 'new.txt']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('matchFollowUpWork matches changed files by kind: code, API, tests, deploys', () => {
    const [review, sre] = followUpRules([
      { agent: { id: 'code-reviewer', description: 'Use proactively after writing or modifying code.' } },
      { agent: { id: 'sre', description: 'MUST BE USED after any deploy.' } },
    ]);
    expect(matchFollowUpWork(review!, { task: 'make it green', files: ['README.md', 'src/a.test.ts', 'lib/x.py'] })).toBe(
      'code changes: lib/x.py',
    );
    expect(matchFollowUpWork(review!, { task: 'make it green', files: ['src/a.test.ts'] })).toBeUndefined();
    expect(matchFollowUpWork(sre!, { task: 'bump it', files: ['.github/workflows/release.yml'] })).toBe(
      'deploys: .github/workflows/release.yml',
    );
  });
});
