import { describe, expect, it } from 'vitest';
import { clauses, namePhrases, quotedPhrases, triggersOn } from '../../../src/compiler/infer/phrases.js';
import { isWeakKeyword } from '../../../src/compiler/infer/stop-words.js';

describe('triggersOn', () => {
  it('reads quoted items in order', () => {
    const description = "Use when designing growth. Triggers on: 'growth loop', 'flywheel', 'PLG growth', 'word of mouth'.";
    expect(triggersOn(description)).toEqual(['growth loop', 'flywheel', 'plg growth', 'word of mouth']);
  });

  it('reads double and curly quotes, and unquoted comma lists', () => {
    expect(triggersOn('Triggers on: "hipaa", “phi”')).toEqual(['hipaa', 'phi']);
    expect(triggersOn('Triggers on: cohort analysis, retention curve')).toEqual(['cohort analysis', 'retention curve']);
  });

  it('returns nothing without a list', () => {
    expect(triggersOn('Use when building APIs.')).toEqual([]);
  });

  it('does not count trigger items as quoted phrases', () => {
    expect(quotedPhrases("Say 'ship it'. Triggers on: 'a b', 'c d'")).toEqual(['ship it']);
  });
});

describe('namePhrases', () => {
  it('drops role words and adds the activity', () => {
    expect(namePhrases('database-optimizer')).toEqual(['database', 'database optimization']);
    expect(namePhrases('terraform-specialist', true)).toEqual(['terraform']);
    expect(namePhrases('product-manager')).toEqual(['product', 'product management', 'product manager']);
  });

  it('keeps compounds like multi-agent together', () => {
    expect(namePhrases('multi-agent-coordinator')).toEqual(['multi-agent', 'multi-agent coordination']);
  });

  it('does not add activities to technology names', () => {
    expect(namePhrases('rust-engineer', true)).toEqual(['rust']);
  });
});

describe('clauses', () => {
  it('keeps the head-final noun phrase of each clause', () => {
    expect(clauses('Use this agent when you need to optimize complex SQL queries, design efficient database schemas')).toEqual([
      'sql queries',
      'database schemas',
    ]);
  });

  it('never yields a stop word alone', () => {
    for (const phrase of clauses('Use PROACTIVELY for modern best practices and expert agents.')) {
      expect(isWeakKeyword(phrase)).toBe(false);
    }
  });

  it('does not split dotted names', () => {
    expect(clauses('Build ASP.NET Core services')).toContain('asp.net services');
  });
});
