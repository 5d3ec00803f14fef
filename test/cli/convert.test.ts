/**
 * The compiler's commands end to end, called as functions with a captured CommandIO: exit codes,
 * text and JSON output, GitHub annotations, --check, validate's consistency checks, init.
 */
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

let project: string;
const brief = (name: string, extra = '') =>
  `---\nname: ${name}\ndescription: Use this agent for Terraform modules and state drift.\ntools: Read, Grep\n${extra}---\n\nYou write Terraform.\n`;

async function run(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIO(project, { SOURCE_DATE_EPOCH: '1700000000', ...env });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'codex-cli-'));
  await mkdir(join(project, '.claude/agents/infra'), { recursive: true });
  await writeFile(join(project, '.claude/agents/infra/tf.md'), brief('tf'));
  await writeFile(join(project, '.claude/agents/infra/helm.md'), brief('helm').replace('Terraform', 'Helm charts'));
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('convert', () => {
  it('writes definitions, index.json, triggers.json and the schema; exit 0', async () => {
    const result = await run(['convert']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('compiled 2 of 2 briefs into codex/agents');
    const index = JSON.parse(await readFile(join(project, 'codex/agents/index.json'), 'utf8'));
    expect(index.agents.map((a: { id: string }) => a.id)).toEqual(['helm', 'tf']);
    expect(index.generatedAt).toBe('2023-11-14T22:13:20.000Z');
    const yaml = await readFile(join(project, 'codex/agents/infra/tf.codex.yaml'), 'utf8');
    expect(yaml.startsWith('# yaml-language-server: $schema=../codex-agent.schema.json\n')).toBe(true);
    const triggers = JSON.parse(await readFile(join(project, 'codex/agents/triggers.json'), 'utf8'));
    expect(triggers.keywords.terraform).toEqual(['tf']);
  });

  it('--check passes on current output and fails, writing nothing, when stale', async () => {
    await run(['convert']);
    expect((await run(['convert', '--check'])).code).toBe(0);
    await writeFile(join(project, '.claude/agents/infra/tf.md'), brief('tf').replace('state drift', 'workspaces'));
    await writeFile(join(project, 'codex/agents/notes.txt'), 'hand-written\n');
    await rm(join(project, 'codex/agents/infra/helm.codex.yaml'));
    const before = await readFile(join(project, 'codex/agents/infra/tf.codex.yaml'), 'utf8');
    const result = await run(['convert', '--check', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out);
    expect(report.diff).toEqual({
      stale: ['index.json', 'infra/tf.codex.yaml', 'routing.bin', 'triggers.json'],
      missing: ['infra/helm.codex.yaml'],
      extra: ['notes.txt'],
    });
    expect(report.counts).toMatchObject({ CF5010: 4, CF5011: 1, CF5012: 1 });
    expect(await readFile(join(project, 'codex/agents/infra/tf.codex.yaml'), 'utf8')).toBe(before);
  });

  it('removes outputs of deleted briefs', async () => {
    await run(['convert']);
    await rm(join(project, '.claude/agents/infra/helm.md'));
    expect((await run(['convert'])).code).toBe(0);
    await expect(readFile(join(project, 'codex/agents/infra/helm.codex.yaml'))).rejects.toThrow();
  });

  it('exits 1 when a brief has an error, and still compiles the others', async () => {
    await writeFile(join(project, '.claude/agents/infra/bad.md'), '---\nname: bad\ndescription: "open\n---\nbody\n');
    const result = await run(['convert']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/\.claude\/agents\/infra\/bad\.md:3:19: error CF1110: Missing closing "quote/);
    expect(result.err).toContain('hint: ');
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(result.out).toContain('compiled 2 of 3 briefs');
  });

  it('names both files for a duplicate id', async () => {
    await writeFile(join(project, '.claude/agents/infra/tf-copy.md'), brief('tf'));
    const result = await run(['convert', '--json']);
    expect(result.code).toBe(1);
    const duplicate = JSON.parse(result.out).diagnostics.find((d: { code: string }) => d.code === 'CF5001');
    expect(duplicate.location.file).toBe('.claude/agents/infra/tf.md');
    expect(duplicate.message).toContain('.claude/agents/infra/tf-copy.md');
  });

  it('prints GitHub annotations under GitHub Actions', async () => {
    await writeFile(join(project, '.claude/agents/infra/odd.md'), brief('odd', 'model: turbo-9000\n'));
    const result = await run(['convert'], { GITHUB_ACTIONS: 'true' });
    expect(result.out).toContain('::warning file=.claude/agents/infra/odd.md,line=5,col=8,title=CF2020::');
  });

  it('reports no briefs as an error and an unknown flag as a usage error', async () => {
    expect((await run(['convert', '--src', 'nowhere'])).code).toBe(1);
    expect((await run(['convert', '--bogus'])).code).toBe(2);
    expect((await run(['no-such-command'])).code).toBe(2);
  });
});

describe('config', () => {
  it('uses compiler defaults from codex-flow.config.yaml', async () => {
    await writeFile(join(project, 'codex-flow.config.yaml'), 'compiler:\n  out: build/fleet\n  defaults:\n    tools: [Read, Grep]\n');
    await writeFile(join(project, '.claude/agents/infra/bare.md'), '---\nname: bare\ndescription: Reviews Ansible playbooks.\n---\nBody\n');
    const result = await run(['convert', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).counts.CF2017).toBe(1);
    expect(await readFile(join(project, 'build/fleet/infra/bare.codex.yaml'), 'utf8')).toContain(
      'allowed:\n        - Read\n        - Grep',
    );
  });

  it('reads a config given by absolute path', async () => {
    await writeFile(join(project, 'other.yaml'), 'compiler:\n  out: elsewhere\n');
    expect((await run(['convert', '--config', join(project, 'other.yaml')])).code).toBe(0);
    expect(await readFile(join(project, 'elsewhere/index.json'), 'utf8')).toContain('"agents"');
  });

  it('refuses a config with wrong types, pointing at the key', async () => {
    await writeFile(join(project, 'codex-flow.config.yaml'), 'compiler:\n  defaults:\n    tools: Read\n');
    const result = await run(['convert']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('codex-flow.config.yaml:3:12: error CF9001: `compiler.defaults.tools` must be array');
  });
});

describe('validate', () => {
  it('accepts a fresh fleet', async () => {
    await run(['convert']);
    const result = await run(['validate', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ ok: true, agents: 2 });
  });

  it('finds a hand-edited definition, a dangling delegation and an orphan file', async () => {
    await run(['convert']);
    const path = join(project, 'codex/agents/infra/tf.codex.yaml');
    const yaml = await readFile(path, 'utf8');
    await writeFile(path, yaml.replace('complements: []', 'complements:\n      - ghost'));
    await cp(join(project, 'codex/agents/infra/helm.codex.yaml'), join(project, 'codex/agents/infra/helm-2.codex.yaml'));
    const result = await run(['validate', '--json']);
    expect(result.code).toBe(1);
    const codes = JSON.parse(result.out).diagnostics.map((d: { code: string }) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['CF5001', 'CF5002', 'CF5021']));
  });

  it('refuses a fleet of another format version', async () => {
    await run(['convert']);
    const path = join(project, 'codex/agents/index.json');
    const index = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...index, format_version: 99 }));
    const result = await run(['validate']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('CF5023');
  });
});

describe('init', () => {
  it('creates a starter fleet that compiles, and refuses to overwrite it', async () => {
    await rm(join(project, '.claude'), { recursive: true });
    expect((await run(['init'])).code).toBe(0);
    const converted = await run(['convert', '--json']);
    expect(converted.code).toBe(0);
    expect(JSON.parse(converted.out).stats.compiled).toBe(2);
    const again = await run(['init']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('CF9004');
    expect((await run(['init', '--force'])).code).toBe(0);
  });
});
