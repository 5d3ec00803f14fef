/**
 * Word lists the heuristic decomposer splits goals by. A goal is a list of instructions, and an
 * instruction starts with an imperative verb: that is what tells "add tests and document it" (two
 * tasks) from "add tests and docs" (one). The list holds the verbs of engineering requests; a verb
 * missing here only means a part stays joined to the one before it, never a wrong split.
 *
 * @example leadingVerb('document it') === 'document'; leadingVerb('the docs') === undefined
 */

/** Imperative verbs that open an engineering instruction. */
const VERBS = new Set([
  'add',
  'adjust',
  'analyze',
  'analyse',
  'announce',
  'audit',
  'automate',
  'benchmark',
  'build',
  'bump',
  'change',
  'check',
  'clean',
  'configure',
  'containerize',
  'convert',
  'cover',
  'create',
  'debug',
  'define',
  'delete',
  'deploy',
  'deprecate',
  'design',
  'detect',
  'diagnose',
  'document',
  'drop',
  'enable',
  'ensure',
  'explain',
  'expose',
  'extend',
  'extract',
  'find',
  'fix',
  'generate',
  'handle',
  'harden',
  'implement',
  'improve',
  'instrument',
  'integrate',
  'introduce',
  'investigate',
  'lint',
  'make',
  'measure',
  'merge',
  'migrate',
  'model',
  'monitor',
  'move',
  'optimize',
  'optimise',
  'package',
  'patch',
  'port',
  'profile',
  'provision',
  'publish',
  'reduce',
  'refactor',
  'release',
  'remove',
  'rename',
  'replace',
  'rewrite',
  'review',
  'run',
  'scale',
  'secure',
  'set',
  'ship',
  'simplify',
  'speed',
  'split',
  'support',
  'test',
  'trace',
  'translate',
  'tune',
  'update',
  'upgrade',
  'validate',
  'verify',
  'write',
]);

/** Words that order a part after the one before it, at its start: "then document it". */
export const SEQUENCE_WORDS = /^(?:and\s+)?(?:then|afterwards|after that|finally|next|once (?:that|this|it) is done)\b[,\s]*/i;

/** Courtesy and filler words before the verb: "please also add …". */
const FILLER = new Set(['please', 'also', 'then', 'and', 'finally', 'next', 'afterwards']);

/** The verb a part starts with (after filler words), lower-case; undefined when it starts otherwise. */
export function leadingVerb(text: string): string | undefined {
  for (const word of text.toLowerCase().split(/[^a-z-]+/)) {
    if (word === '') continue;
    if (FILLER.has(word)) continue;
    return VERBS.has(word) ? word : undefined;
  }
  return undefined;
}
