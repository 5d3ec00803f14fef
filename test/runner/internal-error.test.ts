/**
 * Regression: the launcher's `TypeError [ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING]`, thrown when a
 * provider package was imported, was reported as a provider `server` failure on every provider;
 * `run --provider openai --fallback anthropic` failed over in a loop, opened both circuits and
 * saved them, and the next healthy run refused a healthy provider ("circuit open"). Reproduced
 * here by making the model factory throw that very error: `run` must end as an internal error
 * (main rejects; bin/codex-flow.js prints "internal error" and exits 70), the state file stays
 * untouched, learning hears nothing, and the next run works.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';

const fault = vi.hoisted(() => ({ on: true }));

vi.mock('../../src/providers/models.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/providers/models.js')>();
  return {
    ...original,
    createLanguageModel: async (settings: Parameters<typeof original.createLanguageModel>[0]) => {
      if (fault.on)
        throw Object.assign(new TypeError('A dynamic import callback was not specified.'), {
          code: 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING',
        });
      return original.createLanguageModel(settings);
    },
  };
});

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-internal-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('a programming error in a provider call is an internal error, not a provider failure', () => {
  it('run exits as an internal error, leaves the provider state untouched, and the next run is served', async () => {
    const argv = ['run', '--agent', 'api-designer', 'review the pagination', '--provider', 'openai', '--fallback', 'anthropic', '--json'];
    const io = memoryIO(project, { ...fixtureEnv(server), CI: 'true' }, '');
    const thrown = await main(argv, io).then(
      (code) => `exit ${code}`,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as { code?: string }).code).toBe('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING');
    expect(io.err()).not.toMatch(/failover|circuit open|server/);
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(project, '.codex-flow/providers-state.json'))).toBe(false);
    expect(existsSync(join(project, '.codex-flow/outcomes.jsonl'))).toBe(false);
    // the run record says what happened, as an internal error
    const runs = join(project, '.runs');
    const [record] = (await import('node:fs')).readdirSync(runs);
    const result = JSON.parse(readFileSync(join(runs, record!, 'result.json'), 'utf8'));
    expect(result.tasks[0]).toMatchObject({ stop_reason: 'internal-error', error: expect.stringContaining('internal error') });

    fault.on = false;
    server.enqueue('openai', { text: 'served' });
    const next = memoryIO(project, { ...fixtureEnv(server), CI: 'true' }, '');
    expect(await main(argv, next)).toBe(0);
    expect(JSON.parse(next.out()).tasks[0]).toMatchObject({ provider: 'openai', stop_reason: 'completed' });
  });
});
