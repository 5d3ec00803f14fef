/**
 * The sliding-window redactor for streamed text: a secret (by value or by shape) split across
 * pieces at any point is redacted, and every other character comes out once, in order.
 */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/providers/redact.js';
import { StreamRedactor } from '../../src/server/stream-redactor.js';

const SECRET = 'live-secret-0123456789';

function streamed(text: string, cuts: number[], redactor = new Redactor([SECRET])): string {
  const stream = new StreamRedactor(redactor);
  let out = '';
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    out += stream.push(text.slice(from, cut));
    from = cut;
  }
  return out + stream.end();
}

describe('StreamRedactor', () => {
  it('redacts a known secret wherever the pieces split it', () => {
    const text = `first line\nthe key is ${SECRET} and more\nlast`;
    const at = text.indexOf(SECRET);
    for (let cut = at - 2; cut <= at + SECRET.length + 2; cut++)
      expect(streamed(text, [cut]), `cut at ${cut}`).toBe(`first line\nthe key is [redacted] and more\nlast`);
  });

  it('redacts a credential shape split across pieces (Bearer, sk- keys)', () => {
    const text = 'call with Authorization: Bearer abcdef0123456789xyz\nsk-proj-abcdefghijkl0123 is the key\n';
    const expected = new Redactor().text(text);
    for (let cut = 1; cut < text.length; cut += 3) expect(streamed(text, [cut], new Redactor()), `cut at ${cut}`).toBe(expected);
  });

  it('redacts a credential shape split across pieces on a line longer than the window (no secret configured)', () => {
    const stream = new StreamRedactor(new Redactor([]));
    const out = stream.push('x'.repeat(1_100) + ' here is the key sk-proj-ABCD') + stream.push('EFGH1234567890 and more') + stream.end();
    expect(out).not.toContain('EFGH1234567890');
    expect(out.endsWith(' and more')).toBe(true);
  });

  it('passes ordinary text through whole, piece by piece, and holds at most one line plus the secret tail', () => {
    const text = 'line one\nline two\nline three';
    // A secret of 8 characters: 7 held back at most, besides the line.
    const stream = new StreamRedactor(new Redactor(['abcdefgh']));
    expect(stream.push('line one\nline tw')).toBe('line one\n');
    expect(stream.push('o\nline three')).toBe('line two\n');
    expect(stream.end()).toBe('line three');
    expect(streamed(text, [3, 9, 15])).toBe(text);
  });
});
