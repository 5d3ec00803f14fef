/**
 * The routing image: the file `convert` writes beside triggers.json (`routing.bin`) so that
 * `codex-flow route` starts from one read, with nothing to parse per agent and nothing to build.
 *
 * Naive approach: parse index.json (every description) and triggers.json (every keyword), then
 * build the keyword automaton and the lexical model, or read them from a per-project cache that
 * the first route after each compile has to fill (seconds on a large fleet: it parses every
 * definition).
 * What this file holds instead: a small head (format versions, the fleet hash, per agent what
 * routing, the stale check and learning read, the routing table without its keywords) and three
 * prebuilt sections: the keyword image (automaton, phrases, owners, specificities;
 * staged-router.ts) and the lexical model (lexical-model.ts), which the router maps in as
 * typed-array views, and the file globs compiled to RE2 sources (glob-stage.ts).
 * This layer treats the sections as bytes; the router writes and reads them.
 * Invariants: the bytes are a pure function of the definitions (no paths outside the fleet, no
 * time, stable order), so `convert --check` compares them like any other output file; a reader
 * takes an image only when its format is ROUTING_IMAGE_FORMAT and its hash is the one
 * index.json and triggers.json carry (load-image.ts), and otherwise routes from those files as
 * before.
 *
 * @example const image = unpackRoutingImage(readFileSync('codex/agents/routing.bin'));
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { jsonBytes, packArrays, packedHeaderBytes, packedLayout, parseJsonBytes, unpackArrays } from '../util/packed-arrays.js';
import type { IndexEntry, TriggerTable } from './types.js';

/** A FIFO or device put where the image goes must not block or feed route: opened non-blocking, regular files only. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export const ROUTING_IMAGE_FILE = 'routing.bin';

/**
 * Bumped whenever the head or a section changes, or the code deriving a section does (alias
 * rules, folding, the automaton, tokenizing): a reader never routes on an image derived by other
 * rules than its own; it falls back to building from the JSON files.
 */
export const ROUTING_IMAGE_FORMAT = 3;

/**
 * What a route reads of an index entry: the definition's path (shown agents, escalation
 * contacts), the brief and its hash (the stale check, learning). Names and aliases are compiled
 * into the keyword section, tier, domain and topics are in the table.
 */
export type RoutingEntry = Pick<IndexEntry, 'id' | 'path' | 'source' | 'hash'>;

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

/** Positioned reads within one section of an image: the file stays open, only what is read is read. */
export interface SectionReader {
  readonly byteLength: number;
  /** Fills `target` with the section's bytes from offset `at` on; throws when they are not there. */
  readInto(target: Uint8Array, at: number): void;
}

export interface RoutingImage {
  head: RoutingImageHead;
  /** The router's keyword entry (agent ids, keyword stage image, specificities). */
  keywords: Uint8Array;
  /**
   * The serialized lexical model, read in parts: its term dictionary at once, the postings of a
   * term when a query first names it (most of the model's megabytes are never read by one route).
   */
  lexical: SectionReader;
  /** The routing table's file globs, compiled (the router's glob stage reads it). */
  globs: Uint8Array;
}

const SECTIONS = 4;
const HEAD = 0;
const KEYWORDS = 1;
const LEXICAL = 2;
const GLOBS = 3;

/** The image as bytes; `lexical` is the serialized lexical model. */
export function packRoutingImage(image: {
  head: RoutingImageHead;
  keywords: Uint8Array;
  lexical: Uint8Array;
  globs: Uint8Array;
}): Uint8Array {
  return packArrays(ROUTING_IMAGE_FORMAT, [jsonBytes(image.head) as Uint8Array, image.keywords, image.lexical, image.globs]);
}

/** A SectionReader over bytes in memory. */
export function bytesReader(bytes: Uint8Array): SectionReader {
  return {
    byteLength: bytes.byteLength,
    readInto(target, at) {
      if (at < 0 || at + target.byteLength > bytes.byteLength) throw new RangeError('read past the end of an image section');
      target.set(bytes.subarray(at, at + target.byteLength));
    },
  };
}

/** What packRoutingImage wrote, or undefined for another format, a truncated buffer or a head that does not parse. */
export function unpackRoutingImage(bytes: Uint8Array): RoutingImage | undefined {
  const arrays = unpackArrays(bytes, ROUTING_IMAGE_FORMAT, SECTIONS);
  if (!arrays || !arrays.every((array) => array instanceof Uint8Array)) return undefined;
  const head = parseHead(arrays[HEAD] as Uint8Array);
  return (
    head && {
      head,
      keywords: arrays[KEYWORDS] as Uint8Array,
      lexical: bytesReader(arrays[LEXICAL] as Uint8Array),
      globs: arrays[GLOBS] as Uint8Array,
    }
  );
}

/** File descriptors of images whose routers are gone. */
const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

/**
 * Opens an image file: reads its layout, head, keyword and glob sections; the lexical section is read on
 * demand through a descriptor kept open for as long as the image is reachable (a later `convert`
 * renames a new file into place; this one keeps reading the bytes it opened). Undefined when the
 * file is missing or is not an image of this format.
 */
export function openRoutingImage(path: string): RoutingImage | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error('not a regular file');
    const total = stats.size;
    const header = readAt(fd, 0, Math.min(total, packedHeaderBytes(SECTIONS)));
    const layout = packedLayout(header, ROUTING_IMAGE_FORMAT, SECTIONS, total);
    if (!layout || !layout.every((slot) => slot.size === 1)) throw new Error('not a routing image');
    const head = parseHead(readAt(fd, layout[HEAD]!.offset, layout[HEAD]!.length));
    if (!head) throw new Error('not a routing image');
    const keywords = readAt(fd, layout[KEYWORDS]!.offset, layout[KEYWORDS]!.length);
    const globs = readAt(fd, layout[GLOBS]!.offset, layout[GLOBS]!.length);
    const { offset: base, length } = layout[LEXICAL]!;
    const lexical: SectionReader = {
      byteLength: length,
      readInto(target, at) {
        if (at < 0 || at + target.byteLength > length) throw new RangeError('read past the end of an image section');
        if (readSync(fd, target, 0, target.byteLength, base + at) !== target.byteLength)
          throw new RangeError('the routing image is shorter than its layout');
      },
    };
    const image = { head, keywords, lexical, globs };
    closeWhenCollected.register(image, fd);
    return image;
  } catch {
    closeSync(fd);
    return undefined;
  }
}

/** `length` bytes at `position`, in a buffer of their own (8-byte aligned, so typed-array views fit). */
function readAt(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (readSync(fd, out, 0, length, position) !== length) throw new RangeError('the routing image is shorter than its layout');
  return out;
}

function parseHead(bytes: Uint8Array): RoutingImageHead | undefined {
  const parsed = parseJsonBytes(bytes) as Partial<RoutingImageHead> | undefined;
  if (
    !parsed ||
    typeof parsed.hash !== 'string' ||
    !Array.isArray(parsed.entries) ||
    typeof parsed.table !== 'object' ||
    parsed.table === null
  )
    return undefined;
  const table = parsed.table as Partial<RoutingTable>;
  if (
    !Array.isArray(table.regex) ||
    typeof table.file_patterns !== 'object' ||
    typeof table.agents !== 'object' ||
    !Array.isArray(table.generalists)
  )
    return undefined;
  return parsed as RoutingImageHead;
}
