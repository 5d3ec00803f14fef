/**
 * What a user adds to the project after `init`: the repository's sample briefs (the fleet the
 * README's examples name: terraform-engineer, security-auditor, …), its routing dev set at the
 * path the README names, and a task file for `run --tasks`.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repositoryRoot = join(import.meta.dirname, '../../..');

/** The README's `eval` example reads this path; the docs' `labels.jsonl` is the same file. */
export const DEV_SET = 'test/fixtures/routing/sample.dev.jsonl';

export const TASKS = [
  { task: 'fix the flaky login test' },
  { task: 'add a GraphQL resolver for orders', agent: 'graphql-resolver-engineer' },
];

export function addSampleFleet(project: string): void {
  cpSync(join(repositoryRoot, '.claude/agents'), join(project, '.claude/agents'), { recursive: true });
  mkdirSync(join(project, 'test/fixtures/routing'), { recursive: true });
  cpSync(join(repositoryRoot, DEV_SET), join(project, DEV_SET));
  cpSync(join(repositoryRoot, DEV_SET), join(project, 'labels.jsonl'));
  writeFileSync(join(project, 'tasks.jsonl'), TASKS.map((task) => JSON.stringify(task)).join('\n') + '\n');
}
