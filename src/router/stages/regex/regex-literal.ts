/**
 * The literal a regex trigger cannot match without: a cheap pre-check before the RE2 sets run.
 *
 * Naive approach: run every RE2 set over every task (one UTF-8 conversion and one DFA scan per
 * set, even when nothing can match).
 * What we do: at build time, take the longest run of plain characters at the top level of each
 * pattern (`\bkubectl\b` → `kubectl`, `\bp[- ]?value\b` → `value`); a set whose every pattern has
 * one runs only when the lower-cased task contains one of them (`String#includes`).
 * Invariants: the literal is conservative — every string the pattern matches contains it, under
 * ASCII case folding. Anything this does not reason about (top-level `|`, escapes that stand for
 * other characters such as `\x41` or `\pL`, non-ASCII characters, which RE2 folds with Unicode
 * rules: `K` U+212A matches `k`) gives '' (no pre-check). The check is used only on ASCII tasks,
 * where ASCII folding and RE2's `i` flag agree.
 */

/** Escapes that match a class of characters or a position and consume nothing after them. */
const CLASS_ESCAPES = new Set(['b', 'B', 'd', 'D', 'w', 'W', 's', 'S']);

/**
 * The longest literal (lower-cased ASCII) every match of `pattern` contains, or '' when there is
 * none this can prove.
 *
 * @example requiredRegexLiteral('\\bterraform (plan|apply)\\b') === 'terraform '
 */
export function requiredRegexLiteral(pattern: string): string {
  let longest = '';
  let run = '';
  /** Whether the last atom was the last character of `run` (a quantifier after it makes it optional). */
  let lastInRun = false;
  const end = () => {
    if (run.length > longest.length) longest = run;
    run = '';
    lastInRun = false;
  };
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    const code = pattern.charCodeAt(i);
    if (char === '|') return '';
    // A `{` that is no repeat (`{,2}`) is literal to RE2; read either way, both sides end the run.
    if (char === '?' || char === '*' || char === '+' || char === '{') {
      if (lastInRun) run = run.slice(0, -1);
      end();
      if (char === '{' && pattern.indexOf('}', i) > i) i = pattern.indexOf('}', i);
      continue;
    }
    if (char === '(' || char === '[') {
      const close = char === '(' ? groupEnd(pattern, i) : classEnd(pattern, i);
      if (close < 0) return '';
      end();
      i = close;
      continue;
    }
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return '';
      i++;
      if (CLASS_ESCAPES.has(next)) {
        end();
        continue;
      }
      // \x41, \pL, \n, \Q…\E, \1: characters this does not decode.
      if (/[A-Za-z0-9]/.test(next) || next.charCodeAt(0) >= 128) return '';
      run += next;
      lastInRun = true;
      continue;
    }
    // A stray `}` or `]` is a literal to RE2; not worth reasoning about.
    if (char === '.' || char === '^' || char === '$' || char === '}' || char === ']' || code >= 128) {
      end();
      continue;
    }
    run += char.toLowerCase();
    lastInRun = true;
  }
  end();
  return longest;
}

/** Index of the `)` closing the group opened at `open` (escapes and classes skipped), or -1. */
function groupEnd(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '[') {
      i = classEnd(pattern, i);
      if (i < 0) return -1;
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Index of the `]` closing the class opened at `open` (`[]a]` and `[^]a]` hold a literal `]`), or -1. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (pattern[i] === ']') return i;
  }
  return -1;
}

/**
 * Whether `text` is all ASCII (the only text the literal pre-check is sound for): every other
 * UTF-16 unit takes two or three UTF-8 bytes. Native `isAscii`, cheaper than a
 * `/[^\x00-\x7f]/` test.
 */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}
