import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { createRouter, type RouterFleet } from '../../src/router/staged-router.js';
import { parseLabels } from '../../src/router/eval.js';
import { AhoCorasick } from '../../src/router/stages/keyword/aho-corasick.js';
import {
  fileBuildCache,
  MAX_ENTRIES_PER_KIND,
  memoryBuildCache,
  packArrays,
  unpackArrays,
  type BuildCache,
} from '../../src/router/build-cache.js';

const root = join(import.meta.dirname, '../..');
const { fleet } = loadFleet(join(root, 'codex/agents'));
const { labels } = parseLabels(readFileSync(join(root, 'test/fixtures/routing/sample.dev.jsonl'), 'utf8'), 'sample.dev.jsonl');
const requests = [
  ...labels.map((label) => ({ task: label.task, files: label.files ?? [] })),
  {
    task: 'ask the @frontend-developer and the security auditor: CVE-2021-44228 in src/App.tsx',
    files: ['src/App.tsx', 'infra/main.tf', '.github/workflows/ci.yml'],
  },
  { task: '', files: ['docs/README.md', 'Dockerfile'] },
];
const answers = (router: ReturnType<typeof createRouter>) => requests.map((request) => JSON.stringify(router.route(request, { top: 10 })));
const plain = answers(createRouter(fleet!));
const scratch = mkdtempSync(join(tmpdir(), 'codex-build-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('router build cache', () => {
  it('a router read back from the cache answers every request byte for byte like one built from scratch', () => {
    const cache = memoryBuildCache();
    expect(answers(createRouter(fleet!, { buildCache: cache }))).toEqual(plain);
    expect(cache.size).toBe(2); // the keyword image and the compiled globs
    const reads: string[] = [];
    const spy: BuildCache = {
      read: (kind, key) => {
        reads.push(kind);
        return cache.read(kind, key);
      },
      write: () => {
        throw new Error('a warm cache must not be written');
      },
    };
    const warm = createRouter(fleet!, { buildCache: spy });
    expect(reads.sort()).toEqual(['globs', 'keywords']);
    expect(answers(warm)).toEqual(plain);
    expect(JSON.stringify(warm.explain(requests[0]!, 'frontend-developer'))).toBe(
      JSON.stringify(createRouter(fleet!).explain(requests[0]!, 'frontend-developer')),
    );
  });

  it('ignores a truncated, foreign or corrupted entry, rebuilds and rewrites it', () => {
    for (const damage of [
      (bytes: Uint8Array) => bytes.subarray(0, bytes.length >> 1),
      () => new Uint8Array(3),
      (bytes: Uint8Array) => {
        const copy = bytes.slice();
        copy[0] = 99;
        return copy;
      },
    ]) {
      const cache = memoryBuildCache();
      createRouter(fleet!, { buildCache: cache });
      const damaged: BuildCache = {
        read: (kind, key) => {
          const bytes = cache.read(kind, key);
          return bytes && damage(bytes);
        },
        write: (kind, key, bytes) => cache.write(kind, key, bytes),
      };
      expect(answers(createRouter(fleet!, { buildCache: damaged }))).toEqual(plain);
    }
  });

  it('rebuilds a keyword entry whose agent ids or specificities do not hold up', () => {
    const cache = memoryBuildCache();
    createRouter(fleet!, { buildCache: cache });
    const keywordEntry = (read: BuildCache['read']): Uint8Array => {
      let found: Uint8Array | undefined;
      createRouter(fleet!, {
        buildCache: {
          read: (kind, key) => {
            const bytes = read(kind, key);
            if (kind === 'keywords') found = bytes;
            return bytes;
          },
          write: () => {},
        },
      });
      return found!;
    };
    const [ids, keywords, keywordSpecificity, mentionSpecificity] = unpackArrays(keywordEntry(cache.read), 2, 4)!;
    const agents = JSON.parse(Buffer.from(ids as Uint8Array).toString('utf8')) as string[];
    const nan = (keywordSpecificity as Float64Array).slice();
    nan[0] = Number.NaN;
    const swapped = Buffer.from(JSON.stringify([agents[1], agents[0], ...agents.slice(2)]));
    const missing = Buffer.from(JSON.stringify(agents.slice(1)));
    for (const parts of [
      [ids, keywords, nan, mentionSpecificity],
      [swapped, keywords, keywordSpecificity, mentionSpecificity],
      [Buffer.from('[]'), keywords, keywordSpecificity, mentionSpecificity],
      [missing, keywords, keywordSpecificity, mentionSpecificity],
    ]) {
      const bad = packArrays(2, parts as Array<Uint8Array | Float64Array>);
      const written: string[] = [];
      const damaged: BuildCache = {
        read: (kind, key) => (kind === 'keywords' ? bad : cache.read(kind, key)),
        write: (kind) => {
          written.push(kind);
        },
      };
      expect(answers(createRouter(fleet!, { buildCache: damaged }))).toEqual(plain);
      expect(written).toEqual(['keywords']);
    }
  });

  it('keys the keyword image by the fleet: another fleet misses, a table without the index hash is not cached', () => {
    const cache = memoryBuildCache();
    createRouter(fleet!, { buildCache: cache });
    const changed: RouterFleet = {
      ...fleet!,
      triggers: {
        ...fleet!.triggers,
        hash: 'sha256:other',
        keywords: { ...fleet!.triggers.keywords, 'quantum annealing': ['frontend-developer'] },
      },
      index: { ...fleet!.index, hash: 'sha256:other' },
    };
    const router = createRouter(changed, { buildCache: cache });
    const found = router
      .route({ task: 'tune the quantum annealing schedule' }, { top: 10 })
      .candidates.find((c) => c.id === 'frontend-developer');
    expect(found?.evidence).toContainEqual(expect.objectContaining({ stage: 'keyword', keyword: 'quantum annealing' }));
    expect(cache.size).toBe(3);
    createRouter({ triggers: fleet!.triggers }, { buildCache: cache });
    expect(cache.size).toBe(3);
  });

  it('on disk: entries survive the process, the oldest beyond the limit are pruned, a read-only folder only costs the rebuild', () => {
    const dir = join(scratch, 'cache');
    createRouter(fleet!, { buildCache: fileBuildCache(dir) });
    expect(readdirSync(dir).sort()).toEqual([
      expect.stringMatching(/^globs-[0-9a-f]{32}\.bin$/),
      expect.stringMatching(/^keywords-[0-9a-f]{32}\.bin$/),
    ]);
    expect(answers(createRouter(fleet!, { buildCache: fileBuildCache(dir) }))).toEqual(plain);
    const cache = fileBuildCache(dir);
    for (let n = 0; n < MAX_ENTRIES_PER_KIND + 2; n++) {
      cache.write('keywords', `old${n}`, new Uint8Array([n]));
      utimesSync(join(dir, `keywords-old${n}.bin`), n + 1, n + 1);
    }
    cache.write('keywords', 'newest', new Uint8Array([1]));
    const kept = readdirSync(dir).filter((name) => name.startsWith('keywords-'));
    expect(kept).toHaveLength(MAX_ENTRIES_PER_KIND);
    expect(kept).toContain('keywords-newest.bin');
    expect(kept).not.toContain('keywords-old0.bin');
    if (process.getuid?.() !== 0) {
      const locked = join(scratch, 'locked');
      fileBuildCache(locked).write('x', 'y', new Uint8Array(1));
      chmodSync(locked, 0o500);
      expect(() => createRouter(fleet!, { buildCache: fileBuildCache(locked) })).not.toThrow();
    }
    expect(fileBuildCache(join(scratch, 'missing')).read('keywords', 'none')).toBeUndefined();
  });

  it('a glob that does not compile is reported from the cache as from the build', () => {
    // picomatch refuses globs past 65,536 characters; the compiler never emits one, a hand-edited table might.
    const table = {
      ...fleet!.triggers,
      file_patterns: { ...fleet!.triggers.file_patterns, [`src/${'a'.repeat(70_000)}`]: ['frontend-developer'] },
    };
    const cache = memoryBuildCache();
    const first = createRouter({ triggers: table, index: fleet!.index }, { buildCache: cache }).diagnostics;
    const second = createRouter({ triggers: table, index: fleet!.index }, { buildCache: cache }).diagnostics;
    expect(first.map((d) => d.code)).toContain('CF6004');
    expect(second).toEqual(first);
  });
});

describe('packArrays / unpackArrays', () => {
  it('round-trips typed arrays of every element size and refuses what does not fit', () => {
    const arrays = [Int32Array.from([1, -2, 3]), Uint16Array.from([65535, 7]), Uint8Array.from([9]), Float64Array.from([0.5, -1e300])];
    const bytes = packArrays(7, arrays);
    expect(unpackArrays(bytes, 7, 4)).toEqual(arrays);
    expect(unpackArrays(Buffer.concat([Buffer.alloc(3), bytes]).subarray(3), 7, 4)).toEqual(arrays);
    expect(unpackArrays(bytes, 8, 4)).toBeUndefined();
    expect(unpackArrays(bytes, 7, 3)).toBeUndefined();
    expect(unpackArrays(bytes.subarray(0, bytes.length - 8), 7, 4)).toBeUndefined();
  });

  it('an automaton read back from its bytes scans like the one that wrote them', () => {
    const patterns = ['he', 'she', 'his', 'hers', 'é', 'c#', '.net'];
    const built = new AhoCorasick(patterns);
    const restored = AhoCorasick.fromBytes(built.toBytes(), () => patterns)!;
    const text = 'Ushers and HIS friends: É, C#, .NET';
    const [a, b] = [new Int32Array(64), new Int32Array(64)];
    expect(restored.scan(text, text.length, b)).toBe(built.scan(text, text.length, a));
    expect(b).toEqual(a);
    expect(restored.patterns).toEqual(built.patterns);
    expect(AhoCorasick.fromBytes(built.toBytes().subarray(0, 40), () => patterns)).toBeUndefined();
  });

  it('refuses an automaton whose pattern lengths are negative or past any phrase', () => {
    // A corrupt routing image must fall back to a build, never start a match before its text.
    const built = new AhoCorasick(['react', 'web fonts']);
    for (const bad of [-1, 1 << 20]) {
      const arrays = unpackArrays(built.toBytes(), 2, 9)!;
      const lengths = Int32Array.from(arrays[8] as Int32Array);
      lengths[0] = bad;
      expect(AhoCorasick.fromBytes(packArrays(2, [...arrays.slice(0, 8), lengths]), () => ['react', 'web fonts'])).toBeUndefined();
    }
  });
});
