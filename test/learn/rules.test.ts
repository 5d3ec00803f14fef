/**
 * Learned rules: a mistake that failed a task and was then fixed (the same task succeeded later)
 * becomes a hint; fixed twice it is a rule in the agent's prompt (for one agent) or in every
 * prompt (for two agents). Measured with a scripted model that makes the mistake unless its
 * prompt warns it: after promotion, the next task does not repeat it; without the rule it does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RuleBook, patternOf } from '../../src/learn/rules.js';
import type { ModelClient } from '../../src/runner/agent-loop.js';
import { runTasks } from '../../src/runner/runner.js';
import { MemoryOutcomeSink } from '../../src/learn/outcome.js';
import type { ProviderRequest, ProviderResult } from '../../src/providers/provider.js';
import { agent, fleetOf, runnerOptions } from '../support/runner-fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-rules-'));
  dirs.push(dir);
  return dir;
}

const failed = (agent: string, task_hash: string, error = 'the tool `Bash` is not allowed for this agent (not in tools)') => ({
  agent,
  task_hash,
  ok: false,
  stop_reason: 'tool-denied',
  error,
});
const fixed = (agent: string, task_hash: string) => ({ agent, task_hash, ok: true, stop_reason: 'completed' });

describe('RuleBook', () => {
  it('the pattern blanks quoted text, paths and numbers, so the same mistake elsewhere reads the same', () => {
    expect(patternOf('error', 'ENOENT: no such file "src/a.ts" at line 12')).toBe(
      patternOf('error', 'ENOENT: no such file "lib/b.ts" at line 7'),
    );
    expect(patternOf('error', 'read src/deep/a.ts failed')).toBe('error: read <path> failed');
  });

  it('a failure alone teaches nothing; a fix makes a hint; a second fix of the pattern a rule for the agent', () => {
    const book = RuleBook.open(temp());
    expect(book.observe(failed('cleaner', 't1'))).toEqual({});
    expect(book.hints).toHaveLength(0);
    expect(book.observe(fixed('cleaner', 't1')).hint).toMatchObject({ agent: 'cleaner', seen: 1 });
    expect(book.rules).toHaveLength(0);
    book.observe(failed('cleaner', 't2', 'the tool `Bash` is not allowed for this agent (not in tools)'));
    const second = book.observe(fixed('cleaner', 't2'));
    expect(second.promoted).toMatchObject({ scope: 'agent', agent: 'cleaner', fixes: 2 });
    expect(book.promptFor('cleaner')).toMatch(/^Learned rules[^\n]*\n- Avoid: the tool `Bash` is not allowed/);
    expect(book.promptFor('someone-else')).toBe('');
  });

  it("a success on another task is no fix; a fix by another agent is not this agent's", () => {
    const book = RuleBook.open(temp());
    book.observe(failed('cleaner', 't1'));
    expect(book.observe(fixed('cleaner', 't9'))).toEqual({});
    expect(book.observe(fixed('builder', 't1'))).toEqual({});
  });

  it('the same mistake fixed for two agents is a project rule, in every prompt, replacing agent rules of the pattern', () => {
    const book = RuleBook.open(temp());
    for (const [who, task] of [
      ['cleaner', 'a'],
      ['builder', 'b'],
    ] as const) {
      book.observe(failed(who, task));
      book.observe(fixed(who, task));
    }
    expect(book.rules).toEqual([expect.objectContaining({ scope: 'project', fixes: 2 })]);
    expect(book.promptFor('anyone')).toMatch(/Bash/);
  });

  it('rules survive reopening (beside the learning state); remove deletes one and its hints', () => {
    const dir = temp();
    const book = RuleBook.open(dir);
    for (const task of ['a', 'b']) {
      book.observe(failed('cleaner', task));
      book.observe(fixed('cleaner', task));
    }
    const reopened = RuleBook.open(dir);
    expect(reopened.rules).toHaveLength(1);
    const id = reopened.rules[0]!.id;
    expect(reopened.remove(id.slice(0, 8))).toMatchObject({ id });
    expect(RuleBook.open(dir).rules).toEqual([]);
    expect(RuleBook.open(dir).hints).toEqual([]);
    expect(reopened.remove('rule:nope')).toBeUndefined();
  });

  it('an unreadable rules file starts empty and says why', () => {
    const dir = temp();
    writeFileSync(join(dir, 'rules.json'), '{ not json');
    const book = RuleBook.open(dir);
    expect(book.rules).toEqual([]);
    expect(book.problem).toMatch(/rules\.json/);
  });
});

/**
 * A scripted model: on a task's first attempt it reaches for Bash (a tool this agent does not
 * have: with strict tools the task fails), unless its system prompt carries a learned rule about
 * Bash; on a repeat of the same task it answers directly (the fix).
 */
function scriptedModel() {
  const attempts = new Map<string, number>();
  const log: Array<{ task: string; sawRule: boolean; mistake: boolean }> = [];
  const answer = (text: string, toolCalls: ProviderResult['toolCalls'] = []): ProviderResult => ({
    provider: 'scripted',
    model: 'scripted',
    text,
    toolCalls,
    usage: { input: 1, output: 1, cached: 0 },
    costUsd: 0,
    finishReason: toolCalls.length ? 'tool-calls' : 'stop',
    timings: { ttftMs: null, totalMs: 1 },
  });
  const generate = async (request: ProviderRequest): Promise<ProviderResult> => {
    const task = String(request.messages[0] && 'content' in request.messages[0] ? request.messages[0].content : '');
    const attempt = (attempts.get(task) ?? 0) + 1;
    attempts.set(task, attempt);
    const sawRule = /Learned rules[\s\S]*Bash/.test(request.system ?? '');
    const mistake = attempt === 1 && !sawRule;
    log.push({ task, sawRule, mistake });
    return mistake ? answer('', [{ id: 'c1', name: 'Bash', input: { command: 'rm -rf build' } }]) : answer('cleaned with the Write tool');
  };
  const model: ModelClient = {
    generate,
    async *stream(request) {
      yield { type: 'finish', result: await generate(request) };
    },
  };
  return { model, log };
}

describe('the mistake does not recur after promotion (scripted model)', () => {
  const cleaner = agent('cleaner', { capabilities: { detail: { tools: { allowed: ['Read'], restricted: [] } } } });

  async function run(root: string, rules: RuleBook | undefined, model: ModelClient, task: string) {
    const result = await runTasks([{ agent: 'cleaner', task }], {
      root,
      fleet: fleetOf(cleaner),
      options: runnerOptions(),
      model,
      memory: null,
      outcomes: new MemoryOutcomeSink(),
      record: false,
      strictTools: true,
      ...(rules ? { rules } : {}),
    });
    return result.tasks[0]!;
  }

  it('fixed twice → a rule → the next task is right the first time; without rules it repeats the mistake', async () => {
    const root = temp();
    const rulesDir = join(root, '.codex-flow');
    const { model, log } = scriptedModel();
    for (const task of ['clean the build folder', 'clean the cache folder']) {
      expect(await run(root, RuleBook.open(rulesDir), model, task)).toMatchObject({ ok: false, stop_reason: 'tool-denied' });
      expect(await run(root, RuleBook.open(rulesDir), model, task)).toMatchObject({ ok: true });
    }
    expect(RuleBook.open(rulesDir).rules).toEqual([expect.objectContaining({ scope: 'agent', agent: 'cleaner', fixes: 2 })]);

    const after = await run(root, RuleBook.open(rulesDir), model, 'clean the logs folder');
    expect(after).toMatchObject({ ok: true, stop_reason: 'completed' });
    expect(log.at(-1)).toMatchObject({ task: 'clean the logs folder', sawRule: true, mistake: false });

    // The same task without the rules: the scripted model makes the mistake again.
    const control = scriptedModel();
    expect(await run(temp(), undefined, control.model, 'clean the logs folder')).toMatchObject({ ok: false, stop_reason: 'tool-denied' });
    expect(control.log.filter((entry) => entry.mistake)).toHaveLength(1);
    // Mistakes over the whole learning sequence: two before promotion, none after.
    expect(log.filter((entry) => entry.mistake).map((entry) => entry.task)).toEqual(['clean the build folder', 'clean the cache folder']);
  });
});
