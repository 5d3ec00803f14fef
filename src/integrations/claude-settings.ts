/**
 * Adds the codex-flow UserPromptSubmit hook to the text of a Claude Code settings file
 * (`.claude/settings.json`), keeping every other setting and hook: the hook goes into a group of
 * its own appended to `hooks.UserPromptSubmit`, and nothing is added when a codex-flow
 * `hook user-prompt` command is already there (so running it twice adds it once). A file that is
 * not JSON, or whose `hooks` is not the shape Claude Code reads, is refused with a diagnostic and
 * left as it is. Pure: the caller reads and writes the file.
 *
 * @example withUserPromptHook('{"model":"opus"}', 'codex-flow hook user-prompt', '.claude/settings.json').content
 * // '{\n  "model": "opus",\n  "hooks": {\n    "UserPromptSubmit": [ … ] } }\n'
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

/** Seconds Claude Code lets the hook run: far above the hook's own cap, which is what bounds it. */
export const HOOK_TIMEOUT_SECONDS = 10;

/** A codex-flow user-prompt hook, however it was spelled (npx, a path to the bin, the launcher). */
const OUR_HOOK = /codex-flow(?:\.js)?["']?\s+hook\s+user-prompt\b/;

export type SettingsMerge = { ok: true; content: string; added: boolean } | { ok: false; diagnostic: Diagnostic };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The 1-based line and column of character `offset` of `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

function notJson(text: string, file: string, error: Error): Diagnostic {
  const position = /position (\d+)/.exec(error.message);
  const offset = position ? Math.min(Number(position[1]), text.length) : text.length;
  const { line, column } = lineColumn(text, offset);
  return diagnostic(
    'CF9540',
    `${file} is not valid JSON: ${error.message.replace(/\s*\(line \d+ column \d+\)/, '')}`,
    { file, line, column },
    { sourceLine: text.split('\n')[line - 1] ?? '' },
  );
}

function hasOurHook(groups: unknown[]): boolean {
  return groups.some(
    (group) =>
      isObject(group) &&
      Array.isArray(group.hooks) &&
      group.hooks.some((hook) => isObject(hook) && typeof hook.command === 'string' && OUR_HOOK.test(hook.command)),
  );
}

export function withUserPromptHook(existing: string | undefined, command: string, file: string): SettingsMerge {
  const text = existing?.replace(/^\uFEFF/, '') ?? '';
  let settings: unknown = {};
  if (text.trim() !== '') {
    try {
      settings = JSON.parse(text);
    } catch (error) {
      return { ok: false, diagnostic: notJson(text, file, error as Error) };
    }
  }
  const shape = (message: string) => ({
    ok: false as const,
    diagnostic: diagnostic('CF9541', `${file}: ${message}`, { file, line: 1, column: 1 }),
  });
  if (!isObject(settings)) return shape('the settings are not a JSON object');
  const hooks = settings.hooks ?? {};
  if (!isObject(hooks)) return shape('"hooks" is not an object');
  const groups = hooks.UserPromptSubmit ?? [];
  if (!Array.isArray(groups)) return shape('"hooks.UserPromptSubmit" is not a list');
  if (hasOurHook(groups)) return { ok: true, content: existing ?? '', added: false };
  const group = { hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS }] };
  const merged = { ...settings, hooks: { ...hooks, UserPromptSubmit: [...groups, group] } };
  return { ok: true, content: `${JSON.stringify(merged, null, 2)}\n`, added: true };
}
