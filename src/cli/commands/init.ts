/**
 * `codex-flow init`: a starter fleet and config in a project that has none. Never overwrites
 * without --force; says what it created and what to run next.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { STARTER_FILES } from './init-templates.js';

interface InitFlags {
  force?: boolean;
  json?: boolean;
}

export async function runInit(io: CommandIO, flags: InitFlags): Promise<number> {
  const existing: string[] = [];
  for (const path of Object.keys(STARTER_FILES)) {
    if (await stat(join(io.cwd, path)).then(() => true, () => false)) existing.push(path);
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
  if (flags.json) {
    jsonOut(io, { ok: true, command: 'init', created, diagnostics: [] });
  } else {
    io.stdout(`created:\n${created.map((path) => `  ${path}\n`).join('')}next: edit the briefs, then run \`codex-flow convert\` and commit codex/agents\n`);
  }
  return EXIT_OK;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('create a starter .claude/agents fleet and codex-flow.config.yaml')
    .option('--force', 'overwrite existing starter files')
    .option('--json', 'print machine-readable JSON')
    .action(async (flags: InitFlags) => setExit(await runInit(io, flags)));
}
