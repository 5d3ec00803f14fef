/**
 * `codex-flow rules [--agent ID] [--hints] [--json]`: the learned rules (src/learn/rules.ts) the
 * agents' prompts get, by scope, with the mistake each comes from and how often it was fixed;
 * `--hints` adds the hints not yet promoted. `codex-flow rules remove <id>` deletes one rule (and
 * the hints behind it). Rules live in `<learning.dir>/rules.json`.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';
import { learningOptionsFor } from '../learning-options.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';

interface RulesFlags extends CommonFlags {
  agent?: string;
  hints?: boolean;
}

async function openBook(io: CommandIO, flags: RulesFlags) {
  const { loadConfig } = await import('../../config/config.js');
  const loaded = await loadConfig(io.cwd, flags.config);
  if (hasErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics };
  const options = await learningOptionsFor(loaded.config.learning, io.env);
  const { RuleBook } = await import('../../learn/rules.js');
  const book = RuleBook.open(join(io.cwd, options.dir));
  const diagnostics = [...loaded.diagnostics];
  if (book.problem) diagnostics.push(diagnostic('CF6700', `learned rules unreadable: ${book.problem}`));
  return { book, diagnostics };
}

export async function runRules(io: CommandIO, flags: RulesFlags): Promise<number> {
  const { book, diagnostics } = await openBook(io, flags);
  if (!book) return reportFailure(io, 'rules', diagnostics, flags);
  const rules = flags.agent === undefined ? [...book.rules] : book.rulesFor(flags.agent);
  const hints = flags.hints ? book.hints.filter((hint) => flags.agent === undefined || hint.agent === flags.agent) : [];
  if (flags.json) {
    jsonOut(io, { ok: true, command: 'rules', rules, ...(flags.hints ? { hints } : {}), diagnostics });
    return EXIT_OK;
  }
  printDiagnostics(io, diagnostics, flags);
  if (rules.length === 0) io.stdout(`no learned rules${flags.agent ? ` for ${flags.agent}` : ''} yet: a rule is a mistake fixed twice\n`);
  for (const rule of rules) {
    io.stdout(`${rule.id}  ${rule.scope === 'project' ? 'project' : `agent ${rule.agent}`}  fixed ${rule.fixes}×\n  ${rule.text}\n`);
  }
  for (const hint of hints) io.stdout(`hint  agent ${hint.agent}  fixed ${hint.seen}×\n  ${hint.text}\n`);
  return EXIT_OK;
}

export async function runRulesRemove(io: CommandIO, id: string, flags: RulesFlags): Promise<number> {
  const { book, diagnostics } = await openBook(io, flags);
  if (!book) return reportFailure(io, 'rules', diagnostics, flags);
  const removed = book.remove(id);
  if (!removed) {
    diagnostics.push(
      diagnostic(
        'CF6701',
        `no learned rule ${id}${book.rules.length > 0 ? ` (ids: ${book.rules.map((rule) => rule.id).join(', ')})` : ''}`,
      ),
    );
    if (flags.json) jsonOut(io, { ok: false, command: 'rules', diagnostics });
    else printDiagnostics(io, diagnostics, flags);
    return EXIT_FINDINGS;
  }
  if (flags.json) jsonOut(io, { ok: true, command: 'rules', removed, diagnostics });
  else {
    printDiagnostics(io, diagnostics, flags);
    io.stdout(`removed ${removed.id}: ${removed.text}\n`);
  }
  return EXIT_OK;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  const rules = withCommonFlags(
    program
      .command('rules')
      .description("list the learned rules the agents' prompts get (mistakes fixed twice); `rules remove <id>` deletes one")
      .option('--agent <id>', "the rules one agent gets (its own and the project's)")
      .option('--hints', 'also list hints not yet promoted'),
  ).action(async (flags: RulesFlags) => setExit(await runRules(io, flags)));
  withCommonFlags(rules.command('remove <id>').description('delete a learned rule (by id or unique id prefix)')).action(
    async (id: string, flags: RulesFlags) => setExit(await runRulesRemove(io, id, { ...rules.opts(), ...flags })),
  );
}
