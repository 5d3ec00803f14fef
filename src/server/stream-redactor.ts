/**
 * Redaction for text that arrives in pieces (a model's streamed answer, a child's stdout): a
 * secret split across two pieces matches in neither, so each piece is redacted on a sliding window.
 * The window holds back the longest known secret's length minus one (no secret can be cut off
 * before its end) and whatever follows the last line break, since credential shapes (`Bearer …`,
 * `api_key=…`, `sk-…`) run to the end of a token; past MAX_HELD characters without a line break
 * it lets go of what comes before the last whitespace (or, with none, all but the secret-length
 * tail). `end()` gives what is held, redacted.
 *
 * @example
 * const stream = new StreamRedactor(new Redactor(['sk-live-0123456789']));
 * stream.push('key sk-live-01') + stream.push('23456789 done\n') + stream.end(); // 'key [redacted] done\n'
 */
import type { Redactor } from '../providers/redact.js';

/** The most a stream holds back while it waits for a line break. */
const MAX_HELD = 1_024;

export class StreamRedactor {
  private held = '';

  constructor(private readonly redactor: Redactor) {}

  /** The redacted text that is safe to send now; the rest waits for the next piece or `end()`. */
  push(piece: string): string {
    const text = this.held + piece;
    const tail = Math.max(0, this.redactor.longestSecret - 1);
    let cut = Math.max(0, text.length - tail);
    const lineEnd = text.lastIndexOf('\n', cut - 1) + 1;
    if (text.length - lineEnd <= MAX_HELD) cut = Math.min(cut, lineEnd);
    else {
      // A long line is let go of at a word boundary: a credential shape ends at whitespace, so
      // cutting inside a token could send its second half in the clear.
      const space = Math.max(text.lastIndexOf(' ', cut - 1), text.lastIndexOf('\t', cut - 1));
      if (space >= 0 && text.length - (space + 1) <= MAX_HELD) cut = space + 1;
    }
    cut = this.redactor.safeCut(text, cut);
    this.held = text.slice(cut);
    return cut === 0 ? '' : this.redactor.text(text.slice(0, cut));
  }

  /** What is still held, redacted; the stream is empty after. */
  end(): string {
    const rest = this.held;
    this.held = '';
    return rest === '' ? '' : this.redactor.text(rest);
  }
}

/** One StreamRedactor per stream name (a task's text, stdout, stderr), ended together. */
export class StreamRedactors {
  private readonly streams = new Map<string, StreamRedactor>();

  constructor(private readonly redactor: Redactor) {}

  push(stream: string, piece: string): string {
    let redacting = this.streams.get(stream);
    if (!redacting) this.streams.set(stream, (redacting = new StreamRedactor(this.redactor)));
    return redacting.push(piece);
  }

  /** Each stream's held rest, redacted, for the ones that held any. */
  end(): Array<[stream: string, text: string]> {
    return [...this.streams].map(([stream, redacting]) => [stream, redacting.end()] as [string, string]).filter(([, text]) => text !== '');
  }
}
