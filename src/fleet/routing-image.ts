/**
 * The routing image: the file `convert` writes beside triggers.json (`routing.bin`) so that
 * `codex-flow route` starts from one read, with nothing to parse per agent and nothing to build.
 *
 * Naive approach: parse index.json (every description) and triggers.json (every keyword), then
 * build the keyword automaton and the lexical model, or read them from a per-project cache that
 * the first route after each compile has to fill (seconds on a large fleet: it parses every
 * definition).
 * What this file holds instead: a small head (format versions, the fleet hash, per agent what
 * routing, the stale check and learning read, the routing table without its keywords) and two
 * prebuilt sections the router maps in as typed-array views: the keyword image (automaton,
 * phrases, owners, specificities; staged-router.ts) and the lexical model (lexical-model.ts).
 * This layer treats the sections as bytes; the router writes and reads them.
 * Invariants: the bytes are a pure function of the definitions (no paths outside the fleet, no
 * time, stable order), so `convert --check` compares them like any other output file; a reader
 * takes an image only when its format is ROUTING_IMAGE_FORMAT and its hash is the one
 * index.json and triggers.json carry (load-image.ts), and otherwise routes from those files as
 * before.
 *
 * @example const image = unpackRoutingImage(readFileSync('codex/agents/routing.bin'));
 */
import { jsonBytes, packArrays, parseJsonBytes, unpackArrays } from '../util/packed-arrays.js';
import type { IndexEntry, TriggerTable } from './types.js';

export const ROUTING_IMAGE_FILE = 'routing.bin';

/**
 * Bumped whenever the head or a section changes, or the code deriving a section does (alias
 * rules, folding, the automaton, tokenizing): a reader never routes on an image derived by other
 * rules than its own; it falls back to building from the JSON files.
 */
export const ROUTING_IMAGE_FORMAT = 1;

/** What routing, the stale check and learning read of an index entry (no description, no keywords). */
export type RoutingEntry = Pick<IndexEntry, 'id' | 'name' | 'domain' | 'subdomain' | 'tier' | 'path' | 'source' | 'hash'>;

/** The routing table without its keywords: those live in the keyword section, already compiled. */
export type RoutingTable = Omit<TriggerTable, 'keywords'>;

export interface RoutingImageHead {
  format: string;
  format_version: number;
  schema_version: number;
  /** The fleet hash index.json and triggers.json carry. */
  hash: string;
  /** Index entries in index order. */
  entries: RoutingEntry[];
  table: RoutingTable;
}

export interface RoutingImage {
  head: RoutingImageHead;
  /** The router's keyword entry (agent ids, keyword stage image, specificities). */
  keywords: Uint8Array;
  /** The serialized lexical model (empty when the fleet has none). */
  lexical: Uint8Array;
}

const SECTIONS = 3;

export function packRoutingImage(image: RoutingImage): Uint8Array {
  return packArrays(ROUTING_IMAGE_FORMAT, [jsonBytes(image.head) as Uint8Array, image.keywords, image.lexical]);
}

/** What packRoutingImage wrote, or undefined for another format, a truncated file or a head that does not parse. */
export function unpackRoutingImage(bytes: Uint8Array): RoutingImage | undefined {
  const arrays = unpackArrays(bytes, ROUTING_IMAGE_FORMAT, SECTIONS);
  if (!arrays || !arrays.every((array) => array instanceof Uint8Array)) return undefined;
  const [head, keywords, lexical] = arrays as Uint8Array[];
  const parsed = parseJsonBytes(head!) as Partial<RoutingImageHead> | undefined;
  if (!parsed || typeof parsed.hash !== 'string' || !Array.isArray(parsed.entries) || typeof parsed.table !== 'object' || parsed.table === null) return undefined;
  const table = parsed.table as Partial<RoutingTable>;
  if (!Array.isArray(table.regex) || typeof table.file_patterns !== 'object' || typeof table.agents !== 'object' || !Array.isArray(table.generalists)) return undefined;
  return { head: parsed as RoutingImageHead, keywords: keywords!, lexical: lexical! };
}
