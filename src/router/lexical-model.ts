/**
 * The built-in semantic fallback: BM25F over each agent's fields, no network, no model files.
 *
 * Naive approach: count shared words between the task and each brief — long briefs win because
 * they contain every word, and "api" counts as much as "graphql".
 * What we do: BM25 per field with length normalization (k1, b), fields weighted (an agent's name
 * and description say more than its long body), summed into one weighted term frequency per
 * agent before saturation (BM25F), times the term's inverse document frequency. Terms are words
 * and pairs of neighbouring words (lexicalTerms), so "event loop" outranks "event" and "loop" apart.
 * Invariants: postings live in flat typed arrays (term → [offsets[t], offsets[t+1]) of docs /
 * weighted tfs / best fields), read-only after build, so a model round-trips through a binary
 * file without rebuilding objects (lexical-cache.ts); scoring is a pure function of the query and
 * ties keep agent order, so results are deterministic.
 */
import { lexicalTerms } from './tokenize.js';
import { tokenize } from '../util/words.js';
import { EXPANSION_MAX_DF, expandTerms, shapeTerms } from './query-expansion.js';
import { packArrays, packedHeaderBytes, packedLayout, unpackArrays, type PackedSlot } from '../util/packed-arrays.js';
import type { SectionReader } from '../fleet/routing-image.js';

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
export const FIELD_WEIGHTS: Readonly<Record<LexicalField, number>> = {
  name: 3,
  description: 2,
  keywords: 2,
  responsibilities: 1.5,
  body: 0.6,
};

/** BM25 saturation: the usual 1.2 — the third occurrence of a word adds little. */
export const BM25_K1 = 1.2;
/** BM25 length normalization: the usual 0.75 — long bodies must not win by length. */
export const BM25_B = 0.75;

/** Bumped whenever tokenizing, weighting or the binary layout changes, so caches are rebuilt. */
export const LEXICAL_MODEL_VERSION = 7;

/** `from`: the request's word an expansion term was added for (query-expansion.ts). */
export interface LexicalHit {
  doc: number;
  score: number;
  terms: Array<{ term: string; field: LexicalField; contribution: number; from?: string }>;
}

/**
 * Term lookups answered by binary search over the sorted terms before the model builds its Map:
 * the CLI routes once per process, and building a Map of 25,790 terms (1,000 agents) cost more
 * than a thousand searches' lookups; a long-lived router gets the Map after this many.
 */
const LOOKUPS_BEFORE_MAP = 4096;

export class LexicalModel {
  private termIndex: Map<string, number> | undefined;
  private lookups = 0;

  private constructor(
    readonly docCount: number,
    /**
     * Every term, sorted (UTF-16 code unit order, as `Array#sort` and `<` compare), concatenated:
     * term t is `text.slice(starts[t], starts[t + 1])`. One string, not one per term: a warm start
     * decodes it natively instead of parsing or splitting.
     */
    private readonly text: string,
    private readonly starts: Int32Array,
    private readonly offsets: Int32Array,
    private readonly docs: Int32Array,
    private readonly tfs: Float64Array,
    private readonly fields: Uint8Array,
  ) {}

  /** Builds the model from documents (documents[i] is agent i). */
  static build(documents: readonly LexicalDocument[]): LexicalModel {
    const fieldTerms = documents.map((doc) => LEXICAL_FIELDS.map((field) => termsOfField(doc, field)));
    const averages = LEXICAL_FIELDS.map((_, f) =>
      Math.max(1, fieldTerms.reduce((sum, fields) => sum + fields[f]!.words, 0) / Math.max(1, documents.length)),
    );
    const postings = new Map<string, number[]>();
    fieldTerms.forEach((fields, doc) => {
      const weighted = new Map<string, { tf: number; best: number; bestTf: number }>();
      fields.forEach(({ terms, words }, f) => {
        const norm = 1 - BM25_B + (BM25_B * words) / averages[f]!;
        const counts = new Map<string, number>();
        for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
        for (const [word, count] of counts) {
          const contribution = (FIELD_WEIGHTS[LEXICAL_FIELDS[f]!] * count) / norm;
          const entry = weighted.get(word) ?? { tf: 0, best: f, bestTf: 0 };
          entry.tf += contribution;
          if (contribution > entry.bestTf) {
            entry.best = f;
            entry.bestTf = contribution;
          }
          weighted.set(word, entry);
        }
      });
      for (const [word, entry] of weighted) {
        const list = postings.get(word) ?? [];
        list.push(doc, entry.tf, entry.best);
        postings.set(word, list);
      }
    });
    const terms = [...postings.keys()].sort();
    const offsets = new Int32Array(terms.length + 1);
    const total = terms.reduce((sum, term) => sum + postings.get(term)!.length / 3, 0);
    const docs = new Int32Array(total);
    const tfs = new Float64Array(total);
    const fields = new Uint8Array(total);
    let at = 0;
    terms.forEach((term, t) => {
      offsets[t] = at;
      const list = postings.get(term)!;
      for (let i = 0; i < list.length; i += 3, at++) {
        docs[at] = list[i]!;
        tfs[at] = list[i + 1]!;
        fields[at] = list[i + 2]!;
      }
    });
    offsets[terms.length] = at;
    const starts = new Int32Array(terms.length + 1);
    terms.forEach((term, t) => {
      starts[t + 1] = starts[t]! + term.length;
    });
    return new LexicalModel(documents.length, terms.join(''), starts, offsets, docs, tfs, fields);
  }

  /**
   * The model as bytes (build-cache.ts `packArrays`): the document count, the terms' text (UTF-8)
   * and where each term starts in it, then the postings' typed arrays. Read back as views.
   */
  /** The posting arrays, for the loader of `open`. */
  arrays(): { docs: Int32Array; tfs: Float64Array; fields: Uint8Array; offsets: Int32Array } {
    return { docs: this.docs, tfs: this.tfs, fields: this.fields, offsets: this.offsets };
  }

  serialize(): Uint8Array {
    return packArrays(LEXICAL_MODEL_VERSION, [
      Int32Array.of(this.docCount),
      Buffer.from(this.text, 'utf8'),
      this.starts,
      this.offsets,
      this.docs,
      this.tfs,
      this.fields,
    ]);
  }

  /**
   * Reads `serialize()` output; undefined when the version or the layout does not fit (truncated,
   * foreign). Values are not walked here — that was most of a warm start's cost — but where they
   * are used: a posting naming an agent the fleet does not have is never counted (`search`), a
   * field number out of range reads as the body, so a damaged file can cost a wrong score but
   * never a crash or an agent that does not exist.
   */
  static deserialize(bytes: Uint8Array): LexicalModel | undefined {
    const arrays = unpackArrays(bytes, LEXICAL_MODEL_VERSION, 7);
    if (!arrays) return undefined;
    const [meta, utf8, starts, offsets, docs, tfs, fields] = arrays;
    if (
      !(meta instanceof Int32Array) ||
      meta.length !== 1 ||
      !(utf8 instanceof Uint8Array) ||
      !(starts instanceof Int32Array) ||
      !(offsets instanceof Int32Array) ||
      !(docs instanceof Int32Array) ||
      !(tfs instanceof Float64Array) ||
      !(fields instanceof Uint8Array)
    )
      return undefined;
    const text = Buffer.from(utf8.buffer, utf8.byteOffset, utf8.length).toString('utf8');
    const termCount = starts.length - 1;
    if (
      termCount < 0 ||
      offsets.length !== termCount + 1 ||
      starts[0] !== 0 ||
      starts[termCount] !== text.length ||
      offsets[0] !== 0 ||
      offsets[termCount] !== docs.length ||
      tfs.length !== docs.length ||
      fields.length !== docs.length
    )
      return undefined;
    return new LexicalModel(meta[0]!, text, starts, offsets, docs, tfs, fields);
  }

  /**
   * A model over an image section (src/fleet/routing-image.ts) that reads its term dictionary now
   * and a term's postings when a search first needs them: one route reads the postings of its
   * few dozen terms, not the megabytes of all. Scores are those of `deserialize` on the same bytes.
   * Undefined when the layout does not fit, as for `deserialize`.
   */
  static open(section: SectionReader): LexicalModel | undefined {
    const header = new Uint8Array(Math.min(section.byteLength, packedHeaderBytes(LEXICAL_ARRAYS)));
    section.readInto(header, 0);
    const layout = packedLayout(header, LEXICAL_MODEL_VERSION, LEXICAL_ARRAYS, section.byteLength);
    if (!layout || layout.map((slot) => slot.size).join() !== LEXICAL_ELEMENT_SIZES) return undefined;
    const [meta, utf8, starts, offsets, docs, tfs, fields] = layout as [
      PackedSlot,
      PackedSlot,
      PackedSlot,
      PackedSlot,
      PackedSlot,
      PackedSlot,
      PackedSlot,
    ];
    // The dictionary (document count, terms, starts, offsets) lies in one span: one read.
    const span = new Uint8Array(offsets.offset + offsets.length * 4 - meta.offset);
    section.readInto(span, meta.offset);
    const view = (slot: PackedSlot) => slot.offset - meta.offset;
    const text = Buffer.from(span.buffer, view(utf8), utf8.length).toString('utf8');
    const startArray = new Int32Array(span.buffer, view(starts), starts.length);
    const offsetArray = new Int32Array(span.buffer, view(offsets), offsets.length);
    const termCount = startArray.length - 1;
    const postings = docs.length;
    if (
      termCount < 0 ||
      offsetArray.length !== termCount + 1 ||
      startArray[0] !== 0 ||
      startArray[termCount] !== text.length ||
      offsetArray[0] !== 0 ||
      offsetArray[termCount] !== postings ||
      tfs.length !== postings ||
      fields.length !== postings
    )
      return undefined;
    const model = new LexicalModel(
      new Int32Array(span.buffer, 0, 1)[0]!,
      text,
      startArray,
      offsetArray,
      new Int32Array(postings),
      new Float64Array(postings),
      new Uint8Array(postings),
    );
    model.postingsOf = postingReader(section, model, { docs: docs.offset, tfs: tfs.offset, fields: fields.offset }, termCount);
    return model;
  }

  /** Reads a term's postings into docs/tfs/fields before they are used (a model opened over a section). */
  private postingsOf: ((term: number) => void) | undefined;

  private term(t: number): string {
    return this.text.slice(this.starts[t]!, this.starts[t + 1]!);
  }

  /** The number of a term, or undefined. */
  private termNumber(term: string): number | undefined {
    if (this.termIndex) return this.termIndex.get(term);
    if (++this.lookups > LOOKUPS_BEFORE_MAP) {
      this.termIndex = new Map(Array.from({ length: this.starts.length - 1 }, (_, t) => [this.term(t), t]));
      return this.termIndex.get(term);
    }
    let low = 0;
    let high = this.starts.length - 2;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const at = this.term(mid);
      if (at === term) return mid;
      if (at < term) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /**
   * Agents sharing terms with the query whose score is at least `minRelative` × the best one,
   * best first, each with the contribution of every query term it contains. Scores accumulate in
   * a scratch array; term lists are built only for the agents returned. `expand` false: the
   * request's own terms only, without query-expansion.ts.
   */
  search(query: string, minRelative = 0, expand = true): LexicalHit[] {
    const words = [...new Set(lexicalTerms([query]).terms)];
    const weightOf = new Map<number, number>();
    const expandedFrom = new Map<number, string>();
    for (const word of words) {
      const t = this.termNumber(word);
      if (t !== undefined) weightOf.set(t, 1);
    }
    // Expansion terms (query-expansion.ts) count at a fraction, never over a word the request has.
    if (expand) {
      for (const { term, from, weight } of [...expandTerms(words), ...shapeTerms(query)]) {
        const t = this.termNumber(term);
        if (t === undefined || weightOf.has(t) || this.offsets[t + 1]! - this.offsets[t]! > Math.max(1, this.docCount * EXPANSION_MAX_DF))
          continue;
        weightOf.set(t, weight);
        expandedFrom.set(t, from);
      }
    }
    const terms = [...weightOf.keys()].sort((a, b) => a - b); // term order = alphabetical: stable evidence order
    if (this.postingsOf) for (const t of terms) this.postingsOf(t);
    const scores = (this.scratch ??= new Float64Array(this.docCount));
    const touched: number[] = [];
    const idfs = terms.map((t) => this.idf(t) * weightOf.get(t)!);
    const postings = this.docs.length;
    terms.forEach((t, k) => {
      // Bounded by the postings (a damaged offset cannot run past them); a doc number out of range
      // reads `undefined` from the scratch array, so it is never touched, counted or returned.
      for (let p = Math.max(0, this.offsets[t]!), to = Math.min(postings, this.offsets[t + 1]!); p < to; p++) {
        const doc = this.docs[p]!;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += this.contribution(idfs[k]!, p);
      }
    });
    let best = 0;
    for (const doc of touched) if (scores[doc]! > best) best = scores[doc]!;
    const kept = touched
      .filter((doc) => scores[doc]! > 0 && scores[doc]! >= minRelative * best)
      .sort((a, b) => scores[b]! - scores[a]! || a - b);
    const hits = kept.map((doc) => new Hit(this, doc, scores[doc]!, terms, idfs, expandedFrom));
    for (const doc of touched) scores[doc] = 0;
    return hits;
  }

  private scratch: Float64Array | undefined;

  private idf(t: number): number {
    const postings = this.offsets[t + 1]! - this.offsets[t]!;
    return Math.log(1 + (this.docCount - postings + 0.5) / (postings + 0.5));
  }

  private contribution(idf: number, posting: number): number {
    const tf = this.tfs[posting]!;
    return (idf * tf * (BM25_K1 + 1)) / (tf + BM25_K1);
  }

  /**
   * Each query term's contribution to one agent (postings are in document order: binary search);
   * an expansion term names the request's word it was added for (`from`).
   */
  termsOf(doc: number, terms: readonly number[], idfs: readonly number[], expandedFrom?: ReadonlyMap<number, string>): LexicalHit['terms'] {
    const out: LexicalHit['terms'] = [];
    terms.forEach((t, k) => {
      let low = this.offsets[t]!;
      let high = this.offsets[t + 1]! - 1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        const at = this.docs[mid]!;
        if (at === doc) {
          const hit = {
            term: this.term(t),
            field: LEXICAL_FIELDS[this.fields[mid]!] ?? 'body',
            contribution: this.contribution(idfs[k]!, mid),
          };
          const from = expandedFrom?.get(t);
          out.push(from === undefined ? hit : { ...hit, from });
          break;
        }
        if (at < doc) low = mid + 1;
        else high = mid - 1;
      }
    });
    return out.sort((a, b) => b.contribution - a.contribution || (a.term < b.term ? -1 : 1));
  }
}

/**
 * A search hit whose `terms` are worked out when first read: the router reads them only for the
 * agents it returns (a few of the hits), and building them for every hit is a large share of a
 * search. An own
 * enumerable accessor with one shared descriptor, so JSON, `Object.keys` and deep equality see a
 * plain object's keys.
 */
class Hit implements LexicalHit {
  declare readonly terms: LexicalHit['terms'];
  #terms: LexicalHit['terms'] | undefined;
  readonly #model: LexicalModel;
  readonly #queryTerms: readonly number[];
  readonly #idfs: readonly number[];
  readonly #expandedFrom: ReadonlyMap<number, string>;

  static readonly #termsProperty: PropertyDescriptor = {
    enumerable: true,
    get(this: Hit): LexicalHit['terms'] {
      return (this.#terms ??= this.#model.termsOf(this.doc, this.#queryTerms, this.#idfs, this.#expandedFrom));
    },
  };

  constructor(
    model: LexicalModel,
    readonly doc: number,
    readonly score: number,
    queryTerms: readonly number[],
    idfs: readonly number[],
    expandedFrom: ReadonlyMap<number, string>,
  ) {
    Object.defineProperty(this, 'terms', Hit.#termsProperty);
    this.#model = model;
    this.#queryTerms = queryTerms;
    this.#idfs = idfs;
    this.#expandedFrom = expandedFrom;
  }
}

function termsOfField(doc: LexicalDocument, field: LexicalField): { terms: string[]; words: number } {
  switch (field) {
    case 'keywords':
      return lexicalTerms(doc.keywords);
    case 'responsibilities':
      return lexicalTerms(doc.responsibilities);
    // The body's pairs add nothing to routing and would make the model several times larger
    // (docs/routing.md): words only there.
    case 'body': {
      const words = tokenize(doc.body);
      return { terms: words, words: words.length };
    }
    default:
      return lexicalTerms([doc[field]]);
  }
}

/** Arrays of a serialized model, and their element sizes in order (serialize). */
const LEXICAL_ARRAYS = 7;
const LEXICAL_ELEMENT_SIZES = '4,1,4,4,4,8,1';

/**
 * The loader of `LexicalModel.open`: copies term t's postings from the section into the model's
 * (zero-filled, same-length) docs / tfs / fields arrays the first time t is searched. The range
 * is clamped to the postings, as `search` clamps it, so damaged offsets read nothing outside.
 */
function postingReader(
  section: SectionReader,
  model: LexicalModel,
  at: { docs: number; tfs: number; fields: number },
  termCount: number,
): (term: number) => void {
  const loaded = new Uint8Array(termCount);
  const { docs, tfs, fields, offsets } = model.arrays();
  return (term) => {
    if (loaded[term] === 1) return;
    loaded[term] = 1;
    const from = Math.max(0, offsets[term]!);
    const to = Math.min(docs.length, offsets[term + 1]!);
    if (to <= from) return;
    section.readInto(new Uint8Array(docs.buffer, from * 4, (to - from) * 4), at.docs + from * 4);
    section.readInto(new Uint8Array(tfs.buffer, from * 8, (to - from) * 8), at.tfs + from * 8);
    section.readInto(new Uint8Array(fields.buffer, from, to - from), at.fields + from);
  };
}
