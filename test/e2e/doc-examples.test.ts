/**
 * Every shell example of README.md and docs/*.md, run literally, in reading order, in one user
 * project with the packed package installed. A line is changed only by the substitutions below
 * (each says why); a line is not run only if it is listed below with its reason. A new example is
 * picked up by itself: it runs, and fails if it still holds a placeholder the table does not
 * cover. A table entry no example uses any more fails too, so the tables stay true.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureEnv, TEST_KEYS } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { shellExamples, type ShellExample } from './support/doc-examples.js';
import { addSampleFleet } from './support/user-project.js';
import { userShell, type Outcome } from './support/user-shell.js';

const repositoryRoot = join(import.meta.dirname, '../..');
/** The task a placeholder task (`"…"`, `"..."`) stands for. */
const TASK = 'fix the flaky login test';

interface Substitution {
  from: string;
  to: (state: State) => string;
  why: string;
}

interface State {
  /** The last route id a command printed: what a reader copies into `feedback`. */
  routeId?: string;
  /** The last swarm id a command printed: what a reader copies into `swarm --resume`. */
  swarmId?: string;
}

const SUBSTITUTIONS: Substitution[] = [
  {
    from: 'npx codex-flow',
    to: () => 'codex-flow',
    why: 'npx runs node_modules/.bin/codex-flow, which is on PATH here; one case below runs npx itself',
  },
  { from: '<route-id>', to: (state) => state.routeId!, why: 'the id the previous `route` printed, as a reader copies it' },
  { from: 'route:1f2e3d4c5b6a7980', to: (state) => state.routeId!, why: 'an example id: the one the previous `route` printed' },
  { from: '<swarm-id>', to: (state) => state.swarmId!, why: 'the id the previous `swarm` printed, as a reader copies it' },
  { from: '20261207T124839Z-881172', to: (state) => state.swarmId!, why: 'an example id: the one the previous `swarm` printed' },
  {
    from: 'OPENAI_API_KEY=…',
    to: () => `OPENAI_API_KEY=${TEST_KEYS.openai}`,
    why: 'a key; every provider points at the local wire-format server',
  },
  { from: '"…"', to: () => `"${TASK}"`, why: 'a task left open' },
  { from: '"..."', to: () => `"${TASK}"`, why: 'a task left open' },
  {
    from: '--explain frontend-developer',
    to: () => '--explain react-component-engineer',
    why: 'the sample fleet has no frontend-developer',
  },
  { from: '[--json] [--min-top1 0.7]', to: () => '--json --min-top1 0.7', why: 'optional flags in brackets: all of them given' },
];

/** Lines not run, by their command text (the trailing comment left out), with the reason. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm run demo':
    'builds the repository checkout, not the installed package; CI runs `npm ci`, and `npm pack` (this suite) runs the build',
  'npm test': 'this suite is part of `npm test`',
  "export CODEX_FLOW_CLI_CMD='llm -m gpt-4o-mini'":
    'configures a third-party program (`llm`) not installed here; sets a variable and runs nothing',
  "export CODEX_FLOW_CLI_CMD='my-model --temperature 0 --prompt {prompt}'":
    'a placeholder program (`my-model`); sets a variable and runs nothing',
};

/** Commands that run until stopped: interrupted (SIGINT, as Ctrl-C) once their output shows this. */
const INTERRUPT_WHEN: Record<string, RegExp> = {
  'npx codex-flow convert --watch': /watching/,
};

/** Left for a reader to fill in: a line still holding one after substitution cannot run as written. */
const PLACEHOLDER = /…|\.\.\.|<[\w-]+>|\[--/;

const install = inject('packedInstall');
const shell = userShell(install, 'docs');
const examples = shellExamples(repositoryRoot);
const state: State = {};
const used = new Set<string>();

const commandOf = (example: ShellExample) => example.command.replace(/\s+#.*$/, '').trim();

function substituted(example: ShellExample): string {
  let line = example.command;
  for (const substitution of SUBSTITUTIONS) {
    if (!line.includes(substitution.from)) continue;
    used.add(substitution.from);
    line = line.split(substitution.from).join(substitution.to(state));
  }
  return line;
}

/** What the reader has around them: a git checkout with changed files, and their own briefs. */
function prepareProject(project: string): void {
  mkdirSync(join(project, 'infra'), { recursive: true });
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'infra/main.tf'), 'resource "aws_s3_bucket" "logs" {}\n');
  writeFileSync(join(project, 'src/a.ts'), 'export const a = 1;\n');
  writeFileSync(join(project, '.gitignore'), 'node_modules\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], { cwd: project, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'start');
  appendFileSync(join(project, 'infra/main.tf'), 'resource "aws_s3_bucket" "audit" {}\n');
}

/** After `init`: the sample briefs and the alias the runner guide configures. */
function afterInit(project: string): void {
  addSampleFleet(project);
  appendFileSync(
    join(project, 'codex-flow.config.yaml'),
    'runner:\n  aliases:\n    reviewer-fast: { id: code-reviewer, overrides: { runtime: { timeout_ms: 120000 } }, max_queued: 50 }\n',
  );
}

describe('every shell example of the README and docs/, run literally', () => {
  const server = useProviderServer();
  beforeAll(() => {
    Object.assign(shell.env, fixtureEnv(server));
    prepareProject(shell.project);
  });

  for (const example of examples) {
    const command = commandOf(example);
    const reason = NOT_RUN[command];
    const title = `${example.file}:${example.line}: ${example.command}`;
    if (reason !== undefined) {
      it.skip(`${title} — not run: ${reason}`, () => {});
      continue;
    }
    it(title, async () => {
      server.setDefault('openai', { text: 'answer from openai' });
      server.setDefault('anthropic', { text: 'answer from anthropic' });
      server.setDefault('ollama', { text: 'answer from ollama' });
      const line = substituted(example);
      expect(line, `${title}: a placeholder no substitution covers`).not.toMatch(PLACEHOLDER);
      const interruptWhen = INTERRUPT_WHEN[command];
      const outcome: Outcome = await shell.sh(line, interruptWhen ? { interruptWhen } : {});
      expect(outcome.code, outcome.transcript).toBe(0);
      state.routeId = /route:[0-9a-f]{16}/.exec(outcome.stdout + outcome.stderr)?.[0] ?? state.routeId;
      if (/\bswarm\b/.test(command)) state.swarmId = /\b\d{8}T\d{6}Z-\w+\b/.exec(outcome.stdout + outcome.stderr)?.[0] ?? state.swarmId;
      // `init --claude-hooks` writes only .claude/settings.json: the starter project is already set up.
      if (/^(npx )?codex-flow init\b/.test(command) && !command.includes('--claude-hooks')) afterInit(shell.project);
    });
  }

  it('npx resolves codex-flow to the installed bin', async () => {
    const outcome = await shell.sh('npx --no-install codex-flow --version');
    expect(outcome.code, outcome.transcript).toBe(0);
    expect(outcome.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('every substitution and every line not run still matches an example', () => {
    const commands = new Set(examples.map(commandOf));
    expect(Object.keys(NOT_RUN).filter((command) => !commands.has(command))).toEqual([]);
    expect(Object.keys(INTERRUPT_WHEN).filter((command) => !commands.has(command))).toEqual([]);
    expect(SUBSTITUTIONS.map((substitution) => substitution.from).filter((from) => !used.has(from))).toEqual([]);
  });
});
