/**
 * The reranker's prompt: the request and the lexical top k, each candidate as its id, its
 * description and a short excerpt of its brief, in the lexical order (the model sees which the
 * triggers preferred, and may overrule them). The answer asked for is strict JSON, checked by
 * answer.ts. The text is a pure function of its inputs, so its size is measured in docs/routing.md
 * from this very function.
 *
 * @example
 * const prompt = buildRerankPrompt({ task: 'our checkout looks dated', files: [] }, candidates);
 */
import type { RouteRequest } from '../types.js';

export interface RerankCandidate {
  id: string;
  description: string;
  /** The start of the brief's body, already shortened by `briefExcerpt`. */
  excerpt: string;
}

export interface RerankPrompt {
  system: string;
  user: string;
}

/** A description is one or two sentences; past this it is the brief's body pasted into the front matter. */
export const DESCRIPTION_CHARS = 300;
/** The body's opening says what the agent is for; a few lines of it tell apart agents whose descriptions are alike. */
export const EXCERPT_CHARS = 240;
/** Changed files listed in the prompt: their folders and extensions are the evidence, a long list adds none. */
export const MAX_PROMPT_FILES = 20;
/** The task as written, up to a page: a longer task is shortened rather than refused. */
export const MAX_PROMPT_TASK_CHARS = 4_000;
/** Output tokens: fifty ids with a one-line reason each fit with room. */
export const RERANK_OUTPUT_TOKENS = 2_000;

export const RERANK_SYSTEM =
  'You choose which coding agent should handle a request. You rank the candidate agents from best to worst fit and answer with JSON only, no prose, no code fences.';

/** The first words of a brief's body, headings and Markdown marks dropped, whitespace collapsed. */
export function briefExcerpt(body: string, chars = EXCERPT_CHARS): string {
  const text = body
    .replace(/^#+\s.*$/gm, ' ')
    .replace(/[*_`>#|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return shorten(text, chars);
}

export function buildRerankPrompt(request: RouteRequest, candidates: readonly RerankCandidate[]): RerankPrompt {
  const task = (request.task ?? '').replace(/\s+/g, ' ').trim();
  const files = request.files ?? [];
  const lines = [`Request: ${shorten(task, MAX_PROMPT_TASK_CHARS) || '(no text)'}`];
  if (files.length > 0) {
    const shown = files.slice(0, MAX_PROMPT_FILES);
    const more = files.length - shown.length;
    lines.push(`Changed files: ${shown.join(', ')}${more > 0 ? ` (and ${more} more)` : ''}`);
  }
  lines.push('', 'Candidates (id: what it does | from its brief), in the order keyword matching ranked them:');
  for (const candidate of candidates)
    lines.push(`- ${candidate.id}: ${shorten(oneLine(candidate.description), DESCRIPTION_CHARS)} | ${candidate.excerpt}`);
  lines.push(
    '',
    'Rank every candidate id above from best to worst fit for the request. Judge what the request needs done, not which words it shares with a brief.',
    'Answer with this JSON shape: {"ranking": [{"id": string, "reason": string}]} where each id is one from the list, once, and each reason is one line of at most 20 words.',
  );
  return { system: RERANK_SYSTEM, user: lines.join('\n') };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function shorten(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 1).trimEnd()}…`;
}
