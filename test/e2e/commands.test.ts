/**
 * Every command of the packed package, run as a process in a user's project, twice: cold (a new
 * HOME and TMPDIR, no `.codex-flow/cache`) and warm (the same machine and project again, every
 * cache filled by the cold pass). The launcher once broke every dynamic import from the second
 * run on while every in-process test passed: the warm pass is the one that caught it.
 * Providers are the local wire-format server (test/support/provider-server.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { userShell, type Outcome } from './support/user-shell.js';
import { addSampleFleet, DEV_SET, TASKS } from './support/user-project.js';

const install = inject('packedInstall');
const shell = userShell(install, 'commands');
const { project } = shell;
const at = (path: string) => join(project, path);

function expectExit(outcome: Outcome, code: number): Outcome {
  expect(outcome.code, outcome.transcript).toBe(code);
  return outcome;
}

const routeIdOf = (outcome: Outcome) => /route:[0-9a-f]{16}/.exec(outcome.stdout)?.[0];
const firstAgentOf = (outcome: Outcome) => /^\s*1\.\s+(\S+)/m.exec(outcome.stdout)?.[1];

describe('the packed CLI, cold then warm', () => {
  const server = useProviderServer();
  beforeAll(() => {
    Object.assign(shell.env, fixtureEnv(server));
  });

  for (const pass of ['cold', 'warm'] as const) {
    describe(pass, () => {
      it('--version and --help', async () => {
        const manifest = JSON.parse(readFileSync(at('node_modules/codex-flow/package.json'), 'utf8'));
        expect(expectExit(await shell.cli(['--version']), 0).stdout.trim()).toBe(manifest.version);
        const help = expectExit(await shell.cli(['--help']), 0).stdout;
        for (const command of [
          'init',
          'convert',
          'validate',
          'route',
          'eval',
          'feedback',
          'stats',
          'providers',
          'bench',
          'run',
          'cleanup',
          'hook',
          'rules',
        ]) {
          expect(help).toContain(command);
        }
      });

      it('init writes a starter fleet and config once, then refuses to overwrite them', async () => {
        if (pass === 'cold') {
          expect(existsSync(at('.codex-flow/cache'))).toBe(false);
          expect(readdirSync(shell.env.HOME!)).toEqual([]);
          expectExit(await shell.cli(['init']), 0);
          expect(existsSync(at('codex-flow.config.yaml'))).toBe(true);
          expect(
            readdirSync(at('.claude/agents'), { recursive: true }).filter((file) => String(file).endsWith('.md')).length,
          ).toBeGreaterThan(0);
        } else {
          const config = readFileSync(at('codex-flow.config.yaml'), 'utf8');
          expect(expectExit(await shell.cli(['init']), 1).stderr).not.toBe('');
          expect(readFileSync(at('codex-flow.config.yaml'), 'utf8')).toBe(config);
        }
      });

      it('init lists .codex-flow/, .runs/ and data/bench/ in .gitignore', () => {
        const ignore = existsSync(at('.gitignore')) ? readFileSync(at('.gitignore'), 'utf8') : '';
        expect(ignore).toMatch(/^\.codex-flow\/?$/m);
        expect(ignore).toMatch(/^\.runs\/?$/m);
        expect(ignore).toMatch(/^data\/bench\/?$/m);
      });

      it('convert compiles with the config init wrote, then with the sample briefs added', async () => {
        expectExit(await shell.cli(['convert']), 0);
        addSampleFleet(project);
        const compiled = expectExit(await shell.cli(['convert']), 0);
        if (pass === 'cold') expect(compiled.stdout).toMatch(/compiled \d+ of \d+ briefs/);
        const index = JSON.parse(readFileSync(at('codex/agents/index.json'), 'utf8'));
        expect(index.agents.length).toBeGreaterThanOrEqual(20);
        expect(existsSync(at('codex/agents/triggers.json'))).toBe(true);
        expectExit(await shell.cli(['convert', '--check']), 0);
      });

      it('validate', async () => {
        expect(expectExit(await shell.cli(['validate']), 0).stdout).toContain('codex/agents');
        expect(JSON.parse(expectExit(await shell.cli(['validate', '--json']), 0).stdout).agents).toBeGreaterThanOrEqual(20);
      });

      it('route: text, --json, --explain, --explain <id>, --files - from stdin', async () => {
        // Cold: nothing route builds is cached yet; convert leaves only the stale check's brief hashes.
        if (pass === 'cold') {
          const cached = existsSync(at('.codex-flow/cache')) ? readdirSync(at('.codex-flow/cache')) : [];
          expect(cached.filter((name) => !name.startsWith('brief-hashes.json'))).toEqual([]);
        }
        const text = expectExit(await shell.cli(['route', 'add a GraphQL resolver for orders']), 0);
        expect(firstAgentOf(text)).toBe('graphql-resolver-engineer');
        expect(routeIdOf(text)).toBeDefined();
        expect(readdirSync(at('.codex-flow/cache')).length).toBeGreaterThan(0);

        const json = JSON.parse(expectExit(await shell.cli(['route', 'add a GraphQL resolver', '--top', '3', '--json']), 0).stdout);
        expect(json.ok).toBe(true);
        expect(json.result.candidates[0].id).toBe('graphql-resolver-engineer');
        expect(json.result.candidates.length).toBeLessThanOrEqual(3);

        const explained = expectExit(await shell.cli(['route', 'fix CVE-2021-44228', '--explain']), 0).stdout;
        expect(explained).toContain('security-auditor');
        // Evidence and score terms: far more than the ranking alone.
        expect(explained.split('\n').length).toBeGreaterThan(text.stdout.split('\n').length);

        const why = expectExit(await shell.cli(['route', 'fix CVE-2021-44228', '--explain', 'terraform-engineer']), 0).stdout;
        expect(why).toContain('terraform-engineer');

        const files = expectExit(
          await shell.cli(['route', '--files', '-'], { input: 'infra/main.tf\ninfra/modules/vpc/variables.tf\n' }),
          0,
        );
        expect(firstAgentOf(files)).toBe('terraform-engineer');
      });

      it('the checked config is kept by its bytes in the user cache, not the project: an edit is read at once', async () => {
        expectExit(await shell.cli(['route', 'add a GraphQL resolver for orders']), 0);
        const userCache = join(shell.env.TMPDIR!, `codex-flow-compile-cache-${process.getuid!()}`, 'config');
        expect(readdirSync(userCache).filter((name) => name.endsWith('.json')).length).toBeGreaterThan(0);
        expect(existsSync(at('.codex-flow/cache/config.json'))).toBe(false);
        const config = readFileSync(at('codex-flow.config.yaml'), 'utf8');
        try {
          writeFileSync(at('codex-flow.config.yaml'), config.replace('compiler:\n', 'compiler:\n  srcc: briefs\n'));
          const edited = await shell.cli(['route', 'add a GraphQL resolver for orders']);
          expect(edited.code, edited.transcript).not.toBe(0);
          expect(edited.stderr).toMatch(/codex-flow\.config\.yaml:3:\d+.*srcc/);
        } finally {
          writeFileSync(at('codex-flow.config.yaml'), config);
        }
        expectExit(await shell.cli(['route', 'add a GraphQL resolver for orders']), 0);
      });

      it('route with router.embeddings: the fused term, no call for a repeated request, words alone when the provider fails', async () => {
        writeFileSync(
          at('embeddings.config.yaml'),
          `router:\n  embeddings:\n    provider: ollama\n    model: fixture-embed\n    baseURL: ${server.baseUrl('ollama')}\n    timeoutMs: 5000\n`,
        );
        const argv = ['route', 'add a GraphQL resolver', '--json', '--no-record', '--config', 'embeddings.config.yaml'];
        const first = JSON.parse(expectExit(await shell.cli(argv), 0).stdout);
        expect(first.embeddings).toMatchObject({ provider: 'ollama', used: true });
        const again = JSON.parse(expectExit(await shell.cli(argv), 0).stdout);
        expect(again.embeddings).toMatchObject({ used: true, calls: 0 });
        server.setDefault('ollama', { status: 503 });
        const failed = expectExit(
          await shell.cli(['route', 'a request never embedded', '--no-record', '--config', 'embeddings.config.yaml']),
          0,
        );
        expect(failed.stderr).toContain('CF3301');
      });

      it('route --format markdown: the pull-request comment for changed files from stdin', async () => {
        const comment = expectExit(
          await shell.cli(['route', '--files', '-', '--format', 'markdown', '--no-record'], {
            input: 'infra/main.tf\nsrc/components/Checkout.tsx\n',
          }),
          0,
        ).stdout;
        expect(comment.split('\n')[0]).toBe('<!-- codex-flow:route -->');
        expect(comment).toContain('| `infra/main.tf` | `terraform-engineer`');
      });

      it('route --rerank on: the model over the wire reorders the top k, then its cached answer costs no call', async () => {
        rmSync(at('.codex-flow/rerank-cache'), { recursive: true, force: true });
        const task = ['route', 'our orders page needs a new field', '--top', '3', '--json', '--no-record'];
        const lexical = JSON.parse(expectExit(await shell.cli(task), 0).stdout);
        server.setDefault('openai', (request) => {
          const prompt = String(request.body.messages.find((message: { role: string }) => message.role === 'user').content);
          const ids = [...prompt.matchAll(/^- ([a-z0-9-]+): /gm)].map((match) => match[1]!);
          return { text: JSON.stringify({ ranking: ids.reverse().map((id) => ({ id, reason: 'scripted' })) }) };
        });
        const env = { CODEX_FLOW_PROVIDER: 'openai' };
        const reranked = JSON.parse(expectExit(await shell.cli([...task, '--rerank', 'on'], { env }), 0).stdout);
        expect(server.requests).toHaveLength(1);
        expect(reranked.rerank).toMatchObject({ status: 'reranked', cacheHit: false, k: 15 });
        expect(reranked.result.candidates[0].id).not.toBe(lexical.result.candidates[0].id);
        const again = JSON.parse(expectExit(await shell.cli([...task, '--rerank', 'on'], { env }), 0).stdout);
        expect(server.requests).toHaveLength(1);
        expect(again.rerank.cacheHit).toBe(true);
        expect(again.result.candidates.map((c: { id: string }) => c.id)).toEqual(
          reranked.result.candidates.map((c: { id: string }) => c.id),
        );
      });

      it('hook user-prompt: a hint on a confident prompt, silent on garbage, exit 0 both ways', async () => {
        // The cap is raised: on a loaded machine the route child can take longer than the default 1.5 s.
        const env = { CODEX_FLOW_SERVER: 'off', CODEX_FLOW_HOOK_TIMEOUT_MS: '30000' };
        const input = JSON.stringify({
          session_id: 'e2e',
          cwd: project,
          hook_event_name: 'UserPromptSubmit',
          prompt: 'add a GraphQL resolver for orders',
        });
        const hinted = expectExit(await shell.cli(['hook', 'user-prompt'], { input, env }), 0);
        const output = JSON.parse(hinted.stdout);
        expect(output.hookSpecificOutput.hookEventName).toBe('UserPromptSubmit');
        expect(output.hookSpecificOutput.additionalContext).toContain('subagent_type: "graphql-resolver-engineer"');
        const garbage = expectExit(await shell.cli(['hook', 'user-prompt'], { input: 'not json', env }), 0);
        expect(garbage.stdout).toBe('');
        expect(garbage.stderr).toMatch(/^codex-flow hook: CF9545 /);
      });

      it('init --claude-hooks adds the hook to .claude/settings.json once', async () => {
        expectExit(await shell.cli(['init', '--claude-hooks']), 0);
        const settings = JSON.parse(readFileSync(at('.claude/settings.json'), 'utf8'));
        const commands = settings.hooks.UserPromptSubmit.flatMap((group: { hooks: Array<{ command: string }> }) =>
          group.hooks.map((hook) => hook.command),
        );
        expect(commands).toEqual(['"$CLAUDE_PROJECT_DIR"/node_modules/.bin/codex-flow hook user-prompt']);
      });

      it('eval, feedback on the id route printed, stats', async () => {
        expect(expectExit(await shell.cli(['eval', DEV_SET]), 0).stdout).toMatch(/top-1/);
        const routed = expectExit(await shell.cli(['route', 'review my PR for injection bugs']), 0);
        const routeId = routeIdOf(routed)!;
        expect(expectExit(await shell.cli(['feedback', routeId, '--ok', '--latency-ms', '5400']), 0).stdout).toContain(routeId);
        expect(readFileSync(at('.codex-flow/outcomes.jsonl'), 'utf8')).toContain(routeId);
        const stats = JSON.parse(expectExit(await shell.cli(['stats', '--json']), 0).stdout);
        expect(stats.outcomes).toBeGreaterThanOrEqual(pass === 'cold' ? 1 : 2);
        expect(expectExit(await shell.cli(['stats']), 0).stdout).toContain(firstAgentOf(routed)!);
        expect(stats.tuning).toMatchObject({ autotune: 'suggest', tuned: {} });
        const reset = JSON.parse(expectExit(await shell.cli(['stats', '--reset-tuning', '--json']), 0).stdout);
        expect(reset.tuning.reset).toEqual([]);
        expect(JSON.parse(expectExit(await shell.cli(['rules', '--json']), 0).stdout)).toMatchObject({ ok: true, rules: [] });
        expect(expectExit(await shell.cli(['rules', 'remove', 'rule:0']), 1).stderr).toContain('CF6701');
      });

      it('providers shows the configured endpoints', async () => {
        const listed = expectExit(await shell.cli(['providers']), 0).stdout;
        expect(listed).toContain(server.baseUrl('openai'));
        expect(listed).toContain(server.baseUrl('anthropic'));
      });

      it('bench compares providers over the wire and writes its report', async () => {
        server.setDefault('openai', { text: 'CRDTs merge without coordination.' });
        server.setDefault('anthropic', { text: 'CRDTs converge.' });
        server.setDefault('ollama', { text: 'Conflict-free replicated data types.' });
        const out = `bench-${pass}`;
        const bench = expectExit(
          await shell.cli([
            'bench',
            '--prompt',
            'Explain CRDTs',
            '--providers',
            'openai,anthropic,ollama',
            '--runs',
            '2',
            '--warmup',
            '0',
            '--stream',
            '--out',
            out,
          ]),
          0,
        );
        expect(bench.stdout).toMatch(/openai/);
        expect(new Set(server.requests.map((request) => request.wire))).toEqual(new Set(['openai', 'anthropic', 'ollama']));
        const written = readdirSync(at(out));
        for (const extension of ['.json', '.md', '.csv']) expect(written.some((file) => file.endsWith(extension))).toBe(true);
      });

      it('run --dry-run plans and calls nothing', async () => {
        const plan = expectExit(await shell.cli(['run', '--route', 'fix the flaky login test', '--dry-run']), 0).stdout;
        expect(plan).toContain('flaky-test-hunter');
        expect(server.requests).toEqual([]);
      });

      it('run --dry-run ranks a tier chain with the bench results in data/bench, in text and --json', async () => {
        const tiers = ['orchestrator', 'reasoning', 'coding', 'librarian'].map(
          (tier) => `    ${tier}: [anthropic:haiku, "ollama:qwen2.5:3b"]`,
        );
        writeFileSync(
          at('tiers.config.yaml'),
          `${readFileSync(at('codex-flow.config.yaml'), 'utf8')}providers:\n  tiers:\n${tiers.join('\n')}\n`,
        );
        const summary = (provider: string, model: string, p50: number, cost: number) => ({
          provider,
          model,
          runs: 5,
          ok: 5,
          errors: 0,
          errorKinds: {},
          latencyMs: { p50, p95: p50 * 2 },
          costPerRunUsd: cost,
        });
        mkdirSync(at('data/bench'), { recursive: true });
        writeFileSync(
          at('data/bench/2026-12-01T10-00-00Z.json'),
          JSON.stringify({
            version: 1,
            summaries: [summary('anthropic', 'claude-haiku-4-5', 2400, 0.004), summary('ollama', 'qwen2.5:3b', 420, 0.0003)],
            runs: [],
          }),
        );
        const argv = ['run', '--route', 'fix the flaky login test', '--dry-run', '--config', 'tiers.config.yaml'];
        const text = expectExit(await shell.cli(argv), 0).stdout;
        expect(text).toMatch(
          /ranked 1st: ollama:qwen2\.5:3b — score [\d.]+: success 86 % \(bench 5\/5\), bench p50 420 ms, \$0\.0003\/call/,
        );
        expect(text).toMatch(/providers ollama → anthropic/);
        const json = JSON.parse(expectExit(await shell.cli([...argv, '--json']), 0).stdout);
        expect(json.plans[0].tier.members[0]).toMatchObject({
          provider: 'ollama',
          evidence: { bench: { latency_p50_ms: 420, cost_per_call_usd: 0.0003 }, bench_share: 1 },
        });
        expect(server.requests).toEqual([]);
      });

      it('run --provider openai --fallback anthropic answers from openai', async () => {
        server.setDefault('openai', { text: 'The login test waits on a timer; use fake timers.' });
        const runs = existsSync(at('.runs')) ? readdirSync(at('.runs')).length : 0;
        const ran = expectExit(
          await shell.cli(['run', '--route', 'fix the flaky login test', '--provider', 'openai', '--fallback', 'anthropic']),
          0,
        );
        expect(ran.stdout).toContain('use fake timers');
        expect(server.requests.map((request) => request.wire)).toContain('openai');
        expect(server.requests.map((request) => request.wire)).not.toContain('anthropic');
        expect(readdirSync(at('.runs')).length).toBe(runs + 1);
      });

      it('run fails over: openai answers 500, anthropic answers', async () => {
        server.setDefault('openai', { status: 500, errorMessage: 'upstream exploded' });
        server.setDefault('anthropic', { text: 'Answered by the fallback.' });
        const ran = expectExit(
          await shell.cli(['run', '--route', 'fix the flaky login test', '--provider', 'openai', '--fallback', 'anthropic']),
          0,
        );
        expect(ran.stdout).toContain('Answered by the fallback.');
        const wires = server.requests.map((request) => request.wire);
        expect(wires.at(-1)).toBe('anthropic');
        if (pass === 'cold') expect(wires[0]).toBe('openai');
      });

      it('run --tasks tasks.jsonl --json', async () => {
        server.setDefault('openai', { text: 'done' });
        server.setDefault('anthropic', { text: 'done' });
        const record = JSON.parse(
          expectExit(await shell.cli(['run', '--tasks', 'tasks.jsonl', '--json', '--provider', 'anthropic', '--fallback', 'openai']), 0)
            .stdout,
        );
        expect(record.ok).toBe(true);
        expect(JSON.stringify(record)).toContain(TASKS[1]!.agent);
      });

      it('swarm: --dry-run plans and calls nothing; a goal runs, reports and resumes from its log', async () => {
        const goal = 'add rate limiting to the public API and document it';
        const planned = expectExit(await shell.cli(['swarm', goal, '--dry-run']), 0).stdout;
        expect(planned).toMatch(/s1[\s\S]*s2/);
        expect(server.requests).toEqual([]);
        server.setDefault('openai', { text: 'Done.' });
        const ran = JSON.parse(expectExit(await shell.cli(['swarm', goal, '--json', '--provider', 'openai']), 0).stdout);
        expect(ran.ok).toBe(true);
        expect(server.requests.length).toBeGreaterThanOrEqual(2);
        const id = String(ran.swarm_id ?? ran.id);
        expect(existsSync(at(`.runs/${id}/report.md`))).toBe(true);
        expect(expectExit(await shell.cli(['swarm', '--replay', id]), 0).stdout).toMatch(/s2/);
        // --plan-only keeps an existing file unless --force; --review picks reviewers; --revise-plan runs a plan.
        // The warm pass works in the cold pass's project: its plan file goes first.
        rmSync(at('swarm-plan.yaml'), { force: true });
        expectExit(await shell.cli(['swarm', goal, '--plan-only', 'swarm-plan.yaml']), 0);
        expect(expectExit(await shell.cli(['swarm', goal, '--plan-only', 'swarm-plan.yaml']), 1).stderr).toContain('CF8130');
        expectExit(await shell.cli(['swarm', goal, '--plan-only', 'swarm-plan.yaml', '--force']), 0);
        const reviewed = JSON.parse(
          expectExit(await shell.cli(['swarm', '--plan', 'swarm-plan.yaml', '--review', '--dry-run', '--json']), 0).stdout,
        );
        expect(reviewed.plan.subtasks.some((subtask: { reviewer?: string }) => subtask.reviewer !== undefined)).toBe(true);
        const revised = JSON.parse(
          expectExit(
            await shell.cli(['swarm', '--plan', 'swarm-plan.yaml', '--revise-plan', '--no-follow-ups', '--json', '--provider', 'openai']),
            0,
          ).stdout,
        );
        expect(revised.ok).toBe(true);
      });

      it('cleanup', async () => {
        const pruned = JSON.parse(expectExit(await shell.cli(['cleanup', '--keep', '1', '--json']), 0).stdout);
        expect(pruned.ok).toBe(true);
        expect(pruned.runs.kept).toBe(1);
        expect(pruned.runs.removed.length).toBeGreaterThan(0);
        expect(readdirSync(at('.runs'), { withFileTypes: true }).filter((entry) => entry.isDirectory())).toHaveLength(1);
      });

      it('works from a subfolder when pointed at the project (--fleet, --config)', async () => {
        const cwd = at('src/components');
        mkdirSync(cwd, { recursive: true });
        const pointed = ['--fleet', '../../codex/agents', '--config', '../../codex-flow.config.yaml'];
        expect(firstAgentOf(expectExit(await shell.cli(['route', 'add a GraphQL resolver for orders', ...pointed], { cwd }), 0))).toBe(
          'graphql-resolver-engineer',
        );
        expect(
          expectExit(await shell.cli(['run', '--route', 'fix the flaky login test', '--dry-run', ...pointed], { cwd }), 0).stdout,
        ).toContain('flaky-test-hunter');
      });

      // SPEC §9: the CLI finds the project from any subfolder; paths typed there are read from there.
      it('works from a subfolder of the project without --fleet/--config, finding the project as git does', async () => {
        const cwd = at('src/components');
        mkdirSync(cwd, { recursive: true });
        expect(firstAgentOf(expectExit(await shell.cli(['route', 'add a GraphQL resolver for orders'], { cwd }), 0))).toBe(
          'graphql-resolver-engineer',
        );
        expect(expectExit(await shell.cli(['validate'], { cwd }), 0).stdout).toMatch(/codex\/agents/);
        expect(expectExit(await shell.cli(['run', '--route', 'fix the flaky login test', '--dry-run'], { cwd }), 0).stdout).toContain(
          'flaky-test-hunter',
        );
        expect(expectExit(await shell.cli(['run', '--tasks', '../../tasks.jsonl', '--dry-run'], { cwd }), 0).stdout).toContain(
          TASKS[1]!.agent,
        );
        expect(existsSync(join(cwd, 'codex'))).toBe(false);
        expect(existsSync(join(cwd, '.codex-flow'))).toBe(false);
      });

      it('init in a subfolder names the project it is in and creates nothing', async () => {
        const cwd = at('src/components');
        mkdirSync(cwd, { recursive: true });
        expect(expectExit(await shell.cli(['init'], { cwd }), 1).stderr).toContain('error CF9700');
        expect(existsSync(join(cwd, 'codex-flow.config.yaml'))).toBe(false);
      });
    });
  }
});
