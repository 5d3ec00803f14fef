/**
 * Adding entries to a `.gitignore` the way a person would: only the lines it lacks, after its
 * existing content, in its own line endings. An entry counts as present in any of the spellings
 * git treats alike (`x`, `x/`, `/x`, `/x/`, `x/**`), and a negation (`!x/`) is the user's choice to
 * track the folder, so it is never overridden. Pure text in, text out; the caller writes the file.
 */

/** The comment put above the lines codex-flow adds, once. */
export const GITIGNORE_COMMENT = '# codex-flow: local caches, learning state, run records and bench results';
/** Any comment of ours, also an older wording: lines added later go below it without a second comment. */
const OUR_COMMENT_PREFIX = '# codex-flow:';

function spellings(entry: string): Set<string> {
  const bare = entry.replace(/^\/+/, '').replace(/\/+$/, '');
  return new Set([bare, `${bare}/`, `/${bare}`, `/${bare}/`, `${bare}/**`, `/${bare}/**`]);
}

/** Whether a line of a .gitignore already decides about `entry` (ignores it or negates that). */
function decides(line: string, entry: string): boolean {
  const pattern = line.trim();
  const names = spellings(entry);
  return names.has(pattern) || (pattern.startsWith('!') && names.has(pattern.slice(1)));
}

/**
 * The .gitignore text with `entries` appended where missing, and which were added.
 *
 * @example withIgnoredEntries('node_modules\r\n', ['.runs/']) // { content: 'node_modules\r\n# codex-flow: …\r\n.runs/\r\n', added: ['.runs/'] }
 */
export function withIgnoredEntries(existing: string | undefined, entries: readonly string[]): { content: string; added: string[] } {
  const text = existing ?? '';
  const lines = text.split(/\r?\n/);
  const added = entries.filter((entry) => !lines.some((line) => decides(line, entry)));
  if (added.length === 0) return { content: text, added };
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : newline;
  const comment = lines.some((line) => line.trim().startsWith(OUR_COMMENT_PREFIX)) ? [] : [GITIGNORE_COMMENT];
  return { content: `${text}${separator}${[...comment, ...added].map((line) => `${line}${newline}`).join('')}`, added };
}
