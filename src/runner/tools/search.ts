/**
 * Glob and Grep over the workspace. The walk never follows symbolic links (so it cannot leave the
 * workspace through one): each folder is listed through a descriptor opened one O_NOFOLLOW step at
 * a time from the root (`Workspace.list` → `descend.ts`), so a folder swapped for a link after it
 * was seen is refused, not entered. It skips VCS and dependency folders, and stops after
 * MAX_WALK_ENTRIES.
 * Grep's pattern and both tools' globs run in RE2 (globs through glob-compile.ts): linear time,
 * so a model's catastrophic pattern cannot block the runner, whose timers (the task's deadline)
 * only fire between steps of the walk. A glob with no linear-time form is an error for the model.
 */
import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import RE2 from 're2';
import { compileGlob } from '../../util/glob-compile.js';
import { done, fail, objectSchema, refuse, str, type ToolContext, type ToolImpl } from './types.js';
import type { Workspace } from './workspace.js';

/** A walk visits at most this many entries: a large monorepo, not a disk crawl. */
const MAX_WALK_ENTRIES = 50_000;
/** Folders no search wants: version control metadata and installed dependencies. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.runs']);
/** Matches returned to the model: more is noise; the model can narrow the pattern. */
const MAX_MATCHES = 500;

async function* walk(workspace: Workspace, root: string, signal: AbortSignal): AsyncGenerator<string> {
  const pending = [root];
  let visited = 0;
  while (pending.length > 0) {
    if (signal.aborted) return;
    const folder = pending.pop()!;
    // A folder swapped for a link since it was seen is refused by the listing, not entered.
    const listed = await workspace.list(folder);
    if (!listed.ok) continue;
    const entries = listed.entries;
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const entry of entries) {
      if (++visited > MAX_WALK_ENTRIES) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(path);
      } else if (entry.isFile()) {
        yield path;
      }
    }
  }
}

async function base(input: Record<string, unknown>, context: ToolContext) {
  return context.workspace.resolve(input.path ?? '.');
}

export const globTool: ToolImpl = {
  name: 'Glob',
  spec: {
    name: 'Glob',
    description: 'Find files of the workspace by glob pattern, e.g. "src/**/*.ts".',
    parameters: objectSchema({ pattern: { type: 'string' }, path: { type: 'string' } }, ['pattern']),
  },
  async run(input, context) {
    const pattern = str(input, 'pattern');
    if (!pattern) return fail('pattern is required');
    const glob = compileGlob(pattern);
    if (!glob.ok) return fail(`invalid pattern: ${glob.reason}`);
    const root = await base(input, context);
    if (!root.ok) return refuse(root.reason);
    const found: string[] = [];
    for await (const path of walk(context.workspace, root.path, context.signal)) {
      const rel = relative(root.path, path).split(sep).join('/');
      if (glob.matcher.test(rel)) found.push(context.workspace.display(path));
      if (found.length >= MAX_MATCHES) break;
    }
    return done(found.sort().join('\n') || '(no files)');
  },
};

export const grepTool: ToolImpl = {
  name: 'Grep',
  spec: {
    name: 'Grep',
    description: 'Search file contents of the workspace with a regular expression (RE2 syntax).',
    parameters: objectSchema(
      { pattern: { type: 'string' }, path: { type: 'string' }, glob: { type: 'string' }, case_insensitive: { type: 'boolean' } },
      ['pattern'],
    ),
  },
  async run(input, context) {
    const pattern = str(input, 'pattern');
    if (!pattern) return fail('pattern is required');
    let regex: RE2;
    try {
      regex = new RE2(pattern, input.case_insensitive === true ? 'i' : '');
    } catch (error) {
      return fail(`invalid pattern: ${(error as Error).message}`);
    }
    const root = await base(input, context);
    if (!root.ok) return refuse(root.reason);
    const globText = str(input, 'glob');
    const glob = globText ? compileGlob(globText) : undefined;
    if (glob && !glob.ok) return fail(`invalid glob: ${glob.reason}`);
    // A glob without a slash matches the file name anywhere (picomatch's matchBase).
    const byName = globText !== undefined && !globText.includes('/');
    const isMatch = (rel: string) => !glob?.ok || glob.matcher.test(byName ? rel.slice(rel.lastIndexOf('/') + 1) : rel);
    const matches: string[] = [];
    const files =
      root.exists && (await stat(root.path).catch(() => undefined))?.isFile()
        ? [root.path]
        : walk(context.workspace, root.path, context.signal);
    for await (const path of files) {
      if (!isMatch(relative(root.path, path).split(sep).join('/'))) continue;
      const opened = await context.workspace.open(path, 'read');
      if (!opened.ok) continue;
      let text: string;
      try {
        // A file swapped for a FIFO or device after the listing is skipped, never read.
        const info = await opened.handle.stat();
        if (!info.isFile() || info.size > context.options.maxReadBytes) continue;
        text = await opened.handle.readFile('utf8');
      } finally {
        await opened.handle.close();
      }
      const lines = text.split('\n');
      for (const [index, line] of lines.entries()) {
        if (regex.test(line)) matches.push(`${context.workspace.display(path)}:${index + 1}:${line}`);
        if (matches.length >= MAX_MATCHES) return done(`${matches.join('\n')}\n[stopped at ${MAX_MATCHES} matches]`);
      }
    }
    return done(matches.join('\n') || '(no matches)');
  },
};
