import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LexicalModel, lexicalTerms, type LexicalDocument } from '../../src/router/lexical-model.js';
import { tokenize } from '../../src/router/tokenize.js';
import { cachedLexicalModelFactory } from '../../src/router/lexical-cache.js';

const doc = (name: string, description: string, body = ''): LexicalDocument => ({ name, description, keywords: [], responsibilities: [], body });
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
  it('ranks the agent that uses the request\'s phrase above one that only has its words', () => {
    const model = LexicalModel.build([
      doc('node-tuner', 'Finds what blocks the event loop in Node services'),
      doc('loop-event-mixer', 'Loop detection, event sourcing and event replay'),
    ]);
    const hits = model.search('event loop lag under load');
    expect(hits.map((hit) => hit.doc)).toEqual([0, 1]);
    expect(hits[0]!.terms.map((t) => t.term)).toContain('event loop');
  });
  it('pairs neighbouring words within one text, never across two', () => {
    expect(lexicalTerms(['Error boundaries in React'])).toEqual({ terms: ['error', 'boundary', 'error boundary', 'react', 'boundary react'], words: 3 });
    expect(lexicalTerms(['terraform state', 'remote modules']).terms).not.toContain('state remote');
  });
  it('drops request filler but keeps words that are also technology names', () => {
    expect(tokenize('anyone know why it breaks whenever the cache is cold since monday')).toEqual(['break', 'cach', 'cold']);
    expect(tokenize('go kind less try sort')).toEqual(['go', 'kind', 'less', 'try', 'sort']);
  });
  it('round-trips through its binary form with identical results', () => {
    const model = LexicalModel.build(docs);
    const copy = LexicalModel.deserialize(model.serialize())!;
    expect(copy.search('terraform modules state')).toEqual(model.search('terraform modules state'));
  });
});

describe('cachedLexicalModelFactory', () => {
  it('builds once per fleet hash, then loads without reading the documents', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-lex-'));
    let loads = 0;
    const documents = () => { loads++; return docs; };
    const first = cachedLexicalModelFactory(dir, 'sha256:abc')(documents);
    const second = cachedLexicalModelFactory(dir, 'sha256:abc')(documents);
    expect(loads).toBe(1);
    expect(second.search('terraform')).toEqual(first.search('terraform'));
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^lexical-v\d+-abc\.bin$/)]);
  });
});
