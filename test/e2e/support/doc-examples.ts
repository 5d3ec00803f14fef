/**
 * The shell examples of the user documentation: every command line of every ```sh block in
 * README.md and docs/*.md, in reading order (README first, then docs/ by name), with a line
 * continued by a trailing `\` joined to the next. Blank and comment-only lines are not commands.
 *
 * @example
 * shellExamples(root)[0] // { file: 'README.md', line: 12, command: 'npm ci && npm run demo     # build, …' }
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ShellExample {
  /** Project-relative path of the page. */
  file: string;
  /** 1-based line of the command's first line. */
  line: number;
  /** The command as written (continuations joined with one space), trailing comment included. */
  command: string;
}

/** Any fence opens or closes a block; only these languages hold commands. */
const FENCE = /^\s*```\s*([\w-]*)/;
const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell']);

export function documentationPages(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export function shellExamples(root: string): ShellExample[] {
  return documentationPages(root).flatMap((file) => examplesOf(readFileSync(join(root, file), 'utf8'), file));
}

export function examplesOf(markdown: string, file: string): ShellExample[] {
  const examples: ShellExample[] = [];
  const lines = markdown.split(/\r?\n/);
  let block: string | undefined; // the open fence's language ('' when none), undefined outside
  let pending: ShellExample | undefined;
  for (const [index, text] of lines.entries()) {
    const fence = FENCE.exec(text);
    if (fence) {
      block = block === undefined ? fence[1]! : undefined;
      pending = undefined;
      continue;
    }
    if (block === undefined || !SHELL_LANGUAGES.has(block)) continue;
    const continued = pending !== undefined;
    const piece = text.trim();
    if (!continued && (piece === '' || piece.startsWith('#'))) continue;
    const body = piece.endsWith('\\') ? piece.slice(0, -1).trimEnd() : piece;
    if (pending) pending.command = `${pending.command} ${body}`;
    else examples.push((pending = { file, line: index + 1, command: body }));
    if (!piece.endsWith('\\')) pending = undefined;
  }
  return examples;
}
