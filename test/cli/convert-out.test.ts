/**
 * `convert --out` publishes only into a folder that is missing, empty or already a fleet
 * (regression: `--out .` deleted the whole project, `.git` included, and exited 0; `--out src`
 * wiped src/, `--out .claude` the briefs). Any other target is a CF5050 error with a hint, exit 1,
 * and nothing is deleted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

let project: string;
const brief = (name: string) =>
  `---\nname: ${name}\ndescription: Use this agent for Terraform modules and state drift.\ntools: Read, Grep\n---\n\nYou write Terraform.\n`;

async function run(argv: string[]) {
  const io = memoryIO(project, { SOURCE_DATE_EPOCH: '1700000000' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** Every file of the project, so "nothing was deleted" is checked whole. */
function tree(): string[] {
  return readdirSync(project, { recursive: true }).map(String).sort();
}

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'codex-out-'));
  mkdirSync(join(project, '.git/refs'), { recursive: true });
  writeFileSync(join(project, '.git/HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src/app.ts'), 'export {};\n');
  mkdirSync(join(project, 'notes'));
  writeFileSync(join(project, 'notes/todo.md'), 'x\n');
  writeFileSync(join(project, 'file.txt'), 'x\n');
  mkdirSync(join(project, '.claude/agents/infra'), { recursive: true });
  writeFileSync(join(project, '.claude/agents/infra/tf.md'), brief('tf'));
  symlinkSync('.', join(project, 'here'));
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('convert --out', () => {
  it.each([
    ['.', 'the project root'],
    ['./', 'the project root'],
    ['src/..', 'the project root'],
    ['here', 'the project root'],
    ['..', 'contains the project root'],
    ['.claude/agents', 'the brief folder'],
    ['.claude', 'contains the brief folder'],
    ['src', 'holds no compiled fleet'],
    ['.git', 'holds no compiled fleet'],
    ['notes', 'holds no compiled fleet'],
    ['file.txt', 'not a folder'],
  ])('--out %s is refused (%s), exit 1, nothing deleted', async (out, why) => {
    const before = tree();
    const result = await run(['convert', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('CF5050');
    expect(result.err).toContain(why);
    expect(result.err).toContain('nothing was deleted');
    expect(result.out).toContain('nothing published');
    expect(tree()).toEqual(before);
  });

  it('--json says the same, with the hint', async () => {
    const result = await run(['convert', '--out', '.', '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out);
    expect(json).toMatchObject({ ok: false, written: false });
    expect(json.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'CF5050', hint: expect.stringContaining('--out') })]),
    );
    expect(existsSync(join(project, '.git/HEAD'))).toBe(true);
  });

  it('a missing folder, an empty one, and a fleet published before are accepted', async () => {
    mkdirSync(join(project, 'empty'));
    for (const out of ['fresh/fleet', 'empty', 'fresh/fleet']) {
      const result = await run(['convert', '--out', out]);
      expect(result.code, result.err).toBe(0);
      expect(existsSync(join(project, out, 'index.json'))).toBe(true);
    }
    expect(existsSync(join(project, 'src/app.ts'))).toBe(true);
  });

  // Regression: a fleet whose index.json a merge conflict broke could not be compiled again
  // (CF5050, with a hint naming the refused folder itself); the user had to delete it by hand.
  it('a published fleet whose index.json is broken (a merge conflict) is compiled again', async () => {
    expect((await run(['convert'])).code).toBe(0);
    const index = join(project, 'codex/agents/index.json');
    const text = readFileSync(index, 'utf8');
    writeFileSync(index, `<<<<<<< HEAD\n${text}=======\n{}\n>>>>>>> theirs\n`);
    const result = await run(['convert']);
    expect(result.code, result.err).toBe(0);
    expect(readFileSync(index, 'utf8')).toBe(text);
  });

  it('a broken index.json beside files a compile does not write is refused with a hint that fits', async () => {
    mkdirSync(join(project, 'mixed'));
    writeFileSync(join(project, 'mixed/index.json'), '{');
    writeFileSync(join(project, 'mixed/notes.md'), 'mine\n');
    const result = await run(['convert', '--out', 'mixed']);
    expect(result.code).toBe(1);
    expect(result.err).toContain("its index.json does not parse and the rest is not a fleet's");
    expect(result.err).toContain('move the other files out of it');
    expect(readFileSync(join(project, 'mixed/notes.md'), 'utf8')).toBe('mine\n');
  });

  it('a folder whose only file is a JSON index.json of its own is refused, not replaced', async () => {
    mkdirSync(join(project, 'data'));
    writeFileSync(join(project, 'data/index.json'), '{"users":[]}\n');
    const result = await run(['convert', '--out', 'data']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('holds no compiled fleet');
    expect(readFileSync(join(project, 'data/index.json'), 'utf8')).toBe('{"users":[]}\n');
  });

  it('a folder with only a broken index.json and nothing a compile writes is refused', async () => {
    mkdirSync(join(project, 'torn'));
    writeFileSync(join(project, 'torn/index.json'), '{');
    const result = await run(['convert', '--out', 'torn']);
    expect(result.code).toBe(1);
    expect(readFileSync(join(project, 'torn/index.json'), 'utf8')).toBe('{');
  });
});
