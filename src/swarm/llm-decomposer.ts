/**
 * The LLM decomposer (`--decomposer llm`): the goal, the fleet's agents (id and one-line
 * description) and the limits go to the provider chain, and the answer must be strict JSON in the
 * plan file's shape. The answer is checked like a plan file (shape, ids, dependencies, cycles,
 * `--max-subtasks`) and its agents against the fleet; a bad answer gets one repair try, with the
 * problems listed; a second bad answer, or a failed call, gives the heuristic plan instead (CF8115,
 * with the reasons), so planning never fails because a model did.
 *
 * @example
 * const { plan, diagnostics } = await decomposeWithModel(goal, { model: chain, agents, maxSubtasks: 50, knows });
 */
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ModelClient } from '../runner/agent-loop.js';
import { isProgrammingError } from '../providers/faults.js';
import { decomposeGoal } from './decompose.js';
import { parsePlanFile } from './plan-file.js';
import type { SwarmPlan } from './plan.js';
import { validatePlan } from './validate-plan.js';

/** Agents listed in the planner's prompt: the fleet's first ones by id; a larger fleet is routed after planning anyway. */
const MAX_AGENTS_LISTED = 200;
/** Characters of each agent's description in the prompt: one line is enough to choose by. */
const DESCRIPTION_CHARS = 160;
/** Output tokens the planner may use: a plan of fifty subtasks in JSON fits. */
const PLANNER_OUTPUT_TOKENS = 4_000;
const ANSWER_FILE = 'planner answer';

export interface LlmDecomposeInput {
  model: ModelClient;
  agents: ReadonlyArray<{ id: string; description: string }>;
  maxSubtasks: number;
  knows: (name: string) => boolean;
  signal?: AbortSignal;
}

export async function decomposeWithModel(goal: string, input: LlmDecomposeInput): Promise<{ plan: SwarmPlan; diagnostics: Diagnostic[] }> {
  const messages: Array<{ role: 'user' | 'assistant'; content: string }> = [{ role: 'user', content: plannerPrompt(goal, input) }];
  const problems: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    let answer: string;
    try {
      const result = await input.model.generate(
        { system: SYSTEM, messages, maxOutputTokens: PLANNER_OUTPUT_TOKENS, temperature: 0 },
        input.signal,
      );
      answer = result.text;
    } catch (error) {
      // A bug of codex-flow is not the planner's failure: it ends the command (exit 70), not in a fallback.
      if (isProgrammingError(error)) throw error;
      problems.push(`the planner call failed: ${(error as Error).message}`);
      break;
    }
    const checked = checkAnswer(answer, goal, input);
    if (checked.plan) {
      const repaired = attempt > 1 ? [diagnostic('CF8116', `the planner's first answer was repaired: ${problems.join('; ')}`)] : [];
      return { plan: checked.plan, diagnostics: repaired };
    }
    problems.push(`answer ${attempt}: ${checked.problems.join('; ')}`);
    messages.push(
      { role: 'assistant', content: answer },
      {
        role: 'user',
        content: `That answer cannot be used:\n${checked.problems.map((p) => `- ${p}`).join('\n')}\nAnswer again with the corrected JSON only.`,
      },
    );
  }
  return {
    plan: decomposeGoal(goal),
    diagnostics: [diagnostic('CF8115', `the llm decomposer's plan could not be used (${problems.join('; ')}); the heuristic plan is used`)],
  };
}

const SYSTEM =
  'You plan software work for a fleet of coding agents. You split a goal into subtasks and answer with JSON only, no prose, no code fences.';

function plannerPrompt(goal: string, input: LlmDecomposeInput): string {
  const agents = input.agents
    .slice(0, MAX_AGENTS_LISTED)
    .map((agent) => `- ${agent.id}: ${agent.description.replace(/\s+/g, ' ').slice(0, DESCRIPTION_CHARS)}`);
  return [
    `Goal: ${goal}`,
    `Agents (id: what it does):\n${agents.join('\n')}`,
    `Limits: at most ${input.maxSubtasks} subtasks; depends_on only names ids of this plan; no cycles; agent, when given, is an id from the list.`,
    'Answer with this JSON shape: {"goal": string, "subtasks": [{"id": string, "task": string, "agent"?: string, "depends_on"?: [string], "files"?: [string], "acceptance"?: [string]}]}',
  ].join('\n\n');
}

/** The answer as a plan, or what is wrong with it, in words the repair prompt can hand back. */
function checkAnswer(answer: string, goal: string, input: LlmDecomposeInput): { plan?: SwarmPlan; problems: string[] } {
  const text = answer
    .trim()
    .replace(/^```(?:json)?\s*\n?/, '')
    .replace(/\n?```$/, '');
  if (!text.startsWith('{')) return { problems: ['the answer is not a JSON object'] };
  try {
    JSON.parse(text);
  } catch (error) {
    return { problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = parsePlanFile(text, ANSWER_FILE);
  const describe = (list: Diagnostic[]) => list.filter((entry) => entry.severity === 'error').map((entry) => entry.message);
  if (!parsed.plan || hasErrors(parsed.diagnostics)) return { problems: describe(parsed.diagnostics) };
  const problems = describe(validatePlan(parsed.plan, { maxSubtasks: input.maxSubtasks }));
  for (const subtask of parsed.plan.subtasks)
    if (subtask.agent !== undefined && !input.knows(subtask.agent))
      problems.push(`subtask "${subtask.id}" names agent "${subtask.agent}", which is not in the list`);
  if (problems.length > 0) return { problems };
  return { plan: { ...parsed.plan, goal: parsed.plan.goal || goal, source: 'llm' }, problems: [] };
}
