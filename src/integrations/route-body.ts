/**
 * The `route --json` body, as the hook receives it from a server (`POST /v1/route`) or from the
 * CLI it starts: the fields the hook reads are checked before they are used, since either
 * source can answer with something else (another program on the port, a crashed route).
 */
import type { RouteCandidate, RouteResult } from '../router/types.js';

export interface RouteBody {
  ok: boolean;
  result?: Pick<RouteResult, 'candidates' | 'fallback'>;
  diagnostics: ReadonlyArray<{ code: string; severity: string; message: string }>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isCandidate(value: unknown): value is RouteCandidate {
  return isObject(value) && typeof value.id === 'string' && typeof value.score === 'number'
    && Array.isArray(value.stages) && Array.isArray(value.evidence);
}

/** The body of `text`, or undefined when it is not a `route --json` body. */
export function readRouteBody(text: string): RouteBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value.ok !== 'boolean') return undefined;
  const diagnostics = Array.isArray(value.diagnostics) ? value.diagnostics.filter(isObject).map((found) => ({
    code: String(found.code), severity: String(found.severity), message: String(found.message),
  })) : [];
  if (value.result === undefined) return { ok: value.ok, diagnostics };
  const result = value.result;
  if (!isObject(result) || !Array.isArray(result.candidates) || !result.candidates.every(isCandidate)) return undefined;
  const fallback = isObject(result.fallback) ? result.fallback as unknown as RouteResult['fallback'] : undefined;
  return { ok: value.ok, result: { candidates: result.candidates, ...(fallback ? { fallback } : {}) }, diagnostics };
}
