/**
 * The CLI provider: prompt on stdin or in an argument, streamed stdout, failures, and the
 * guarantee that a timeout, a stall or an early stop kills the whole process group.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProviderChain } from '../../src/providers/chain.js';
import { splitCommand } from '../../src/providers/command-template.js';
import { ProviderError } from '../../src/providers/errors.js';
import type { StreamEvent } from '../../src/providers/provider.js';
import { fakeClock, failure, recordLog, textsOf } from '../support/provider-env.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'cli');
const node = JSON.stringify(process.execPath);

function cliChain(command: string, extra: Record<string, string> = {}, config = {}) {
  const { events, log } = recordLog();
  const env = { PATH: process.env.PATH, CODEX_FLOW_CLI_CMD: command, ...extra };
  const chain = createProviderChain({ provider: 'cli' }, env, {
    log,
    stateFile: null,
    clock: fakeClock(),
    config: { rounds: 1, ...config },
  });
  return { chain, events };
}

/** Alive and not a zombie (an init that does not reap would leave killed children as zombies). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !existsSync(stat) || !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
}

async function waitUntilGone(pid: number, ms = 3_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}

describe('CLI provider', () => {
  it('sends the prompt on stdin and streams stdout', async () => {
    const { chain } = cliChain(`${node} ${join(CLI, 'echo-stdin.mjs')}`);
    const events: StreamEvent[] = [];
    for await (const event of chain.stream({ messages: [{ role: 'user', content: 'hello world' }] })) events.push(event);
    const texts = textsOf(events);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect(finish.result.text).toBe('echo: hello world');
    expect(finish.result.usage).toMatchObject({ estimated: true });
    expect(finish.result.usage.output).toBeGreaterThan(0);
    expect(finish.result.timings.ttftMs).toBeGreaterThan(0);
  });

  it('puts the prompt into the {prompt} argument as one word, without a shell', async () => {
    const { chain } = cliChain(`${node} ${join(CLI, 'print-args.mjs')} --model tiny --prompt={prompt}`);
    const result = await chain.generate({ system: 'Be terse.', messages: [{ role: 'user', content: 'a "quoted" $(rm -rf /) prompt' }] });
    expect(JSON.parse(result.text)).toEqual(['--model', 'tiny', '--prompt=System:\nBe terse.\n\nUser:\na "quoted" $(rm -rf /) prompt']);
  });

  it("puts the model mapped from the brief's model: into the {model} word, and its own model without one", async () => {
    const { chain } = cliChain(
      `${node} ${join(CLI, 'print-args.mjs')} -m {model} {prompt}`,
      { CODEX_FLOW_CLI_MODEL: 'tiny' },
      { models: { cli: { haiku: 'gpt-4o-mini' } } },
    );
    const mapped = await chain.generate({ model: 'haiku', messages: [{ role: 'user', content: 'hi {model}' }] });
    expect(JSON.parse(mapped.text)).toEqual(['-m', 'gpt-4o-mini', 'hi {model}']);
    expect(mapped.model).toBe('gpt-4o-mini');
    const own = await chain.generate({ messages: [{ role: 'user', content: 'hi' }] });
    expect(JSON.parse(own.text)).toEqual(['-m', 'tiny', 'hi']);
  });

  it('reports a non-zero exit with stderr, redacted, as a retryable error', async () => {
    const { chain } = cliChain(`${node} ${join(CLI, 'fail.mjs')}`);
    const error = await failure(chain.generate({ messages: [{ role: 'user', content: 'x' }] }));
    expect(error.kind).toBe('unavailable');
    const cause = (error as unknown as { causes: Array<{ error: ProviderError }> }).causes[0]!.error;
    expect(cause.kind).toBe('server');
    expect(cause.isRetryable).toBe(true);
    expect(cause.message).toContain('exited with code 3');
    expect(cause.message).toContain('model not loaded');
    expect(cause.message).not.toContain('LEAKEDKEY');
  });

  it('names CODEX_FLOW_CLI_CMD when the command does not exist', async () => {
    const { chain } = cliChain('codex-flow-no-such-binary --flag');
    const error = await failure(chain.generate({ messages: [{ role: 'user', content: 'x' }] }));
    expect(error.kind).toBe('request');
    expect(error.message).toContain('codex-flow-no-such-binary');
    expect(error.hint).toContain('CODEX_FLOW_CLI_CMD');
  });

  it.each([
    ['a timeout', {}, 400, 'timeout'],
    ['a stall', { stallTimeoutMs: 400 }, undefined, 'stall'],
  ] as const)('%s kills the whole process group, grandchildren included', async (_name, config, timeoutMs, kind) => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'cf-cli-')), 'grandchild.pid');
    const { chain } = cliChain(`sh ${join(CLI, 'grandchild.sh')} ${pidFile}`, {}, config);
    const seen: string[] = [];
    const started = Date.now();
    const error = await failure(
      (async () => {
        for await (const event of chain.stream({ messages: [{ role: 'user', content: 'x' }], timeoutMs }))
          if (event.type === 'text') seen.push(event.text);
      })(),
    );
    expect(seen.join('')).toBe('thinking');
    // the script sleeps 120 s: ending well before that means the kill, not the script, ended it
    expect(Date.now() - started).toBeLessThan(10_000);
    // text had arrived, so the chain reports the cut itself rather than failing over
    expect(error.kind).toBe(kind);
    expect(error.message).toContain('the answer is incomplete');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitUntilGone(grandchild)).toBe(true);
  });

  it('a consumer that stops reading kills the process group too', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'cf-cli-')), 'grandchild.pid');
    const { chain } = cliChain(`sh ${join(CLI, 'grandchild.sh')} ${pidFile}`);
    for await (const event of chain.stream({ messages: [{ role: 'user', content: 'x' }] })) {
      if (event.type === 'text') break;
    }
    expect(await waitUntilGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('splits command templates like a shell does for words and quotes only', () => {
    expect(splitCommand(`llm -m "gpt 4" --system 'be brief' a\\ b`)).toEqual(['llm', '-m', 'gpt 4', '--system', 'be brief', 'a b']);
    expect(splitCommand(`run "" x`)).toEqual(['run', '', 'x']);
    expect(() => splitCommand('llm "unclosed')).toThrowError(/unclosed "/);
  });
});
