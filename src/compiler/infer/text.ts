/**
 * Text helpers shared by the inference pass: bounded cleaning of brief text and one tokenizer
 * used both for catalog aliases and for the briefs, so an alias and a mention tokenize alike.
 *
 * Tokens keep the characters technology names are spelled with (`c#`, `c++`, `.net`, `node.js`)
 * and split on everything else, including `-` and `/`: "react-native" → react, native and
 * "CI/CD" → ci, cd. Matching whole tokens is what gives word boundaries: "go" never matches
 * inside "good" or "google".
 */

/** Characters of the body looked at. Real briefs are under 40 KiB; past this a body is a mistake,
 * and inference cost must stay bounded (the compile budget is 1 s per 1,000 briefs). */
export const MAX_BODY_CHARS = 64 * 1024;

/** Characters of the description looked at. Real descriptions with <example> blocks reach ~4 KiB. */
export const MAX_DESCRIPTION_CHARS = 8 * 1024;

/** Tokens scanned per text: bounds the catalog scan whatever the input. */
export const MAX_TOKENS = 16_000;

export interface Token {
  /** Lower-cased token, e.g. `node.js`. */
  lower: string;
  /** Token as written, for case-sensitive aliases such as `Go` or `React`. */
  raw: string;
}

const TOKEN_PATTERN = /[A-Za-z0-9#+.]+/g;

/**
 * Splits text into tokens, trimming sentence dots but keeping `.net` and `c++`.
 *
 * @example tokenize('Use Node.js, C# and .NET.').map((t) => t.lower) // ['use','node.js','c#','and','.net']
 */
export function tokenize(text: string, limit: number = MAX_TOKENS): Token[] {
  const tokens: Token[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  for (let match = TOKEN_PATTERN.exec(text); match !== null; match = TOKEN_PATTERN.exec(text)) {
    const raw = trimDots(match[0]);
    if (raw.length === 0) continue;
    tokens.push({ lower: raw.toLowerCase(), raw });
    if (tokens.length >= limit) break;
  }
  return tokens;
}

function trimDots(word: string): string {
  let end = word.length;
  while (end > 0 && word.charCodeAt(end - 1) === 46) end--;
  let start = 0;
  // A leading dot survives only as a dotted name such as ".NET"; ".5" or "..." do not.
  while (start < end && word.charCodeAt(start) === 46 && !/^\.[A-Za-z]{2,}$/.test(word.slice(start, end))) start++;
  return word.slice(start, end);
}

/** Drops `<example>` blocks (dialogue samples) and `\n` escapes from a description. */
export function cleanDescription(description: string): string {
  return description
    .slice(0, MAX_DESCRIPTION_CHARS)
    .replace(/<example>[\s\S]*?(<\/example>|$)/gi, ' ')
    .replace(/\\n/g, ' ')
    .replace(/<\/?[A-Za-z][^>\n]{0,200}>/g, ' ');
}

/** Stable alphabetical comparison (no locale: output must not depend on the machine). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
