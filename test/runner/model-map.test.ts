/**
 * Regression: a brief's `model:` (sonnet / opus / haiku, or a full id) was ignored and every agent
 * ran on the provider's default model. It is now mapped per provider (src/providers/model-map.ts),
 * shown by `run --dry-run` for every provider of the chain, and sent in the request: the fixture
 * server records the model name each wire received. Unknown names and bad table entries warn
 * (CF7021, CF7022) with a hint.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { modelTable, resolveModel } from '../../src/providers/model-map.js';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-models-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIO(project, { ...fixtureEnv(server), CI: 'true', ...env }, '');
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('resolveModel', () => {
  const anthropic = { kind: 'anthropic' as const, model: 'claude-sonnet-4-5' };
  const openai = { kind: 'openai' as const, model: 'gpt-4.1-mini' };
  const ollama = { kind: 'ollama' as const, model: 'llama3.2' };
  const compatible = { kind: 'openai-compatible' as const, model: 'qwen2.5-coder' };
  const cli = { kind: 'cli' as const, model: 'cli', command: 'llm -m {model}' };
  const cliWithoutPlaceholder = { kind: 'cli' as const, model: 'cli', command: 'llm' };
  it.each([
    [anthropic, 'opus', {}, 'claude-opus-4-5', 'mapped'],
    [anthropic, 'haiku', {}, 'claude-haiku-4-5', 'mapped'],
    [openai, 'opus', {}, 'gpt-4.1', 'mapped'],
    [openai, 'sonnet', {}, 'gpt-4.1-mini', 'mapped'],
    [ollama, 'opus', {}, 'llama3.2', 'default'],
    [ollama, 'opus', { opus: 'qwen2.5-coder:32b' }, 'qwen2.5-coder:32b', 'mapped'],
    [anthropic, 'inherit', {}, 'claude-sonnet-4-5', 'default'],
    [anthropic, undefined, {}, 'claude-sonnet-4-5', 'default'],
    [anthropic, 'claude-3-5-haiku-latest', {}, 'claude-3-5-haiku-latest', 'passthrough'],
    [openai, 'claude-opus-4-5', {}, 'gpt-4.1-mini', 'default'],
    [anthropic, 'gpt-5', {}, 'claude-sonnet-4-5', 'default'],
    [ollama, 'llama3.1:70b', {}, 'llama3.1:70b', 'passthrough'],
    [openai, 'opus', { opus: 'gpt-5' }, 'gpt-5', 'mapped'],
    [anthropic, 'Opus', {}, 'claude-opus-4-5', 'mapped'],
    [anthropic, 'fable', {}, 'claude-sonnet-4-5', 'default'],
    [ollama, 'mistral', {}, 'mistral', 'passthrough'],
    [ollama, 'claude-opus-4-5', {}, 'llama3.2', 'default'],
    [compatible, 'anthropic/claude-opus-4-5', {}, 'anthropic/claude-opus-4-5', 'passthrough'],
    [cli, 'haiku', { haiku: 'gpt-4o-mini' }, 'gpt-4o-mini', 'mapped'],
    [cliWithoutPlaceholder, 'haiku', { haiku: 'gpt-4o-mini' }, 'cli', 'default'],
    [anthropic, 'opus', { opus: 'inherit' }, 'claude-sonnet-4-5', 'default'],
  ])('%o with model %s and table %o → %s (%s)', (settings, requested, configured, model, source) => {
    expect(resolveModel(settings, requested, modelTable(settings.kind, configured))).toMatchObject({ model, source });
  });

  it.each([
    [anthropic, 'sonet', 'sonnet'],
    [ollama, 'hiaku', 'haiku'],
    [openai, 'fast', undefined],
  ])("%o: the unknown alias %s falls back to the provider's own model, flagged (suggestion %s)", (settings, requested, suggestion) => {
    const resolved = resolveModel(settings, requested, modelTable(settings.kind, {}));
    expect(resolved).toMatchObject({ model: settings.model, source: 'default', unknown: true });
    expect(resolved.suggestion).toBe(suggestion);
  });
});

async function withConfig<T>(yaml: string, body: () => Promise<T>): Promise<T> {
  await writeFile(join(project, 'codex-flow.config.yaml'), yaml);
  try {
    return await body();
  } finally {
    await rm(join(project, 'codex-flow.config.yaml'));
  }
}

describe("a brief's model: reaches the provider", () => {
  it('an agent with model: haiku ran on the default model: openai now receives gpt-4.1-nano on the wire', async () => {
    server.enqueue('openai', { text: 'changelog' });
    const { code, out } = await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--provider', 'openai', '--json']);
    expect(code).toBe(0);
    expect(server.requests.map((request) => [request.wire, request.body.model])).toEqual([['openai', 'gpt-4.1-nano']]);
    expect(JSON.parse(out).tasks[0]).toMatchObject({ provider: 'openai', model: 'gpt-4.1-nano' });
  });

  it('the HTTP provider receives the model its config table maps haiku to', async () => {
    await withConfig('providers:\n  models:\n    http: { haiku: small-local }\n', async () => {
      server.enqueue('http', { text: 'changelog' });
      const { code } = await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--provider', 'http']);
      expect(code).toBe(0);
      expect(server.requests.map((request) => [request.wire, request.body.model])).toEqual([['http', 'small-local']]);
    });
  });

  it("an unknown alias (sonet) runs the provider's own model with a CF7021 warning and a did-you-mean hint, in run and --dry-run", async () => {
    await withConfig(
      'runner:\n  aliases:\n    typo-auditor: { id: security-auditor, overrides: { agent: { model: sonet } } }\n',
      async () => {
        server.enqueue('anthropic', { text: 'audited' });
        const run = await cli(['run', '--alias', 'typo-auditor', 'audit the login', '--provider', 'anthropic', '--json']);
        expect(run.code).toBe(0);
        expect(server.requests.map((request) => request.body.model)).toEqual(['claude-sonnet-4-5']);
        const warning = JSON.parse(run.out).diagnostics.find((entry: { code: string }) => entry.code === 'CF7021');
        expect(warning).toMatchObject({
          severity: 'warning',
          message: expect.stringContaining('`sonet`'),
          hint: expect.stringContaining('did you mean sonnet?'),
        });
        const dry = await cli(['run', '--alias', 'typo-auditor', 'audit', '--dry-run', '--provider', 'anthropic']);
        expect(dry.code).toBe(0);
        expect(dry.err).toContain('CF7021');
        expect(dry.out).toContain(
          '  model     sonet: anthropic claude-sonnet-4-5 (provider default: sonet is not a model name: did you mean sonnet?)',
        );
      },
    );
  });

  it('bad providers.models entries are CF7022 warnings with a hint; the good ones apply', async () => {
    await withConfig(
      'providers:\n  models:\n    antropic: { opus: claude-opus-4-1 }\n    anthropic: { opus: sonnet, haiku: claude-3-5-haiku-latest }\n',
      async () => {
        const { code, out } = await cli(['run', '--agent', 'changelog-writer', 'x', '--dry-run', '--json', '--provider', 'anthropic']);
        expect(code).toBe(0);
        const parsed = JSON.parse(out);
        const warnings = parsed.diagnostics.filter((entry: { code: string }) => entry.code === 'CF7022');
        expect(warnings.map((entry: { message: string }) => entry.message)).toEqual([
          'providers.models.antropic: there is no provider named antropic; ignored',
          'providers.models.anthropic.opus: sonnet is an alias, not a model id; ignored',
        ]);
        expect(warnings[0].hint).toContain('did you mean anthropic?');
        expect(parsed.plans[0].model.per_provider).toEqual([{ provider: 'anthropic', model: 'claude-3-5-haiku-latest', source: 'mapped' }]);
      },
    );
  });

  it('opus on anthropic: the request carries claude-opus-4-5 and the result names it', async () => {
    server.enqueue('anthropic', { text: 'audited' });
    const { code, out } = await cli(['run', '--agent', 'security-auditor', 'audit the login', '--provider', 'anthropic', '--json']);
    expect(code).toBe(0);
    expect(server.requests.map((request) => request.body.model)).toEqual(['claude-opus-4-5']);
    expect(JSON.parse(out).tasks[0]).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-5' });
  });

  it('the config table wins, and a failover sends each provider its own mapped model', async () => {
    await withConfig('providers:\n  models:\n    openai: { opus: gpt-5 }\n    ollama: { opus: "qwen2.5-coder:32b" }\n', async () => {
      server.enqueue('openai', { status: 503 });
      server.enqueue('ollama', { text: 'audited locally' });
      const { code } = await cli(['run', '--agent', 'security-auditor', 'audit the login', '--provider', 'openai', '--fallback', 'ollama']);
      expect(code).toBe(0);
      expect(server.requests.map((request) => [request.wire, request.body.model])).toEqual([
        ['openai', 'gpt-5'],
        ['ollama', 'qwen2.5-coder:32b'],
      ]);
    });
  });

  it('run --dry-run shows the model per provider of the chain, in text and JSON', async () => {
    const text = await cli([
      'run',
      '--agent',
      'security-auditor',
      'audit',
      '--dry-run',
      '--provider',
      'anthropic',
      '--fallback',
      'openai,ollama',
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      '  model     opus: anthropic claude-opus-4-5 · openai gpt-4.1 · ollama llama3.2 (provider default: no opus model mapped for this provider)',
    );
    const json = await cli(['run', '--agent', 'security-auditor', 'audit', '--dry-run', '--json', '--provider', 'anthropic']);
    expect(JSON.parse(json.out).plans[0].model).toEqual({
      requested: 'opus',
      per_provider: [{ provider: 'anthropic', model: 'claude-opus-4-5', source: 'mapped' }],
    });
    expect(server.requests).toHaveLength(0);
  });
});
