import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { loadFleet, MAX_DEFINITION_BYTES } from '../../src/fleet/load.js';
import { createRouter } from '../../src/router/staged-router.js';
import { validateFleet } from '../../src/compiler/validate-fleet.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const CI = { CI: 'true' };

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-fleet-shape-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  return dir;
}

function writeIndex(dir: string, value: unknown): void {
  writeFileSync(join(dir, 'codex/agents/index.json'), typeof value === 'string' ? value : JSON.stringify(value));
}

async function cli(dir: string, argv: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIO(dir, CI);
  const code = await main(argv, io);
  return { code, err: io.err() };
}

describe('wrong-shaped fleet files (regression: "undefined version undefined", stack traces, null passing validate)', () => {
  it('an index.json of {} says it is not a fleet file, in route, run and validate', async () => {
    const dir = project();
    writeIndex(dir, {});
    for (const argv of [['route', 'add a resolver'], ['run', '--dry-run', 'add a resolver'], ['validate']]) {
      const { code, err } = await cli(dir, argv);
      expect(code, argv.join(' ')).toBe(1);
      expect(err).toContain('error CF5040: index.json has no "format": it is not a codex-flow fleet file');
      expect(err).not.toContain('undefined');
    }
  });

  it('an index.json of null fails validate', async () => {
    const dir = project();
    writeIndex(dir, 'null');
    const { code, err } = await cli(dir, ['validate']);
    expect(code).toBe(1);
    expect(err).toContain('codex/agents/index.json:1:1: error CF5040: index.json holds null, not a fleet index');
  });

  it('names the wrong fields of index.json and triggers.json instead of crashing', async () => {
    const dir = project();
    const index = JSON.parse(readFileSync(join(dir, 'codex/agents/index.json'), 'utf8'));
    index.agents = 'everyone';
    writeIndex(dir, index);
    const triggers = JSON.parse(readFileSync(join(dir, 'codex/agents/triggers.json'), 'utf8'));
    triggers.keywords = { graphql: 'graphql-architect' };
    writeFileSync(join(dir, 'codex/agents/triggers.json'), JSON.stringify(triggers));
    for (const argv of [['route', 'add a resolver'], ['validate'], ['run', '--dry-run', 'add a resolver']]) {
      const { code, err } = await cli(dir, argv);
      expect(code).toBe(1);
      expect(err).toContain('error CF5041: index.json has 1 wrong-shaped field(s): `agents` should be a list, not a string "everyone"');
      expect(err).toContain(
        'error CF5041: triggers.json has 1 wrong-shaped field(s): `keywords["graphql"]` should be a list of strings, not a string "graphql-architect"',
      );
    }
  });

  it('refuses an index entry whose path leaves the fleet folder (it made route read /dev/zero)', async () => {
    const dir = project();
    const index = JSON.parse(readFileSync(join(dir, 'codex/agents/index.json'), 'utf8'));
    index.agents[0].path = '../../../../../../../../dev/zero';
    writeIndex(dir, index);
    const { code, err } = await cli(dir, ['route', 'add a resolver', '--explain']);
    expect(code).toBe(1);
    expect(err).toContain(
      '`agents[0].path` should be a relative path inside the fleet folder, not a string "../../../../../../../../dev/zero"',
    );
  });

  it('reads a definition only when it is a regular file under the size cap', () => {
    const dir = project();
    const fleetDir = join(dir, 'codex/agents');
    const { fleet } = loadFleet(fleetDir);
    const [zero, fifo, huge] = fleet!.index.agents;
    rmSync(join(fleetDir, zero!.path));
    symlinkSync('/dev/zero', join(fleetDir, zero!.path));
    rmSync(join(fleetDir, fifo!.path));
    execFileSync('mkfifo', [join(fleetDir, fifo!.path)]);
    truncateSync(join(fleetDir, huge!.path), MAX_DEFINITION_BYTES + 1);
    expect(fleet!.definition(zero!.id)).toBeUndefined();
    expect(fleet!.definition(fifo!.id)).toBeUndefined();
    expect(fleet!.definition(huge!.id)).toBeUndefined();
    const messages = fleet!.diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages).toEqual([
      `CF5042 ${zero!.path}: not a regular file (a character device)`,
      `CF5042 ${fifo!.path}: not a regular file (a FIFO)`,
      `CF5042 ${huge!.path}: too large (${MAX_DEFINITION_BYTES + 1} bytes; the limit is ${MAX_DEFINITION_BYTES} bytes)`,
    ]);
  });

  it('an index.json that is a FIFO or /dev/zero is a diagnostic, not a hang', async () => {
    const dir = project();
    rmSync(join(dir, 'codex/agents/index.json'));
    symlinkSync('/dev/zero', join(dir, 'codex/agents/index.json'));
    expect((await cli(dir, ['route', 'x'])).err).toContain('error CF5042');
    rmSync(join(dir, 'codex/agents/index.json'));
    execFileSync('mkfifo', [join(dir, 'codex/agents/index.json')]);
    expect((await cli(dir, ['route', 'x'])).err).toContain('not a regular file (a FIFO)');
  });

  it('a routing.bin that is a FIFO does not hang route: it routes from the JSON files', async () => {
    const dir = project();
    rmSync(join(dir, 'codex/agents/routing.bin'), { force: true });
    execFileSync('mkfifo', [join(dir, 'codex/agents/routing.bin')]);
    expect((await cli(dir, ['route', 'a graphql schema'])).code).toBe(0);
  }, 15_000);
});

/** Every field of both files, replaced by each wrong value: loading, routing and validating never throw. */
describe('fleet files with any one field wrong never crash a reader', () => {
  // ['ghost'] is well-shaped where a list of agent ids belongs, but names no agent of the fleet.
  const WRONG = [null, 5, 'x', {}, ['ghost']];

  function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
    if (value === null || typeof value !== 'object') return [prefix];
    // Every field of an object; the first item of a list and two keys of a large map stand for the rest.
    const all = Object.keys(value);
    const keys = Array.isArray(value) ? value.slice(0, 1).map((_, i) => i) : all.length > 12 ? all.slice(0, 2) : all;
    return [prefix, ...keys.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...prefix, key]))];
  }

  function replaced(value: unknown, path: Array<string | number>, wrong: unknown): unknown {
    if (path.length === 0) return wrong;
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path.at(-1)!] = wrong;
    return copy;
  }

  it.each(['index.json', 'triggers.json'])('%s', async (file) => {
    const dir = project();
    const fleetDir = join(dir, 'codex/agents');
    const original = JSON.parse(readFileSync(join(fleetDir, file), 'utf8'));
    let cases = 0;
    for (const path of paths(original)) {
      for (const wrong of WRONG) {
        writeFileSync(join(fleetDir, file), JSON.stringify(replaced(original, path, wrong)));
        const where = `${file} ${JSON.stringify(path)} = ${JSON.stringify(wrong)}`;
        try {
          const { fleet } = loadFleet(fleetDir);
          if (fleet) {
            const router = createRouter(fleet, { options: { semantic: 'off' } });
            router.route({ task: 'add a GraphQL resolver for orders', files: ['infra/main.tf'] });
            for (const entry of fleet.index.agents) fleet.definition(entry.id);
          }
          await validateFleet(fleetDir, 'codex/agents');
        } catch (error) {
          throw new Error(`${where}: ${(error as Error).stack}`);
        }
        cases++;
      }
    }
    writeFileSync(join(fleetDir, file), JSON.stringify(original));
    expect(cases).toBeGreaterThan(60);
  });
});
