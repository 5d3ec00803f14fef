/**
 * `codex-flow init`: a starter fleet and config in a project that has none, and `.codex-flow/`,
 * `.runs/` and `data/bench/` in its .gitignore (only the lines it lacks). Never overwrites without --force;
 * says what it created and what to run next. In a subfolder of a project it names that project
 * and stops (exit 1), unless --nested asks for a separate project there. `--claude-hooks` instead installs the Claude Code
 * hook (init-claude-hooks.ts).
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Command } from 'commander';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { findProjectRoot, PROJECT_MARKERS } from '../../config/project-root.js';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { writeFileAtomicAsync } from '../../util/atomic-write.js';
import { withIgnoredEntries } from '../../util/gitignore.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { STARTER_FILES } from './init-templates.js';

interface InitFlags {
  force?: boolean;
  nested?: boolean;
  json?: boolean;
  claudeHooks?: boolean;
}

/**
 * Local output codex-flow writes in a project: caches, learning state, run records, and bench
 * results (this machine's latencies through its network, one file set per bench run).
 */
const IGNORED = ['.codex-flow/', '.runs/', 'data/bench/'];
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

/**
 * The project above `cwd` that every other command would work on from here, with what marks it;
 * undefined when `cwd` is no project's subfolder. A second project below it would split the fleet,
 * the config and the learning state between two roots.
 */
function enclosingProject(cwd: string): { root: string; marker: string } | undefined {
  const root = findProjectRoot(cwd);
  if (root === cwd) return undefined;
  return { root, marker: PROJECT_MARKERS.find((marker) => existsSync(join(root, marker))) ?? '' };
}

export async function runInit(io: CommandIO, flags: InitFlags): Promise<number> {
  if (flags.claudeHooks) return (await import('./init-claude-hooks.js')).runInitClaudeHooks(io, flags);
  const enclosing = flags.nested ? undefined : enclosingProject(io.cwd);
  if (enclosing) {
    const problem = diagnostic(
      'CF9700',
      `this folder is inside the codex-flow project at ${enclosing.root} (it has ${enclosing.marker.split(sep).join('/')}); nothing was created`,
      undefined,
      { hint: `run \`codex-flow init\` in ${enclosing.root}, or pass --nested to start a separate project in this folder` },
    );
    if (flags.json) jsonOut(io, { ok: false, command: 'init', project: enclosing.root, diagnostics: [problem] });
    else printDiagnostics(io, [problem]);
    return EXIT_FINDINGS;
  }
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
    .option('--nested', 'start a project here even inside another project (by default init refuses in its subfolders)')
    .option('--claude-hooks', 'only add the codex-flow UserPromptSubmit hook to .claude/settings.json (kept: every other setting and hook)')
    .option('--json', 'print machine-readable JSON')
    .action(async (flags: InitFlags) => setExit(await runInit(io, flags)));
}
