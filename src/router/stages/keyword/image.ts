/**
 * The keyword stage's image: its automaton, phrase lists and specificities, packed with the
 * fleet's agent ids (the agent numbers refer to them), so a router opens a fleet it saw before
 * without deriving phrases and aliases again (the build cache, or a routing image from `convert`).
 */
import { buildKey, jsonBytes, packArrays, parseJsonBytes, unpackArrays } from '../../build-cache.js';
import { AhoCorasick } from './aho-corasick.js';
import { KeywordStage } from './keyword-stage.js';
import { foldString, foldUnit, phraseEdges } from '../../text.js';
import { VERSION } from '../../../version.js';
import { agentAliases } from '../../aliases.js';
import { phraseBonus, specificity } from '../../score.js';
import type { FleetIndex, IndexEntry, TriggerTable } from '../../../fleet/types.js';
import type { RoutingTable } from '../../../fleet/routing-image.js';

/** Every agent the table or the index names, in id order (agent numbers follow it). */
export function agentIds({ triggers, index }: { triggers: TriggerTable; index?: FleetIndex }): string[] {
  const ids = new Set<string>(Object.keys(triggers.agents ?? {}));
  for (const entry of index?.agents ?? []) ids.add(entry.id);
  const add = (list: readonly string[]) => {
    for (const id of list) ids.add(id);
  };
  for (const phrase in triggers.keywords) add(triggers.keywords[phrase]!);
  for (const glob in triggers.file_patterns) add(triggers.file_patterns[glob]!);
  for (const entry of triggers.regex) add(entry.agents);
  return [...ids].sort();
}

/** Build-cache kind of the keyword stage's image (with the agent ids its numbers refer to). */
export const KEYWORD_IMAGE_KIND = 'keywords';
/**
 * Layout of a keyword entry: [agent ids as JSON, KeywordStage.image(), keyword specificity,
 * mention specificity] (the specificities are kept so a warm start-up skips phraseBonus's walk
 * over every phrase).
 */
const ROUTER_IMAGE_FORMAT = 2;

/**
 * Adds the fleet's keyword phrases, every agent's mention aliases and the topic phrases to the
 * keyword stage, in a fixed order (phrase numbers depend on it).
 */
export function addKeywordPhrases(
  stage: KeywordStage,
  triggers: TriggerTable,
  agents: readonly string[],
  entries: ReadonlyMap<string, IndexEntry>,
  numbers: (ids: readonly string[]) => number[],
  topics: ReadonlyMap<string, number>,
): void {
  for (const [phrase, owners] of Object.entries(triggers.keywords)) stage.add(phrase, numbers(owners));
  agents.forEach((id, agent) => {
    for (const alias of agentAliases(id, entries.get(id)?.name, entries.get(id)?.source)) stage.addMention(alias, agent);
  });
  for (const [topic, number] of topics) stage.addTopic(topic, number);
}

/**
 * The code that turns a fleet into a keyword image. Its source text is part of the cache key, so
 * a codex-flow build that derives phrases, aliases, folding or the automaton differently never
 * reads an image an older one wrote, version bump or not.
 */
const KEYWORD_DERIVATION = [
  agentIds,
  addKeywordPhrases,
  agentAliases,
  KeywordStage,
  AhoCorasick,
  foldString,
  foldUnit,
  phraseEdges,
  keywordSpecificities,
  specificity,
  phraseBonus,
];
/** Their source text, read once per process (~100 KB: not worth redoing for every router). */
let keywordDerivationSource: string[] | undefined;

/**
 * The cache key of a fleet's keyword image: the fleet's content hash (index and triggers come
 * from one compile, loadFleet checks), the codex-flow version and the deriving code. The entry
 * also holds the fleet's agent ids (agentIds walks every owner list of the table), which its
 * agent numbers refer to.
 */
export function keywordImageKey(triggers: TriggerTable, index: FleetIndex): string | undefined {
  if (!triggers.hash || triggers.hash !== index.hash) return undefined;
  keywordDerivationSource ??= KEYWORD_DERIVATION.map(String);
  return buildKey([VERSION, triggers.hash, ...keywordDerivationSource]);
}

export interface RouterImage {
  agents: string[];
  keywords: Uint8Array;
  keywordSpecificity: Float64Array;
  mentionSpecificity: Float64Array;
}

/** A keyword entry: the agent ids, the keyword stage's image and the phrases' specificities. */
export function packRouterImage(image: RouterImage): Uint8Array {
  return packArrays(ROUTER_IMAGE_FORMAT, [
    jsonBytes(image.agents) as Uint8Array,
    image.keywords,
    image.keywordSpecificity,
    image.mentionSpecificity,
  ]);
}

/**
 * What packRouterImage wrote, or undefined: the ids must be distinct strings in ascending order
 * and both specificity arrays of one length (the caller checks it against the phrase count).
 */
export function unpackRouterImage(bytes: Uint8Array): RouterImage | undefined {
  const arrays = unpackArrays(bytes, ROUTER_IMAGE_FORMAT, 4);
  if (!arrays) return undefined;
  const [ids, keywords, keywordSpecificity, mentionSpecificity] = arrays;
  if (
    !(ids instanceof Uint8Array) ||
    !(keywords instanceof Uint8Array) ||
    !(keywordSpecificity instanceof Float64Array) ||
    !(mentionSpecificity instanceof Float64Array)
  )
    return undefined;
  if (keywordSpecificity.length !== mentionSpecificity.length || !inRange(keywordSpecificity, 2) || !inRange(mentionSpecificity, 1))
    return undefined;
  const agents = parseJsonBytes(ids);
  if (!Array.isArray(agents)) return undefined;
  for (let i = 0; i < agents.length; i++) {
    if (typeof agents[i] !== 'string' || (i > 0 && !(agents[i - 1] < agents[i]))) return undefined;
  }
  return { agents: agents as string[], keywords, keywordSpecificity, mentionSpecificity };
}

/**
 * Whether `ids` holds every agent the fleet names outside the keyword lists (the table's agents,
 * the index, glob and regex owners): cheap next to agentIds, and what the glob and regex stages
 * are about to look up.
 */
export function namesEveryAgent(
  ids: readonly string[],
  { triggers, index }: { triggers: RoutingTable; index?: { agents: ReadonlyArray<{ id: string }> } },
): boolean {
  const known = new Set(ids);
  for (const id in triggers.agents ?? {}) if (!known.has(id)) return false;
  for (const entry of index?.agents ?? []) if (!known.has(entry.id)) return false;
  for (const glob in triggers.file_patterns) for (const id of triggers.file_patterns[glob]!) if (!known.has(id)) return false;
  for (const entry of triggers.regex) for (const id of entry.agents) if (!known.has(id)) return false;
  return true;
}

/** Whether every value lies in [0, max] (NaN does not): specificity ≤ 1, times a phrase bonus ≤ 2. */
function inRange(values: Float64Array, max: number): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i]! >= 0 && values[i]! <= max)) return false;
  return true;
}

/** Each phrase's keyword specificity × phrase bonus (0 for a phrase no agent owns) and mention specificity. */
export function keywordSpecificities(stage: KeywordStage, agentCount: number): { keyword: Float64Array; mention: Float64Array } {
  // Plain loops: TypedArray.from with a map function and one typed array per phrase cost more
  // at start-up than everything else in the router's constructor once the keyword image is cached.
  const { phrases, agentsOf, mentionsOf } = stage;
  const mention = new Float64Array(phrases.length);
  const keyword = new Float64Array(phrases.length);
  for (let phrase = 0; phrase < phrases.length; phrase++) {
    mention[phrase] = specificity(mentionsOf.at(phrase)!.length, agentCount);
    const owners = agentsOf.at(phrase)!.length;
    if (owners > 0) keyword[phrase] = specificity(owners, agentCount) * phraseBonus(phrases[phrase]!);
  }
  return { keyword, mention };
}
