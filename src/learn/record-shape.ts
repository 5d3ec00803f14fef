/**
 * Shape checks for the records of the learning logs (outcomes, decisions). A log line is input:
 * a hand edit, another version's writer or an agent with file tools can put valid JSON of the
 * wrong shape there. Every field the fold, the model or `stats` reads is checked here, so a line
 * that passes cannot crash them; a line that fails is skipped and counted (CF6601).
 * Optional fields may be absent, never present with another type.
 */
import type { Decision } from './decisions.js';
import type { LearnedOutcome } from './learner.js';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number';

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

function isLabelList(value: unknown): value is Array<[string, string]> {
  return Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2 && isString(pair[0]) && isString(pair[1]));
}

/** Whether `fields[key]` is absent (undefined) or passes `check`. */
function optional(fields: Fields, key: string, check: (value: unknown) => boolean): boolean {
  return fields[key] === undefined || check(fields[key]);
}

function isTokens(value: unknown): boolean {
  return isObject(value) && ['input', 'output', 'cached'].every((key) => optional(value, key, isNumber));
}

/**
 * An outcome line: `agent` (non-empty) and `ok` required; every other field of the right type when present.
 *
 * @example isOutcome(JSON.parse('{"agent":"a","ok":true,"context":[1]}')) // false
 */
export function isOutcome(value: unknown): value is LearnedOutcome {
  if (!isObject(value) || !isString(value.agent) || value.agent.length === 0 || typeof value.ok !== 'boolean') return false;
  return (
    optional(value, 'at', isString) &&
    optional(value, 'alias', isString) &&
    optional(value, 'stop_reason', isString) &&
    optional(value, 'route_id', isString) &&
    optional(value, 'task_hash', isString) &&
    optional(value, 'provider', isString) &&
    optional(value, 'brief_hash', isString) &&
    optional(value, 'latency_ms', isNumber) &&
    optional(value, 'retries', isNumber) &&
    optional(value, 'tool_errors', isNumber) &&
    optional(value, 'cost_usd', isNumber) &&
    optional(value, 'tokens', isTokens) &&
    optional(value, 'context', isStringList) &&
    optional(value, 'labels', isLabelList) &&
    optional(value, 'reward', (reward) => isNumber(reward) && reward >= 0 && reward <= 1) &&
    optional(value, 'review', (review) => review === 'approved' || review === 'changes-requested' || review === 'rejected')
  );
}

function isStringMap(value: unknown): boolean {
  return isObject(value) && Object.values(value).every(isString);
}

function isShadow(value: unknown): boolean {
  return isObject(value) && [value.learned, value.plain].every((id) => id === null || isString(id));
}

/**
 * A decision line: `route_id`, `features` and `candidates` required; the rest of the right type when present.
 *
 * @example isDecision({ route_id: 'route:1', features: ['kw:3'], candidates: ['a'] }) // true
 */
export function isDecision(value: unknown): value is Decision {
  if (!isObject(value) || !isString(value.route_id) || !isStringList(value.features) || !isStringList(value.candidates)) return false;
  return (
    optional(value, 'at', isString) &&
    (value.chosen === undefined || value.chosen === null || isString(value.chosen)) &&
    optional(value, 'labels', isLabelList) &&
    optional(value, 'briefs', isStringMap) &&
    optional(value, 'explore', (explore) => typeof explore === 'boolean') &&
    optional(value, 'seed', isNumber) &&
    optional(value, 'shadow', isShadow)
  );
}
