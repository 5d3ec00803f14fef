/**
 * A throw inside one subtask (a bug in prepare, a learning-store write failing, a log append
 * failing) must not abort the swarm and lose the work of the subtasks that are running: the
 * thrower fails as an internal error, the others finish and are logged.
 */
import { describe, expect, it } from 'vitest';
import { executePlan, type SubtaskRunner } from '../../src/swarm/execute.js';
import { ChangedFiles } from '../../src/swarm/changed-files.js';
import { SubtaskOutcomes } from '../../src/swarm/subtask-outcomes.js';
import type { SwarmEvent, SwarmLog } from '../../src/swarm/event-log.js';
import type { RoutedPlan } from '../../src/swarm/plan.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function planOf(...subtasks: Array<{ id: string; reviewer?: string; depends_on?: string[] }>): RoutedPlan {
  return {
    goal: 'g',
    source: 'file',
    subtasks: subtasks.map((s) => ({
      id: s.id,
      task: `task ${s.id}`,
      files: [],
      acceptance: [],
      depends_on: s.depends_on ?? [],
      ...(s.reviewer ? { reviewer: s.reviewer } : {}),
      assignment: { agent: 'worker', source: 'plan' as const, why: ['named'] },
    })),
  };
}

/** A runner whose prepare throws for `throwsFor`; every submit answers after `ms`. */
function fakeRunner(options: { throwsFor?: string; ms?: number; verdict?: string; submitted?: string[] } = {}): SubtaskRunner {
  return {
    async prepare(spec) {
      if (spec.id === options.throwsFor) throw new TypeError("Cannot read properties of undefined (reading 'alias')");
      return {
        ok: true,
        task: {
          id: spec.id,
          task: spec.task,
          files: spec.files ?? [],
          target: { alias: spec.agent, definition: { agent: { id: spec.agent } } },
        },
      } as any;
    },
    async submit(task: any) {
      await sleep(options.ms ?? 20);
      options.submitted?.push(task.id);
      const text = String(task.id).includes('review') ? `ok\nVERDICT: ${options.verdict ?? 'pass'}` : `done ${task.id}`;
      return {
        ok: true,
        agent: task.target.alias,
        alias: task.target.alias,
        stop_reason: 'completed',
        text,
        usage: { input: 1, output: 1, cached: 0 },
        cost_usd: 0,
        ms: 1,
        steps: 1,
        provider: 'p',
        model: 'm',
        task_hash: 'h',
      } as any;
    },
  };
}

function memoryLog(failOn?: (event: SwarmEvent) => boolean) {
  const events: SwarmEvent[] = [];
  const log = {
    append(event: SwarmEvent) {
      if (failOn?.(event)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      events.push(event);
    },
    close() {},
  } as unknown as SwarmLog;
  return { log, events };
}

const base = { swarmId: 'sw', maxParallel: 4, contextChars: 4000 };

describe('executePlan when one subtask throws', () => {
  it('a bug in prepare fails that subtask as internal-error; the running one finishes and is logged', async () => {
    const { log, events } = memoryLog();
    const { outcomes, internalErrors } = await executePlan(planOf({ id: 'slow' }, { id: 'bug' }, { id: 'after', depends_on: ['bug'] }), {
      ...base,
      log,
      runner: fakeRunner({ throwsFor: 'bug', ms: 30 }),
      changed: new ChangedFiles(),
    });
    expect(outcomes.get('slow')).toMatchObject({ state: 'completed' });
    expect(outcomes.get('bug')).toMatchObject({ state: 'failed', stop_reason: 'internal-error' });
    expect(outcomes.get('after')).toMatchObject({ state: 'skipped' });
    expect(internalErrors.map((error) => error.message)).toEqual(["Cannot read properties of undefined (reading 'alias')"]);
    expect(events.filter((e) => e.event === 'subtask-finished').map((e) => e.id)).toEqual(['slow']);
  });

  it('a learning-store write failing in settle does not fail the subtask nor the swarm', async () => {
    const { log, events } = memoryLog();
    const sink = {
      claim() {},
      attempt() {},
      record: async () => undefined,
      settle: async () => {
        throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
      },
    } as unknown as SubtaskOutcomes;
    const outcomes = new Map();
    const result = await executePlan(planOf({ id: 'reviewed', reviewer: 'checker' }, { id: 'plain' }), {
      ...base,
      log,
      outcomes: sink,
      runner: fakeRunner(),
      changed: new ChangedFiles(),
    });
    for (const [id, outcome] of result.outcomes) outcomes.set(id, outcome.state);
    expect(Object.fromEntries(outcomes)).toEqual({ reviewed: 'completed', plain: 'completed' });
    expect(result.internalErrors).toEqual([]);
    expect(
      events
        .filter((e) => e.event === 'learning-error')
        .map((e) => [e.id, e.error])
        .sort(),
    ).toEqual([
      ['plain', 'EIO: i/o error, write'],
      ['reviewed', 'EIO: i/o error, write'],
    ]);
    const { eventLine } = await import('../../src/swarm/format-events.js');
    expect(eventLine(events.find((e) => e.event === 'learning-error' && e.id === 'reviewed')!)).toBe(
      '  learning  reviewed: its outcome was not recorded: EIO: i/o error, write',
    );
  });

  it('a log append failing ends the swarm only after every running subtask has finished', async () => {
    const submitted: string[] = [];
    const { log } = memoryLog((event) => event.event === 'subtask-finished' && event.id === 'fast');
    const error = await executePlan(planOf({ id: 'fast' }, { id: 'slow' }), {
      ...base,
      log,
      runner: {
        ...fakeRunner({ submitted }),
        submit: async (task: any) => {
          await sleep(task.id === 'slow' ? 60 : 5);
          submitted.push(task.id);
          return fakeRunner()
            .submit({ ...task })
            .then((r) => r);
        },
      },
      changed: new ChangedFiles(),
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('ENOSPC');
    expect(submitted).toContain('slow');
  });

  it('an I/O error inside one subtask (its start line hits a full disk) fails that subtask as error, not as our bug', async () => {
    const { log } = memoryLog((event) => event.event === 'subtask-started' && event.id === 'full');
    const { outcomes, internalErrors } = await executePlan(planOf({ id: 'full' }, { id: 'fine' }), {
      ...base,
      log,
      runner: fakeRunner(),
      changed: new ChangedFiles(),
    });
    expect(outcomes.get('full')).toMatchObject({
      state: 'failed',
      stop_reason: 'error',
      reason: 'codex-flow could not run it: ENOSPC: no space left on device, write',
    });
    expect(outcomes.get('fine')).toMatchObject({ state: 'completed' });
    expect(internalErrors).toEqual([]);
  });
});
