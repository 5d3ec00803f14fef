/**
 * `autonomy_level` at run time: a scripted provider asks for a Write (then a Bash, then a Read) at
 * each level; below the documented threshold the call is refused (CF5100) unless a
 * `runner.hooks.approve` command approves it, and read-only tools are never gated.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { AUTONOMY_TO_RUN, AUTONOMY_TO_WRITE } from '../../src/runner/autonomy.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, requestSummary, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();

const levels = [0, 1, 2, 3, 4];
const fleet = fleetOf(
  ...levels.map((level) =>
    agent(`level${level}`, {
      runtime: { autonomy_level: level },
      capabilities: { detail: { tools: { allowed: ['Read', 'Write', 'Bash'], restricted: [] } } },
    }),
  ),
);

async function askFor(level: number, tool: 'Write' | 'Bash' | 'Read', config: Record<string, unknown> = {}) {
  const file = `out-${tool}-${level}-${Object.keys(config).length}.txt`;
  const input =
    tool === 'Write' ? { file_path: file, content: 'x' } : tool === 'Bash' ? { command: `echo ran > ${file}` } : { file_path: 'seed.txt' };
  server.enqueue('openai', { toolCalls: [{ id: 'c1', name: tool, input }] });
  server.enqueue('openai', (request) => ({ text: requestSummary(request.body).toolResults.join('') }));
  const init = runnerInit(server, project.root, fleet, { config: { sandbox: { enabled: false }, ...config } });
  const result = await runTasks([{ agent: `level${level}`, task: `use ${tool}` }], init);
  return { task: result.tasks[0]!, wrote: existsSync(join(project.root, file)), events: readEvents(join(project.root, result.record!)) };
}

describe('autonomy_level at run time', () => {
  it('refuses a Write below level 2 and a Bash below level 3 (CF5100), runs them at and above', async () => {
    writeFileSync(join(project.root, 'seed.txt'), 'seed');
    for (const level of levels) {
      const write = await askFor(level, 'Write');
      expect(write.wrote, `Write at level ${level}`).toBe(level >= AUTONOMY_TO_WRITE);
      expect(write.task.tool_refusals).toBe(level >= AUTONOMY_TO_WRITE ? 0 : 1);
      if (level < AUTONOMY_TO_WRITE) {
        const refused = write.events.find((event) => event.event === 'tool-refused');
        expect(refused).toMatchObject({ tool: 'Write', code: 'CF5100', outside_allow_list: false });
        expect(refused!.reason).toContain(`needs autonomy_level ≥ 2, level${level} runs at ${level}`);
        expect(write.task.text).toContain('refused:');
      }
      const bash = await askFor(level, 'Bash');
      expect(bash.wrote, `Bash at level ${level}`).toBe(level >= AUTONOMY_TO_RUN);
      const read = await askFor(level, 'Read');
      expect(read.task.tool_refusals, `Read at level ${level}`).toBe(0);
      expect(read.task.text).toContain('seed');
    }
  });

  it('runs a call below the level when the runner.hooks.approve command exits 0, and refuses it when it exits 1', async () => {
    const approved = await askFor(1, 'Write', { hooks: { approve: 'test "$CF_TOOL" = Write && test "$CF_AUTONOMY_NEEDED" = 2' } });
    expect(approved.wrote).toBe(true);
    expect(approved.events.some((event) => event.event === 'tool-approved' && event.tool === 'Write')).toBe(true);
    const refused = await askFor(1, 'Bash', { hooks: { approve: ['true', 'test "$CF_TOOL" = Write'] } });
    expect(refused.wrote).toBe(false);
    expect(refused.events.find((event) => event.event === 'tool-refused')!.reason).toContain('the runner.hooks.approve hook refused it');
  });

  it('gates an MCP bridge call like a command: a bridge is a configured shell command (mcp bypass of the autonomy gate)', async () => {
    const bridged = fleetOf(
      agent('reader', {
        runtime: { autonomy_level: 0 },
        capabilities: { detail: { tools: { allowed: ['Read', 'mcp__fs__write_file'], restricted: [] } } },
      }),
      agent('runner', {
        runtime: { autonomy_level: AUTONOMY_TO_RUN },
        capabilities: { detail: { tools: { allowed: ['Read', 'mcp__fs__write_file'], restricted: [] } } },
      }),
    );
    const bridge = { tools: { mcp: { fs: { command: 'cat >/dev/null; echo written > pwned.txt' } } } };
    const call = async (name: string) => {
      server.enqueue('openai', { toolCalls: [{ id: 'c1', name: 'mcp__fs__write_file', input: { path: 'x' } }] });
      server.enqueue('openai', (request) => ({ text: requestSummary(request.body).toolResults.join('') }));
      const init = runnerInit(server, project.root, bridged, { config: { sandbox: { enabled: false }, ...bridge } });
      const result = await runTasks([{ agent: name, task: 'write through the bridge' }], init);
      return { task: result.tasks[0]!, events: readEvents(join(project.root, result.record!)) };
    };
    const refused = await call('reader');
    expect(existsSync(join(project.root, 'pwned.txt'))).toBe(false);
    expect(refused.task.tool_refusals).toBe(1);
    expect(refused.events.find((event) => event.event === 'tool-refused')).toMatchObject({ tool: 'mcp__fs__write_file', code: 'CF5100' });
    expect(refused.events.find((event) => event.event === 'tool-refused')!.reason).toContain(`needs autonomy_level ≥ ${AUTONOMY_TO_RUN}`);
    const ran = await call('runner');
    expect(ran.task.tool_refusals).toBe(0);
    expect(existsSync(join(project.root, 'pwned.txt'))).toBe(true);
  });

  it('approves a large non-ASCII Write: the input is on the hook stdin, not in an env string past the 128 KiB limit', async () => {
    server.enqueue('openai', { toolCalls: [{ id: 'c1', name: 'Write', input: { file_path: 'wide.txt', content: '文'.repeat(50_000) } }] });
    server.enqueue('openai', (request) => ({ text: requestSummary(request.body).toolResults.join('') }));
    const approve = 'test "$(head -c 38)" = \'{"file_path":"wide.txt","content":"文\' && cat >/dev/null && test -z "${CF_TOOL_INPUT+set}"';
    const init = runnerInit(server, project.root, fleet, { config: { sandbox: { enabled: false }, hooks: { approve } } });
    const result = await runTasks([{ agent: 'level1', task: 'write wide text' }], init);
    expect(result.tasks[0]!.tool_refusals).toBe(0);
    expect(readFileSync(join(project.root, 'wide.txt'), 'utf8')).toBe('文'.repeat(50_000));
  });

  it('says a hook that could not be started could not start, rather than that it refused', async () => {
    rmSync(join(project.root, 'out-Write-1-1.txt'), { force: true });
    const unstarted = await askFor(1, 'Write', { hooks: { approve: 'no-such-approver-command-xyz' } });
    expect(unstarted.wrote).toBe(false);
    const reason = unstarted.events.find((event) => event.event === 'tool-refused')!.reason as string;
    expect(reason).toContain('could not be started');
    expect(reason).not.toContain('the runner.hooks.approve hook refused it');
  });
});
