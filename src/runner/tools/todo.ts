/**
 * TodoWrite: the model's own task list. It touches nothing outside the task: the list lives in
 * the task's context and is kept in the run record, so a person can see how the agent planned.
 */
import { done, fail, objectSchema, type ToolImpl } from './types.js';

/** A plan longer than this is a sign of a runaway loop, not of a careful agent. */
const MAX_TODOS = 200;

export const todoWriteTool: ToolImpl = {
  name: 'TodoWrite',
  spec: {
    name: 'TodoWrite',
    description: 'Replace your task list for this task.',
    parameters: objectSchema(
      {
        todos: {
          type: 'array',
          items: objectSchema(
            { content: { type: 'string' }, status: { enum: ['pending', 'in_progress', 'completed'] }, activeForm: { type: 'string' } },
            ['content', 'status'],
          ),
        },
      },
      ['todos'],
    ),
  },
  async run(input, context) {
    if (!Array.isArray(input.todos)) return fail('todos must be a list');
    if (input.todos.length > MAX_TODOS) return fail(`at most ${MAX_TODOS} todos`);
    context.todos.splice(0, context.todos.length, ...input.todos);
    const open = input.todos.filter((todo) => (todo as { status?: string })?.status !== 'completed').length;
    return done(`${input.todos.length} todos (${open} open)`);
  },
};
