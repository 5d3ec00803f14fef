/**
 * File tools with Claude Code's names and inputs: Read, Write, Edit, MultiEdit, LS. Every path
 * goes through the Workspace first (realpath confinement), and files and folders are used through
 * descriptors opened one O_NOFOLLOW step at a time (`descend.ts`), so a link swapped in after the
 * check is refused too. Writes create parent folders only inside, never in a protected control
 * folder, and never write through a hard link.
 */
import { done, fail, objectSchema, refusedBy, str, type ToolContext, type ToolImpl, type ToolOutcome } from './types.js';

/** LS lists at most this many entries: a folder with more is one the model should Glob instead. */
const MAX_LS_ENTRIES = 1000;

/** Writes `content` to the workspace file `input`; the written path, or a refusal. */
async function writeInside(context: ToolContext, input: unknown, content: string): Promise<{ path: string } | ToolOutcome> {
  const opened = await context.workspace.open(input, 'write');
  if (!opened.ok) return refusedBy(opened);
  try {
    await opened.handle.truncate(0);
    await opened.handle.writeFile(content, 'utf8');
  } finally {
    await opened.handle.close();
  }
  return { path: opened.path };
}

/** The text of a workspace file, through a confined open; a refusal or failure otherwise. */
async function readInside(context: ToolContext, input: unknown): Promise<{ text: string } | ToolOutcome> {
  const opened = await context.workspace.open(input, 'read');
  if (!opened.ok) return opened.missing ? fail(opened.reason) : refusedBy(opened);
  try {
    const info = await opened.handle.stat();
    if (!info.isFile()) return fail('not a file');
    if (info.size > context.options.maxReadBytes) return fail(`file too large (${info.size} bytes; limit ${context.options.maxReadBytes})`);
    return { text: await opened.handle.readFile('utf8') };
  } finally {
    await opened.handle.close();
  }
}

export const readTool: ToolImpl = {
  name: 'Read',
  spec: {
    name: 'Read',
    description: 'Read a text file of the workspace; lines are numbered from 1.',
    parameters: objectSchema(
      { file_path: { type: 'string' }, offset: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1 } },
      ['file_path'],
    ),
  },
  async run(input, context) {
    const read = await readInside(context, input.file_path);
    if (!('text' in read)) return read;
    const lines = read.text.split('\n');
    const offset = typeof input.offset === 'number' ? input.offset : 1;
    const limit = typeof input.limit === 'number' ? input.limit : lines.length;
    return done(
      lines
        .slice(offset - 1, offset - 1 + limit)
        .map((line, index) => `${String(offset + index).padStart(6)}\t${line}`)
        .join('\n'),
    );
  },
};

export const writeTool: ToolImpl = {
  name: 'Write',
  spec: {
    name: 'Write',
    description: 'Create or overwrite a file of the workspace.',
    parameters: objectSchema({ file_path: { type: 'string' }, content: { type: 'string' } }, ['file_path', 'content']),
  },
  async run(input, context) {
    const content = str(input, 'content');
    if (content === undefined) return fail('content must be a string');
    const written = await writeInside(context, input.file_path, content);
    return 'path' in written ? done(`wrote ${Buffer.byteLength(content)} bytes to ${context.workspace.display(written.path)}`) : written;
  },
};

interface EditSpec {
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

function applyEdit(text: string, edit: EditSpec): string | { error: string } {
  if (typeof edit.old_string !== 'string' || typeof edit.new_string !== 'string')
    return { error: 'old_string and new_string must be strings' };
  if (edit.old_string === edit.new_string) return { error: 'old_string and new_string are the same' };
  const count = edit.old_string === '' ? 0 : text.split(edit.old_string).length - 1;
  if (count === 0) return { error: 'old_string not found in the file' };
  if (count > 1 && !edit.replace_all) return { error: `old_string occurs ${count} times; give more context or set replace_all` };
  return edit.replace_all ? text.split(edit.old_string).join(edit.new_string) : text.replace(edit.old_string, () => edit.new_string);
}

async function editFile(input: Record<string, unknown>, context: ToolContext, edits: EditSpec[]): Promise<ToolOutcome> {
  // A protected file is refused before its text is read or any edit is tried.
  const writable = await context.workspace.resolveWritable(input.file_path);
  if (!writable.ok) return refusedBy(writable);
  const read = await readInside(context, input.file_path);
  if (!('text' in read)) return read;
  let text = read.text;
  for (const [index, edit] of edits.entries()) {
    const next = applyEdit(text, edit);
    if (typeof next !== 'string') return fail(edits.length > 1 ? `edit ${index + 1}: ${next.error}` : next.error);
    text = next;
  }
  const written = await writeInside(context, input.file_path, text);
  return 'path' in written ? done(`applied ${edits.length} edit(s) to ${context.workspace.display(written.path)}`) : written;
}

const EDIT_PROPERTIES = { old_string: { type: 'string' }, new_string: { type: 'string' }, replace_all: { type: 'boolean' } };

export const editTool: ToolImpl = {
  name: 'Edit',
  spec: {
    name: 'Edit',
    description: 'Replace an exact string in a file of the workspace.',
    parameters: objectSchema({ file_path: { type: 'string' }, ...EDIT_PROPERTIES }, ['file_path', 'old_string', 'new_string']),
  },
  run: (input, context) => editFile(input, context, [input as unknown as EditSpec]),
};

export const multiEditTool: ToolImpl = {
  name: 'MultiEdit',
  spec: {
    name: 'MultiEdit',
    description: 'Several exact-string edits to one file, applied in order, all or none.',
    parameters: objectSchema(
      { file_path: { type: 'string' }, edits: { type: 'array', items: objectSchema(EDIT_PROPERTIES, ['old_string', 'new_string']) } },
      ['file_path', 'edits'],
    ),
  },
  run: (input, context) =>
    Array.isArray(input.edits) ? editFile(input, context, input.edits as EditSpec[]) : Promise.resolve(fail('edits must be a list')),
};

export const lsTool: ToolImpl = {
  name: 'LS',
  spec: { name: 'LS', description: 'List a folder of the workspace.', parameters: objectSchema({ path: { type: 'string' } }, []) },
  async run(input, context) {
    const listed = await context.workspace.list(input.path ?? '.');
    if (!listed.ok) return listed.missing ? fail(listed.reason) : refusedBy(listed);
    const entries = listed.entries;
    const names = entries.map((entry) => entry.name + (entry.isDirectory() ? '/' : entry.isSymbolicLink() ? '@' : '')).sort();
    return done(
      names.slice(0, MAX_LS_ENTRIES).join('\n') + (names.length > MAX_LS_ENTRIES ? `\n[… ${names.length - MAX_LS_ENTRIES} more]` : ''),
    );
  },
};
