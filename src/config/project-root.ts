/**
 * Which project a command works on when it is started from a subfolder: the nearest folder, from
 * the working folder up, that holds a codex-flow config file, a brief folder (`.claude/agents`) or
 * a compiled fleet (`codex/agents/index.json`). The search ends at the first folder holding `.git`
 * (a repository's root bounds its projects), below the user's home folder (`~/.claude/agents` holds
 * Claude Code's personal agents, not a project) and at the file-system root; when nothing is found
 * the working folder itself is the project (a fresh one, or one given entirely by flags).
 *
 * @example findProjectRoot('/repo/packages/app/src') // '/repo' when /repo holds codex-flow.config.yaml
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILES } from './config.js';

/** Folder levels looked at: far deeper than any project, and a bound on a pathological cwd. */
const MAX_LEVELS = 64;

/** What makes a folder a project's root, in the order they are named to the user. */
export const PROJECT_MARKERS: readonly string[] = [...CONFIG_FILES, join('.claude', 'agents'), join('codex', 'agents', 'index.json')];

export function findProjectRoot(start: string, home = homedir()): string {
  const top = resolve(home);
  let folder = start;
  for (let level = 0; level < MAX_LEVELS; level++) {
    // The home folder is a project only when the command was started there.
    if (folder === top && folder !== start) return start;
    if (PROJECT_MARKERS.some((marker) => existsSync(join(folder, marker)))) return folder;
    const parent = dirname(folder);
    if (existsSync(join(folder, '.git')) || parent === folder) return start;
    folder = parent;
  }
  return start;
}
