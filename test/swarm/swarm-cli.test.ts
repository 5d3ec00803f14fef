/**
 * `codex-flow swarm` end to end through `main` with a captured CommandIO, on a copy of the sample
 * fleet, every provider pointed at the local wire-format server. Scripted agents answer by the
 * subtask named in their prompt, so parallel subtasks get their own answers in any order.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv, TEST_KEYS } from '../support/provider-env.js';
import type { RecordedRequest, Script } from '../support/provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-cli-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[], cwd = project, env: Record<string, string> = {}) {
  const io = memoryIO(cwd, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true', ...env });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** The subtask a request belongs to, from the marker line the swarm puts in its prompt. */
function subtaskOf(request: RecordedRequest): string {
  return /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(request.body.messages))?.[1] ?? '?';
}

/** Agents scripted per subtask: `write` makes the subtask write a file first; `fail` answers 400 (not retryable). */
function scriptAgents(plan: Record<string, { write?: string; fail?: boolean }>) {
  server.setDefault('openai', (request): Script => {
    const id = subtaskOf(request);
    const step = plan[id] ?? {};
    if (step.fail) return { status: 400, errorMessage: `subtask ${id} is broken` };
    const answered = request.body.messages.some((message: { role: string }) => message.role === 'tool');
    if (step.write && !answered)
      return { toolCalls: [{ id: `w-${id}`, name: 'Write', input: { file_path: step.write, content: `# ${id}\n` } }] };
    return { text: `answer of ${id}`, usage: { input: 100, output: 10 } };
  });
}

const requestsOf = (id: string) => server.requests.filter((request) => subtaskOf(request) === id);

describe('codex-flow swarm: planning', () => {
  it("--dry-run shows the issue's goal as two routed subtasks, the second after the first, and runs nothing", async () => {
    const { code, out } = await cli(['swarm', 'add rate limiting to the public API and document it', '--dry-run']);
    expect(code).toBe(0);
    expect(out).toContain('plan (heuristic, 2 subtasks): add rate limiting to the public API and document it');
    expect(out).toMatch(/└─ s2 {2}document it/);
    expect(out).toMatch(/agent {3}api-docs-writer \(routed: semantic\)/);
    expect(out).toContain('why     part 2 of the goal, split at "and"; after s1: "it" refers back');
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(project, '.runs'))).toBe(false);
    expect(existsSync(join(project, '.codex-flow/decisions.jsonl'))).toBe(false);
  });

  it('--dry-run --json gives the same plan as data; --plan-only writes a plan that --plan reads back', async () => {
    const json = await cli(['swarm', 'add rate limiting to the public API and document it', '--dry-run', '--json']);
    const { plan } = JSON.parse(json.out);
    expect(plan.subtasks.map((s: any) => [s.id, s.assignment.agent, s.depends_on])).toEqual([
      ['s1', expect.any(String), []],
      ['s2', 'api-docs-writer', ['s1']],
    ]);
    const written = await cli(['swarm', 'add rate limiting to the public API and document it', '--plan-only', 'plan.yaml']);
    expect(written.code).toBe(0);
    expect(await readFile(join(project, 'plan.yaml'), 'utf8')).toContain('agent: api-docs-writer');
    const again = await cli(['swarm', '--plan', 'plan.yaml', '--dry-run', '--json']);
    expect(JSON.parse(again.out).plan.subtasks.map((s: any) => [s.id, s.assignment.agent, s.assignment.source])).toEqual([
      ['s1', plan.subtasks[0].assignment.agent, 'plan'],
      ['s2', 'api-docs-writer', 'plan'],
    ]);
  });

  it('a plan with a cycle is refused at its file:line, exit 1, nothing runs', async () => {
    await writeFile(
      join(project, 'cycle.yaml'),
      'goal: g\nsubtasks:\n  - id: a\n    task: write the docs\n    depends_on: [b]\n  - id: b\n    task: review the docs\n    depends_on: [a]\n',
    );
    const { code, err } = await cli(['swarm', '--plan', 'cycle.yaml']);
    expect(code).toBe(1);
    expect(err).toContain('cycle.yaml:5:17: error CF8104: dependency cycle: a → b → a');
    expect(err).toContain(' 5 |     depends_on: [b]');
    expect(server.requests).toHaveLength(0);
  });

  it('usage mistakes exit 2: no goal, two inputs, a decomposer that does not exist', async () => {
    expect((await cli(['swarm'])).code).toBe(2);
    expect((await cli(['swarm', 'x', '--plan', 'plan.yaml'])).code).toBe(2);
    const tiny = await cli(['swarm', 'x', '--decomposer', 'tiny']);
    expect([tiny.code, tiny.err]).toEqual([2, expect.stringContaining('--decomposer tiny is not available; use heuristic')]);
    expect((await cli(['swarm', 'x', '--max-parallel', '0'])).code).toBe(2);
  });
});

describe('codex-flow swarm: running', () => {
  it("runs a good plan: the dependent gets its dependency's answer and changed files; log, report and outcomes are written", async () => {
    await writeFile(
      join(project, 'good.yaml'),
      'goal: document the limiter\nsubtasks:\n  - id: write\n    task: document the rate limiter\n    agent: api-docs-writer\n  - id: review\n    task: review the new docs\n    agent: code-reviewer\n    depends_on: [write]\n    acceptance: [no broken links]\n  - id: alone\n    task: review the pagination design\n    agent: api-designer\n',
    );
    scriptAgents({ write: { write: 'docs/rate-limit.md' } });
    const { code, out } = await cli(['swarm', '--plan', 'good.yaml', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ ok: true, counts: { completed: 3, failed: 0, skipped: 0 }, changed_files: ['docs/rate-limit.md'] });
    expect(readFileSync(join(project, 'docs/rate-limit.md'), 'utf8')).toBe('# write\n');
    const review = JSON.stringify(requestsOf('review')[0]!.body.messages);
    expect(review).toContain('## write (api-docs-writer): document the rate limiter\\nchanged files: docs/rate-limit.md\\nanswer of write');
    expect(review).toContain('Done when:\\n- no broken links');
    const events = readFileSync(join(project, report.dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event);
    expect(events[0]).toBe('swarm-planned');
    expect(events.at(-1)).toBe('swarm-finished');
    expect(events.indexOf('subtask-finished')).toBeLessThan(events.lastIndexOf('subtask-started'));
    expect(readFileSync(join(project, report.dir, 'report.md'), 'utf8')).toContain(
      '| ✅ | **review** review the new docs _(after write)_ | code-reviewer | completed |',
    );
    expect(JSON.parse(readFileSync(join(project, report.dir, 'report.json'), 'utf8')).totals).toEqual(report.totals);
  });

  it('an unknown agent is a warning and the subtask is routed instead', async () => {
    await writeFile(
      join(project, 'unknown.yaml'),
      'subtasks:\n  - id: fix\n    task: fix the flaky login test\n    agent: flaky-test-huntr\n',
    );
    scriptAgents({});
    const { code, err } = await cli(['swarm', '--plan', 'unknown.yaml']);
    expect(err).toContain(
      'unknown.yaml:4:12: warning CF8105: subtask "fix": no agent or alias "flaky-test-huntr" in the fleet (did you mean "flaky-test-hunter"?); routing it instead',
    );
    expect(code).toBe(0);
    expect(requestsOf('fix')).toHaveLength(1);
  });

  it('a failing subtask skips its dependents with the reason, the rest run, exit 1; --resume runs only what did not complete', async () => {
    await writeFile(
      join(project, 'fail.yaml'),
      'subtasks:\n  - id: a\n    task: document the API\n    agent: api-docs-writer\n  - id: b\n    task: review it\n    agent: code-reviewer\n    depends_on: [a]\n  - id: c\n    task: review the docs of b\n    agent: code-reviewer\n    depends_on: [b]\n  - id: d\n    task: review the pagination\n    agent: api-designer\n',
    );
    scriptAgents({ a: { fail: true } });
    const failed = await cli(['swarm', '--plan', 'fail.yaml', '--json']);
    expect(failed.code).toBe(1);
    const report = JSON.parse(failed.out);
    expect(report.counts).toEqual({ completed: 1, failed: 1, skipped: 2, 'not-run': 0 });
    expect(report.subtasks.find((s: any) => s.id === 'b')).toMatchObject({ state: 'skipped', reason: 'dependency a failed (error)' });
    expect(report.subtasks.find((s: any) => s.id === 'c')).toMatchObject({ state: 'skipped', reason: 'dependency b was skipped' });
    expect(report.diagnostics.map((d: any) => d.code)).toEqual(expect.arrayContaining(['CF8110', 'CF8111']));
    expect(requestsOf('b')).toHaveLength(0);
    server.reset();
    scriptAgents({});
    const resumed = await cli(['swarm', '--resume', report.swarm_id, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.out).counts).toEqual({ completed: 4, failed: 0, skipped: 0, 'not-run': 0 });
    expect(['a', 'b', 'c', 'd'].map((id) => requestsOf(id).length)).toEqual([1, 1, 1, 0]);
    expect(existsSync(join(project, report.dir, 'run-2/result.json'))).toBe(true);
  });

  it('--budget-usd holds across parallel subtasks (and beats CODEX_FLOW_BUDGET_USD): two $0.021 calls fit in $0.05, the third is refused', async () => {
    await writeFile(
      join(project, 'budget.yaml'),
      `subtasks:\n${['api-designer', 'changelog-writer', 'sql-query-tuner'].map((agent) => `  - id: ${agent}\n    task: task for ${agent}\n    agent: ${agent}\n`).join('')}`,
    );
    server.setDefault('openai', { text: 'done', usage: { input: 0, output: 1000 }, latencyMs: 300 });
    const { code, out } = await cli(['swarm', '--plan', 'budget.yaml', '--budget-usd', '0.05', '--json'], project, {
      OPENAI_PRICE_IN: '0',
      OPENAI_PRICE_OUT: '0.021',
      CODEX_FLOW_BUDGET_USD: '100',
    });
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(server.requests).toHaveLength(2);
    expect(report.totals.cost_usd).toBeCloseTo(0.042, 10);
    expect(report.subtasks.map((s: any) => s.stop_reason).sort()).toEqual(['budget', 'completed', 'completed']);
    expect(report.diagnostics.map((d: any) => d.code)).toEqual(expect.arrayContaining(['CF8110', 'CF7012']));
  });

  it("report_leaks_a_secret_an_agent_quotes: report.md, report.json and --json pass the run's redactor", async () => {
    await writeFile(join(project, 'secret.yaml'), 'subtasks:\n  - id: leak\n    task: review the config\n    agent: code-reviewer\n');
    server.setDefault('openai', { text: `the key is ${TEST_KEYS.openai} in .env` });
    const { code, out } = await cli(['swarm', '--plan', 'secret.yaml', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.subtasks[0].summary).toContain('the key is');
    for (const text of [
      out,
      readFileSync(join(project, report.dir, 'report.md'), 'utf8'),
      readFileSync(join(project, report.dir, 'report.json'), 'utf8'),
      readFileSync(join(project, report.dir, 'events.jsonl'), 'utf8'),
    ]) {
      expect(text).not.toContain(TEST_KEYS.openai);
    }
  });

  it('--replay prints a past swarm from its log (plan, events with times, report) and runs nothing; an unknown id is CF8112', async () => {
    await writeFile(
      join(project, 'replay.yaml'),
      'subtasks:\n  - id: one\n    task: review the pagination\n    agent: api-designer\n  - id: two\n    task: document it\n    agent: api-docs-writer\n    depends_on: [one]\n',
    );
    scriptAgents({});
    const run = JSON.parse((await cli(['swarm', '--plan', 'replay.yaml', '--json'])).out);
    server.reset();
    const text = await cli(['swarm', '--replay', run.swarm_id]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('└─ two  document it');
    expect(text.out).toMatch(/\+\d+\.\d\ds {4}started {3}one → api-designer/);
    expect(text.out).toMatch(/completed two \(api-docs-writer, /);
    expect(text.out).toContain('## codex-flow swarm completed');
    const json = JSON.parse((await cli(['swarm', '--replay', run.swarm_id, '--json'])).out);
    expect(json.events.map((e: any) => e.event)).toEqual([
      'swarm-planned',
      'subtask-started',
      'subtask-result',
      'subtask-finished',
      'subtask-started',
      'subtask-result',
      'subtask-finished',
      'swarm-finished',
    ]);
    expect(json.report.totals).toEqual(run.totals);
    expect(server.requests).toHaveLength(0);
    const missing = await cli(['swarm', '--replay', 'no-such-swarm']);
    expect([missing.code, missing.err]).toEqual([
      1,
      expect.stringContaining('CF8112: no swarm event log at .runs/no-such-swarm/events.jsonl'),
    ]);
  });
});
