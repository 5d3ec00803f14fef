/**
 * Test helpers for the runner: agent definitions built from the sample fleet's api-designer with
 * overrides, an in-memory fleet, a temporary project folder, a chain against the fixture provider
 * server, and readers for the run record.
 */
import { autonomyNeeded } from '../../src/runner/autonomy.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AgentDefinition } from '../../src/schema/definition.js';
import { mergeOverrides, type RunnerFleet } from '../../src/runner/aliases.js';
import { resolveRunnerOptions, type RunnerConfig, type RunnerOptions } from '../../src/runner/options.js';
import { MemoryOutcomeSink } from '../../src/learn/outcome.js';
import type { RunnerInit } from '../../src/runner/runner.js';
import type { ProviderServer } from './provider-server.js';
import { testChain } from './provider-env.js';

const BASE: AgentDefinition = parse(
  readFileSync(new URL('../../codex/agents/backend/api-designer.codex.yaml', import.meta.url), 'utf8'),
) as AgentDefinition;

/** A definition with id `id`, its own namespace, no log channels, and `overrides` merged in. */
export function agent(id: string, overrides: Record<string, unknown> = {}): AgentDefinition {
  const base = mergeOverrides(BASE, {
    agent: { id, name: id },
    memory: { namespaces: [`agent/${id}`], sharing_policy: { share_with: [], redact: ['api_key', 'password', 'secret', 'token'] } },
    observability: { log_channels: [] },
    prompt: { system: `You are ${id}.` },
  });
  const merged = mergeOverrides(base, overrides);
  // As the compiler does: an agent granted commands or file writes gets the autonomy to use them,
  // unless the test sets `runtime.autonomy_level` itself.
  const explicit = (overrides.runtime as { autonomy_level?: number } | undefined)?.autonomy_level !== undefined;
  if (!explicit) {
    const allowed = merged.capabilities.detail.tools.allowed;
    const needed = Math.max(0, ...allowed.map((tool) => autonomyNeeded(tool)?.level ?? 0));
    merged.runtime.autonomy_level = Math.max(merged.runtime.autonomy_level, needed);
  }
  return merged;
}

export function fleetOf(...definitions: AgentDefinition[]): RunnerFleet {
  const byId = new Map(definitions.map((definition) => [definition.agent.id, definition]));
  return { ids: [...byId.keys()], definition: (id) => byId.get(id) };
}

export function tempProject(prefix = 'cf-runner-'): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * A temporary project folder per test file: made before the file's tests, removed after. The
 * handle's `root` is readable inside tests and hooks.
 *
 * @example const project = useTempProject(); it('…', () => writeFileSync(join(project.root, 'x'), ''));
 */
export function useTempProject(prefix?: string): { readonly root: string } {
  let project: ReturnType<typeof tempProject> | undefined;
  beforeAll(() => {
    project = tempProject(prefix);
  });
  afterAll(() => project?.remove());
  return {
    get root(): string {
      if (!project) throw new Error('the project folder is made in beforeAll: use it inside a test or hook');
      return project.root;
    },
  };
}

/** Ways out of a workspace: `escape` → the outside folder, `secret-link.txt` → its `secret.txt` (TOP SECRET); and an empty `src/`. */
export function plantEscapes(root: string, outside: string): void {
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
  mkdirSync(join(root, 'src'));
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
}

export function runnerOptions(config: RunnerConfig = {}): RunnerOptions {
  return resolveRunnerOptions(config).options;
}

/** A RunnerInit against the fixture server's OpenAI wire, with outcomes kept in memory. */
export function runnerInit(
  server: ProviderServer,
  root: string,
  fleet: RunnerFleet,
  extra: Partial<RunnerInit> & { config?: RunnerConfig } = {},
): RunnerInit & { outcomes: MemoryOutcomeSink } {
  const { chain } = testChain(server, { provider: 'openai' });
  const { config, ...rest } = extra;
  return {
    root,
    fleet,
    options: runnerOptions(config),
    model: chain,
    memory: null,
    outcomes: new MemoryOutcomeSink(),
    ...rest,
  } as RunnerInit & { outcomes: MemoryOutcomeSink };
}

/** The events of a run record, parsed (a torn last line is skipped, as a reader should). */
export function readEvents(dir: string): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  for (const line of readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* torn line */
    }
  }
  return out;
}

/** The text of the last user message and the names of the tools offered, from a recorded OpenAI request. */
export function requestSummary(body: any): { tools: string[]; lastUser: string; toolResults: string[] } {
  const messages: any[] = body.messages ?? [];
  const tools = (body.tools ?? []).map((tool: any) => tool.function?.name ?? tool.name);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const toolResults = messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
  return {
    tools,
    lastUser: typeof lastUser?.content === 'string' ? lastUser.content : JSON.stringify(lastUser?.content ?? ''),
    toolResults,
  };
}

/**
 * Whether a process is gone: killed and reaped. A SIGKILLed orphan is a zombie until init reaps
 * it, so this polls (at most two seconds) instead of checking once.
 */
/**
 * Whether no process on the machine has `marker` in its command line, within 2 s. Works for
 * processes in a PID namespace (a sandbox), whose own pid means nothing out here.
 */
export async function commandGone(marker: string): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (processesWith(marker).length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** Host pids whose command line contains `marker` (not this test process). */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

export async function processGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}
