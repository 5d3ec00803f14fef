/**
 * What sits at a brief's path cannot hang `convert` or leak into the fleet (issue 16): FIFOs,
 * links to devices or to files outside the brief folder, link loops, a brief folder linked to `/`,
 * a 1.9 GB brief. Each case runs under a bounded time; a hang fails the test by its timeout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { convertFleet } from '../../src/compiler/convert.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { MAX_BRIEF_BYTES } from '../../src/compiler/limits.js';

const BOUND_MS = 15_000;
const projects: string[] = [];
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function brief(name: string): string {
  return `---\nname: ${name}\ndescription: Reviews ${name} changes for tests\n---\nYou review ${name} code.\n`;
}

/** A project with two good briefs under .claude/agents. */
function project(): { root: string; agents: string } {
  const root = mkdtempSync(join(tmpdir(), 'cf-hostile-'));
  projects.push(root);
  const agents = join(root, '.claude/agents');
  mkdirSync(agents, { recursive: true });
  writeFileSync(join(agents, 'alpha.md'), brief('alpha'));
  writeFileSync(join(agents, 'beta.md'), brief('beta'));
  return { root, agents };
}

async function convert(root: string) {
  const result = await convertFleet(resolveCompilerOptions(root));
  const codes = result.diagnostics.map((d) => d.code);
  const ids = result.definitions.map((d) => d.agent.id).sort();
  return { result, codes, ids };
}

describe('convert on hostile brief paths', () => {
  it(
    'a FIFO brief is CF1051 and does not hang',
    async () => {
      const { root, agents } = project();
      execFileSync('mkfifo', [join(agents, 'pipe.md')]);
      const { codes, ids, result } = await convert(root);
      expect(codes).toContain('CF1051');
      expect(ids).toEqual(['alpha', 'beta']);
      expect(result.written).toBe(false);
    },
    BOUND_MS,
  );

  for (const device of ['/dev/zero', '/dev/urandom']) {
    it(
      `a brief linked to ${device} is refused and does not hang`,
      async () => {
        const { root, agents } = project();
        symlinkSync(device, join(agents, 'device.md'));
        const { codes, ids } = await convert(root);
        expect(codes).toContain('CF1052');
        expect(ids).toEqual(['alpha', 'beta']);
      },
      BOUND_MS,
    );
  }

  it(
    'a brief linked to /etc/passwd is CF1052 and nothing of it reaches the fleet',
    async () => {
      const { root, agents } = project();
      symlinkSync('/etc/passwd', join(agents, 'passwd.md'));
      const { codes, result } = await convert(root);
      expect(codes).toContain('CF1052');
      const files = [...result.files.values()].join('\n');
      expect(files).not.toContain('root:x:0');
      expect(result.written).toBe(false);
    },
    BOUND_MS,
  );

  it(
    'two "-> ." links in the brief folder are not followed (CF1053) and each brief compiles once',
    async () => {
      const { root, agents } = project();
      symlinkSync('.', join(agents, 'loop-a'));
      symlinkSync('.', join(agents, 'loop-b'));
      const { codes, ids, result } = await convert(root);
      expect(codes.filter((code) => code === 'CF1053')).toHaveLength(2);
      expect(ids).toEqual(['alpha', 'beta']);
      expect(result.written).toBe(true);
    },
    BOUND_MS,
  );

  it(
    'a link inside the brief folder to a brief and to a sub-folder is followed',
    async () => {
      const { root, agents } = project();
      mkdirSync(join(root, '.claude/agents/team'));
      writeFileSync(join(agents, 'team/gamma.md'), brief('gamma'));
      symlinkSync('team', join(agents, 'shared'));
      symlinkSync('alpha.md', join(agents, 'alias.md'));
      const { codes, ids } = await convert(root);
      expect(codes).not.toContain('CF1052');
      // alias.md names alpha again: a duplicate id, which proves the link to a regular file was read.
      expect(codes).toContain('CF5001');
      expect(ids).toEqual(['alpha', 'beta', 'gamma']);
    },
    BOUND_MS,
  );

  it(
    'a brief named ..draft.md and a folder named ..team are inside the brief folder (regression: CF1052)',
    async () => {
      const { root, agents } = project();
      writeFileSync(join(agents, '..draft.md'), brief('draft'));
      mkdirSync(join(agents, '..team'));
      writeFileSync(join(agents, '..team/gamma.md'), brief('gamma'));
      symlinkSync('..team', join(agents, 'team-link'));
      const { codes, ids, result } = await convert(root);
      expect(codes).not.toContain('CF1052');
      expect(ids).toEqual(['alpha', 'beta', 'draft', 'gamma']);
      expect(result.written).toBe(true);
    },
    BOUND_MS,
  );

  it(
    '.claude/agents -> / is CF1050 and walks nothing',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'cf-hostile-'));
      projects.push(root);
      mkdirSync(join(root, '.claude'));
      symlinkSync('/', join(root, '.claude/agents'));
      const { codes, result } = await convert(root);
      expect(codes).toContain('CF1050');
      expect(result.written).toBe(false);
    },
    BOUND_MS,
  );

  it(
    'a 1.9 GB brief is CF1002 without being read whole',
    async () => {
      const { root, agents } = project();
      const huge = join(agents, 'huge.md');
      writeFileSync(huge, '');
      truncateSync(huge, Math.round(1.9 * 1024 ** 3));
      const before = process.resourceUsage().maxRSS;
      const { codes, ids } = await convert(root);
      const grownKiB = process.resourceUsage().maxRSS - before;
      expect(codes).toContain('CF1002');
      expect(ids).toEqual(['alpha', 'beta']);
      expect(grownKiB * 1024).toBeLessThan(64 * MAX_BRIEF_BYTES);
    },
    BOUND_MS,
  );

  it(
    'the fleet on disk is untouched when a brief is refused',
    async () => {
      const { root, agents } = project();
      expect((await convert(root)).result.written).toBe(true);
      const index = readFileSync(join(root, 'codex/agents/index.json'), 'utf8');
      execFileSync('mkfifo', [join(agents, 'pipe.md')]);
      rmSync(join(agents, 'beta.md'));
      const { codes, result } = await convert(root);
      expect(codes).toContain('CF1055');
      expect(result.written).toBe(false);
      expect(readFileSync(join(root, 'codex/agents/index.json'), 'utf8')).toBe(index);
    },
    BOUND_MS,
  );
});
