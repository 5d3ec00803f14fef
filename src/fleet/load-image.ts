/**
 * Opening a compiled fleet through its routing image (routing-image.ts): a few reads of
 * `routing.bin` (routing-image.ts), a look at the first bytes of index.json and triggers.json to check all three
 * come from one compile, and nothing else. `index` and `triggers` are parsed only if someone
 * reads them (a route answered from the image never does); a definition is read by the path the
 * image records, when first asked for.
 *
 * Naive approach: `loadFleet`, which parses both JSON files whole (every description and every
 * keyword, megabytes on a large fleet: docs/routing.md) before routing can start.
 * Invariants: an image is used only when its format is this reader's and the hash at the head
 * of both JSON files is the image's; otherwise this returns undefined and the caller loads the
 * fleet as before, so a fleet compiled by an older codex-flow (no image) or edited by hand still
 * routes, with the same answers.
 *
 * @example const opened = loadFleetWithImage('codex/agents') ?? loadFleet('codex/agents');
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { definitionReader, loadFleet, READABLE_SCHEMA_VERSION, type FleetTexts, type LoadedFleet } from './load.js';
import { openRoutingImage, ROUTING_IMAGE_FILE, type RoutingImage } from './routing-image.js';
import { FLEET_FORMAT, FLEET_FORMAT_VERSION, INDEX_FILE, TRIGGERS_FILE, type FleetIndex, type TriggerTable } from './types.js';

/**
 * Bytes read from the start of index.json and triggers.json: both are written with their format,
 * versions and hash before any agent (emit.ts), in the first ~200 bytes.
 */
const HEAD_BYTES = 1024;

/** A fleet opened through its image, and the image. */
export interface ImageFleet {
  fleet: LoadedFleet;
  image: RoutingImage;
}

/**
 * The fleet in `dir` opened through its routing image, or undefined when it has none that fits.
 * With `texts` (index.json and triggers.json as a compile thread read and checked them) the index
 * and triggers are those texts, parsed on first read, and fit only when their hash is the image's.
 */
export function loadFleetWithImage(dir: string, texts?: FleetTexts): ImageFleet | undefined {
  const image = openRoutingImage(join(dir, ROUTING_IMAGE_FILE));
  if (!image) return undefined;
  const { head } = image;
  if (head.format !== FLEET_FORMAT || head.format_version !== FLEET_FORMAT_VERSION || head.schema_version !== READABLE_SCHEMA_VERSION)
    return undefined;
  if (texts) {
    if (texts.hash !== head.hash) return undefined;
  } else if (!headMatches(join(dir, INDEX_FILE), head.hash) || !headMatches(join(dir, TRIGGERS_FILE), head.hash)) return undefined;
  return { fleet: lazyFleet(dir, image, texts), image };
}

/** Whether a fleet JSON file starts with this reader's format version and the given fleet hash. */
function headMatches(path: string, hash: string): boolean {
  let fd: number | undefined;
  try {
    // Non-blocking and regular files only: a FIFO in the fleet folder must not hang route.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return false;
    const buffer = Buffer.alloc(HEAD_BYTES);
    const text = buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
    const version = /"format_version":\s*(\d+)/.exec(text)?.[1];
    return Number(version) === FLEET_FORMAT_VERSION && /"hash":\s*"([^"]*)"/.exec(text)?.[1] === hash;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function lazyFleet(dir: string, image: RoutingImage, texts?: FleetTexts): LoadedFleet {
  const diagnostics: Diagnostic[] = [];
  const paths = new Map(image.head.entries.map((entry) => [entry.id, entry]));
  let full: LoadedFleet | undefined;
  // The whole files, on first read of index, triggers or an index entry. The heads matched, so
  // only a file damaged after its first bytes fails here: its diagnostics join the fleet's and
  // an empty fleet stands in (routing itself reads the image).
  const whole = (): LoadedFleet => {
    if (full) return full;
    const loaded = loadFleet(dir, texts);
    diagnostics.push(...loaded.diagnostics);
    return (full = loaded.fleet ?? emptyFleet(dir, image.head.hash));
  };
  return {
    dir,
    diagnostics,
    get index(): FleetIndex {
      return whole().index;
    },
    get triggers(): TriggerTable {
      return whole().triggers;
    },
    entry: (id) => whole().entry(id),
    definition: definitionReader(dir, paths, diagnostics),
  };
}

function emptyFleet(dir: string, hash: string): LoadedFleet {
  const index: FleetIndex = {
    format: FLEET_FORMAT,
    format_version: FLEET_FORMAT_VERSION,
    schema_version: READABLE_SCHEMA_VERSION,
    generatedAt: '',
    hash,
    source_root: '',
    agents: [],
  };
  const triggers: TriggerTable = {
    format: FLEET_FORMAT,
    format_version: FLEET_FORMAT_VERSION,
    hash,
    keywords: {},
    regex: [],
    file_patterns: {},
    agents: {},
    generalists: [],
  };
  return { dir, index, triggers, diagnostics: [], entry: () => undefined, definition: () => undefined };
}
