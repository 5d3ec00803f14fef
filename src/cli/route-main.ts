/**
 * The CLI with only the `route` command: the entry of `dist/codex-flow-route.cjs`, which the
 * launcher loads for `codex-flow route …` (scripts/bundle-cli.ts). The full bundle holds every
 * command's code, and Node parses all of a file it loads: the command a user runs most reads only
 * its own code (figures in docs/routing.md, "Start-up").
 */
import type { CommandIO } from './io.js';
import { descriptorIO } from './descriptor-io.js';
import { runCommands } from './program.js';

/**
 * `main` of main.ts, for `route` and `hook` alone: Claude Code's hook (and the route child it
 * starts without a server) loads no more than `route` does.
 */
export async function main(argv: string[], io: CommandIO = descriptorIO()): Promise<number> {
  return runCommands(argv, { route: () => import('./commands/route.js'), hook: () => import('./commands/hook.js') }, io);
}
