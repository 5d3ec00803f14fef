/**
 * The model's answer, checked before it is believed: strict JSON of one shape (validated by ajv
 * against RERANK_ANSWER_SCHEMA), every id one of the candidates handed over, none twice, every
 * reason one line. A code fence around the JSON is tolerated (models add them against orders);
 * anything else is a problem, said in words the repair prompt can hand back to the model.
 *
 * @example
 * const checked = checkRerankAnswer('{"ranking":[{"id":"a","reason":"owns the API"}]}', ['a', 'b']);
 * if (checked.ranking) use(checked.ranking);
 */
import Ajv2020 from 'ajv/dist/2020.js';

export interface RankedId {
  id: string;
  reason: string;
}

/** A reason longer than this is not the one line asked for; it is cut, not refused. */
export const MAX_REASON_CHARS = 200;
/** An answer larger than this is not a ranking of at most fifty ids; it is refused before parsing. */
export const MAX_ANSWER_CHARS = 64 * 1024;

export const RERANK_ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['ranking'],
  properties: {
    ranking: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'reason'],
        properties: { id: { type: 'string', minLength: 1 }, reason: { type: 'string' } },
      },
    },
  },
} as const;

let validator: ReturnType<InstanceType<typeof Ajv2020.default>['compile']> | undefined;

function validateShape(value: unknown): string[] {
  if (!validator) {
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
    validator = new Ajv({ allErrors: true, strict: true }).compile(RERANK_ANSWER_SCHEMA);
  }
  if (validator(value)) return [];
  return (validator.errors ?? []).map((error) => {
    const where = error.instancePath === '' ? 'the answer' : `\`${error.instancePath.slice(1).replace(/\//g, '.')}\``;
    const extra = error.keyword === 'additionalProperties' ? ` \`${String(error.params.additionalProperty)}\`` : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
}

/** The ranking in the answer, or what is wrong with it. Ids are checked against `candidates`. */
export function checkRerankAnswer(answer: string, candidates: readonly string[]): { ranking?: RankedId[]; problems: string[] } {
  if (answer.length > MAX_ANSWER_CHARS)
    return { problems: [`the answer is ${answer.length} characters long; a ranking fits in far fewer`] };
  const text = answer
    .trim()
    .replace(/^```(?:json)?\s*\n?/, '')
    .replace(/\n?```$/, '')
    .trim();
  if (!text.startsWith('{')) return { problems: ['the answer is not a JSON object'] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const shape = validateShape(value);
  if (shape.length > 0) return { problems: shape };
  const known = new Set(candidates);
  const seen = new Set<string>();
  const problems: string[] = [];
  const ranking: RankedId[] = [];
  for (const entry of (value as { ranking: RankedId[] }).ranking) {
    if (!known.has(entry.id)) problems.push(`"${entry.id}" is not one of the candidate ids`);
    else if (seen.has(entry.id)) problems.push(`"${entry.id}" is ranked twice`);
    else {
      seen.add(entry.id);
      const reason = entry.reason.replace(/\s+/g, ' ').trim();
      ranking.push({ id: entry.id, reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason });
    }
  }
  return problems.length > 0 ? { problems } : { ranking, problems };
}

/** The follow-up message of the one repair try: what was wrong, and the same shape asked again. */
export function repairMessage(problems: readonly string[]): string {
  return `That answer cannot be used:\n${problems.map((entry) => `- ${entry}`).join('\n')}\nAnswer again with the corrected JSON only: {"ranking": [{"id": string, "reason": string}]}.`;
}
