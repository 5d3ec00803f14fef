import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LexicalModel, type LexicalDocument } from '../../src/router/lexical-model.js';
import { lexicalTerms } from '../../src/router/tokenize.js';
import { tokenize } from '../../src/util/words.js';
import { cachedLexicalModelFactory } from '../../src/router/lexical-cache.js';

const doc = (name: string, description: string, body = ''): LexicalDocument => ({
  name,
  description,
  keywords: [],
  responsibilities: [],
  body,
});
const docs = [
  doc('terraform-engineer', 'Writes Terraform modules for cloud infrastructure', 'remote state, providers, modules'),
  doc('css-layout-fixer', 'Fixes overlapping elements and broken layouts', 'stacking contexts, flexbox, grid'),
  doc('generalist', 'Handles anything', 'you help with everything: modules, layouts, state'),
];

describe('LexicalModel', () => {
  it('ranks the agent whose name and description match first, with the terms that made it', () => {
    const hits = LexicalModel.build(docs).search('the sidebar overlaps the footer; layout is broken');
    expect(hits[0]).toMatchObject({ doc: 1 });
    expect(hits[0]!.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['overlap', 'layout', 'broken']));
    expect(hits[0]!.terms[0]!.field).toBe('description');
  });
  it("ranks the agent that uses the request's phrase above one that only has its words", () => {
    const model = LexicalModel.build([
      doc('node-tuner', 'Finds what blocks the event loop in Node services'),
      doc('loop-event-mixer', 'Loop detection, event sourcing and event replay'),
    ]);
    const hits = model.search('event loop lag under load');
    expect(hits.map((hit) => hit.doc)).toEqual([0, 1]);
    expect(hits[0]!.terms.map((t) => t.term)).toContain('event loop');
  });
  it('pairs neighbouring words within one text, never across two', () => {
    expect(lexicalTerms(['Error boundaries in React'])).toEqual({
      terms: ['error', 'boundary', 'error boundary', 'react', 'boundary react'],
      words: 3,
    });
    expect(lexicalTerms(['terraform state', 'remote modules']).terms).not.toContain('state remote');
  });
  it('drops request filler but keeps words that are also technology names', () => {
    expect(tokenize('anyone know why it breaks whenever the cache is cold since monday')).toEqual(['break', 'cach', 'cold']);
    expect(tokenize('go kind less try sort')).toEqual(['go', 'kind', 'less', 'try', 'sort']);
  });
  it('round-trips through its binary form with identical results, before and after it switches to a term map', () => {
    const model = LexicalModel.build(docs);
    const copy = LexicalModel.deserialize(model.serialize())!;
    const queries = ['terraform modules state', 'broken layout in the grid', 'nothing known here', 'state'];
    for (let round = 0; round < 2000; round++)
      for (const query of queries) expect(copy.search(query, 0.1)).toEqual(model.search(query, 0.1));
  });
  it('refuses a truncated or foreign binary form, and never returns an agent a damaged one names', () => {
    const bytes = LexicalModel.build(docs).serialize();
    expect(LexicalModel.deserialize(bytes.subarray(0, bytes.length - 9))).toBeUndefined();
    expect(LexicalModel.deserialize(new Uint8Array(16))).toBeUndefined();
    // The docs array holds agent numbers: point postings of agent 2 past the last agent and below 0.
    const damaged = new Uint8Array(bytes);
    const view = new DataView(damaged.buffer);
    view.setInt32(findInt32(damaged, 2), 99, true);
    view.setInt32(findInt32(damaged, 2), -1, true);
    const hits = LexicalModel.deserialize(damaged)!.search('modules layouts state everything anything', 0);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.doc >= 0 && hit.doc < docs.length)).toBe(true);
  });
});

/** Offset of the first posting that names `doc` in a serialized model (the docs array is the fifth part). */
function findInt32(bytes: Uint8Array, doc: number): number {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, 2 + 7 * 2);
  let offset = (words.length * 4 + 7) & ~7;
  for (let part = 0; part < 4; part++) offset = (offset + words[2 + part * 2]! * words[3 + part * 2]! + 7) & ~7;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  for (let i = 0; i < words[3 + 4 * 2]!; i++) if (view.getInt32(offset + i * 4, true) === doc) return offset + i * 4;
  throw new Error('no posting for the document');
}

describe('cachedLexicalModelFactory', () => {
  it('builds once per fleet hash, then loads without reading the documents', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-lex-'));
    let loads = 0;
    const documents = () => {
      loads++;
      return docs;
    };
    const first = cachedLexicalModelFactory(dir, 'sha256:abc')(documents);
    const second = cachedLexicalModelFactory(dir, 'sha256:abc')(documents);
    expect(loads).toBe(1);
    expect(second.search('terraform')).toEqual(first.search('terraform'));
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^lexical-v\d+-abc\.bin$/)]);
  });
});
