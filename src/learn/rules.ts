/**
 * Learned rules: what a failure that was later fixed teaches, kept beside the learning state in
 * `.codex-flow/rules.json` and loaded into the agent's prompt next time.
 *
 * - A failed task leaves its mistake pending: the agent, the task hash and the failure's pattern
 *   (stop reason + the error with numbers, quoted text and paths blanked, so the same mistake on
 *   another file reads the same).
 * - A later success of the same agent on the same task hash is the fix: the pending mistake
 *   becomes a hint (per agent, per pattern; `seen` counts fixes).
 * - A hint fixed twice (PROMOTE_AT) for one agent becomes that agent's rule; a pattern fixed for
 *   two or more agents becomes a project rule (every agent's prompt).
 * - Rules are listed and removed with `codex-flow rules`; a removed rule stays removed until its
 *   pattern is fixed twice again.
 *
 * Each change is a transaction under `rules.json.lock` (src/util/file-lock.ts): the file is read
 * again, the change applied to what is on disk, and the whole file rewritten atomically, so runs in
 * parallel processes keep each other's updates. A file that does not load (unreadable JSON, another
 * format or version) is never written over: the first change renames it to
 * `rules.json.bad-<time>` and starts a new file, so curated rules stay on disk to restore.
 *
 * @example
 * const book = RuleBook.open(join(root, '.codex-flow'));
 * book.observe({ agent: 'debugger', task_hash: 'h', ok: false, stop_reason: 'tool-denied', error: 'tool `Bash` is not allowed' });
 * book.promptFor('debugger') // '' until the mistake was fixed twice
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { STALE_LOCK_MS, tryLockSync, type HeldLock } from '../util/file-lock.js';

export const RULES_FILE = 'rules.json';
/** A pattern fixed this often is a rule: once is an incident, twice is a habit worth a line in the prompt. */
export const PROMOTE_AT = 2;
/** Pending mistakes kept (oldest dropped): a fix usually follows within a few tasks. */
export const MAX_PENDING = 500;
/** Rules loaded into one prompt: each is a line the model reads on every turn. */
export const MAX_RULES_IN_PROMPT = 12;
/** Long errors are cut: the pattern needs the kind of mistake, not the whole stack. */
const MAX_PATTERN_CHARS = 160;

export interface Hint {
  agent: string;
  pattern: string;
  text: string;
  seen: number;
  first_at: string;
  last_at: string;
}
export interface Rule {
  id: string;
  scope: 'agent' | 'project';
  agent?: string;
  pattern: string;
  text: string;
  promoted_at: string;
  fixes: number;
}
interface Pending {
  agent: string;
  task_hash: string;
  pattern: string;
  error: string;
  at: string;
}
interface RulesData {
  format: 'codex-flow/rules';
  version: 1;
  pending: Pending[];
  hints: Hint[];
  rules: Rule[];
}

export interface ObservedTask {
  agent: string;
  task_hash: string;
  ok: boolean;
  stop_reason: string;
  error?: string | undefined;
  at?: string;
}
export interface Observation {
  hint?: Hint;
  promoted?: Rule;
}

export class RuleBook {
  private constructor(
    readonly file: string,
    private data: RulesData,
    readonly problem?: string,
  ) {}
  private aside: string | undefined;

  /** Opens `<dir>/rules.json`; an unreadable file starts empty and says why (`problem`). */
  static open(dir: string): RuleBook {
    const file = join(dir, RULES_FILE);
    const read = readRules(file);
    return 'data' in read ? new RuleBook(file, read.data) : new RuleBook(file, empty(), `${RULES_FILE}: ${read.problem}`);
  }

  /** Where the last change moved a file that did not load (`rules.json.bad-<time>`), if it did. */
  get movedAside(): string | undefined {
    return this.aside;
  }

  get rules(): readonly Rule[] {
    return this.data.rules;
  }
  get hints(): readonly Hint[] {
    return this.data.hints;
  }

  /** The rules an agent's prompt gets: its own, then the project's, at most MAX_RULES_IN_PROMPT. */
  rulesFor(agent: string): Rule[] {
    const own = this.data.rules.filter((rule) => rule.scope === 'agent' && rule.agent === agent);
    const project = this.data.rules.filter((rule) => rule.scope === 'project');
    return [...own, ...project].slice(0, MAX_RULES_IN_PROMPT);
  }

  /** The prompt section for an agent ('' without rules). */
  promptFor(agent: string): string {
    const rules = this.rulesFor(agent);
    if (rules.length === 0) return '';
    return [
      'Learned rules (mistakes made and fixed before in this project; do not repeat them):',
      ...rules.map((rule) => `- ${rule.text}`),
    ].join('\n');
  }

  /** Folds one finished task in; writes the file when anything changed. */
  observe(task: ObservedTask): Observation {
    const at = task.at ?? new Date().toISOString();
    const key = (entry: { agent: string; task_hash: string }) => entry.agent === task.agent && entry.task_hash === task.task_hash;
    if (!task.ok) {
      if (NOT_A_MISTAKE.has(task.stop_reason)) return {};
      const error = (task.error ?? '').slice(0, 400);
      return this.update(() => {
        this.data.pending = [
          ...this.data.pending.filter((entry) => !key(entry)),
          { agent: task.agent, task_hash: task.task_hash, pattern: patternOf(task.stop_reason, error), error, at },
        ].slice(-MAX_PENDING);
        return { changed: true, result: {} };
      });
    }
    // Another process may have added the pending mistake since this one read the file: look on
    // disk. Most successes fix nothing, and every finished task comes here: the file is read
    // without the lock first (it is only ever replaced whole, by a rename), and the lock is taken
    // only when that read holds this task's pending mistake; the change looks again under it.
    const onDisk = readRules(this.file);
    if ('data' in onDisk) {
      this.data = onDisk.data;
      if (!onDisk.data.pending.some(key)) return {};
    }
    return this.update((): { changed: boolean; result: Observation } => {
      const fixed = this.data.pending.find(key);
      if (!fixed) return { changed: false, result: {} };
      this.data.pending = this.data.pending.filter((entry) => !key(entry));
      const hint = this.addHint(fixed, at);
      const promoted = this.promote(hint, at);
      return { changed: true, result: promoted ? { hint, promoted } : { hint } };
    });
  }

  /** Removes a rule by id (or unique id prefix); returns it, or undefined when no rule matches. */
  remove(id: string): Rule | undefined {
    return this.update(() => {
      const matches = this.data.rules.filter((rule) => rule.id === id || rule.id.startsWith(id));
      if (matches.length !== 1) return { changed: false, result: undefined };
      const [rule] = matches;
      this.data.rules = this.data.rules.filter((entry) => entry !== rule);
      // Forget the hints behind it too, so it comes back only if the mistake is fixed twice again.
      this.data.hints = this.data.hints.filter(
        (hint) => hint.pattern !== rule!.pattern || (rule!.scope === 'agent' && hint.agent !== rule!.agent),
      );
      return { changed: true, result: rule };
    });
  }

  private addHint(fixed: Pending, at: string): Hint {
    let hint = this.data.hints.find((entry) => entry.agent === fixed.agent && entry.pattern === fixed.pattern);
    if (!hint) {
      hint = { agent: fixed.agent, pattern: fixed.pattern, text: hintText(fixed), seen: 0, first_at: at, last_at: at };
      this.data.hints.push(hint);
    }
    hint.seen++;
    hint.last_at = at;
    return hint;
  }

  private promote(hint: Hint, at: string): Rule | undefined {
    const agents = new Set(this.data.hints.filter((entry) => entry.pattern === hint.pattern).map((entry) => entry.agent));
    const fixes = this.data.hints.filter((entry) => entry.pattern === hint.pattern).reduce((sum, entry) => sum + entry.seen, 0);
    const scope: Rule['scope'] | undefined =
      agents.size >= 2 && fixes >= PROMOTE_AT ? 'project' : hint.seen >= PROMOTE_AT ? 'agent' : undefined;
    if (!scope) return undefined;
    const id = `rule:${createHash('sha256')
      .update(`${scope}\0${scope === 'agent' ? hint.agent : ''}\0${hint.pattern}`)
      .digest('hex')
      .slice(0, 10)}`;
    const existing = this.data.rules.find((rule) => rule.id === id);
    if (existing) {
      existing.fixes = scope === 'agent' ? hint.seen : fixes;
      return undefined;
    }
    const rule: Rule = {
      id,
      scope,
      ...(scope === 'agent' ? { agent: hint.agent } : {}),
      pattern: hint.pattern,
      text: hint.text,
      promoted_at: at,
      fixes: scope === 'agent' ? hint.seen : fixes,
    };
    // A project rule replaces the agent rules of the same pattern: one line per mistake in a prompt.
    if (scope === 'project') this.data.rules = this.data.rules.filter((entry) => entry.pattern !== hint.pattern);
    this.data.rules.push(rule);
    return rule;
  }

  /**
   * One change as a transaction: under the lock, the file is read again and `change` applied to
   * what is on disk; the file is written only when the change says it changed something. A file
   * that does not load is renamed aside before the first write, never overwritten.
   */
  private update<T>(change: () => { changed: boolean; result: T }): T {
    const lock = lockRules(`${this.file}.lock`);
    try {
      const read = readRules(this.file);
      this.data = 'data' in read ? read.data : empty();
      const { changed, result } = change();
      if (changed) {
        if ('problem' in read && read.exists) {
          this.aside = `${this.file}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
          renameSync(this.file, this.aside);
        }
        writeFileAtomic(this.file, stableJson(this.data));
      }
      return result;
    } finally {
      lock?.release();
    }
  }
}

/** The rules file's data, or why it does not load (`exists` false: there is no file yet). */
function readRules(file: string): { data: RulesData } | { problem: string; exists: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { data: empty() };
    return { problem: (error as Error).message, exists: true };
  }
  try {
    const data = JSON.parse(text) as RulesData;
    if (
      data?.format !== 'codex-flow/rules' ||
      data.version !== 1 ||
      !Array.isArray(data.rules) ||
      !Array.isArray(data.hints) ||
      !Array.isArray(data.pending)
    )
      return { problem: 'not a codex-flow rules file (version 1)', exists: true };
    return { data };
  } catch (error) {
    return { problem: (error as Error).message, exists: true };
  }
}

/** A sleep that blocks: a change to the rules is a synchronous step of a finished task. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The rules lock, waited for long enough to take over the lock of a process that died (a holder
 * keeps it for one read and one write). Undefined when it cannot be had: the change then goes
 * ahead unlocked, which can lose a parallel update but never corrupts the file (atomic write).
 */
function lockRules(lockPath: string): HeldLock | undefined {
  const deadline = Date.now() + STALE_LOCK_MS + 1_000;
  for (;;) {
    const lock = tryLockSync(lockPath);
    if (lock || Date.now() >= deadline) return lock;
    sleepSync(20);
  }
}

/** Stop reasons that are not the agent's mistake: nothing to learn about its behaviour. */
const NOT_A_MISTAKE = new Set(['rejected', 'invalid', 'cancelled', 'internal-error', 'budget', 'unavailable']);

function empty(): RulesData {
  return { format: 'codex-flow/rules', version: 1, pending: [], hints: [], rules: [] };
}

/**
 * The mistake's pattern: stop reason and error, lower-cased, with quoted text, paths and numbers
 * blanked, so the same mistake on another file or line is the same pattern.
 *
 * @example patternOf('error', 'ENOENT: no such file "src/a.ts" at line 12') === 'error: enoent: no such file "…" at line #'
 */
export function patternOf(stopReason: string, error: string): string {
  const text = error
    .toLowerCase()
    .replace(/(["'`])[^"'`]*\1/g, '$1…$1')
    .replace(/(?:\.{0,2}\/)?(?:[\w.-]+\/)+[\w.-]+/g, '<path>')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return `${stopReason}${text ? `: ${text}` : ''}`.slice(0, MAX_PATTERN_CHARS);
}

/** What the prompt says: the mistake as it happened once (quoted text kept: it names the tool or file). */
function hintText(fixed: Pending): string {
  const stopReason = fixed.pattern.split(':')[0]!;
  const what = fixed.error ? fixed.error.replace(/\s+/g, ' ').trim().slice(0, MAX_PATTERN_CHARS) : `stopping with ${stopReason}`;
  return `Avoid: ${what} (${stopReason}; a later attempt succeeded without it).`;
}
