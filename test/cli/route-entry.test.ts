/**
 * `codex-flow route` starts from src/cli/route-main.ts (its own bundle, bin/codex-flow.js): it
 * answers exactly as the full CLI does, in text and JSON, for help and for usage errors, so the
 * smaller entry never changes what a user sees.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { main as routeMain } from '../../src/cli/route-main.js';
import { memoryIO } from '../../src/cli/io.js';

const root = join(import.meta.dirname, '../..');
const project = mkdtempSync(join(tmpdir(), 'codex-route-entry-'));
cpSync(join(root, 'codex'), join(project, 'codex'), { recursive: true });
afterAll(() => rmSync(project, { recursive: true, force: true }));

const task = 'the checkout page jumps around when the web fonts load';
const cases: string[][] = [
  ['route', task, '--top', '3', '--no-record', '--no-stale-check'],
  ['route', task, '--files', 'src/components/Checkout.tsx', '--json', '--no-record', '--no-stale-check', '--explore', 'off'],
  ['route', task, '--explain', '--no-record', '--no-stale-check'],
  ['route', '--help'],
  ['route', '--top', 'x', 'a task'],
  ['route'],
];

describe('route entry', () => {
  it.each(cases)('answers as the full CLI: %s', async (...argv) => {
    const full = memoryIO(project, { CI: 'true' });
    const alone = memoryIO(project, { CI: 'true' });
    const fullCode = await main(argv, full);
    const aloneCode = await routeMain(argv, alone);
    expect(full.out() + full.err()).not.toBe('');
    expect(aloneCode).toBe(fullCode);
    expect(alone.out()).toBe(full.out());
    expect(alone.err()).toBe(full.err());
  });
});
