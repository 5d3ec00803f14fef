import { describe, expect, it } from 'vitest';
import { eventLine } from '../../src/swarm/format-events.js';

describe('eventLine', () => {
  it('says "answered" for a subtask whose result stands, and nothing for a failed one (its failed line says it)', () => {
    expect(eventLine({ event: 'subtask-result', id: 's1', revision: 'first', outcome: { state: 'completed' } })).toBe('  answered  s1');
    expect(eventLine({ event: 'subtask-result', id: 's1', revision: 'first', outcome: { state: 'failed' } })).toBeUndefined();
    expect(eventLine({ event: 'subtask-failed', id: 's1', outcome: { state: 'failed', stop_reason: 'error' } })).toBe(
      '  failed    s1: error',
    );
  });
});
