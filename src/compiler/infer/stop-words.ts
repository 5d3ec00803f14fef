/**
 * Word lists that keep inferred keywords meaningful. A keyword is matched against real user
 * requests by the router's Aho–Corasick automaton, so a keyword like "code" or "use" would fire
 * on almost every task and drown the agents that actually fit.
 *
 * - Fillers (`isFiller`): the stop words the router drops too (util/words.ts: function words,
 *   "proactively", "expert") and brief filler, praise the router still matches ("modern",
 *   "production"). They never appear as a keyword, alone or at the edge of a phrase, and are
 *   dropped inside phrases.
 * - GENERIC_WORDS: real topical words too broad to route on alone ("code", "design", "system").
 *   They are allowed inside a phrase ("code review", "system design"), never alone.
 * - ACTION_WORDS: verbs that start the clauses of a description ("build", "optimize"); stripped
 *   from the start of a phrase so "optimize complex SQL queries" yields "sql queries".
 */
import { STOP_WORDS } from '../../util/words.js';

/** Praise and boilerplate of briefs that name a topic in a request ("a production outage", "high
 * latency", "our users"): never a keyword edge here, but words the router matches. */
const BRIEF_FILLER_LIST = `
pro master masters mastering mastery senior elite world-class modern advanced complex comprehensive
practice practices robust scalable efficient effective production production-ready ready enterprise
enterprise-grade high-quality quality-focused deep extensive cutting-edge latest strong solid multiple
full end-to-end seamless intelligent sophisticated powerful optimal proper appropriate specific
particular general key core critical essential primary leading focus focused focusing requiring
require requires required covering covers user users technical excellence claude ai-powered skilled
existing similar complete cohesive polished chosen knowledgeable experienced level levels high low
large small excellent
`;

const GENERIC_LIST = `
code coding development develop developer developers engineer engineers engineering architect
architects architecture design designs designing designer system systems application applications
app apps solution solutions service services project projects feature features workflow workflows
pattern patterns strategy strategies implementation implementations management manage manager
support integration integrations quality process processes tool tools tooling task work team teams
time data information approach approaches technique techniques practice framework frameworks
platform platforms component components module modules environment environments issue issues
problem problems requirement requirements result results review reviews analysis analyze
optimization optimize  operation operations build building create creating creation
implement implementing planning plan plans strategy set setup configuration support technology
technologies stack solution area areas domain domains field fields capability capabilities
function functions structure structures model models product products business customer customers
content  document documents      
change changes update updates file files library libraries web server client interface interfaces
method methods practice guidance guide guides standard standards specification specifications
`;

const ACTION_LIST = `
build builds building create creates creating design designs designing implement implements
implementing optimize optimizes optimizing develop develops developing write writes writing
craft crafts crafting manage manages managing handle handles handling review reviews reviewing
analyze analyzes analyzing analyse conduct conducts conducting perform performs performing plan
plans planning establish establishes establishing deliver delivers delivering solve solves solving
refactor refactors  fix fixes fixing improve improves improving modernize modernizes
evolve evolves architect architects architecting set sets setting configure configures configuring
debug debugs  migrate migrates  deploy deploys deploying automate automates
automating maintain maintains maintaining ensure ensures ensuring master masters mastering
specialize specializes specializing leverage leverages leveraging identify identifies identifying
translate translates translating integrate integrates integrating generate generates generating
produce produces producing coordinate coordinates coordinating orchestrate orchestrates
orchestrating investigate investigates investigating evaluate evaluates evaluating validate
validates validating transform transforms transforming provide provides providing understand
understands understanding apply applies applying support supports supporting run runs running
make makes making get gets getting do does doing work works working take takes taking enable
enables enabling create delivers assess assesses assessing explore explores exploring drive drives
driving adopt adopts adopting accelerate accelerates eliminate eliminates reduce reduces prevent
prevents correlate correlates align aligns rewrite rewrites resolve resolves troubleshoot
troubleshoots diagnose diagnoses enforce enforces harden hardens overhaul overhauls scale scales
keep keeps grow grows extract extracts mitigate mitigates achieve achieves encompass encompasses
replicate replicates refine refines decompose decomposes match matches prioritize prioritizes
enhance enhances invent invents standardize standardizes package packages inform informs
predict predicts locate locates synthesize synthesizes verify verifies detect detects track tracks
prepare prepares draft drafts respond responds turn turns find finds choose chooses
`;

function toSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((word) => word.length > 0));
}

/** Brief filler: like a stop word for inference, a word the router still matches. */
export const BRIEF_FILLER: ReadonlySet<string> = toSet(BRIEF_FILLER_LIST);

/**
 * Never a keyword, never at the edge of a phrase; dropped inside phrases: a stop word (the
 * router's too, util/words.ts) or brief filler.
 */
export function isFiller(word: string): boolean {
  return STOP_WORDS.has(word) || BRIEF_FILLER.has(word);
}

/** Too broad to route on alone; fine inside a phrase ("code review"). */
export const GENERIC_WORDS: ReadonlySet<string> = toSet(GENERIC_LIST);

/** Clause-initial verbs stripped from the start of description phrases. */
export const ACTION_WORDS: ReadonlySet<string> = toSet(ACTION_LIST);

/**
 * True when a keyword would fire on nearly any request: a stop word, a generic word alone, or a
 * phrase made only of such words.
 *
 * @example isWeakKeyword('code') === true; isWeakKeyword('code review') === false
 */
export function isWeakKeyword(keyword: string): boolean {
  const words = keyword.split(' ');
  if (words.length === 1) return isFiller(keyword) || GENERIC_WORDS.has(keyword) || ACTION_WORDS.has(keyword);
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  if (isFiller(first) || isFiller(last)) return true;
  return words.every(isFiller);
}
