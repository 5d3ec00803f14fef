/**
 * The CLI provider's command template (`CODEX_FLOW_CLI_CMD`), split into words once, when the
 * options are resolved, so a broken template is a configuration problem shown by
 * `codex-flow providers` and skipped in a chain with its reason, not a failure at call time.
 *
 * No shell ever runs the command: the template is split here the way a POSIX shell splits plain
 * words, quotes and backslash escapes, and nothing else, so a prompt can never become shell syntax.
 */
import { ProviderError } from './errors.js';

/** The word (or part of one) the prompt replaces; without it the prompt goes on stdin. */
export const PROMPT_PLACEHOLDER = '{prompt}';

/**
 * Splits a command template into words the way a POSIX shell would for plain words, single and
 * double quotes and backslash escapes — and nothing else (no variables, globs or pipes).
 *
 * `setting` names where the template came from, for the error an unclosed quote raises.
 *
 * @example splitCommand(`llm -m "gpt 4" --system 'be brief'`) // ['llm', '-m', 'gpt 4', '--system', 'be brief']
 */
export function splitCommand(template: string, setting = 'CODEX_FLOW_CLI_CMD'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < template.length; index++) {
    const char = template[index]!;
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && /["\\$`]/.test(template[index + 1] ?? '')) word += template[++index];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < template.length) {
      word += template[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote)
    throw new ProviderError('request', `${setting} has an unclosed ${quote} quote`, {
      provider: 'cli',
      hint: `close the quote in ${setting}`,
    });
  if (inWord) words.push(word);
  return words;
}
