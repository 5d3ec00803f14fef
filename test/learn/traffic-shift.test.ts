/**
 * `eval --learn` shows the loop moving traffic: per agent, its share of the first and last 100
 * tasks of the reward simulation (seed 7), beside the success-only loop's, in text and JSON.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const CI = { CI: 'true' };

describe('eval --learn traffic shift', () => {
  it('moves traffic to the fast, cheap agent at equal success; the success-only loop does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-shift-'));
    const labels = join(dir, 'labels.jsonl');
    cpSync(join(import.meta.dirname, '../fixtures/routing/sample.dev.jsonl'), labels);
    const root = join(import.meta.dirname, '../..');
    const json = memoryIO(root, CI);
    expect(await main(['eval', labels, '--learn', '--repeats', '1', '--json'], json)).toBe(0);
    const shift = JSON.parse(json.out()).traffic_shift;
    const [slow, fast] = shift.agents;
    expect(fast).toMatchObject({ agent: 'agent-1', first: 0.69, last: 1 });
    expect(slow).toMatchObject({ agent: 'agent-0', first: 0.29, last: 0 });
    expect(fast.success_only_last).toBeLessThan(0.1);
    expect(shift.reward.regret).toBeLessThan(shift.success_only.regret / 10);
    expect(shift.reward.costUsd).toBeLessThan(shift.success_only.costUsd / 5);
    const text = memoryIO(root, CI);
    expect(await main(['eval', labels, '--learn', '--repeats', '1'], text)).toBe(0);
    expect(text.out()).toMatch(/traffic shift \(reward simulation, seed 7, 2000 tasks/);
    expect(text.out()).toMatch(/agent-1 .* 69 % → 100 %\s+\(success-only loop: 1 %\)/);
  });
});
