/**
 * Stage 0: changed files. Every `file_patterns` glob of the fleet is compiled once (identical globs
 * are shared across agents) and indexed so that a path is tested only against globs that could
 * match it.
 *
 * Naive approach: one picomatch matcher per (agent, pattern), every path tested against all of
 * them — 16 ms per path at 10,000 patterns.
 * What we do: each distinct glob becomes one compiled RegExp (picomatch's `makeRe`, `dot: true`)
 * and goes into exactly one bucket, chosen from its shape:
 *   - extension  `**∕*.ts`, `*.{ts,tsx}`  → keyed by the suffix after a dot in the basename
 *   - basename   `**∕Dockerfile`          → keyed by the exact basename
 *   - extension  `**∕*_test.go`, `tsconfig*.json` → keyed by the literal extension that ends them
 *   - name start `**∕Dockerfile.*`, `test_*.py`  → keyed by the first two characters of the basename
 *   - segment    `**∕docs/**`             → keyed by a literal folder name the path must contain
 *   - prefix     `infra/**`, `src/*.ts`    → keyed by the first path segment
 *   - always     anything else (negations, leading wildcards) → tested against every path
 * A path looks up its basename suffixes, its basename and its first segment, so it meets only
 * its candidates. A glob without a slash matches the basename (picomatch's `basename` option),
 * so `*.tf` matches `infra/main.tf`; a glob with a slash matches the whole path.
 * Invariants: a bucket only narrows — every glob that can match a path is in a bucket the path
 * looks up (the property test checks this against plain picomatch); results are (glob, path) pairs.
 */
import { createRequire } from 'node:module';
import { buildKey, type BuildCache } from './build-cache.js';
import { VERSION } from '../version.js';
import { MAX_FILE_HITS } from './limits.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { HitBuffers, Stage } from './types.js';

/** Picomatch options shared with the reference router: dotfiles are ordinary files here. */
export const GLOB_OPTIONS = { dot: true } as const;

const LITERAL_SEGMENT = /^[A-Za-z0-9._@+-]+$/;
const EXTENSION_SEGMENT = /^\*(\.[A-Za-z0-9._-]+)$/;
const BRACE_EXTENSIONS = /^\*\.\{([A-Za-z0-9._-]+(?:,[A-Za-z0-9._-]+)+)\}$/;
/** A last segment that ends in a literal `.ext` after its last wildcard (`*_test.go`, `tsconfig*.json`). */
const LITERAL_EXTENSION_TAIL = /^[A-Za-z0-9._@+*-]*\*[A-Za-z0-9_@+-]*(\.[A-Za-z0-9_-]+)$/;
/** A last segment that starts with at least two literal characters before a `*`. */
const LITERAL_NAME_START = /^([A-Za-z0-9_@+-][A-Za-z0-9._@+-]+)\*[A-Za-z0-9._@+*-]*$/;
/** Length of the basename prefix used as a key: two characters keep buckets small and keys short. */
const NAME_START_KEY = 2;

/**
 * Build-cache kind of the compiled globs. The key hashes the globs and the codex-flow version
 * (picomatch's output for a glob changes only with a dependency update, which comes with one).
 */
const GLOB_CACHE_KIND = 'globs';

/** A glob compiled to a RegExp's [source, flags], or the reason it does not compile. */
type CompiledGlob = [source: string, flags: string] | string;

/** picomatch, loaded on a cache miss only: a warm `codex-flow route` never reads its 4 files. */
let picomatchModule: typeof import('picomatch') | undefined;

function compiledGlobs(globs: readonly string[], cache: BuildCache | undefined): CompiledGlob[] {
  const key = cache && buildKey([VERSION, ...globs]);
  const saved = key === undefined ? undefined : cache!.read(GLOB_CACHE_KIND, key);
  if (saved) {
    try {
      const entries = JSON.parse(Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength).toString('utf8')) as unknown;
      if (Array.isArray(entries) && entries.length === globs.length) return entries as CompiledGlob[];
    } catch {
      // Unreadable: compile below.
    }
  }
  picomatchModule ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch');
  const compiled = globs.map((glob): CompiledGlob => {
    try {
      const regex = picomatchModule!.makeRe(glob, GLOB_OPTIONS);
      return [regex.source, regex.flags];
    } catch (error) {
      return (error as Error).message;
    }
  });
  if (key !== undefined) cache!.write(GLOB_CACHE_KIND, key, Buffer.from(JSON.stringify(compiled)));
  return compiled;
}

export class GlobStage implements Stage<string, readonly string[]> {
  readonly name = 'files' as const;
  readonly globs: string[] = [];
  readonly agentsOf: number[][] = [];
  private readonly indexOf = new Map<string, number>();
  private regexes: Array<RegExp | undefined> = [];
  private basenameMode = new Uint8Array(0);
  private readonly byExtension = new Map<string, number[]>();
  private readonly byBasename = new Map<string, number[]>();
  private readonly byPrefix = new Map<string, number[]>();
  private readonly byNameStart = new Map<string, number[]>();
  private readonly bySegment = new Map<string, number[]>();
  private readonly always: number[] = [];
  private stamp = new Uint32Array(0);
  private generation = 0;

  add(glob: string, agents: readonly number[]): void {
    const normalized = glob.startsWith('./') ? glob.slice(2) : glob;
    let index = this.indexOf.get(normalized);
    if (index === undefined) {
      index = this.globs.length;
      this.indexOf.set(normalized, index);
      this.globs.push(normalized);
      this.agentsOf.push([]);
    }
    const list = this.agentsOf[index]!;
    for (const agent of agents) if (!list.includes(agent)) list.push(agent);
  }

  /** Compiles the globs (or reads their regexes from `cache`) and fills the buckets. */
  build(cache?: BuildCache): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const compiled = compiledGlobs(this.globs, cache);
    this.regexes = compiled.map((entry, index) => {
      if (typeof entry === 'string') {
        diagnostics.push(diagnostic('CF6004', `glob ${JSON.stringify(this.globs[index])} does not compile: ${entry}; it never matches`));
        return undefined;
      }
      return new RegExp(entry[0], entry[1]);
    });
    this.basenameMode = Uint8Array.from(this.globs, (glob) => (glob.includes('/') ? 0 : 1));
    this.globs.forEach((glob, index) => this.bucket(glob, index));
    this.stamp = new Uint32Array(this.globs.length);
    return diagnostics;
  }

  /** Writes (glob index, path index) pairs for every glob that matches a path. */
  match(paths: readonly string[], hits: HitBuffers): void {
    for (let p = 0; p < paths.length; p++) {
      const path = paths[p]!;
      this.generation = (this.generation + 1) >>> 0 || this.resetStamps();
      const slash = path.lastIndexOf('/');
      const base = slash < 0 ? path : path.slice(slash + 1);
      for (let dot = base.indexOf('.'); dot >= 0; dot = base.indexOf('.', dot + 1)) {
        this.test(this.byExtension.get(base.slice(dot)), path, base, p, hits);
      }
      this.test(this.byBasename.get(base), path, base, p, hits);
      if (this.byNameStart.size > 0) this.test(this.byNameStart.get(base.slice(0, NAME_START_KEY)), path, base, p, hits);
      if (this.bySegment.size > 0) {
        for (let from = 0, to = path.indexOf('/'); to >= 0; from = to + 1, to = path.indexOf('/', from)) {
          this.test(this.bySegment.get(path.slice(from, to)), path, base, p, hits);
        }
      }
      const firstSlash = path.indexOf('/');
      this.test(this.byPrefix.get(firstSlash < 0 ? path : path.slice(0, firstSlash)), path, base, p, hits);
      this.test(this.always, path, base, p, hits);
    }
  }

  private test(candidates: number[] | undefined, path: string, base: string, pathIndex: number, hits: HitBuffers): void {
    if (candidates === undefined) return;
    for (let i = 0; i < candidates.length; i++) {
      const glob = candidates[i]!;
      if (this.stamp[glob] === this.generation) continue;
      this.stamp[glob] = this.generation;
      const regex = this.regexes[glob];
      const basename = this.basenameMode[glob] === 1;
      const matched = path === this.globs[glob] || (regex !== undefined && regex.test(basename ? base : path));
      if (!matched || hits.fileCount === MAX_FILE_HITS) continue;
      hits.fileHits[hits.fileCount * 2] = glob;
      hits.fileHits[hits.fileCount * 2 + 1] = pathIndex;
      hits.fileCount++;
    }
  }

  private bucket(glob: string, index: number): void {
    const slash = glob.lastIndexOf('/');
    const last = glob.slice(slash + 1);
    const extension = EXTENSION_SEGMENT.exec(last);
    const braces = BRACE_EXTENSIONS.exec(last);
    if (glob.startsWith('!')) this.always.push(index);
    else if (extension) push(this.byExtension, extension[1]!, index);
    else if (braces) for (const ext of braces[1]!.split(',')) push(this.byExtension, `.${ext}`, index);
    else if (LITERAL_SEGMENT.test(last)) push(this.byBasename, last, index);
    else if (LITERAL_EXTENSION_TAIL.test(last)) push(this.byExtension, LITERAL_EXTENSION_TAIL.exec(last)![1]!, index);
    else if (LITERAL_NAME_START.test(last)) push(this.byNameStart, last.slice(0, NAME_START_KEY), index);
    else if (this.literalFolder(glob) !== undefined) push(this.bySegment, this.literalFolder(glob)!, index);
    else {
      const first = glob.slice(0, Math.max(0, glob.indexOf('/')));
      if (slash >= 0 && LITERAL_SEGMENT.test(first)) push(this.byPrefix, first, index);
      else this.always.push(index);
    }
  }

  /**
   * A literal folder name every match must contain as a whole segment: `**∕docs/**` → `docs`.
   * Only for globs built from `**` and literal segments before the last one, so the claim holds.
   */
  private literalFolder(glob: string): string | undefined {
    const segments = glob.split('/');
    const folders = segments.slice(0, -1);
    if (folders.some((segment) => segment !== '**' && !LITERAL_SEGMENT.test(segment))) return undefined;
    return folders.find((segment) => segment !== '**' && segment !== '.' && segment !== '..');
  }

  private resetStamps(): number {
    this.stamp.fill(0);
    return 1;
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
