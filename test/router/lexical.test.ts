import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LexicalModel, type LexicalDocument } from '../../src/router/lexical-model.js';
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
