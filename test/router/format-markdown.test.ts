/**
 * `route --format markdown`, the pull-request comment: the marker first, one row per changed file
 * with the agents whose globs claim it, the ranking; the same bytes whatever order the files come
 * in; a path with pipes or backticks stays one cell; a huge change is cut at MAX_TABLE_FILES rows.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { createRouter } from '../../src/router/staged-router.js';
import { codeCell, formatRouteMarkdown, MARKDOWN_MARKER, MAX_TABLE_FILES, textCell } from '../../src/router/format-markdown.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const root = join(import.meta.dirname, '../..');
const router = createRouter(loadFleet(join(root, 'codex/agents')).fleet!);
const markdown = (files: string[], task = '') => formatRouteMarkdown({ task, files }, router.route({ task, files }));
/** The cells of a table row, split at unescaped pipes as GitHub does. */
const cells = (row: string) =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((cell) => cell.trim());

describe('formatRouteMarkdown', () => {
  it('marker, a row per file with the claiming agent and glob, then the ranking', () => {
    const text = markdown(['infra/main.tf', 'src/components/Checkout.tsx', 'README.txt']);
    expect(text.split('\n')[0]).toBe(MARKDOWN_MARKER);
    expect(text).toContain('| `infra/main.tf` | `terraform-engineer` (`**/*.tf`) |');
    expect(text).toContain("| `README.txt` | no agent's files match |");
    // Both agents whose globs claim a file rank first, by score; file names are no words (request.ts pathWords).
    expect(text).toMatch(/\| [12] \| `terraform-engineer` \| \d+\.\d{3} \| files/);
    expect(text).toMatch(/\| [12] \| `react-component-engineer` \| \d+\.\d{3} \| files/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('the same bytes whatever order the files come in; a file given twice is one row', () => {
    const files = ['src/components/Checkout.tsx', 'infra/main.tf', 'infra/modules/vpc/variables.tf'];
    expect(markdown([...files].reverse())).toBe(markdown(files));
    const twice = markdown([...files, files[0]!]);
    expect(twice.split('\n').filter((line) => line.startsWith('| `src/components/Checkout.tsx`'))).toEqual([
      '| `src/components/Checkout.tsx` | `react-component-engineer` (`**/*.tsx`) |',
    ]);
  });

  it('pipes, backticks and newlines in a path or task stay inside one cell', () => {
    const text = markdown(['src/a|b`c``d.tsx'], 'fix `x` | y\n# not a heading');
    const row = text.split('\n').find((line) => line.includes('a\\|b'))!;
    expect(cells(row)).toHaveLength(2);
    expect(cells(row)[0]).toBe('``` src/a\\|b`c``d.tsx ```');
    expect(text).toContain('Task: fix \\`x\\` \\| y \\# not a heading');
    expect(codeCell('`')).toBe('`` ` ``');
    expect(textCell('<b>*x*</b>')).toBe('\\<b\\>\\*x\\*\\</b\\>');
  });

  it('a change of more than MAX_TABLE_FILES files is cut, the rest counted', () => {
    const files = Array.from({ length: MAX_TABLE_FILES + 7 }, (_, i) => `infra/m${String(i).padStart(4, '0')}.tf`);
    const text = markdown(files);
    expect(text.split('\n').filter((line) => line.startsWith('| `infra/')).length).toBe(MAX_TABLE_FILES);
    expect(text).toContain('| … and 7 more | |');
  });

  it('route --format markdown|json|text from the CLI; another format is a usage error', async () => {
    const run = async (format: string) => {
      const io = memoryIO(root, {}, 'infra/main.tf\n');
      return { code: await main(['route', '--files', '-', '--format', format, '--no-record'], io), out: io.out(), err: io.err() };
    };
    const md = await run('markdown');
    expect(md.code).toBe(0);
    expect(md.out.startsWith(`${MARKDOWN_MARKER}\n`)).toBe(true);
    expect(JSON.parse((await run('json')).out).result.candidates[0].id).toBe('terraform-engineer');
    expect((await run('text')).out).toMatch(/^\s*1\. terraform-engineer/m);
    const bad = await run('html');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('use --format text, json or markdown');
  });
});
