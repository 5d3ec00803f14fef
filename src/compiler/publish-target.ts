/**
 * Where a fleet may be published. Publishing replaces the output folder whole (publish.ts), so a
 * mistyped `--out .` would delete the project, `.git` included, and `--out .claude` the briefs.
 * A folder is a valid target only when it is missing, empty, or already holds a fleet (its
 * `index.json` has our format, or that index does not parse and every file in the folder is one a
 * compile writes: a fleet whose index a merge conflict or a torn copy broke is still repaired by
 * `convert`); and never the project root, the brief folder, or a folder that
 * contains either. Paths are compared after `realpath` of their nearest existing ancestor, so a
 * link or `src/..` spelling does not get past the check. Nothing is deleted when it refuses.
 *
 * @example
 * const refusal = await publishTargetRefusal('/repo', '/repo/.claude/agents', '/repo');
 * refusal?.code; // 'CF5050'
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { isInside } from '../util/paths.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { FLEET_FORMAT, INDEX_FILE, TRIGGERS_FILE } from '../fleet/types.js';
import { ROUTING_IMAGE_FILE } from '../fleet/routing-image.js';
import { SCHEMA_FILE_NAME } from '../schema/definition.js';

/** Files a compile writes at the fleet's top; below it only definitions (`*.codex.yaml`) and their folders. */
const FLEET_FILES = new Set([INDEX_FILE, TRIGGERS_FILE, ROUTING_IMAGE_FILE, SCHEMA_FILE_NAME]);
/** More entries than any fleet holds: a folder this big is not looked through, and is refused. */
const MAX_FLEET_ENTRIES = 50_000;

const HINT = "pass --out (or compiler.out) naming an empty folder or the fleet's own folder, e.g. codex/agents";

/** The real path of `path`: its nearest existing ancestor through realpath, the missing rest appended. */
async function realLocation(path: string): Promise<string> {
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    try {
      return join(await realpath(existing), ...missing.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      missing.push(basename(existing));
      existing = parent;
    }
  }
}

/**
 * What the folder's index.json says: a fleet compiled by codex-flow (any format version), other
 * JSON, text that does not parse (a merge conflict's markers, a torn copy), or nothing to read.
 */
async function indexKind(dir: string): Promise<'fleet' | 'other' | 'unparsable' | 'missing'> {
  let text: string;
  try {
    text = await readFile(join(dir, INDEX_FILE), 'utf8');
  } catch {
    return 'missing';
  }
  try {
    const index = JSON.parse(text) as { format?: unknown } | null;
    return index !== null && typeof index === 'object' && index.format === FLEET_FORMAT ? 'fleet' : 'other';
  } catch {
    return 'unparsable';
  }
}

/**
 * Whether every entry under `dir` is one a compile writes (FLEET_FILES at the top, definitions and
 * their folders anywhere), with the index and at least one other fleet file (triggers.json or a
 * definition) among them. A link, any other file, or more entries than MAX_FLEET_ENTRIES is not a
 * fleet's. Asked only when the index does not parse: a folder holding a JSON index.json of its own
 * (`{"users":[]}`) is never taken for a fleet.
 */
async function onlyFleetFiles(dir: string): Promise<boolean> {
  let seen = 0;
  let index = false;
  let fleetFile = false;
  const walk = async (folder: string, top: boolean): Promise<boolean> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (++seen > MAX_FLEET_ENTRIES) return false;
      if (entry.isDirectory()) {
        if (!(await walk(join(folder, entry.name), false))) return false;
      } else if (!entry.isFile()) return false;
      else if (top && FLEET_FILES.has(entry.name)) {
        index ||= entry.name === INDEX_FILE;
        fleetFile ||= entry.name === TRIGGERS_FILE;
      } else if (entry.name.endsWith('.codex.yaml')) fleetFile = true;
      else return false;
    }
    return true;
  };
  try {
    return (await walk(dir, true)) && index && fleetFile;
  } catch {
    return false;
  }
}

/**
 * Why publishing into `outDir` is refused (a CF5050 error with a hint), or undefined when the
 * folder may be replaced. `shown` is the path as the user gave it, for the message.
 */
export async function publishTargetRefusal(
  root: string,
  outDir: string,
  srcDir: string,
  shown = relative(root, outDir) || '.',
): Promise<Diagnostic | undefined> {
  const [out, project, briefs] = await Promise.all([realLocation(outDir), realLocation(root), realLocation(srcDir)]);
  const refuse = (why: string) =>
    diagnostic('CF5050', `refusing to publish into ${shown}: ${why}; nothing was deleted`, undefined, { hint: HINT });
  if (isInside(project, out)) return refuse(out === project ? 'it is the project root' : 'it contains the project root');
  if (isInside(briefs, out)) return refuse(out === briefs ? 'it is the brief folder' : 'it contains the brief folder');
  let info;
  try {
    info = await lstat(out);
  } catch {
    return undefined; // missing: publish creates it
  }
  if (!info.isDirectory()) return refuse('it is not a folder');
  if ((await readdir(out)).length === 0) return undefined;
  const index = await indexKind(out);
  if (index === 'fleet') return undefined;
  if (index === 'unparsable' && (await onlyFleetFiles(out))) return undefined;
  if (index !== 'unparsable') return refuse(`it is not empty and holds no compiled fleet (no ${INDEX_FILE} of format ${FLEET_FORMAT})`);
  return diagnostic(
    'CF5050',
    `refusing to publish into ${shown}: its ${INDEX_FILE} does not parse and the rest is not a fleet's (files a compile does not write, or no definition); nothing was deleted`,
    undefined,
    { hint: `if ${shown} is your fleet, move the other files out of it (or delete it) and convert again; else ${HINT}` },
  );
}
