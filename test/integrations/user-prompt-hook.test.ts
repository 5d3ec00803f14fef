/**
 * `codex-flow hook user-prompt` as a function of its stdin: a hint on a confident prompt, silence
 * when unsure, and silence with one coded reason for garbage stdin, no project, a broken fleet and
 * a route that runs past the cap. A server that answers is used; one that stalls, refuses the
 * token or serves another project is not, and the local route still answers within the cap.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerUserPrompt, SERVER_TIMEOUT_MS, type HookDependencies } from '../../src/integrations/user-prompt-hook.js';
import { hookStdin, printingCli, removeProject, routeBody, routeServer, sampleProject } from './support/hook-project.js';

const CONFIDENT = 'add a GraphQL resolver for orders';
const UNSURE = 'hello, how are you today?';
/** The real CLI from source, as the local route: slow to start under tsx, so these get time. */
const SOURCE_CLI = [
  process.execPath,
  '--import',
  import.meta.resolve('tsx'),
  new URL('../support/cli-process.ts', import.meta.url).pathname,
];
const NO_CLI = [join(tmpdir(), 'no-such-codex-flow')];

let project: string;
let confidentBody: string;
beforeAll(async () => {
  project = sampleProject();
  confidentBody = await routeBody(project, CONFIDENT);
});
afterAll(() => removeProject(project));

function deps(overrides: Partial<HookDependencies> & { capMs?: number } = {}): HookDependencies {
  const { capMs = 1500, ...rest } = overrides;
  return { cwd: project, env: { CODEX_FLOW_SERVER: 'off' }, deadline: Date.now() + capMs, now: Date.now, cliCommand: NO_CLI, ...rest };
}

describe('hook user-prompt, routing locally', () => {
  it('a confident prompt: the hook output names the subagent, its description and the evidence', async () => {
    const answer = await answerUserPrompt(hookStdin(CONFIDENT, project), deps({ cliCommand: SOURCE_CLI, capMs: 60_000 }));
    expect(answer).toMatchObject({ kind: 'hint', agent: 'graphql-resolver-engineer', via: 'local' });
    const output = JSON.parse(answer.kind === 'hint' ? answer.stdout : '{}');
    expect(output.hookSpecificOutput.hookEventName).toBe('UserPromptSubmit');
    const context: string = output.hookSpecificOutput.additionalContext;
    expect(context).toContain('subagent_type: "graphql-resolver-engineer"');
    expect(context).toMatch(/graphql-resolver-engineer: Use this agent for GraphQL/);
    expect(context).toMatch(/keyword "graphql" matched "GraphQL"/);
  }, 90_000);

  it('an unsure prompt: nothing', async () => {
    expect(await answerUserPrompt(hookStdin(UNSURE, project), deps({ cliCommand: SOURCE_CLI, capMs: 60_000 }))).toEqual({
      kind: 'unsure',
      via: 'local',
    });
  }, 90_000);

  it('the same route body always gives the same bytes', async () => {
    const cli = printingCli(project, confidentBody);
    const first = await answerUserPrompt(hookStdin(CONFIDENT, project), deps({ cliCommand: cli }));
    const second = await answerUserPrompt(hookStdin(CONFIDENT, project), deps({ cliCommand: cli }));
    expect(first.kind).toBe('hint');
    expect(second).toEqual(first);
  });

  it('the prompt reaches the route child on its stdin, never on its command line', async () => {
    const seen = join(project, 'child-saw.json');
    const script = join(project, 'record-child.cjs');
    writeFileSync(join(project, 'route-body.json'), confidentBody);
    writeFileSync(
      script,
      `const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ argv: process.argv.slice(2), stdin: fs.readFileSync(0, 'utf8') })); process.stdout.write(fs.readFileSync(${JSON.stringify(join(project, 'route-body.json'))}));\n`,
    );
    const secret = `${CONFIDENT} with the key sk-not-for-ps`;
    expect(await answerUserPrompt(hookStdin(secret, project), deps({ cliCommand: [process.execPath, script] }))).toMatchObject({
      kind: 'hint',
    });
    const child = JSON.parse(readFileSync(seen, 'utf8'));
    expect(child.argv).toEqual(['hook', 'route']);
    expect(JSON.parse(child.stdin)).toEqual({ task: secret, top: 3 });
  });

  it('garbage, empty, non-object and other-event stdin: silent, CF9545', async () => {
    for (const stdin of [
      'garbage',
      '',
      '[1,2]',
      '{"prompt": 7}',
      JSON.stringify({ hook_event_name: 'PreToolUse', prompt: 'x', cwd: project }),
    ]) {
      expect(await answerUserPrompt(stdin, deps())).toMatchObject({ kind: 'silent', code: 'CF9545' });
    }
  });

  it('no project at cwd: silent, CF9546', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'cf-hook-none-'));
    try {
      expect(await answerUserPrompt(hookStdin(CONFIDENT, elsewhere), deps())).toMatchObject({ kind: 'silent', code: 'CF9546' });
    } finally {
      removeProject(elsewhere);
    }
  });

  it('a broken fleet index: silent, CF9546; a fleet the route refuses: silent, CF9547', async () => {
    const broken = sampleProject();
    try {
      writeFileSync(join(broken, 'codex/agents/triggers.json'), '{ not json');
      writeFileSync(join(broken, 'codex/agents/routing.bin'), 'not an image');
      const refused = await answerUserPrompt(hookStdin(CONFIDENT, broken), deps({ cliCommand: SOURCE_CLI, capMs: 60_000 }));
      expect(refused).toMatchObject({ kind: 'silent', code: 'CF9547' });
      writeFileSync(join(broken, 'codex/agents/index.json'), '{ not json');
      expect(await answerUserPrompt(hookStdin(CONFIDENT, broken), deps())).toMatchObject({ kind: 'silent', code: 'CF9546' });
    } finally {
      removeProject(broken);
    }
  }, 90_000);

  it('a local route that hangs is killed at the cap: silent, CF9547, on time', async () => {
    const started = Date.now();
    const answer = await answerUserPrompt(
      hookStdin(CONFIDENT, project),
      deps({ cliCommand: [process.execPath, '-e', 'setTimeout(() => {}, 60_000)'], capMs: 500 }),
    );
    expect(answer).toMatchObject({ kind: 'silent', code: 'CF9547' });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('hook user-prompt, with a server', () => {
  it('a server that answers is used, with the token, and the local route is not started', async () => {
    const server = await routeServer(() => ({ status: 200, body: confidentBody }));
    try {
      const answer = await answerUserPrompt(
        hookStdin(CONFIDENT, project),
        deps({ env: { CODEX_FLOW_SERVER: server.url, CODEX_FLOW_TOKEN: 'secret' } }),
      );
      expect(answer).toMatchObject({ kind: 'hint', agent: 'graphql-resolver-engineer', via: 'server' });
      expect(server.requests).toEqual([{ authorization: 'Bearer secret', body: { task: CONFIDENT, top: 3, rerank: false } }]);
    } finally {
      await server.close();
    }
  });

  it('asks the server not to rerank: a router.rerank model call would miss the 150 ms server timeout', async () => {
    const server = await routeServer(() => ({ status: 200, body: confidentBody }));
    try {
      await answerUserPrompt(hookStdin(CONFIDENT, project), deps({ env: { CODEX_FLOW_SERVER: server.url } }));
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.body).toMatchObject({ rerank: false });
    } finally {
      await server.close();
    }
  });

  it('a server that stalls: the local route answers, within the cap', async () => {
    const server = await routeServer(() => undefined);
    try {
      const started = Date.now();
      const answer = await answerUserPrompt(
        hookStdin(CONFIDENT, project),
        deps({ env: { CODEX_FLOW_SERVER: server.url }, cliCommand: printingCli(project, confidentBody) }),
      );
      expect(answer).toMatchObject({ kind: 'hint', via: 'local' });
      expect(server.requests).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(SERVER_TIMEOUT_MS - 5);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await server.close();
    }
  });

  it('a server that refuses the token, answers garbage, serves another project or answers without a result is not used', async () => {
    const otherProject = JSON.parse(confidentBody);
    otherProject.result.candidates[0].id = 'an-agent-of-another-project';
    const noResult = { status: 200, body: '{"ok":true,"diagnostics":[]}' };
    for (const reply of [
      { status: 401, body: '{"ok":false}' },
      { status: 200, body: '<html>' },
      { status: 200, body: JSON.stringify(otherProject) },
      noResult,
    ]) {
      const server = await routeServer(() => reply);
      try {
        const answer = await answerUserPrompt(
          hookStdin(CONFIDENT, project),
          deps({ env: { CODEX_FLOW_SERVER: server.url }, cliCommand: printingCli(project, confidentBody) }),
        );
        expect(answer, reply.body).toMatchObject({ kind: 'hint', agent: 'graphql-resolver-engineer', via: 'local' });
      } finally {
        await server.close();
      }
    }
  });

  it('no server listening: the local route answers', async () => {
    const answer = await answerUserPrompt(
      hookStdin(CONFIDENT, project),
      deps({ env: { CODEX_FLOW_SERVER: 'http://127.0.0.1:9' }, cliCommand: printingCli(project, confidentBody) }),
    );
    expect(answer).toMatchObject({ kind: 'hint', via: 'local' });
  });
});
