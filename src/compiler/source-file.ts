/**
 * Reading a brief: bytes → text the later passes can trust. Handles what real files contain:
 * a UTF-8 byte order mark, CRLF line endings, invalid UTF-8, binary junk and oversized files.
 * The content hash is taken over the bytes as read, so any change to the file moves it.
 */
import { hashBytes } from '../util/hash.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { BINARY_CONTROL_RATIO, MAX_BRIEF_BYTES } from './limits.js';

export interface SourceFile {
  /** Path relative to the project root, forward slashes (never absolute: outputs must not leak it). */
  path: string;
  /** Path relative to the brief root, forward slashes, e.g. `backend/api-designer.md`. */
  relativePath: string;
  /** Decoded text: no BOM, LF line endings. */
  text: string;
  /** `text` split into lines, once, for every pass that reports positions or frames. */
  lines: readonly string[];
  /** `sha256:` of the raw bytes. */
  hash: string;
}

export interface ReadResult {
  file?: SourceFile;
  diagnostics: Diagnostic[];
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Control characters other than tab, LF, VT, FF and CR. */
const CONTROL = /[\u0000-\u0008\u000e-\u001f]/g;

/** Binary when it has a NUL byte, or when control characters are more than a tenth of its start.
 * Counted with a native regex over the decoded text: a byte loop runs interpreted on a cold start. */
function looksBinary(bytes: Uint8Array, text: string): boolean {
  if (bytes.includes(0)) return true;
  const sample = text.slice(0, 8192);
  const control = sample.match(CONTROL)?.length ?? 0;
  return sample.length > 0 && control / sample.length > BINARY_CONTROL_RATIO;
}

/**
 * Decodes one brief's bytes. Pure: the caller does the I/O, so tests can feed any bytes.
 *
 * @example decodeSource(Buffer.from('---\nname: a\n---\n'), 'a.md', '.claude/agents/a.md')
 */
export function decodeSource(bytes: Uint8Array, relativePath: string, path: string): ReadResult {
  const at = { file: path, line: 1, column: 1 };
  const diagnostics: Diagnostic[] = [];
  if (bytes.length > MAX_BRIEF_BYTES) {
    return { diagnostics: [diagnostic('CF1002', `brief is ${bytes.length} bytes; the limit is ${MAX_BRIEF_BYTES}`, at)] };
  }
  let text: string;
  let valid = true;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    valid = false;
    text = utf8Lenient.decode(bytes);
  }
  if (looksBinary(bytes, text)) {
    return { diagnostics: [diagnostic('CF1004', 'file looks binary (NUL or control bytes), not Markdown', at)] };
  }
  if (!valid) {
    const index = text.indexOf('\uFFFD');
    const before = text.slice(0, Math.max(index, 0));
    const line = before.split('\n').length;
    const column = index - before.lastIndexOf('\n');
    diagnostics.push(diagnostic('CF1003', 'invalid UTF-8 bytes were replaced with U+FFFD', { file: path, line, column }));
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    diagnostics.push(diagnostic('CF1005', 'UTF-8 byte order mark removed', at));
  }
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n');
    diagnostics.push(diagnostic('CF1006', 'CRLF line endings read as LF', at));
  }
  return { file: { path, relativePath, text, lines: text.split('\n'), hash: hashBytes(bytes) }, diagnostics };
}
