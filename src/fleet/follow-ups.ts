/**
 * Follow-up rules: briefs that ask to be run after some kind of work ("Use proactively after
 * writing or modifying code", "MUST BE USED after any deploy") become rules a planner (and the
 * router, later) can apply: when a piece of work matches the rule's clause, the rule's agent is
 * scheduled after it. A rule matches by the kind of work the clause names (code changes, API
 * changes, deploys, pull requests, tests) or, failing that, by a content word of the clause
 * appearing in the work's text. Derived from the compiled definitions' descriptions only: the
 * same fleet gives the same rules.
 *
 * Work is a task's text, and once it ran its outcome too: `matchFollowUpWork` also matches the
 * files it changed by the kind of work a file is (a code file changed: code changes; a file under
 * api/ or routes/: API changes; a test file: tests; a workflow or deploy file: deploys).
 *
 * @example
 * const rules = followUpRules([definition]); // [{ agent: 'code-reviewer', after: 'writing or modifying code', … }]
 * matchFollowUp(rules[0], 'add rate limiting to the public API'); // 'code changes'
 * matchFollowUpWork(rules[0], { task: 'make the build green', files: ['src/build.ts'] }); // 'code changes: src/build.ts'
 */

export interface FollowUpRule {
  agent: string;
  /** The clause after "after", as the brief words it. */
  after: string;
  /** Kinds of work the clause names (see KINDS). */
  kinds: string[];
  /** Content words of the clause, lower-case, for the fallback match. */
  words: string[];
}

const AFTER =
  /\b(?:use[ds]?\s+(?:this agent\s+)?(?:proactively\s+|immediately\s+)?|must be used\s+(?:proactively\s+)?)after\s+([^.;\n]{3,160})/gi;

/** Kinds of work: what the clause says (`clause`) and what work of that kind looks like (`work`). */
const KINDS: Array<{ name: string; clause: RegExp; work: RegExp }> = [
  {
    name: 'code changes',
    clause: /\b(code|coding|implement\w*|changes?|modif\w+|refactor\w*)\b/i,
    work: /^(?:please\s+)?(?:add|implement|fix|refactor|write|update|change|build|create|rewrite|migrate|remove|rename|optimi[sz]e|tune|port|patch)\b/i,
  },
  { name: 'API changes', clause: /\bapis?\b|\bendpoints?\b/i, work: /\bapis?\b|\bendpoints?\b|\broutes?\b/i },
  { name: 'deploys', clause: /\bdeploy\w*|\brelease\w*/i, work: /\bdeploy\w*|\brelease\w*|\bship\b/i },
  { name: 'pull requests', clause: /\bpull requests?\b|\bPRs?\b|\bmerge/i, work: /\bpull requests?\b|\bPRs?\b|\bmerge/i },
  { name: 'tests', clause: /\btests?\b|\btesting\b/i, work: /\btests?\b|\bspecs?\b/i },
];
const STOP = new Set([
  'any',
  'the',
  'and',
  'for',
  'with',
  'you',
  'your',
  'that',
  'this',
  'time',
  'when',
  'something',
  'going',
  'wrong',
  'new',
  'every',
  'after',
  'before',
  'has',
  'have',
  'been',
  'are',
  'was',
  'were',
  'its',
  'into',
  'from',
  'suspect',
  'always',
]);

export function followUpRules(definitions: Iterable<{ agent: { id: string; description: string } }>): FollowUpRule[] {
  const rules: FollowUpRule[] = [];
  for (const definition of definitions) {
    for (const match of definition.agent.description.matchAll(AFTER)) {
      const after = match[1]!.replace(/[*_`]/g, '').trim();
      const kinds = KINDS.filter((kind) => kind.clause.test(after)).map((kind) => kind.name);
      const words = [
        ...new Set(
          after
            .toLowerCase()
            .split(/[^a-z0-9-]+/)
            .filter((word) => word.length >= 3 && !STOP.has(word)),
        ),
      ];
      rules.push({ agent: definition.agent.id, after, kinds, words });
    }
  }
  return rules;
}

/** Why `work` (a task's text) matches the rule: the kind of work or the word; undefined when it does not. */
export function matchFollowUp(rule: FollowUpRule, work: string): string | undefined {
  for (const name of rule.kinds) if (KINDS.find((kind) => kind.name === name)!.work.test(work)) return name;
  const words = new Set(
    work
      .toLowerCase()
      .split(/[^a-z0-9-]+/)
      .map(stem),
  );
  const word = rule.words.find((candidate) => words.has(stem(candidate)));
  return word === undefined ? undefined : `"${word}"`;
}

const TEST_FILE = /(?:^|\/)(?:tests?|__tests__|specs?)\/|\.(?:test|spec)\.[a-z]+$|(?:^|\/)test_[^/]+\.py$/i;
const CODE_FILE =
  /\.(?:[cm]?[jt]sx?|py|go|rs|java|kt|kts|scala|rb|php|cs|fs|swift|c|cc|cpp|h|hpp|m|mm|sh|bash|lua|dart|ex|exs|erl|clj|sql|vue|svelte)$/i;
/** Changed files as kinds of work, in the KINDS' names; a test file is tests, not code changes. */
const FILE_KINDS: Array<{ name: string; file: (path: string) => boolean }> = [
  { name: 'code changes', file: (path) => CODE_FILE.test(path) && !TEST_FILE.test(path) },
  {
    name: 'API changes',
    file: (path) => /(?:^|\/)(?:apis?|routes?|endpoints?|controllers?)(?:\/|\.|$)|openapi|swagger|\.proto$|\.graphql$/i.test(path),
  },
  { name: 'tests', file: (path) => TEST_FILE.test(path) },
  {
    name: 'deploys',
    file: (path) => /(?:^|\/)(?:deploy\w*|k8s|helm|terraform)(?:\/|\.|$)|\.github\/workflows\/|(?:^|\/)Dockerfile$/i.test(path),
  },
];

/**
 * Why a piece of work matches the rule: its task (as `matchFollowUp`), else a changed file of a
 * kind the clause names (`code changes: src/a.ts`); undefined when neither does.
 */
export function matchFollowUpWork(rule: FollowUpRule, work: { task: string; files?: readonly string[] }): string | undefined {
  const byTask = matchFollowUp(rule, work.task);
  if (byTask !== undefined) return byTask;
  for (const name of rule.kinds) {
    const kind = FILE_KINDS.find((candidate) => candidate.name === name);
    const file = kind ? work.files?.find(kind.file) : undefined;
    if (file !== undefined) return `${name}: ${file}`;
  }
  return undefined;
}

/** Every content word of the rule's clause that `work` uses (stems compared), in clause order. */
export function followUpWords(rule: FollowUpRule, work: string): string[] {
  const words = new Set(
    work
      .toLowerCase()
      .split(/[^a-z0-9-]+/)
      .map(stem),
  );
  return rule.words.filter((candidate) => words.has(stem(candidate)));
}

function stem(word: string): string {
  return word.replace(/(?:ing|ed|es|s)$/, '');
}
