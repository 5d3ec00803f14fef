/**
 * When the hook speaks. Regression: "hello" on the VoltAgent fleet made the hook delegate to
 * `slack-expert` (score 2.00, 100 % ahead) because one word of that brief's body matched.
 */
import { describe, expect, it } from 'vitest';
import { confidentChoice } from '../../src/integrations/confidence.js';
import type { Evidence, RouteCandidate } from '../../src/router/types.js';

function candidate(id: string, score: number, stages: string[], evidence: Evidence[]): RouteCandidate {
  return { id, rank: 1, score, tier: 'specialist', domain: 'general', stages, evidence, terms: [] };
}

const word = (term: string, field: string): Evidence => ({ stage: 'semantic', term, field, contribution: 1 });

describe('confidentChoice', () => {
  it('stays silent when the first candidate matched only words of its brief body', () => {
    const result = { candidates: [candidate('slack-expert', 2, ['semantic'], [word('hello', 'body')])] };
    expect(confidentChoice(result)).toBeUndefined();
  });

  it('speaks when a body word comes with a description word', () => {
    const result = {
      candidates: [candidate('slack-expert', 2, ['semantic'], [word('hello', 'body'), word('slack', 'description')])],
    };
    expect(confidentChoice(result)?.id).toBe('slack-expert');
  });

  it('speaks when a keyword trigger found it, whatever the lexical evidence', () => {
    const keyword: Evidence = { stage: 'keyword', trigger: 'slack', start: 0, end: 5 } as unknown as Evidence;
    const result = { candidates: [candidate('slack-expert', 2, ['keyword', 'semantic'], [keyword, word('hello', 'body')])] };
    expect(confidentChoice(result)?.id).toBe('slack-expert');
  });
});
