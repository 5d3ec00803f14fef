/**
 * The HTTP hook form's answer (what `serve` mounts): the same bytes as the command form for the
 * same route, an empty 200 when unsure, a 400 for input that is not UserPromptSubmit JSON.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { createRouter } from '../../src/router/staged-router.js';
import { answerUserPrompt, userPromptHookReply } from '../../src/integrations/user-prompt-hook.js';
import { readFleetAgents } from '../../src/integrations/fleet-agents.js';
import { hookStdin, printingCli, removeProject, routeBody, sampleProject } from './support/hook-project.js';

const root = join(import.meta.dirname, '../..');
const router = createRouter(loadFleet(join(root, 'codex/agents')).fleet!);
const route = (task: string) => router.route({ task }, { top: 3 });

describe('userPromptHookReply', () => {
  it("gives the command form's bytes for a confident prompt, nothing when unsure, 400 for garbage", async () => {
    const project = sampleProject();
    try {
      const fleet = await readFleetAgents(project);
      const describe = (id: string) => (fleet.ok ? fleet.agents.get(id) : undefined);
      const task = 'add a GraphQL resolver for orders';
      const reply = userPromptHookReply(hookStdin(task, project), route, describe);
      const command = await answerUserPrompt(hookStdin(task, project), {
        cwd: project,
        env: { CODEX_FLOW_SERVER: 'off' },
        deadline: Date.now() + 5000,
        now: Date.now,
        cliCommand: printingCli(project, await routeBody(project, task)),
      });
      expect(reply.status).toBe(200);
      expect(command.kind === 'hint' && command.stdout).toBe(reply.body);
      expect(userPromptHookReply(hookStdin('hello, how are you today?', project), route, describe)).toEqual({ status: 200, body: '' });
      expect(userPromptHookReply('garbage', route, describe).status).toBe(400);
    } finally {
      removeProject(project);
    }
  });
});
