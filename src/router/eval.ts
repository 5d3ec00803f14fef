/**
 * Judging routing quality on labeled requests: top-1 and top-3 accuracy, mean reciprocal rank,
 * per-agent confusion and the list of misses. A label may accept several agents; a request
 * counts as a top-k hit when any accepted agent is among the first k.
 *
 * @example
 * const { labels } = parseLabels(readFileSync('labels.jsonl', 'utf8'), 'labels.jsonl');
 * evaluate(createRouter(fleet), labels).top1 // 0.74
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Router } from './staged-router.js';

export interface Label {
  line: number;
  task: string;
  files: string[];
  expected: string[];
}

export interface EvalMiss {
  line: number;
  task: string;
  files: string[];
  expected: string[];
  got: string[];
  rank: number | null;
}

export interface AgentConfusion {
  /** Labels expecting this agent (first accepted id). */
  expected: number;
  top1: number;
  /** What was chosen instead, with counts (sorted by count, then id). */
  chosenInstead: Array<{ id: string; count: number }>;
}

export interface EvalReport {
  total: number;
  top1: number;
  top3: number;
  mrr: number;
  /** Share of requests with an accepted agent among the first k, for k in RECALL_DEPTHS (≤ depth). */
  recall: Record<number, number>;
  /**
   * Follow-ups, apart from the ranks: requests that got any (`answered`), and requests with an
   * expected agent among them (`hits`; `outsideTop3`: of those, the ones it does not reach top-3).
   */
  followUps: { answered: number; hits: number; outsideTop3: number };
  /** Ranks routed; MRR counts a first correct agent below MRR_DEPTH as 0. */
  depth: number;
  /** Requests answered by a fallback (semantic or generalist) rather than triggers. */
  fallbacks: number;
  perAgent: Record<string, AgentConfusion>;
  misses: EvalMiss[];
}

/** Ranks routed for recall: fifteen, the candidates a second stage (a reranker) reads. */
export const EVAL_DEPTH = 15;

/** Ranks considered for MRR: past ten, a user never reads the answer. */
export const MRR_DEPTH = 10;

/** The depths recall is reported at. */
export const RECALL_DEPTHS = [5, 10, 15] as const;

/** Parses JSONL labels; bad lines become CF6010 diagnostics and are skipped. */
export function parseLabels(text: string, file: string): { labels: Label[]; diagnostics: Diagnostic[] } {
  const labels: Label[] = [];
  const diagnostics: Diagnostic[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim().length === 0) return;
    const fail = (why: string) => diagnostics.push(diagnostic('CF6010', why, { file, line, column: 1 }, { sourceLine: raw }));
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return fail(`not JSON: ${(error as Error).message}`);
    }
    const record = value as { task?: unknown; files?: unknown; expected?: unknown };
    const task = typeof record.task === 'string' ? record.task : '';
    const files = Array.isArray(record.files) ? record.files.filter((f): f is string => typeof f === 'string') : [];
    const expected =
      typeof record.expected === 'string'
        ? [record.expected]
        : Array.isArray(record.expected)
          ? record.expected.filter((e): e is string => typeof e === 'string')
          : [];
    if (task.length === 0 && files.length === 0) return fail('needs "task" or "files"');
    if (expected.length === 0) return fail('needs "expected": an agent id or a list of ids');
    labels.push({ line, task, files, expected });
  });
  return { labels, diagnostics };
}

/** Routes every label and scores the answers. */
export function evaluate(router: Router, labels: readonly Label[], depth = EVAL_DEPTH): EvalReport {
  let top1 = 0,
    top3 = 0,
    reciprocal = 0,
    fallbacks = 0;
  const depths = RECALL_DEPTHS.filter((k) => k <= depth);
  const within = depths.map(() => 0);
  const followUps = { answered: 0, hits: 0, outsideTop3: 0 };
  const perAgent = new Map<string, { expected: number; top1: number; instead: Map<string, number> }>();
  const misses: EvalMiss[] = [];
  for (const label of labels) {
    const result = router.route({ task: label.task, files: label.files }, { top: depth });
    if (result.fallback) fallbacks++;
    const ids = result.candidates.map((c) => c.id);
    const index = ids.findIndex((id) => label.expected.includes(id));
    const rank = index < 0 ? null : index + 1;
    if (rank === 1) top1++;
    if (rank !== null && rank <= 3) top3++;
    if (rank !== null && rank <= MRR_DEPTH) reciprocal += 1 / rank;
    depths.forEach((k, i) => {
      if (rank !== null && rank <= k) within[i]!++;
    });
    if (result.followUps.length > 0) followUps.answered++;
    if (result.followUps.some((f) => label.expected.includes(f.id))) {
      followUps.hits++;
      if (rank === null || rank > 3) followUps.outsideTop3++;
    }
    const key = label.expected[0]!;
    const agent = perAgent.get(key) ?? { expected: 0, top1: 0, instead: new Map<string, number>() };
    agent.expected++;
    if (rank === 1) agent.top1++;
    else {
      const chosen = ids[0] ?? '(none)';
      agent.instead.set(chosen, (agent.instead.get(chosen) ?? 0) + 1);
      misses.push({ line: label.line, task: label.task, files: label.files, expected: label.expected, got: ids.slice(0, 3), rank });
    }
    perAgent.set(key, agent);
  }
  const total = labels.length;
  const ratio = (n: number) => (total === 0 ? 0 : Math.round((n / total) * 1e4) / 1e4);
  return {
    total,
    top1: ratio(top1),
    top3: ratio(top3),
    mrr: ratio(reciprocal),
    depth,
    fallbacks,
    followUps,
    recall: Object.fromEntries(depths.map((k, i) => [k, ratio(within[i]!)])),
    perAgent: Object.fromEntries(
      [...perAgent.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, a]) => [
          id,
          {
            expected: a.expected,
            top1: a.top1,
            chosenInstead: [...a.instead.entries()]
              .map(([other, count]) => ({ id: other, count }))
              .sort((x, y) => y.count - x.count || (x.id < y.id ? -1 : 1)),
          },
        ]),
    ),
    misses,
  };
}
