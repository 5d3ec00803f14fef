/**
 * `codex-flow rules`: lists the learned rules (text and JSON, the same data), `rules remove <id>`
 * deletes one (an unknown id is CF6701, exit 1), and `run --dry-run` shows the rules an agent's
 * prompt would get.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { RuleBook } from '../../src/learn/rules.js';

let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-rules-cli-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  const book = RuleBook.open(join(project, '.codex-flow'));
  for (const task of ['a', 'b']) {
    book.observe({
      agent: 'changelog-writer',
      task_hash: task,
      ok: false,
      stop_reason: 'error',
      error: 'wrote CHANGELOG.md without a version heading',
    });
    book.observe({ agent: 'changelog-writer', task_hash: task, ok: true, stop_reason: 'completed' });
  }
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = memoryIO(project, { CI: 'true', OPENAI_API_KEY: 'sk-test' }, '');
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('codex-flow rules', () => {
  it('lists the rules in text and JSON, and run --dry-run shows them for the agent', async () => {
    const text = await cli(['rules']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /^rule:[0-9a-f]{10} {2}agent changelog-writer {2}fixed 2×\n {2}Avoid: wrote CHANGELOG.md without a version heading/,
    );
    const json = JSON.parse((await cli(['rules', '--json', '--hints'])).out);
    expect(json.rules).toHaveLength(1);
    expect(json.hints[0]).toMatchObject({ agent: 'changelog-writer', seen: 2 });
    const dry = await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--dry-run']);
    expect(dry.out).toMatch(/rules {5}rule:[0-9a-f]{10} Avoid: wrote CHANGELOG.md/);
    const other = JSON.parse((await cli(['run', '--agent', 'code-reviewer', 'review', '--dry-run', '--json'])).out);
    expect(other.plans[0].rules).toEqual([]);
  });

  it('remove deletes a rule; an unknown id is CF6701 with the ids there are', async () => {
    const missing = await cli(['rules', 'remove', 'rule:0000']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/CF6701/);
    const id = JSON.parse((await cli(['rules', '--json'])).out).rules[0].id;
    const removed = await cli(['rules', 'remove', id]);
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/^removed rule:/);
    expect((await cli(['rules'])).out).toMatch(/no learned rules yet/);
  });
});
