/**
 * The heuristic decomposer: offline and deterministic (the same goal gives the same plan, byte for
 * byte). It splits a goal into subtasks at sentence breaks, semicolons, commas and the
 * conjunctions `and` / `then`, but only where the next part starts with a verb ("add tests and
 * docs" stays one subtask; "add rate limiting and document it" becomes two). A part depends on the
 * one before it when it says so: a sequencing word ("then", "after that", "finally"), a word that
 * refers back ("it", "them", "this", "the result"), or work that is about earlier work
 * (documenting, testing, reviewing, releasing). Every other part runs in parallel. Each subtask
 * carries the reason for its split and its dependency, shown by `--dry-run`.
 *
 * Routing is not done here: `routePlan` gives each subtask its agent.
 *
 * @example
 * decomposeGoal('add rate limiting to the public API and document it').subtasks
 * // [{ id: 's1', task: 'add rate limiting to the public API', … }, { id: 's2', task: 'document it', depends_on: ['s1'], … }]
 */
import type { Subtask, SwarmPlan } from './plan.js';
import { leadingVerb, SEQUENCE_WORDS } from './goal-words.js';

/** Longest goal the decomposer reads; a longer text is a specification, better written as a plan file. */
export const MAX_GOAL_CHARS = 4_000;

/** Sentence breaks and list items: always a boundary. */
const SENTENCES = /(?<=[.!?;])\s+|\s*\n+\s*(?:[-*•]\s+|\d+[.)]\s+)?/;
/** Boundaries inside a sentence; the captured text is the connector, kept to tell "then" from "and". */
const CONNECTORS = /(\s*,\s*(?:and\s+)?then\s+|\s+and\s+then\s+|\s*,\s*and\s+|\s+and\s+|\s+then\s+|\s*,\s*)/i;
/** Words that refer back to the previous part's work. */
const BACK_REFERENCE = /\b(it|its|them|this|that|these|those|the (?:result|results|change|changes|output|same))\b/i;
/** Work that is about the work before it: documenting, testing, reviewing, shipping it. */
const FOLLOW_UP =
  /^(?:document|test|review|verify|validate|deploy|release|publish|announce|benchmark)\b|^(?:add|write|update)\s+(?:the\s+|a\s+)?(?:tests?|docs?|documentation|changelog|release notes)\b/i;

interface Part {
  text: string;
  /** The connector or break before this part ('' for the first). */
  joinedBy: string;
}

export function decomposeGoal(goal: string): SwarmPlan {
  const text = goal
    .replace(/\s+/g, (space) => (space.includes('\n') ? '\n' : ' '))
    .trim()
    .slice(0, MAX_GOAL_CHARS);
  const parts: Part[] = [];
  for (const [sentenceIndex, sentence] of text.split(SENTENCES).entries()) {
    const pieces = sentence
      .replace(/^[-*•]\s+|^\d+[.)]\s+/, '')
      .replace(/[.!?;]+$/, '')
      .split(CONNECTORS);
    for (let index = 0; index < pieces.length; index += 2) {
      const piece = pieces[index]!.trim();
      const connector = index === 0 ? (sentenceIndex === 0 ? '' : '. ') : pieces[index - 1]!;
      if (!piece) continue;
      const previous = parts.at(-1);
      // A part that does not start with a verb is not a task of its own: "add tests and docs".
      if (previous && connector !== '. ' && !leadingVerb(stripSequence(piece))) previous.text += `${connector}${piece}`;
      else parts.push({ text: piece, joinedBy: connector });
    }
  }
  const subtasks: Subtask[] = parts.map((part, index) => subtaskOf(part, index, parts));
  return { goal: text, source: 'heuristic', subtasks };
}

function stripSequence(text: string): string {
  return text.replace(SEQUENCE_WORDS, '').trim();
}

function subtaskOf(part: Part, index: number, parts: readonly Part[]): Subtask {
  const task = stripSequence(part.text) || part.text;
  const subtask: Subtask = { id: `s${index + 1}`, task, depends_on: [], files: [], acceptance: [] };
  if (parts.length === 1) {
    subtask.reason = 'the goal is one task';
    return subtask;
  }
  const split = index === 0 ? 'first part of the goal' : `part ${index + 1} of the goal, split at ${describeConnector(part.joinedBy)}`;
  const because = index === 0 ? undefined : dependencyReason(part, task);
  if (because) subtask.depends_on.push(`s${index}`);
  subtask.reason = because ? `${split}; after s${index}: ${because}` : index === 0 ? split : `${split}; independent: runs in parallel`;
  return subtask;
}

function dependencyReason(part: Part, task: string): string | undefined {
  const sequence = /then/i.exec(part.joinedBy)?.[0] ?? SEQUENCE_WORDS.exec(part.text)?.[0]?.trim();
  if (sequence) return `"${sequence.toLowerCase()}" orders it`;
  const reference = BACK_REFERENCE.exec(task)?.[1];
  if (reference) return `"${reference.toLowerCase()}" refers back`;
  const followUp = FOLLOW_UP.exec(task)?.[0];
  if (followUp) return `"${followUp.toLowerCase()}" is about the work before it`;
  return undefined;
}

function describeConnector(connector: string): string {
  const word = connector.trim().replace(/\s+/g, ' ');
  return word === '.' ? 'a sentence break' : word === ',' ? 'a comma' : `"${word}"`;
}
