import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../src/compiler/infer/catalog.js';
import { countMentions, isCatalogAlias, MAX_ALIAS_TOKENS, scanText } from '../../../src/compiler/infer/catalog-matcher.js';
import { tokenize } from '../../../src/compiler/infer/text.js';

function mentioned(text: string, isName = false): string[] {
  const ids: string[] = [];
  scanText(text, isName, (index) => ids.push(CATALOG[index]!.id));
  return ids;
}

describe('catalog matching', () => {
  it('matches whole tokens only: "go" is not in "good" or "google"', () => {
    expect(mentioned('a good google search')).not.toContain('go');
    expect(mentioned('written in Go and golang')).toEqual(['go', 'go']);
  });

  it('keeps c#, c++, .net and node.js as tokens', () => {
    expect(mentioned('C# on .NET, C++ and Node.js.')).toEqual(['c#', '.net', 'c++', 'node.js']);
  });

  it('does not read "c" into c# or c++, nor .net into asp.net', () => {
    expect(mentioned('ASP.NET Core apps')).toEqual(['asp.net']);
    expect(mentioned('C++ only')).toEqual(['c++']);
  });

  it('matches multi-token aliases leftmost-longest', () => {
    expect(mentioned('GitHub Actions and React Native')).toEqual(['github actions', 'react native']);
    expect(mentioned('CI/CD with k8s')).toEqual(['ci/cd', 'kubernetes']);
  });

  it('matches English-word names case-sensitively in prose, loosely in names', () => {
    expect(mentioned('react to events and go ahead')).toEqual([]);
    expect(mentioned('React hooks')).toEqual(['react']);
    expect(mentioned('unity-developer', true)).toContain('unity');
    expect(mentioned('we want unity across teams')).toEqual([]);
  });

  it('counts repeated mentions per entry', () => {
    const counts = countMentions('Terraform, terraform and OpenTofu');
    const terraform = CATALOG.findIndex((entry) => entry.id === 'terraform');
    expect(counts[terraform]).toBe(3);
  });

  it('recognizes exact aliases', () => {
    expect(isCatalogAlias('k8s')).toBe(true);
    expect(isCatalogAlias('node.js')).toBe(true);
    expect(isCatalogAlias('flywheel')).toBe(false);
  });

  it('has no alias longer than a trie walk reaches', () => {
    for (const entry of CATALOG) {
      for (const alias of [entry.id, ...(entry.aliases ?? []), ...(entry.exact ?? [])]) {
        expect(tokenize(alias).length, alias).toBeLessThanOrEqual(MAX_ALIAS_TOKENS);
      }
    }
  });

  it('has unique ids and lower-case keywords', () => {
    const ids = CATALOG.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of CATALOG) for (const keyword of entry.keywords ?? [entry.id]) expect(keyword).toBe(keyword.toLowerCase());
  });
});
