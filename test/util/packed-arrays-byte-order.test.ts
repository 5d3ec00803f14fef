/**
 * Packed buffers (build cache, lexical model, routing image) are in the writer's byte order. One
 * written on a machine of the other order has its header words byte-swapped: the reader refuses
 * it instead of reading swapped lengths and values as arrays.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packArrays, packedHeaderBytes, packedLayout, unpackArrays } from '../../src/util/packed-arrays.js';
import { openRoutingImage, packRoutingImage, type RoutingImageHead } from '../../src/fleet/routing-image.js';

/** The bytes a machine of the other byte order would have written for the same header. */
function headerSwapped(bytes: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let word = 0; word < 2 + count * 2; word++) out.subarray(word * 4, word * 4 + 4).reverse();
  return out;
}

describe('packed arrays and byte order', () => {
  it('a buffer from a machine of the other byte order is refused, not misread', () => {
    const bytes = packArrays(2, [Int32Array.of(1, 2, 3), Float64Array.of(0.5)]);
    expect(unpackArrays(bytes, 2, 2)).toBeDefined();
    const swapped = headerSwapped(bytes, 2);
    expect(unpackArrays(swapped, 2, 2)).toBeUndefined();
    expect(packedLayout(swapped.subarray(0, packedHeaderBytes(2)), 2, 2, swapped.byteLength)).toBeUndefined();
  });

  it('so is a routing image', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-byte-order-'));
    try {
      const head: RoutingImageHead = { format: 'codex-flow/fleet', format_version: 1, schema_version: 1, hash: 'sha256:00', entries: [], table: { format: 'codex-flow/fleet' as const, format_version: 1, hash: 'sha256:00', regex: [], file_patterns: {}, agents: {}, generalists: [] } };
      const image = packRoutingImage({ head, keywords: new Uint8Array(8), lexical: new Uint8Array(8), globs: new Uint8Array(8) });
      writeFileSync(join(dir, 'native.bin'), image);
      writeFileSync(join(dir, 'swapped.bin'), headerSwapped(image, 4));
      expect(openRoutingImage(join(dir, 'native.bin'))?.head.hash).toBe('sha256:00');
      expect(openRoutingImage(join(dir, 'swapped.bin'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
