/**
 * `codex-flow init`: a starter fleet and config in a project that has none, and `.codex-flow/`
 * and `.runs/` in its .gitignore (only the lines it lacks). Never overwrites without --force;
 * says what it created and what to run next. `--claude-hooks` instead installs the Claude Code
 * hook (init-claude-hooks.ts).
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { writeFileAtomicAsync } from '../../util/atomic-write.js';
import { withIgnoredEntries } from '../../util/gitignore.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { STARTER_FILES } from './init-templates.js';

interface InitFlags {
  force?: boolean;
  json?: boolean;
  claudeHooks?: boolean;
}

/** Local state codex-flow writes in a project: caches, learning state, run records. */
const IGNORED = ['.codex-flow/', '.runs/'];
const GITIGNORE = '.gitignore';

/** Adds the missing IGNORED lines to the project's .gitignore; a refusal by the file system is a warning, not fatal. */
async function ignoreLocalState(cwd: string): Promise<{ added: string[]; diagnostics: Diagnostic[] }> {
  const path = join(cwd, GITIGNORE);
  try {
    const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const { content, added } = withIgnoredEntries(existing, IGNORED);
    if (added.length > 0) await writeFileAtomicAsync(path, content);
    return { added, diagnostics: [] };
  } catch (error) {
    // Only the file system's refusals are the user's to fix; anything else is our bug (exit 70).
    const reason = (error as NodeJS.ErrnoException).code;
    if (typeof reason !== 'string') throw error;
    return {
      added: [],
      diagnostics: [diagnostic('CF9020', `could not update ${GITIGNORE} (${reason})`, { file: GITIGNORE, line: 1, column: 1 })],
    };
  }
}

export async function runInit(io: CommandIO, flags: InitFlags): Promise<number> {
  if (flags.claudeHooks) return (await import('./init-claude-hooks.js')).runInitClaudeHooks(io, flags);
  const existing: string[] = [];
  for (const path of Object.keys(STARTER_FILES)) {
    if (
      await stat(join(io.cwd, path)).then(
        () => true,
        () => false,
      )
    )
      existing.push(path);
  }
  if (existing.length > 0 && !flags.force) {
    const problem = diagnostic('CF9004', `already initialized: ${existing.join(', ')} exist; use --force to overwrite them`);
    if (flags.json) jsonOut(io, { ok: false, command: 'init', existing, diagnostics: [problem] });
    else printDiagnostics(io, [problem]);
    return EXIT_FINDINGS;
  }
  const created: string[] = [];
  for (const [path, content] of Object.entries(STARTER_FILES)) {
    await mkdir(dirname(join(io.cwd, path)), { recursive: true });
    await writeFile(join(io.cwd, path), content);
    created.push(path);
  }
  const ignored = await ignoreLocalState(io.cwd);
  if (flags.json) {
    jsonOut(io, {
      ok: true,
      command: 'init',
      created,
      gitignore: { path: GITIGNORE, added: ignored.added },
      diagnostics: ignored.diagnostics,
    });
  } else {
    for (const d of ignored.diagnostics) io.stderr(formatDiagnostic(d));
    const gitignore = ignored.added.length > 0 ? `added to ${GITIGNORE}: ${ignored.added.join(', ')}\n` : '';
    io.stdout(
      `created:\n${created.map((path) => `  ${path}\n`).join('')}${gitignore}next: edit the briefs, then run \`codex-flow convert\` and commit codex/agents\n`,
    );
  }
  return EXIT_OK;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('create a starter .claude/agents fleet and codex-flow.config.yaml')
    .option('--force', 'overwrite existing starter files')
    .option('--claude-hooks', 'only add the codex-flow UserPromptSubmit hook to .claude/settings.json (kept: every other setting and hook)')
    .option('--json', 'print machine-readable JSON')
    .action(async (flags: InitFlags) => setExit(await runInit(io, flags)));
}
