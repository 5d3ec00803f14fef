/**
 * The routing image `convert` writes (src/fleet/routing-image.ts, src/router/routing-image.ts):
 * a router restored from it answers byte for byte as one built from the JSON files; it is read
 * only when it belongs to the fleet beside it; the first route after `convert` builds nothing.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { loadFleetWithImage } from '../../src/fleet/load-image.js';
import { bytesReader, openRoutingImage, ROUTING_IMAGE_FILE, unpackRoutingImage } from '../../src/fleet/routing-image.js';
import { buildRoutingImage, imageLexicalModelFactory, prebuiltRouting } from '../../src/router/routing-image.js';
import { createRouter } from '../../src/router/staged-router.js';
import { lexicalModelFactory } from '../../src/router/stages/semantic/semantic-stage.js';
import { LexicalModel } from '../../src/router/lexical-model.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { RouteRequest } from '../../src/router/types.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const sample = join(import.meta.dirname, '../../codex/agents');

/** A copy of a compiled fleet with its routing image written beside it. */
function fleetWithImage(from = fixture): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-image-'));
  cpSync(from, dir, { recursive: true });
  const { fleet } = loadFleet(dir);
  writeFileSync(join(dir, ROUTING_IMAGE_FILE), buildRoutingImage(fleet!));
  return dir;
}

const requests: RouteRequest[] = [
  { task: 'add a GraphQL resolver for orders', files: ['src/schema.graphql'] },
  { task: 'fix CVE-2021-44228 in the logging library' },
  { files: ['infra/main.tf', 'src/App.tsx', 'docs/readme.md'] },
  { task: 'ask the graphql architect about federation' },
  { task: 'the page takes six seconds to load on mobile' },
  { task: 'zzzz qqqq' },
  { task: 'review this terraform plan for security problems', files: ['infra/network/vpc.tf'] },
];

function answers(router: ReturnType<typeof createRouter>): string {
  return JSON.stringify(requests.map((request) => [router.route(request, { top: 10 }), router.explain(request, router.agents[0]!)]));
}

describe('routing image', () => {
  for (const [name, from] of [
    ['the small fixture fleet', fixture],
    ['the sample fleet', sample],
  ] as const) {
    it(`routes ${name} byte for byte as the JSON files do`, () => {
      const dir = fleetWithImage(from);
      const { fleet } = loadFleet(dir);
      const built = createRouter(fleet!, { semanticModel: lexicalModelFactory });
      const opened = loadFleetWithImage(dir)!;
      expect(opened).toBeDefined();
      const restored = createRouter(opened.fleet, {
        prebuilt: prebuiltRouting(opened.image),
        semanticModel: imageLexicalModelFactory(opened.image, () => {
          throw new Error('the image holds the model');
        }),
      });
      expect(restored.agents).toEqual(built.agents);
      expect(answers(restored)).toBe(answers(built));
    });
  }

  it('carries the compiled globs: a router restored from it compiles none, and globs that are not its own are compiled as before', () => {
    const dir = fleetWithImage(sample);
    const opened = loadFleetWithImage(dir)!;
    const prebuilt = prebuiltRouting(opened.image);
    expect(prebuilt.globs?.globs.length).toBeGreaterThan(0);
    const reads: string[] = [];
    const watching = {
      read: (kind: string) => {
        reads.push(kind);
        return undefined;
      },
      write: () => {},
    };
    const semanticModel = imageLexicalModelFactory(opened.image, lexicalModelFactory);
    const restored = createRouter(opened.fleet, { prebuilt, semanticModel, buildCache: watching });
    expect(reads).toEqual([]);
    // Another fleet's globs (one glob left out): not taken, the stage compiles its own.
    const foreign = { ...prebuilt, globs: { globs: prebuilt.globs!.globs.slice(1), compiled: prebuilt.globs!.compiled.slice(1) } };
    const rebuilt = createRouter(opened.fleet, { prebuilt: foreign, semanticModel, buildCache: watching });
    expect(reads).toEqual(['globs']);
    expect(answers(rebuilt)).toBe(answers(restored));
  });

  it('is the same bytes when built twice', () => {
    const { fleet } = loadFleet(sample);
    expect(Buffer.from(buildRoutingImage(fleet!)).equals(Buffer.from(buildRoutingImage(fleet!)))).toBe(true);
  });

  it('reads a lexical model in parts that searches as the whole one does', () => {
    const dir = fleetWithImage(sample);
    const bytes = readFileSync(join(dir, ROUTING_IMAGE_FILE));
    const whole = unpackRoutingImage(bytes)!;
    const fromFile = openRoutingImage(join(dir, ROUTING_IMAGE_FILE))!;
    const lexicalBytes = new Uint8Array(whole.lexical.byteLength);
    whole.lexical.readInto(lexicalBytes, 0);
    const reference = LexicalModel.deserialize(lexicalBytes)!;
    for (const model of [LexicalModel.open(fromFile.lexical)!, LexicalModel.open(bytesReader(lexicalBytes))!]) {
      for (const query of [
        'graphql schema federation',
        'terraform aws vpc',
        'slow page load mobile performance',
        'security audit of the login',
        'nothing matches zzzz',
      ]) {
        expect(JSON.stringify(model.search(query, 0))).toBe(JSON.stringify(reference.search(query, 0)));
      }
    }
  });

  it('is not used when it belongs to another compile, is missing, or is not an image', () => {
    const dir = fleetWithImage();
    expect(loadFleetWithImage(dir)).toBeDefined();
    const index = join(dir, 'index.json');
    const text = readFileSync(index, 'utf8');
    writeFileSync(index, text.replace(/"hash": "sha256:[0-9a-f]+"/, '"hash": "sha256:0123"'));
    expect(loadFleetWithImage(dir)).toBeUndefined();
    writeFileSync(index, text);
    writeFileSync(join(dir, ROUTING_IMAGE_FILE), 'not an image');
    expect(loadFleetWithImage(dir)).toBeUndefined();
    rmSync(join(dir, ROUTING_IMAGE_FILE));
    expect(loadFleetWithImage(dir)).toBeUndefined();
  });

  it('routes without parsing index.json: a file damaged after its head is reported only when read', () => {
    const dir = fleetWithImage();
    const index = join(dir, 'index.json');
    writeFileSync(index, `${readFileSync(index, 'utf8').slice(0, 400)} damaged`);
    const opened = loadFleetWithImage(dir)!;
    const router = createRouter(opened.fleet, {
      prebuilt: prebuiltRouting(opened.image),
      semanticModel: imageLexicalModelFactory(opened.image, lexicalModelFactory),
    });
    expect(router.route({ task: 'add a GraphQL resolver' }).candidates[0]?.id).toBe('graphql-architect');
    expect(opened.fleet.definition('graphql-architect')?.agent.id).toBe('graphql-architect');
    expect(opened.fleet.diagnostics).toEqual([]);
    expect(opened.fleet.index.agents).toEqual([]);
    expect(opened.fleet.diagnostics[0]).toMatchObject({ code: 'CF5020' });
  });
});

describe('route after convert', () => {
  function briefProject(): string {
    const dir = mkdtempSync(join(tmpdir(), 'cf-first-route-'));
    cpSync(join(fixture, 'briefs'), join(dir, '.claude/agents'), { recursive: true });
    return dir;
  }

  it('builds nothing on the first route after convert: the fleet carries its routing image', async () => {
    const dir = briefProject();
    expect(await main(['convert'], memoryIO(dir))).toBe(0);
    expect(existsSync(join(dir, 'codex/agents', ROUTING_IMAGE_FILE))).toBe(true);
    const io = memoryIO(dir, { CI: 'true' });
    expect(await main(['route', 'add a GraphQL resolver for orders', '--files', 'src/schema.graphql'], io)).toBe(0);
    expect(io.out()).toMatch(/graphql-architect/);
    const cached = existsSync(join(dir, '.codex-flow/cache')) ? readdirSync(join(dir, '.codex-flow/cache')) : [];
    expect(cached.filter((name) => name.startsWith('lexical-') || name.startsWith('keywords-') || name.startsWith('globs-'))).toEqual([]);
  });

  it('convert leaves the stale check warm: the first route answers from the signature, an edit is still found', async () => {
    const dir = briefProject();
    expect(await main(['convert'], memoryIO(dir))).toBe(0);
    const signature = join(dir, '.codex-flow/cache/brief-hashes.json.sig');
    expect(existsSync(signature)).toBe(true);
    const fresh = memoryIO(dir, { CI: 'true' });
    expect(await main(['route', 'add a GraphQL resolver', '--no-record'], fresh)).toBe(0);
    expect(fresh.err()).toBe('');
    const brief = readdirSync(join(dir, '.claude/agents'), { recursive: true, encoding: 'utf8' }).find((name) => name.endsWith('.md'))!;
    writeFileSync(
      join(dir, '.claude/agents', brief),
      `${readFileSync(join(dir, '.claude/agents', brief), 'utf8')}\nEdited after the compile.\n`,
    );
    const stale = memoryIO(dir, { CI: 'true' });
    expect(await main(['route', 'add a GraphQL resolver', '--no-record'], stale)).toBe(0);
    expect(stale.err()).toMatch(/CF5024/);
  });

  it('without an image (an older compile), builds into the project cache and says so on a terminal only', async () => {
    const dir = briefProject();
    expect(await main(['convert'], memoryIO(dir))).toBe(0);
    rmSync(join(dir, 'codex/agents', ROUTING_IMAGE_FILE));
    const quiet = memoryIO(dir, { CI: 'true' });
    expect(await main(['route', 'add a GraphQL resolver'], quiet)).toBe(0);
    expect(quiet.err()).toBe('');
    const withImage = memoryIO(dir, { CI: 'true' });
    rmSync(join(dir, '.codex-flow/cache'), { recursive: true });
    const terminal = { ...withImage, stderrIsTTY: true };
    expect(await main(['route', 'add a GraphQL resolver'], terminal)).toBe(0);
    expect(withImage.err()).toMatch(/reading \d+ definition\(s\) to build the lexical model/);
    expect(withImage.out()).toBe(quiet.out());
    expect(readdirSync(join(dir, '.codex-flow/cache')).some((name) => name.startsWith('lexical-'))).toBe(true);
  });
});

describe('validate and the routing image', () => {
  it('rebuilds the image from the definitions: a tampered one is CF5070, a missing one CF5071', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-validate-image-'));
    cpSync(join(fixture, 'briefs'), join(dir, '.claude/agents'), { recursive: true });
    expect(await main(['convert'], memoryIO(dir))).toBe(0);
    const { validateFleet } = await import('../../src/compiler/validate-fleet.js');
    const out = join(dir, 'codex/agents');
    expect((await validateFleet(out, 'codex/agents')).diagnostics).toEqual([]);
    const image = join(out, ROUTING_IMAGE_FILE);
    const bytes = readFileSync(image);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    writeFileSync(image, bytes);
    expect((await validateFleet(out, 'codex/agents')).diagnostics.map((d) => d.code)).toEqual(['CF5070']);
    rmSync(image);
    expect((await validateFleet(out, 'codex/agents')).diagnostics.map((d) => d.code)).toEqual(['CF5071']);
  });
});
