/**
 * `codex-flow init` as a new user meets it: starter briefs that compile with no diagnostic at all,
 * `.codex-flow/` and `.runs/` ignored by git (the file created, or only the missing lines
 * appended in the file's own line endings), and a second `init` / `init --force` that behave.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

let project: string;
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-init-'));
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const io = memoryIO(project, {});
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
const gitignore = () => readFile(join(project, '.gitignore'), 'utf8');

describe('init', () => {
  it('starter briefs compile with zero diagnostics, notes included', async () => {
    expect((await run(['init'])).code).toBe(0);
    const converted = await run(['convert', '--json', '--verbose']);
    expect(converted.code).toBe(0);
    const report = JSON.parse(converted.out);
    expect(report.diagnostics).toEqual([]);
    expect(report.stats.compiled).toBe(2);
    expect(converted.err).toBe('');
  });

  it('the starter specialist still wins its own request and the generalist stays the fallback', async () => {
    await run(['init']);
    await run(['convert']);
    const review = JSON.parse((await run(['route', 'please review my PR before merging', '--json'])).out);
    expect(review.result.candidates[0].id).toBe('code-reviewer');
    const other = JSON.parse((await run(['route', 'translate the Klingon poem', '--json'])).out);
    expect(other.result.candidates[0].id).toBe('generalist');
  });

  it('creates .gitignore with .codex-flow/ and .runs/ when there is none', async () => {
    const result = await run(['init']);
    expect(await gitignore()).toBe(
      '# codex-flow: local caches, learning state, run records and bench results\n.codex-flow/\n.runs/\ndata/bench/\n',
    );
    expect(result.out).toContain('.gitignore');
  });

  it('appends only the missing lines, keeping the content and CRLF endings of an existing .gitignore', async () => {
    await writeFile(join(project, '.gitignore'), 'node_modules\r\n/.runs\r\ndist/');
    const result = await run(['init', '--json']);
    expect(result.code).toBe(0);
    expect(await gitignore()).toBe(
      'node_modules\r\n/.runs\r\ndist/\r\n# codex-flow: local caches, learning state, run records and bench results\r\n.codex-flow/\r\ndata/bench/\r\n',
    );
    expect(JSON.parse(result.out)).toMatchObject({ ok: true, gitignore: { path: '.gitignore', added: ['.codex-flow/', 'data/bench/'] } });
  });

  it('leaves a .gitignore alone that already ignores them all, or says to keep one (a negation)', async () => {
    const content = '.codex-flow\n!.runs/\n/data/bench\n';
    await writeFile(join(project, '.gitignore'), content);
    const result = await run(['init', '--json']);
    expect(await gitignore()).toBe(content);
    expect(JSON.parse(result.out).gitignore).toEqual({ path: '.gitignore', added: [] });
  });

  it('a .gitignore it cannot update is a warning (CF9020) with the lines to add; the starters are still written', async () => {
    await mkdir(join(project, '.gitignore'));
    const result = await run(['init']);
    expect(result.code).toBe(0);
    expect(result.err).toContain('.gitignore:1:1: warning CF9020: could not update .gitignore (EISDIR)');
    expect(result.err).toContain('add `.codex-flow/`, `.runs/` and `data/bench/` to .gitignore yourself');
    expect(result.out).toContain('codex-flow.config.yaml');
  });

  it('a second init refuses and changes nothing; init --force rewrites the starters and adds no line twice', async () => {
    await run(['init']);
    await writeFile(join(project, '.gitignore'), `${await gitignore()}coverage/\n`);
    const before = await gitignore();
    await writeFile(join(project, '.claude/agents/general/generalist.md'), 'edited\n');
    const again = await run(['init']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('CF9004');
    expect(await readFile(join(project, '.claude/agents/general/generalist.md'), 'utf8')).toBe('edited\n');
    const forced = await run(['init', '--force']);
    expect(forced.code).toBe(0);
    expect(await gitignore()).toBe(before);
    expect(await readFile(join(project, '.claude/agents/general/generalist.md'), 'utf8')).not.toBe('edited\n');
    expect(forced.out).not.toContain('.gitignore');
  });
});

describe('init in a subfolder of an existing project creates a nested project (regression: it must name the project and stop)', () => {
  async function runIn(folder: string, argv: string[]) {
    const io = memoryIO(folder, {});
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  }
  const exists = (path: string) =>
    readFile(path).then(
      () => true,
      () => false,
    );

  it('names the project above (found by its config) and creates nothing, in text and --json', async () => {
    expect((await run(['init'])).code).toBe(0);
    const sub = join(project, 'packages/app');
    await mkdir(sub, { recursive: true });
    const text = await runIn(sub, ['init']);
    expect(text.code).toBe(1);
    expect(text.err).toContain(`error CF9700: this folder is inside the codex-flow project at ${project} (it has codex-flow.config.yaml)`);
    expect(text.err).toContain('--nested');
    expect(await exists(join(sub, 'codex-flow.config.yaml'))).toBe(false);
    expect(await exists(join(sub, '.gitignore'))).toBe(false);
    const json = await runIn(sub, ['init', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, command: 'init', project, diagnostics: [{ code: 'CF9700' }] });
  });

  it('a project of briefs only (.claude/agents) counts too; --nested starts a separate project on purpose', async () => {
    await mkdir(join(project, '.claude/agents'), { recursive: true });
    const sub = join(project, 'tools');
    await mkdir(sub);
    expect((await runIn(sub, ['init'])).err).toContain('(it has .claude/agents)');
    expect((await runIn(sub, ['init', '--nested'])).code).toBe(0);
    expect(await exists(join(sub, 'codex-flow.config.yaml'))).toBe(true);
  });

  it('a subfolder that is its own git repository is not inside the project above', async () => {
    expect((await run(['init'])).code).toBe(0);
    const repository = join(project, 'vendor/lib');
    await mkdir(join(repository, '.git'), { recursive: true });
    expect((await runIn(repository, ['init'])).code).toBe(0);
  });
});

describe('bench results (data/bench) are not in the .gitignore that init writes (regression)', () => {
  it('init ignores data/bench/, and adds only it below the comment of an older init', async () => {
    expect((await run(['init'])).code).toBe(0);
    expect((await gitignore()).split('\n')).toContain('data/bench/');
    const older = 'node_modules\n# codex-flow: local caches, learning state and run records\n.codex-flow/\n.runs/\n';
    await writeFile(join(project, '.gitignore'), older);
    const forced = await run(['init', '--force', '--json']);
    expect(JSON.parse(forced.out).gitignore.added).toEqual(['data/bench/']);
    expect(await gitignore()).toBe(`${older}data/bench/\n`);
  });
});
