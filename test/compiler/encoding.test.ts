/**
 * Bytes as real files have them: CRLF, a byte order mark, invalid UTF-8, binary junk, files
 * over the size limit. Built here from bytes, since a fixture file could be normalized by git.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BRIEF_BYTES } from '../../src/compiler/limits.js';
import { compileFiles } from '../support/compile.js';

const brief = '---\nname: bytes\ndescription: Reviews shell scripts.\ntools: Read\n---\n\nYou review shell scripts.\n';
const codes = (result: ReturnType<typeof compileFiles>) => result.diagnostics.filter((d) => !d.code.startsWith('CF3')).map((d) => d.code);

describe('encodings', () => {
  it('reads CRLF line endings as LF, with a note', () => {
    const result = compileFiles({ 'a.md': brief.replace(/\n/g, '\r\n') });
    expect(codes(result)).toEqual(['CF1006']);
    expect(result.definitions[0]?.agent.description).toBe('Reviews shell scripts.');
    expect(result.definitions[0]?.prompt.system).toBe('You review shell scripts.');
  });

  it('removes a UTF-8 byte order mark', () => {
    const result = compileFiles({ 'a.md': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(brief)]) });
    expect(codes(result)).toEqual(['CF1005']);
    expect(result.definitions[0]?.agent.id).toBe('bytes');
  });

  it('replaces invalid UTF-8 and says where', () => {
    const bytes = Buffer.from(brief.replace('Reviews', 'Rev\u0001iews'));
    bytes[bytes.indexOf(1)] = 0xff;
    const result = compileFiles({ 'a.md': bytes });
    expect(codes(result)).toEqual(['CF1003']);
    expect(result.diagnostics[0]?.location).toMatchObject({ line: 3, column: 17 });
    expect(result.definitions[0]?.agent.description).toBe('Rev\uFFFDiews shell scripts.');
  });

  it('refuses binary files and keeps compiling the others', () => {
    const result = compileFiles({ 'a.md': brief, 'junk.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]) });
    expect(codes(result)).toEqual(['CF1004']);
    expect(result.definitions.map((d) => d.agent.id)).toEqual(['bytes']);
  });

  it('refuses files over MAX_BRIEF_BYTES before reading them as text', () => {
    const huge = brief + 'x'.repeat(MAX_BRIEF_BYTES);
    const result = compileFiles({ 'huge.md': huge });
    expect(codes(result)).toEqual(['CF1002']);
    expect(result.definitions).toEqual([]);
  });

  it('records the hash of the bytes as read', () => {
    const crlf = compileFiles({ 'a.md': brief.replace(/\n/g, '\r\n') }).definitions[0]!;
    const lf = compileFiles({ 'a.md': brief }).definitions[0]!;
    expect(crlf.provenance.hash).not.toBe(lf.provenance.hash);
    expect(lf.provenance.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
