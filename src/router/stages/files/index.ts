/**
 * The files stage: the request's changed paths against the fleet's `file_patterns`
 * (glob-stage.ts matches). Its term φ·files is, per changed path, the best specificity of a
 * matching glob the agent owns, averaged over all paths.
 */
import { GlobStage, type PrebuiltGlobs } from './glob-stage.js';
import { specificity, TERM_FILES, TERM_TOTAL } from '../../score.js';
import { round, term, type RouteCall, type Stage, type StageContext, type StageTriggers } from '../stage.js';
import { countOwned, isOwner, sortedOwners } from '../owners.js';
import type { BuildCache } from '../../build-cache.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Evidence, ScoreTerm } from '../../types.js';

const DETAIL = 'per changed path the best specificity of a matching glob, averaged over all paths';

export class FilesStage implements Stage {
  readonly name = 'files';
  readonly termRank = 30;
  readonly globs = new GlobStage();
  private bit = 0;
  private weight = 0;
  private owners: ReadonlyArray<readonly number[]> = [];
  private specificity = new Float64Array(0);
  private best = new Float64Array(0);
  private stamp = new Uint32Array(0);
  private generation = 0;

  constructor(
    patterns: Record<string, readonly string[]>,
    numbers: (ids: readonly string[]) => number[],
    private readonly cache: BuildCache | undefined,
    prebuilt?: PrebuiltGlobs,
  ) {
    for (const [glob, owners] of Object.entries(patterns)) this.globs.add(glob, numbers(owners));
    if (prebuilt) this.globs.usePrebuilt(prebuilt);
  }

  build(context: StageContext): Diagnostic[] {
    const diagnostics = this.globs.build(this.cache);
    const size = context.agents.length;
    this.bit = context.bit;
    this.weight = context.options.weights.files;
    // Owner lists sorted by agent number: scoring iterates them per hit, evidence searches them.
    this.owners = this.globs.agentsOf.map(sortedOwners);
    this.specificity = Float64Array.from(this.owners, (owners) => specificity(owners.length, size));
    this.best = new Float64Array(size);
    this.stamp = new Uint32Array(size);
    return diagnostics;
  }

  score(call: RouteCall): void {
    const { hits, board } = call;
    this.globs.match(call.paths, hits);
    const { best, stamp, bit, weight } = this;
    const pathCount = call.paths.length;
    const values = board.values;
    let currentPath = -1;
    for (let i = 0; i < hits.fileCount; i++) {
      const glob = hits.fileHits[i * 2]!;
      const path = hits.fileHits[i * 2 + 1]!;
      if (path !== currentPath) {
        currentPath = path;
        this.generation = (this.generation + 1) >>> 0 || (stamp.fill(0), 1);
      }
      const spec = this.specificity[glob]!;
      const owners = this.owners[glob]!;
      for (let j = 0; j < owners.length; j++) {
        const agent = owners[j]!;
        const row = board.touch(agent, bit);
        // An agent gets the most specific of its globs per path, once per path.
        let delta = 0;
        if (stamp[agent] !== this.generation) {
          stamp[agent] = this.generation;
          best[agent] = spec;
          delta = spec / pathCount;
        } else if (spec > best[agent]!) {
          delta = (spec - best[agent]!) / pathCount;
          best[agent] = spec;
        }
        values[row + TERM_FILES]! += delta;
        values[row + TERM_TOTAL]! += weight * delta;
      }
    }
  }

  evidence(call: RouteCall, agents: readonly number[], lists: Evidence[][]): void {
    const { hits, board } = call;
    for (let i = 0; i < hits.fileCount; i++) {
      const glob = hits.fileHits[i * 2]!;
      const owners = this.owners[glob]!;
      for (let k = 0; k < agents.length; k++) {
        const agent = agents[k]!;
        if ((board.stages[agent]! & this.bit) === 0 || !isOwner(owners, agent)) continue;
        lists[k]!.push({
          stage: 'files',
          glob: this.globs.globs[glob]!,
          path: call.paths[hits.fileHits[i * 2 + 1]!]!,
          specificity: round(this.specificity[glob]!),
        });
      }
    }
  }

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    out.push(term('files', this.weight, call.board.get(agent, TERM_FILES), DETAIL));
  }

  readonly triggers: StageTriggers = {
    count: () => this.globs.globs.length,
    key: (glob) => `glob:${this.globs.globs[glob]!}`,
    fired: (call, ids, count, base) => {
      const { hits } = call;
      if (hits.fileCount === 0 || call.paths.length === 0) return count;
      const start = count;
      // Each glob once, in first-hit order: a scan of the few already kept, not a Set per call.
      for (let i = 0; i < hits.fileCount; i++) {
        const trigger = base + hits.fileHits[i * 2]!;
        let seen = false;
        for (let j = start; j < count; j++) if (ids[j] === trigger) seen = true;
        if (!seen) ids[count++] = trigger;
      }
      return count;
    },
    describe: (agent) => `${countOwned(this.globs.agentsOf, agent)} glob(s)`,
  };
}
