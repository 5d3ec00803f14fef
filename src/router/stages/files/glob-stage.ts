/**
 * Stage 0: changed files. Every `file_patterns` glob of the fleet is compiled once (identical globs
 * are shared across agents) and indexed so that a path is tested only against globs that could
 * match it.
 *
 * Naive approach: one picomatch matcher per (agent, pattern), every path tested against all of
 * them, a cost that grows with the fleet.
 * What we do: each distinct glob becomes one RE2 matcher (glob-compile.ts: picomatch's syntax,
 * linear-time matching, so no glob can stall a route) and goes into exactly one bucket, chosen
 * from its shape:
 *   - extension  `**∕*.ts`, `*.{ts,tsx}`  → keyed by the suffix after a dot in the basename
 *   - basename   `**∕Dockerfile`          → keyed by the exact basename
 *   - extension  `**∕*_test.go`, `tsconfig*.json` → keyed by the literal extension that ends them
 *   - name start `**∕Dockerfile.*`, `test_*.py`  → keyed by the first two characters of the basename
 *   - segment    `**∕docs/**`             → keyed by a literal folder name the path must contain
 *   - prefix     `infra/**`, `src/*.ts`    → keyed by the first path segment
 *   - always     anything else (negations, leading wildcards) → tested against every path
 * A path looks up its basename suffixes, its basename and its first segment, so it meets only
 * its candidates; a candidate's regex runs only if the path contains the glob's longest literal
 * run (requiredLiteral), a cheap `includes`; a piece of the path is looked up in a bucket only
 * if a KeyFilter (length, first and last character of the bucket's keys) does not rule it out.
 * A glob without a slash matches the basename (picomatch's `basename` option), so `*.tf`
 * matches `infra/main.tf`; a glob with a slash matches the whole path.
 * Invariants: a bucket only narrows — every glob that can match a path is in a bucket the path
 * looks up (the property test checks this against plain picomatch); results are (glob, path) pairs.
 */
import { buildKey, jsonBytes, parseJsonBytes, type BuildCache } from '../../build-cache.js';
import { VERSION } from '../../../version.js';
import { MAX_FILE_HITS } from '../../limits.js';
import { diagnostic, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import { compileGlobSource, GLOB_PICOMATCH_OPTIONS, GlobMatcher, type GlobSource } from '../../../util/glob-compile.js';
import type { HitBuffers, Matcher } from '../../types.js';

/** Picomatch options shared with the reference router: dotfiles are ordinary files here. */
export const GLOB_OPTIONS = GLOB_PICOMATCH_OPTIONS;

const LITERAL_SEGMENT = /^[A-Za-z0-9._@+-]+$/;
const EXTENSION_SEGMENT = /^\*(\.[A-Za-z0-9._-]+)$/;
const BRACE_EXTENSIONS = /^\*\.\{([A-Za-z0-9._-]+(?:,[A-Za-z0-9._-]+)+)\}$/;
/** A last segment that ends in a literal `.ext` after its last wildcard (`*_test.go`, `tsconfig*.json`). */
const LITERAL_EXTENSION_TAIL = /^[A-Za-z0-9._@+*-]*\*[A-Za-z0-9_@+-]*(\.[A-Za-z0-9_-]+)$/;
/** A last segment that starts with at least two literal characters before a `*`. */
const LITERAL_NAME_START = /^([A-Za-z0-9_@+-][A-Za-z0-9._@+-]+)\*[A-Za-z0-9._@+*-]*$/;
/** Length of the basename prefix used as a key: two characters keep buckets small and keys short. */
const NAME_START_KEY = 2;
/** A glob built only from literal characters, `*`, `?` and `/`: every match contains its literal runs. */
const PLAIN_GLOB = /^[A-Za-z0-9._*?/-]+$/;
const LITERAL_RUN = /[A-Za-z0-9._-]+/g;

/**
 * The longest literal run every string a glob matches must contain ('' when the glob has braces,
 * classes, extglobs or negation, which this does not reason about). A compiled picomatch regex
 * costs 100–300 ns per test; `includes` rules most candidates out first (`**∕*.xcodeproj/**`
 * sits in the always-tested bucket and would otherwise run against every path).
 *
 * @example requiredLiteral('**∕*.xcodeproj/**') === '.xcodeproj'
 */
export function requiredLiteral(glob: string): string {
  if (!PLAIN_GLOB.test(glob)) return '';
  let longest = '';
  for (const [run] of glob.matchAll(LITERAL_RUN)) if (run.length > longest.length) longest = run;
  return longest;
}

/**
 * Build-cache kind of the compiled globs. The key hashes the globs, the codex-flow version
 * (picomatch's output for a glob changes only with a dependency update, which comes with one)
 * and the format of an entry.
 */
export const GLOB_CACHE_KIND = 'globs';
const GLOB_CACHE_FORMAT = 're2-glob-2';

/** A glob compiled for RE2, or the reason it has no linear-time form. */
export type CompiledGlob = GlobSource | string;

/**
 * Globs compiled ahead (the routing image, src/router/routing-image.ts): used when `globs` is
 * this stage's glob list exactly, in order; otherwise the stage compiles (or reads its cache) as
 * without them.
 */
export interface PrebuiltGlobs {
  globs: readonly string[];
  compiled: readonly CompiledGlob[];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Compiled on a cache miss only (which loads picomatch): a warm `codex-flow route` never reads its files. */
function compiledGlobs(globs: readonly string[], cache: BuildCache | undefined): CompiledGlob[] {
  const key = cache && buildKey([VERSION, GLOB_CACHE_FORMAT, ...globs]);
  const saved = key === undefined ? undefined : cache!.read(GLOB_CACHE_KIND, key);
  const entries = saved && parseJsonBytes(saved);
  if (Array.isArray(entries) && entries.length === globs.length) return entries as CompiledGlob[];
  const compiled = globs.map((glob): CompiledGlob => {
    const result = compileGlobSource(glob);
    return result.ok ? result.glob : result.reason;
  });
  if (key !== undefined) cache!.write(GLOB_CACHE_KIND, key, jsonBytes(compiled));
  return compiled;
}

export class GlobStage implements Matcher<string, readonly string[]> {
  readonly name = 'files' as const;
  readonly globs: string[] = [];
  readonly agentsOf: number[][] = [];
  private readonly indexOf = new Map<string, number>();
  private regexes: Array<GlobMatcher | undefined> = [];
  private basenameMode = new Uint8Array(0);
  private literals: string[] = [];
  private readonly byExtension = new Map<string, number[]>();
  private readonly byBasename = new Map<string, number[]>();
  private readonly byPrefix = new Map<string, number[]>();
  private readonly byNameStart = new Map<string, number[]>();
  private readonly bySegment = new Map<string, number[]>();
  private readonly always: number[] = [];
  private stamp = new Uint32Array(0);
  private generation = 0;
  private filters: BucketFilters | undefined;
  private prebuilt: PrebuiltGlobs | undefined;

  /** Globs compiled ahead, taken by `build` when they are this stage's (PrebuiltGlobs). */
  usePrebuilt(prebuilt: PrebuiltGlobs | undefined): void {
    this.prebuilt = prebuilt;
  }

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
    const prebuilt = this.prebuilt;
    const compiled =
      prebuilt && sameList(prebuilt.globs, this.globs) && prebuilt.compiled.length === this.globs.length
        ? prebuilt.compiled
        : compiledGlobs(this.globs, cache);
    this.regexes = compiled.map((entry, index) => {
      if (typeof entry === 'string') {
        diagnostics.push(diagnostic('CF6004', `glob ${JSON.stringify(this.globs[index])} does not compile: ${entry}; it never matches`));
        return undefined;
      }
      return new GlobMatcher(entry);
    });
    this.basenameMode = Uint8Array.from(this.globs, (glob) => (glob.includes('/') ? 0 : 1));
    this.literals = this.globs.map(requiredLiteral);
    this.globs.forEach((glob, index) => this.bucket(glob, index));
    this.stamp = new Uint32Array(this.globs.length);
    this.filters = undefined;
    return diagnostics;
  }

  /** Writes (glob index, path index) pairs for every glob that matches a path. */
  match(paths: readonly string[], hits: HitBuffers): void {
    const filters = (this.filters ??= this.buildFilters());
    for (let p = 0; p < paths.length; p++) {
      const path = paths[p]!;
      this.generation = (this.generation + 1) >>> 0 || this.resetStamps();
      const slash = path.lastIndexOf('/');
      const base = slash < 0 ? path : path.slice(slash + 1);
      for (let dot = base.indexOf('.'); dot >= 0; dot = base.indexOf('.', dot + 1)) {
        if (filters.extension.mayHold(base, dot, base.length)) this.test(this.byExtension.get(base.slice(dot)), path, base, p, hits);
      }
      if (filters.basename.mayHold(base, 0, base.length)) this.test(this.byBasename.get(base), path, base, p, hits);
      if (this.byNameStart.size > 0) this.test(this.byNameStart.get(base.slice(0, NAME_START_KEY)), path, base, p, hits);
      if (this.bySegment.size > 0) {
        for (let from = 0, to = path.indexOf('/'); to >= 0; from = to + 1, to = path.indexOf('/', from)) {
          if (filters.segment.mayHold(path, from, to)) this.test(this.bySegment.get(path.slice(from, to)), path, base, p, hits);
        }
      }
      const firstSlash = path.indexOf('/');
      const prefixEnd = firstSlash < 0 ? path.length : firstSlash;
      if (filters.prefix.mayHold(path, 0, prefixEnd)) this.test(this.byPrefix.get(path.slice(0, prefixEnd)), path, base, p, hits);
      this.test(this.always, path, base, p, hits);
    }
  }

  /** Built on the first match, from the buckets build() filled. */
  private buildFilters(): BucketFilters {
    return {
      extension: new KeyFilter(this.byExtension.keys()),
      basename: new KeyFilter(this.byBasename.keys()),
      segment: new KeyFilter(this.bySegment.keys()),
      prefix: new KeyFilter(this.byPrefix.keys()),
    };
  }

  private test(candidates: number[] | undefined, path: string, base: string, pathIndex: number, hits: HitBuffers): void {
    if (candidates === undefined) return;
    for (let i = 0; i < candidates.length; i++) {
      const glob = candidates[i]!;
      if (this.stamp[glob] === this.generation) continue;
      this.stamp[glob] = this.generation;
      const regex = this.regexes[glob];
      const subject = this.basenameMode[glob] === 1 ? base : path;
      const matched = path === this.globs[glob] || (regex !== undefined && subject.includes(this.literals[glob]!) && regex.test(subject));
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

/**
 * Slots of a KeyFilter (a power of two). A bucket holds at most a few hundred keys, so 4,096
 * one-byte slots keep false positives to a few per cent at 4 KB per bucket.
 */
const KEY_FILTER_SLOTS = 4096;

interface BucketFilters {
  extension: KeyFilter;
  basename: KeyFilter;
  segment: KeyFilter;
  prefix: KeyFilter;
}

/**
 * Which (length, first unit, last unit) triples a bucket's keys have. Most pieces of a path are
 * no key of any bucket; ruling them out from three code units skips the slice and the Map lookup
 * (hashing a new string) each would cost. A yes only means "look it up".
 */
class KeyFilter {
  private readonly slots = new Uint8Array(KEY_FILTER_SLOTS);

  constructor(keys: Iterable<string>) {
    for (const key of keys) this.slots[filterSlot(key, 0, key.length)] = 1;
  }

  /** False when no key equals text[start, end). */
  mayHold(text: string, start: number, end: number): boolean {
    return this.slots[filterSlot(text, start, end)] === 1;
  }
}

function filterSlot(text: string, start: number, end: number): number {
  const length = end - start;
  if (length <= 0) return 0;
  return ((length * 31 + text.charCodeAt(start)) * 31 + text.charCodeAt(end - 1)) & (KEY_FILTER_SLOTS - 1);
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
