/**
 * Globs compiled for RE2: the one place a file pattern becomes a matcher, shared by the compiler's
 * check (CF4050), the router's glob stage (and its build cache or routing image), and the
 * runner's Glob and Grep tools.
 *
 * Naive approach: `picomatch(glob)`, a JavaScript RegExp on V8's backtracking engine. A pattern
 * such as `@(a+)+b` or `**∕*x*x*x…*y` then takes exponential or high-polynomial time on a short
 * name, and a synchronous regex blocks the event loop, so no timer can stop it.
 * What we do: picomatch still parses the glob (its syntax stays the documented one) and emits the
 * regex source; the few lookarounds it emits — which RE2 cannot run — are replaced by rules that
 * hold for the paths we match, and the result must compile in RE2 (linear time in the path):
 *   - `(?!\.{1,2}(?:\/|$))` and `(?!(?:^|\/)\.{1,2}(?:\/|$))` keep wildcards off `.` and `..`
 *     segments: instead, a path with such a segment matches no glob (a negated glob: every one);
 *     the router's exact-path check still matches a literal glob equal to the path;
 *   - `(?=.)` keeps `*` from matching an empty segment. Where the segment ends the glob
 *     (`(?=.)[^/]*?\/?)$`) it becomes `[^/]+?`: after a `**` that matched up to the end
 *     (`*∕**∕*` against `a`), an empty last segment would match otherwise. Elsewhere our paths
 *     (never empty, no empty segment, no trailing `/`: normalizePath) make it decide nothing;
 *   - a leading `!` is kept as a flag and applied outside the regex.
 * Anything else that needs lookaround (the negated extglob `!(…)`) has no linear-time form and is
 * refused with the reason, as is a glob past MAX_GLOB_LENGTH characters or MAX_GLOB_WILDCARDS
 * wildcards, or whose regex is past MAX_GLOB_REGEX_CHARS.
 * Invariant: for a normalized path (no `.`/`..` segment, not empty, no trailing `/`), `matches`
 * agrees with `picomatch(glob, { dot: true })` (test/util/glob-compile.test.ts checks it).
 *
 * @example
 * const glob = compileGlob('src/**∕*.ts');
 * if (glob.ok) glob.matcher.test('src/a/b.ts'); // true
 */
import { createRequire } from 'node:module';
import type RE2 from 're2';

/** Characters of a glob: real file patterns are under 100; longer ones are generated or hostile. */
export const MAX_GLOB_LENGTH = 512;
/** Wildcards (`*`/`**` runs, `?`, classes, braces, extglobs) per glob: `src/**∕*.{ts,tsx}` has 3. */
export const MAX_GLOB_WILDCARDS = 32;
/** Characters of the regex a glob becomes (brace ranges expand): bounds RE2's compile memory. */
export const MAX_GLOB_REGEX_CHARS = 16_384;

/** Whether a configured entry is a glob rather than a plain path (it holds a wildcard, class, brace or extglob character). */
export function isGlobPattern(entry: string): boolean {
  return /[*?[\]{}()!]/.test(entry);
}

/** picomatch options every glob is compiled with: dotfiles are ordinary files here. */
export const GLOB_PICOMATCH_OPTIONS = { dot: true } as const;

/** A compiled glob as plain data (what a build cache or routing image stores). */
export interface GlobSource {
  /** RE2 source of the glob without its leading `!`. */
  source: string;
  flags: string;
  /** The glob began with `!`: it matches what the source does not. */
  negated: boolean;
}

/** `syntax`: not a glob picomatch can read; `linear-time`: a glob with no linear-time form, or past a cap. */
export type GlobCompileResult = { ok: true; glob: GlobSource } | { ok: false; reason: string; kind: 'syntax' | 'linear-time' };

/** What picomatch emits for `dot: true` that RE2 cannot run, and what the rules above replace it with. */
const DROPPED_LOOKAROUNDS = ['(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?!\\.{1,2}(?:\\/|$))', '(?=.)'];
const LOOKAROUND = /\(\?<?[=!]/;
/** A star segment that ends the glob, and its lookahead-free form (see the rules above). */
const LAST_STAR_SEGMENT = '(?=.)[^/]*?\\/?)$';
const NON_EMPTY_LAST_SEGMENT = '[^/]+?\\/?)$';
const WILDCARD = /\*+|\?|\[|\{|[@!+]\(/g;
/** A `.` or `..` path segment. */
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

let picomatchModule: typeof import('picomatch') | undefined;
let re2Class: typeof RE2 | undefined;

/** The RE2 class, its native addon loaded on first use: a route that tests no glob never loads it. */
function re2(): typeof RE2 {
  return (re2Class ??= createRequire(import.meta.url)('re2') as typeof RE2);
}

/**
 * The RE2 form of a glob, or why it has none. Pure; loads picomatch on first use.
 *
 * @example compileGlobSource('!(a|b).ts') // { ok: false, reason: 'a negated extglob !(…) …' }
 */
export function compileGlobSource(glob: string, options: { nocase?: boolean } = {}): GlobCompileResult {
  if (glob.length === 0) return { ok: false, reason: 'empty glob', kind: 'syntax' };
  if (glob.length > MAX_GLOB_LENGTH)
    return { ok: false, reason: `longer than MAX_GLOB_LENGTH (${MAX_GLOB_LENGTH} characters)`, kind: 'linear-time' };
  let body = glob;
  let negated = false;
  while (body.startsWith('!') && !body.startsWith('!(')) {
    negated = !negated;
    body = body.slice(1);
  }
  const wildcards = body.match(WILDCARD)?.length ?? 0;
  if (wildcards > MAX_GLOB_WILDCARDS)
    return { ok: false, reason: `${wildcards} wildcards; MAX_GLOB_WILDCARDS is ${MAX_GLOB_WILDCARDS}`, kind: 'linear-time' };
  picomatchModule ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch');
  let regex: RegExp;
  try {
    regex = picomatchModule.makeRe(body, { ...GLOB_PICOMATCH_OPTIONS, strictBrackets: true, ...(options.nocase ? { nocase: true } : {}) });
  } catch (error) {
    return { ok: false, reason: (error as Error).message, kind: 'syntax' };
  }
  let source = regex.source.split(LAST_STAR_SEGMENT).join(NON_EMPTY_LAST_SEGMENT);
  for (const lookaround of DROPPED_LOOKAROUNDS) source = source.split(lookaround).join('');
  if (LOOKAROUND.test(source))
    return {
      ok: false,
      reason:
        'a negated extglob !(…) needs lookahead, which RE2 cannot run in linear time; list the names instead, or match the rest and negate the whole glob with a leading !',
      kind: 'linear-time',
    };
  if (source.length > MAX_GLOB_REGEX_CHARS)
    return {
      ok: false,
      reason: `its regex has ${source.length} characters; MAX_GLOB_REGEX_CHARS is ${MAX_GLOB_REGEX_CHARS} (a brace range too wide?)`,
      kind: 'linear-time',
    };
  try {
    new (re2())(source, regex.flags);
  } catch (error) {
    return { ok: false, reason: `RE2 cannot run it: ${(error as Error).message}`, kind: 'linear-time' };
  }
  return { ok: true, glob: { source, flags: regex.flags, negated } };
}

/**
 * A matcher over normalized paths, from a compiled source. The RE2 regex is built on the first
 * test: a router holds a matcher per glob of the fleet, and a route tests the few its paths' buckets
 * name. The source compiled in RE2 when compileGlobSource made it (the routing image and the build
 * cache hold only such sources), so building it later fails no more than building it here would.
 */
export class GlobMatcher {
  private regex: RE2 | undefined;

  constructor(readonly glob: GlobSource) {}

  test(path: string): boolean {
    if (DOT_SEGMENT.test(path)) return this.glob.negated;
    const regex = (this.regex ??= new (re2())(this.glob.source, this.glob.flags));
    return regex.test(path) !== this.glob.negated;
  }
}

/**
 * A matcher for a glob, or why there is none.
 *
 * @example const result = compileGlob('**∕*.md'); result.ok && result.matcher.test('docs/a.md') // true
 */
export function compileGlob(
  glob: string,
  options: { nocase?: boolean } = {},
): { ok: true; matcher: GlobMatcher } | { ok: false; reason: string; kind: 'syntax' | 'linear-time' } {
  const compiled = compileGlobSource(glob, options);
  return compiled.ok ? { ok: true, matcher: new GlobMatcher(compiled.glob) } : compiled;
}
