/**
 * The scheduler and its queues: limits per alias, queue strategies, exact backpressure, lanes
 * that do not block each other, and a property test of the invariants against a model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackpressureError, Scheduler, type LaneOptions } from '../../src/runner/scheduler.js';
import { TaskQueue, type QueueStrategy } from '../../src/runner/task-queue.js';

/** A job that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('TaskQueue', () => {
  it.each<[QueueStrategy, number[]]>([
    ['fifo', [1, 2, 3, 4]],
    ['lifo', [4, 3, 2, 1]],
  ])('%s order', (strategy, expected) => {
    const queue = new TaskQueue<number>(strategy);
    for (const n of [1, 2, 3, 4]) queue.push(n);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([...expected, undefined]);
  });

  it('priority: higher first, submission order among equals (stable)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 200 }), (priorities) => {
        const queue = new TaskQueue<number>('priority');
        priorities.forEach((priority, index) => queue.push(index, priority));
        const out: number[] = [];
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
        const expected = priorities
          .map((priority, index) => ({ priority, index }))
          .sort((a, b) => b.priority - a.priority || a.index - b.index)
          .map((x) => x.index);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('fifo stays in order across compaction', () => {
    const queue = new TaskQueue<number>('fifo');
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      queue.push(i);
      if (i % 3 !== 0) out.push(queue.shift()!);
    }
    while (queue.size > 0) out.push(queue.shift()!);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});

describe('Scheduler', () => {
  const lanes: Record<string, LaneOptions> = {
    a: { limit: 2, strategy: 'fifo', maxQueued: 3 },
    b: { limit: 1, strategy: 'lifo', maxQueued: 10 },
    p: { limit: 1, strategy: 'priority', maxQueued: 10 },
  };
  const scheduler = () => new Scheduler((alias) => lanes[alias]!);

  it('runs at most `limit` per alias and rejects exactly what exceeds limit + maxQueued', async () => {
    const s = scheduler();
    const gates = Array.from({ length: 8 }, gate);
    const admissions = gates.map((g) => s.submit('a', () => g.promise));
    expect(admissions.map((a) => a.accepted)).toEqual([true, true, true, true, true, false, false, false]);
    const rejected = admissions[5]!;
    expect(!rejected.accepted && rejected.error).toBeInstanceOf(BackpressureError);
    expect(!rejected.accepted && rejected.error.code).toBe('CF8001');
    expect(s.stats('a')).toMatchObject({ running: 2, queued: 3, rejected: 3 });
    gates.forEach((g) => g.open());
    await Promise.all(admissions.filter((a) => a.accepted).map((a) => (a as { done: Promise<void> }).done));
    expect(s.stats('a')).toMatchObject({ running: 0, queued: 0, peakRunning: 2, started: 5 });
  });

  it('a saturated alias does not block another', async () => {
    const s = scheduler();
    const stuck = gate();
    for (let i = 0; i < 5; i++) s.submit('a', () => stuck.promise);
    const other = s.submit('b', async () => 'b done');
    expect(other.accepted && (await other.done)).toBe('b done');
    stuck.open();
  });

  it('lifo runs the newest waiting job next; priority the highest', async () => {
    for (const [alias, priorities, expected] of [
      ['b', [0, 0, 0, 0], [0, 3, 2, 1]],
      ['p', [0, 1, 5, 3], [0, 2, 3, 1]],
    ] as const) {
      const s = scheduler();
      const order: number[] = [];
      const first = gate();
      const done = priorities.map((priority, index) =>
        s.submit(
          alias,
          async () => {
            if (index === 0) await first.promise;
            order.push(index);
          },
          priority,
        ),
      );
      first.open();
      await Promise.all(done.map((a) => (a as { done: Promise<void> }).done));
      expect(order).toEqual(expected);
    }
  });

  it('a job that throws settles its own promise and frees the slot', async () => {
    const s = scheduler();
    const failing = s.submit('b', () => {
      throw new Error('boom');
    });
    const next = s.submit('b', async () => 'next');
    await expect((failing as { done: Promise<unknown> }).done).rejects.toThrow('boom');
    expect(next.accepted && (await next.done)).toBe('next');
  });

  it('property: never more than limit in flight, every accepted job runs once, rejections are exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ alias: fc.constantFrom('x', 'y', 'z'), ticks: fc.integer({ min: 0, max: 3 }) }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 8 }),
        async (jobs, limit, maxQueued) => {
          const s = new Scheduler(() => ({ limit, strategy: 'fifo', maxQueued }));
          const inFlight = new Map<string, number>();
          const runs = new Map<number, number>();
          let violated = false;
          const admissions = jobs.map((job, index) =>
            s.submit(job.alias, async () => {
              const now = (inFlight.get(job.alias) ?? 0) + 1;
              inFlight.set(job.alias, now);
              if (now > limit) violated = true;
              runs.set(index, (runs.get(index) ?? 0) + 1);
              for (let t = 0; t < job.ticks; t++) await flush();
              inFlight.set(job.alias, inFlight.get(job.alias)! - 1);
            }),
          );
          await Promise.all(admissions.map((a) => (a.accepted ? a.done : undefined)));
          expect(violated).toBe(false);
          for (const [index, admission] of admissions.entries()) expect(runs.get(index)).toBe(admission.accepted ? 1 : undefined);
          for (const alias of ['x', 'y', 'z']) {
            const count = jobs.filter((job) => job.alias === alias).length;
            expect(s.stats(alias).rejected).toBe(Math.max(0, count - limit - maxQueued));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
