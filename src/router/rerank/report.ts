/**
 * What a rerank did, for `--json` (the `rerank` object beside `result`) and for people (a line
 * under the ranking, and with `--explain` the model's reason beside each candidate's lexical
 * place). Both carry the same data: status, cache hit, tokens, cost, and on a fallback its reason.
 *
 * @example
 * io.stdout(formatRerank(report, explain));
 */
import type { RerankedPlace } from './merge.js';

/** Why the lexical order stands: the model was late, too dear, failed, answered nothing usable twice, was misconfigured, or there was nothing to reorder. */
export type RerankFallbackReason = 'timeout' | 'budget' | 'provider' | 'invalid' | 'config' | 'nothing';

export interface RerankReport {
  /** `reranked`: the model's order (fresh or cached); `lexical`: the lexical order, for `fallback`'s reason. */
  status: 'reranked' | 'lexical';
  cacheHit: boolean;
  provider?: string;
  model?: string;
  k: number;
  places: RerankedPlace[];
  /** Tokens and USD this route spent (0 on a cache hit); cost null when no price is known. */
  tokens: { input: number; output: number };
  costUsd: number | null;
  calls: number;
  /** The first answer was unusable and the repair try was. */
  repaired: boolean;
  fallback?: { reason: RerankFallbackReason; message: string };
  elapsedMs: number;
}

export function formatRerank(report: RerankReport, explain: boolean): string {
  const lines: string[] = [];
  if (report.status === 'lexical') {
    lines.push(`rerank: ${report.fallback?.reason ?? 'off'}: ${report.fallback?.message ?? 'no model asked'}; the lexical order is shown`);
  } else {
    const by = [report.provider, report.model].filter(Boolean).join(' ') || 'the model';
    const spent = report.cacheHit
      ? 'cached answer, no call'
      : `${report.tokens.input} + ${report.tokens.output} tokens, ${report.costUsd === null ? 'cost unknown' : `$${report.costUsd.toFixed(6)}`}, ${report.elapsedMs} ms`;
    lines.push(`rerank: top ${report.k} reordered by ${by} (${spent}${report.repaired ? '; its first answer was repaired' : ''})`);
  }
  if (explain && report.status === 'reranked') {
    for (const place of report.places)
      lines.push(
        `  ${String(place.rank).padStart(2)}. ${place.id.padEnd(32)} lexical #${place.lexicalRank}  ${place.reason ?? '(not ranked by the model)'}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
