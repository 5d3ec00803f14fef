/**
 * The built-in semantic fallback: BM25F over each agent's fields, no network, no model files.
 *
 * Naive approach: count shared words between the task and each brief — long briefs win because
 * they contain every word, and "api" counts as much as "graphql".
 * What we do: BM25 per field with length normalization (k1, b), fields weighted (an agent's name
 * and description say more than its long body), summed into one weighted term frequency per
 * agent before saturation (BM25F), times the term's inverse document frequency.
 * Invariants: the index is built once and read-only afterwards; scoring is a pure function of
 * the query; ties keep agent order, so results are deterministic.
 */
import { tokenize } from './tokenize.js';

/** The text of one agent, by field. */
export interface LexicalDocument {
  name: string;
  description: string;
  keywords: string[];
  responsibilities: string[];
  body: string;
}

export const LEXICAL_FIELDS = ['name', 'description', 'keywords', 'responsibilities', 'body'] as const;
export type LexicalField = (typeof LEXICAL_FIELDS)[number];

/**
 * Field weights: the name and the description are what the author wrote to say when to use the
 * agent; a long body mentions many things in passing, so a hit there counts a third as much.
 */
export const FIELD_WEIGHTS: Readonly<Record<LexicalField, number>> = { name: 3, description: 2, keywords: 2, responsibilities: 1.5, body: 0.6 };

/** BM25 saturation: the usual 1.2 — the third occurrence of a word adds little. */
export const BM25_K1 = 1.2;
/** BM25 length normalization: the usual 0.75 — long bodies must not win by length. */
export const BM25_B = 0.75;

interface Posting { doc: number; weightedTf: number; field: number }

export interface LexicalHit { doc: number; score: number; terms: Array<{ term: string; field: LexicalField; contribution: number }> }

/** Bumped whenever tokenizing or weighting changes, so cached models are rebuilt. */
export const LEXICAL_MODEL_VERSION = 2;

/** A built model as plain JSON: per term, flat [doc, weightedTf, field, …] triples. */
export interface SerializedLexicalModel { version: number; docCount: number; postings: Record<string, number[]> }

export class LexicalModel {
  private readonly postings = new Map<string, Posting[]>();
  private docCount: number;

  /** Rebuilds a model from `toJSON()` output; undefined when the version does not match. */
  static fromJSON(data: SerializedLexicalModel): LexicalModel | undefined {
    if (data?.version !== LEXICAL_MODEL_VERSION || typeof data.postings !== 'object') return undefined;
    const model = new LexicalModel([]);
    model.docCount = data.docCount;
    for (const [term, flat] of Object.entries(data.postings)) {
      const list: Posting[] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) list.push({ doc: flat[i]!, weightedTf: flat[i + 1]!, field: flat[i + 2]! });
      model.postings.set(term, list);
    }
    return model;
  }

  toJSON(): SerializedLexicalModel {
    const postings: Record<string, number[]> = {};
    for (const [term, list] of [...this.postings].sort(([a], [b]) => (a < b ? -1 : 1))) {
      postings[term] = list.flatMap((p) => [p.doc, Math.round(p.weightedTf * 1e6) / 1e6, p.field]);
    }
    return { version: LEXICAL_MODEL_VERSION, docCount: this.docCount, postings };
  }

  constructor(documents: readonly LexicalDocument[]) {
    this.docCount = documents.length;
    const tokens = documents.map((doc) => LEXICAL_FIELDS.map((field) => tokenize(fieldText(doc, field))));
    const averages = LEXICAL_FIELDS.map((_, f) => Math.max(1, tokens.reduce((sum, fields) => sum + fields[f]!.length, 0) / Math.max(1, documents.length)));
    tokens.forEach((fields, doc) => {
      const weighted = new Map<string, { tf: number; best: number; bestTf: number }>();
      fields.forEach((words, f) => {
        const norm = 1 - BM25_B + (BM25_B * words.length) / averages[f]!;
        const counts = new Map<string, number>();
        for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
        for (const [word, count] of counts) {
          const contribution = (FIELD_WEIGHTS[LEXICAL_FIELDS[f]!] * count) / norm;
          const entry = weighted.get(word) ?? { tf: 0, best: f, bestTf: 0 };
          entry.tf += contribution;
          if (contribution > entry.bestTf) { entry.best = f; entry.bestTf = contribution; }
          weighted.set(word, entry);
        }
      });
      for (const [word, entry] of weighted) {
        const list = this.postings.get(word) ?? [];
        list.push({ doc, weightedTf: entry.tf, field: entry.best });
        this.postings.set(word, list);
      }
    });
  }

  /** Agents sharing terms with the query, best first, with each term's contribution. */
  search(query: string): LexicalHit[] {
    const scores = new Map<number, LexicalHit>();
    for (const term of [...new Set(tokenize(query))].sort()) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (this.docCount - list.length + 0.5) / (list.length + 0.5));
      for (const posting of list) {
        const contribution = (idf * posting.weightedTf * (BM25_K1 + 1)) / (posting.weightedTf + BM25_K1);
        const hit = scores.get(posting.doc) ?? { doc: posting.doc, score: 0, terms: [] };
        hit.score += contribution;
        hit.terms.push({ term, field: LEXICAL_FIELDS[posting.field]!, contribution });
        scores.set(posting.doc, hit);
      }
    }
    const hits = [...scores.values()];
    for (const hit of hits) hit.terms.sort((a, b) => b.contribution - a.contribution || (a.term < b.term ? -1 : 1));
    return hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }
}

function fieldText(doc: LexicalDocument, field: LexicalField): string {
  switch (field) {
    case 'keywords': return doc.keywords.join(' . ');
    case 'responsibilities': return doc.responsibilities.join(' . ');
    default: return doc[field];
  }
}
