/**
 * examples/github/codex-flow-pr.yml, its shell steps run as GitHub runs them (bash -eo pipefail)
 * in a git checkout with a base branch: the route step writes the comment for the changed files,
 * and the comment step updates the comment that carries the marker, or posts one when there is
 * none. `npx` runs the CLI from source; `gh` is a stand-in that records its arguments.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MARKDOWN_MARKER } from '../../src/router/format-markdown.js';

const root = join(import.meta.dirname, '../..');
const workflow = parse(readFileSync(join(root, 'examples/github/codex-flow-pr.yml'), 'utf8'));
const steps: Array<{ name?: string; run?: string; env?: Record<string, string> }> = workflow.jobs.route.steps;
const step = (name: string) => steps.find((candidate) => candidate.name === name)!;

let checkout: string;
let bin: string;
beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), 'cf-pr-workflow-'));
  bin = join(checkout, '.bin');
  mkdirSync(bin);
  const cli = new URL('../support/cli-process.ts', import.meta.url).pathname;
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh\n[ "$1" = codex-flow ] || exit 99\nshift\nexec "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${cli}" "$@"\n`,
  );
  writeFileSync(
    join(bin, 'gh'),
    '#!/bin/sh\necho "$*" >> gh-calls.txt\ncase "$*" in *--paginate*) [ -n "$EXISTING" ] && printf \'%s\\n\' "$EXISTING" 99;; esac\nexit 0\n',
  );
  for (const name of ['npx', 'gh']) chmodSync(join(bin, name), 0o755);
  cpSync(join(root, 'codex/agents'), join(checkout, 'codex/agents'), { recursive: true });
  writeFileSync(join(checkout, '.gitignore'), '.bin/\n.codex-flow/\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: checkout, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  git('checkout', '-q', '-b', 'feature');
  mkdirSync(join(checkout, 'infra'));
  writeFileSync(join(checkout, 'infra/main.tf'), 'resource "aws_s3_bucket" "logs" {}\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'change');
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

function runStep(name: string, env: Record<string, string>) {
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step(name).run!], {
    cwd: checkout,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_REPOSITORY: 'octo/repo', ...env },
  });
}

describe('examples/github/codex-flow-pr.yml', () => {
  it('checks the fleet, then routes and comments on pull requests', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions['pull-requests']).toBe('write');
    expect(step('The committed fleet matches the briefs').run).toContain('npx codex-flow convert --check');
    expect(step('Post or update the comment').run).toContain(`marker='${MARKDOWN_MARKER}'`);
  });

  it('the route step writes the comment for the changed files', () => {
    const routed = runStep('Route the changed files', { BASE_REF: 'main' });
    expect(routed.status, routed.stderr).toBe(0);
    const comment = readFileSync(join(checkout, 'codex-flow-comment.md'), 'utf8');
    expect(comment.startsWith(`${MARKDOWN_MARKER}\n`)).toBe(true);
    expect(comment).toContain('| `infra/main.tf` | `terraform-engineer`');
  }, 90_000);

  it('the comment step updates the marked comment, or posts one when there is none', () => {
    writeFileSync(join(checkout, 'codex-flow-comment.md'), `${MARKDOWN_MARKER}\nbody\n`);
    rmSync(join(checkout, 'gh-calls.txt'), { force: true });
    expect(runStep('Post or update the comment', { PR: '7', EXISTING: '42' }).status).toBe(0);
    expect(runStep('Post or update the comment', { PR: '7', EXISTING: '' }).status).toBe(0);
    const calls = readFileSync(join(checkout, 'gh-calls.txt'), 'utf8').trim().split('\n');
    expect(calls.filter((call) => !call.includes('--paginate'))).toEqual([
      'api --method PATCH repos/octo/repo/issues/comments/42 -F body=@codex-flow-comment.md',
      'api --method POST repos/octo/repo/issues/7/comments -F body=@codex-flow-comment.md',
    ]);
  });
});
