/**
 * `codex-flow init --claude-hooks`: installs `codex-flow hook user-prompt` as a Claude Code
 * UserPromptSubmit hook in the project's `.claude/settings.json` (created when missing), merged
 * into what is there (src/integrations/claude-settings.ts) and written atomically. The hook runs
 * the project's own installed bin when there is one (no npx start-up on every prompt), else
 * `codex-flow` from PATH.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { withUserPromptHook } from '../../integrations/claude-settings.js';
import { writeFileAtomicAsync } from '../../util/atomic-write.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { jsonOut, printDiagnostics } from '../report.js';

export const SETTINGS_FILE = '.claude/settings.json';

/** The hook's command line for the project at `root`. */
export function hookCommand(root: string): string {
  const local = existsSync(join(root, 'node_modules', '.bin', 'codex-flow'));
  return `${local ? '"$CLAUDE_PROJECT_DIR"/node_modules/.bin/codex-flow' : 'codex-flow'} hook user-prompt`;
}

async function readSettings(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

export async function runInitClaudeHooks(io: CommandIO, flags: { json?: boolean }): Promise<number> {
  const path = join(io.cwd, SETTINGS_FILE);
  const command = hookCommand(io.cwd);
  const fail = (found: ReturnType<typeof diagnostic>) => {
    if (flags.json) jsonOut(io, { ok: false, command: 'init', settings: SETTINGS_FILE, diagnostics: [found] });
    else printDiagnostics(io, [found]);
    return EXIT_FINDINGS;
  };
  let merge;
  try {
    merge = withUserPromptHook(await readSettings(path), command, SETTINGS_FILE);
    if (!merge.ok) return fail(merge.diagnostic);
    if (merge.added) {
      await mkdir(join(io.cwd, '.claude'), { recursive: true });
      await writeFileAtomicAsync(path, merge.content);
    }
  } catch (error) {
    // Only the file system's refusals are the user's to fix; anything else is our bug (exit 70).
    const reason = (error as NodeJS.ErrnoException).code;
    if (typeof reason !== 'string') throw error;
    return fail(diagnostic('CF9542', `could not read or write ${SETTINGS_FILE} (${reason})`, { file: SETTINGS_FILE, line: 1, column: 1 }));
  }
  if (flags.json) {
    jsonOut(io, {
      ok: true,
      command: 'init',
      settings: SETTINGS_FILE,
      added: merge.added,
      hook: { event: 'UserPromptSubmit', command },
      diagnostics: [],
    });
  } else if (merge.added) {
    io.stdout(
      `added to ${SETTINGS_FILE}: UserPromptSubmit hook \`${command}\`\nnext: restart Claude Code in this project; see docs/integrations.md\n`,
    );
  } else {
    io.stdout(`${SETTINGS_FILE} already runs codex-flow's UserPromptSubmit hook: nothing changed\n`);
  }
  return EXIT_OK;
}
