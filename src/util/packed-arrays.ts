/**
 * Typed arrays packed into one buffer and read back as views, without copying: the layout of the
 * router's build-cache entries, the lexical model file and the fleet's routing image.
 * Invariants: every array starts on an 8-byte boundary of the buffer; the header states each
 * array's element size and length, and a reader refuses a buffer whose version, count or lengths
 * do not fit, so a truncated or foreign file is never read as arrays. Byte order is the
 * machine's: little-endian on the platforms codex-flow is built and tested on (x64, arm64). A
 * buffer written on a big-endian machine (s390x) carries its version word byte-swapped, so a
 * reader of the other order refuses it (and rebuilds or falls back) instead of misreading it
 * (test/util/packed-arrays-byte-order.test.ts).
 */
/**
 * Packs typed arrays into one buffer: a header (version, count, then per array its element size
 * and length) followed by the arrays, each aligned to 8 bytes so `unpackArrays` can view them
 * without copying.
 */
export function packArrays(version: number, arrays: ReadonlyArray<Int32Array | Uint16Array | Uint8Array | Float64Array>): Uint8Array {
  const headerWords = 2 + arrays.length * 2;
  let offset = align(headerWords * 4);
  const offsets = arrays.map((array) => {
    const at = offset;
    offset = align(offset + array.byteLength);
    return at;
  });
  const out = new Uint8Array(offset);
  const header = new Int32Array(out.buffer, 0, headerWords);
  header[0] = version;
  header[1] = arrays.length;
  arrays.forEach((array, i) => {
    header[2 + i * 2] = array.BYTES_PER_ELEMENT;
    header[3 + i * 2] = array.length;
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offsets[i]!);
  });
  return out;
}

/** The element kinds `unpackArrays` can return, by element size. */
type Packed = Int32Array | Uint16Array | Uint8Array | Float64Array;

/**
 * Reads what `packArrays` wrote; undefined when the version, the count or any length does not
 * fit (a truncated or foreign file). Element sizes 4 → Int32Array, 2 → Uint16Array,
 * 1 → Uint8Array, 8 → Float64Array. The arrays are views into `bytes` when it starts on an
 * 8-byte boundary (a file read on its own, an array packed inside another image), a copy
 * otherwise; callers treat them as read-only.
 */
export function unpackArrays(bytes: Uint8Array, version: number, count: number): Packed[] | undefined {
  // A small Buffer from readFileSync may sit at any offset of a shared pool: copy only then (into
  // a fresh buffer; Buffer#slice would share the memory).
  const own = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  const { buffer, byteOffset: base, byteLength } = own;
  if (byteLength < 8) return undefined;
  const head = new Int32Array(buffer, base, 2);
  if (head[0] !== version || head[1] !== count) return undefined;
  const headerWords = 2 + count * 2;
  if (byteLength < headerWords * 4) return undefined;
  const header = new Int32Array(buffer, base, headerWords);
  let offset = align(headerWords * 4);
  const arrays: Packed[] = [];
  for (let i = 0; i < count; i++) {
    const size = header[2 + i * 2]!;
    const length = header[3 + i * 2]!;
    if (length < 0 || offset + size * length > byteLength) return undefined;
    if (size === 4) arrays.push(new Int32Array(buffer, base + offset, length));
    else if (size === 2) arrays.push(new Uint16Array(buffer, base + offset, length));
    else if (size === 1) arrays.push(new Uint8Array(buffer, base + offset, length));
    else if (size === 8) arrays.push(new Float64Array(buffer, base + offset, length));
    else return undefined;
    offset = align(offset + size * length);
  }
  return arrays;
}

/** A JSON value as UTF-8 bytes, for an entry or a part of one. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

/** The JSON value `jsonBytes` wrote, or undefined when the bytes do not parse. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function align(offset: number): number {
  return (offset + 7) & ~7;
}

/** Where one array of a packed buffer lies: element size, length and byte offset from the buffer's start. */
export interface PackedSlot {
  size: number;
  length: number;
  offset: number;
}

/** Bytes of the header of a packed buffer of `count` arrays (what `packedLayout` needs to read). */
export function packedHeaderBytes(count: number): number {
  return (2 + count * 2) * 4;
}

/**
 * The layout `packArrays` gave a buffer of `total` bytes, from its first packedHeaderBytes(count)
 * bytes alone: lets a reader fetch only the arrays (or parts) it needs. Undefined when the
 * version, the count or a length does not fit, as for unpackArrays.
 */
export function packedLayout(header: Uint8Array, version: number, count: number, total: number): PackedSlot[] | undefined {
  const headerWords = 2 + count * 2;
  if (header.byteLength < headerWords * 4 || total < headerWords * 4) return undefined;
  const words = new Int32Array(header.buffer.slice(header.byteOffset, header.byteOffset + headerWords * 4));
  if (words[0] !== version || words[1] !== count) return undefined;
  let offset = align(headerWords * 4);
  const slots: PackedSlot[] = [];
  for (let i = 0; i < count; i++) {
    const size = words[2 + i * 2]!;
    const length = words[3 + i * 2]!;
    if (![1, 2, 4, 8].includes(size) || length < 0 || offset + size * length > total) return undefined;
    slots.push({ size, length, offset });
    offset = align(offset + size * length);
  }
  return slots;
}
