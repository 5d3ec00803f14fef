/**
 * Stage 3: semantic similarity between the task and each agent's text, used when stages 0–2
 * found nothing (or always, or never: `router.semantic`). The built-in model is lexical
 * (lexical-model.ts, BM25F, no network); an embedding model (embeddings.ts) can replace it.
 * The model is built lazily on first use: it needs every agent's definition, which a fleet
 * whose tasks always hit a trigger never has to load.
 */
import { LexicalModel, type LexicalDocument, type LexicalField } from '../../lexical-model.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { IndexEntry } from '../../../fleet/types.js';
import type { AgentDefinition } from '../../../schema/definition.js';
import type { HitBuffers, Matcher } from '../../types.js';

/** A semantic hit: an agent (by document number), its raw score and the terms behind it. */
export interface SemanticHit {
  doc: number;
  score: number;
  terms: Array<{ term: string; field: LexicalField | string; contribution: number; from?: string }>;
}

/**
 * Any similarity model over the fleet's agents: hits best first, those below `minRelative` × the
 * best score may be left out. `prepare` lets a remote model fetch a query embedding first.
 */
export interface SemanticModel {
  readonly name: string;
  search(query: string, minRelative?: number): SemanticHit[];
  prepare?(query: string): Promise<void>;
}

/**
 * Creates the model. `documents()` loads every agent's text in agent order (documents[i] is
 * agent i) — expensive (it parses every definition), so a cached factory may never call it.
 */
export type SemanticModelFactory = (documents: () => readonly LexicalDocument[]) => SemanticModel;

export const lexicalModelFactory: SemanticModelFactory = (documents) => lexicalSemanticModel(LexicalModel.build(documents()));

/** Wraps a lexical model as a semantic model. */
export function lexicalSemanticModel(model: LexicalModel): SemanticModel {
  return { name: 'lexical-bm25f', search: (query, minRelative) => model.search(query, minRelative) };
}

export class SemanticStage implements Matcher<LexicalDocument, string> {
  readonly name = 'semantic' as const;
  private readonly documents: Array<() => LexicalDocument> = [];
  private model: SemanticModel | undefined;

  constructor(private readonly factory: SemanticModelFactory = lexicalModelFactory) {}

  /** Adds an agent's document lazily: `load` runs the first time the stage is needed. */
  addLazy(load: () => LexicalDocument): void {
    this.documents.push(load);
  }

  add(document: LexicalDocument, agents: readonly number[]): void {
    void agents;
    this.documents.push(() => document);
  }

  build(): Diagnostic[] {
    return [];
  }

  /** The model, built on first use. */
  get active(): SemanticModel {
    this.model ??= this.factory(() => this.documents.map((load) => load()));
    return this.model;
  }

  match(task: string, hits: HitBuffers, minRelative = 0): void {
    if (task.trim().length === 0) return;
    for (const hit of this.active.search(task, minRelative)) hits.semantic.push(hit);
  }
}

/**
 * The text of an agent for the semantic stage: the index row always, the definition's
 * responsibilities, capabilities and brief body when it can be loaded.
 */
export function agentDocument(id: string, entry: IndexEntry | undefined, definition: AgentDefinition | undefined): LexicalDocument {
  return {
    name: `${id} ${entry?.name ?? definition?.agent.name ?? ''}`,
    description: definition?.agent.description ?? entry?.description ?? '',
    keywords: definition?.triggers.keywords ?? entry?.keywords ?? [],
    responsibilities: [
      ...(definition?.responsibilities.primary ?? []),
      ...(definition?.responsibilities.secondary ?? []),
      ...(definition?.capabilities.core ?? []),
    ],
    body: definition?.prompt.system ?? '',
  };
}
