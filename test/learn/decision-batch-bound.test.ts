/**
 * The decision batch behind a disk slower than the routes (regression: every timer tick chained
 * one more write behind the one in flight and queued decisions without a bound, so a stalled disk
 * grew the server's memory without limit). With a stalled writer the batch keeps one write in
 * flight, holds at most its bound, and drops and counts the rest, saying so once; when the disk
 * comes back the held decisions are written in order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecisionBatch } from '../../src/learn/decision-batch.js';
import type { Decision } from '../../src/learn/decisions.js';

function decision(n: number): Decision {
  return { route_id: `route:${n}`, chosen: 'a', candidates: ['a'], features: ['f'], at: new Date(0).toISOString() } as unknown as Decision;
}

describe('decision batch bound', () => {
  it('holds at most its bound with a stalled writer, one write in flight, and counts what it drops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-batch-'));
    const writes: string[][] = [];
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const drops: string[] = [];
    const batch = new DecisionBatch(() => {}, 1, {
      maxUnwritten: 100,
      onDrop: (message) => drops.push(message),
      append: async (_file, lines) => {
        writes.push(lines.split('\n').map((line) => (JSON.parse(line) as Decision).route_id));
        await stalled;
      },
    });
    const added: boolean[] = [];
    for (let n = 0; n < 60; n++) added.push(batch.add(dir, decision(n), 5000));
    // Let the timer start the first write; it stalls.
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (let n = 60; n < 250; n++) {
      added.push(batch.add(dir, decision(n), 5000));
      if (n % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(writes).toHaveLength(1);
    expect(batch.pending).toBe(100);
    expect(batch.dropped).toBe(150);
    expect(added.filter((kept) => !kept)).toHaveLength(150);
    expect(added.slice(0, 100).every(Boolean)).toBe(true);
    expect(drops).toHaveLength(1);
    expect(batch.find('route:99')).toBeDefined();
    expect(batch.find('route:100')).toBeUndefined();

    release();
    await batch.flush();
    expect(writes.flat()).toEqual(Array.from({ length: 100 }, (_, n) => `route:${n}`));
    expect(writes).toHaveLength(2);
    expect(batch.pending).toBe(0);
    expect(drops[1]).toMatch(/^150 route decision\(s\) dropped/);
    // Room again: the next decision is kept.
    expect(batch.add(dir, decision(300), 5000)).toBe(true);
    await batch.flush();
  });

  it('a flush at stop is bounded: behind a stalled writer it returns false and counts what is left as dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-batch-'));
    const drops: string[] = [];
    const batch = new DecisionBatch(() => {}, 1, { onDrop: (message) => drops.push(message), append: () => new Promise<void>(() => {}) });
    for (let n = 0; n < 5; n++) batch.add(dir, decision(n), 5000);
    expect(await batch.flush(50)).toBe(false);
    expect(batch.dropped).toBe(5);
    expect(drops).toEqual(['5 route decision(s) not written: the decision log took over 50 ms']);
    // Review finding: the holder's flush and then the server's each waited and counted the same five.
    const second = Date.now();
    expect(await batch.flush(5_000)).toBe(false);
    expect(Date.now() - second).toBeLessThan(1_000);
    expect(batch.dropped).toBe(5);
    batch.add(dir, decision(5), 5000);
    expect(await batch.flush(5_000)).toBe(false);
    expect(batch.dropped).toBe(6);
    expect(drops).toHaveLength(2);
  });
});
