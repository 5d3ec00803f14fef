/**
 * The semantic stage: the task and the changed paths' words compared with every agent's text by
 * the similarity model (BM25F by default, fused with embeddings when a provider is attached).
 * Its term σ·semantic is the agent's similarity relative to the best agent's, cut below
 * `semanticMinRelative`. It runs on every request (`always`), only when no trigger found an agent
 * (`fallback`), or never (`off`); it also supplies the weak candidates listed for depth.
 */
import { SemanticStage, type SemanticModelFactory } from './semantic-stage.js';
import { depthCandidates } from '../../depth.js';
import { semanticQuery } from '../../request.js';
import { TERM_SEMANTIC, TERM_TOTAL } from '../../score.js';
import { round, term, type AgentInfo, type RouteCall, type Stage, type StageContext } from '../stage.js';
import { diagnostic, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { LexicalDocument } from '../../lexical-model.js';
import type { RouterOptions } from '../../options.js';
import type { Evidence, RouteCandidate, ScoreTerm } from '../../types.js';

const DETAIL = 'BM25F similarity relative to the best agent (0 when the stage did not rank it)';

export class SimilarityStage implements Stage {
  readonly name = 'semantic';
  readonly termRank = 60;
  readonly model: SemanticStage;
  private bit = 0;
  private options!: RouterOptions;
  private agents: readonly string[] = [];

  constructor(factory: SemanticModelFactory | undefined, documents: ReadonlyArray<() => LexicalDocument>) {
    this.model = new SemanticStage(factory);
    for (const load of documents) this.model.addLazy(load);
  }

  build(context: StageContext): Diagnostic[] {
    this.bit = context.bit;
    this.options = context.options;
    this.agents = context.agents;
    return this.model.build();
  }

  score(call: RouteCall): void {
    const mode = this.options.semantic;
    if (!(mode === 'always' || (mode === 'fallback' && call.board.touchedCount === 0))) return;
    const query = semanticQuery(call.task, call.paths);
    if (query.trim().length === 0) return;
    call.semanticRan = true;
    const { hits, board } = call;
    const minRelative = this.options.semanticMinRelative;
    this.model.match(query, hits, minRelative);
    const best = hits.semantic[0]?.score ?? 0;
    if (best <= 0) return;
    const weight = this.options.weights.semantic;
    for (const hit of hits.semantic) {
      const relative = hit.score / best;
      if (relative < minRelative) break;
      const row = board.touch(hit.doc, this.bit);
      board.values[row + TERM_SEMANTIC] = relative;
      board.values[row + TERM_TOTAL]! += weight * relative;
    }
  }

  evidence(call: RouteCall, agents: readonly number[], lists: Evidence[][]): void {
    const semantic = call.hits.semantic;
    if (semantic.length === 0) return;
    agents.forEach((agent, k) => {
      const hit = semantic.find((h) => h.doc === agent);
      for (const t of hit?.terms.slice(0, 5) ?? []) {
        const evidence = { stage: 'semantic' as const, term: t.term, field: t.field, contribution: round(t.contribution) };
        lists[k]!.push(t.from === undefined ? evidence : { ...evidence, from: t.from });
      }
    });
  }

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    out.push(term('semantic', this.options.weights.semantic, call.board.get(agent, TERM_SEMANTIC), DETAIL));
  }

  whyNot(call: RouteCall): string {
    return call.semanticRan
      ? 'the semantic fallback ran and did not rank it'
      : this.options.semantic === 'off'
        ? 'the semantic stage is off'
        : 'the semantic stage did not run because triggers matched other agents';
  }

  /** Awaits the model's preparation of the request's query (query embeddings); a failure is CF6005. */
  async prepare(task: string, paths: readonly string[]): Promise<Diagnostic | undefined> {
    const query = semanticQuery(task, paths);
    if (this.options.semantic === 'off' || query.trim().length === 0) return undefined;
    try {
      await this.model.active.prepare?.(query);
      return undefined;
    } catch (error) {
      return diagnostic('CF6005', `semantic model ${this.model.active.name}: ${(error as Error).message}`);
    }
  }

  /**
   * Up to `count` weak candidates after the found ones (depth.ts), ranked from `firstRank`: none
   * when the stage is off or the request has no text to compare.
   */
  depth(call: RouteCall, excluded: (agent: number) => boolean, count: number, firstRank: number, info: AgentInfo): RouteCandidate[] {
    if (this.options.semantic === 'off') return [];
    const query = semanticQuery(call.task, call.paths);
    if (query.trim().length === 0) return [];
    const hits = this.model.active.search(query, 0);
    return depthCandidates({ agents: this.agents, excluded, hits, weight: this.options.weights.semantic, info }, count, firstRank);
  }
}
