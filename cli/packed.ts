/**
 * A few typed arrays and a JSON header in one byte string, and back: how a compiled matcher is
 * stored (see Matcher.snapshot) so the CLI can start without compiling its default rules.
 *
 * Layout: "NAPK" (4 bytes), the header's byte length (uint32 little endian), the header as UTF-8
 * JSON ({ data, arrays: [{ name, type, length }] }), zero padding to a multiple of 8, then each
 * array's bytes in order, each padded to a multiple of 8. Native byte order: the file is built
 * (npm ci runs the build) on the machine that reads it.
 */

export type PackedArray = Int32Array | Uint16Array | Uint8Array;

const TYPES = { Int32Array, Uint16Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;

const MAGIC = 0x4b50414e; // "NAPK" read as a little-endian uint32
const pad8 = (n: number): number => (n + 7) & ~7;

export interface Packed<T> {
  readonly data: T;
  readonly arrays: Record<string, PackedArray>;
}

/** Packs `data` (any JSON value) and the arrays into one byte string. */
export function pack<T>(data: T, arrays: Record<string, PackedArray>): Uint8Array {
  const entries = Object.entries(arrays);
  const header = new TextEncoder().encode(
    JSON.stringify({
      data,
      arrays: entries.map(([name, a]) => ({ name, type: a.constructor.name, length: a.length })),
    })
  );
  let size = pad8(8 + header.length);
  for (const [, a] of entries) size += pad8(a.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  let at = pad8(8 + header.length);
  for (const [, a] of entries) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += pad8(a.byteLength);
  }
  return out;
}

/**
 * Unpacks what pack() wrote; the arrays are copies, aligned whatever `bytes` was.
 * @throws Error when `bytes` is not such a byte string (named by `source`).
 */
export function unpack<T>(bytes: Uint8Array, source: string): Packed<T> {
  const fail = (why: string): never => {
    throw new Error(`${source} is not a packed matcher (${why})`);
  };
  if (bytes.length < 8) fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('wrong magic number');
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.length) fail('header past the end');
  let header: { data: T; arrays: { name: string; type: string; length: number }[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    return fail('header is not JSON');
  }
  const arrays: Record<string, PackedArray> = {};
  let at = pad8(8 + headerLength);
  for (const { name, type, length } of header.arrays) {
    const Type = TYPES[type as TypeName];
    if (!Type || !Number.isInteger(length) || length < 0) return fail(`bad array ${name}`);
    const byteLength = length * Type.BYTES_PER_ELEMENT;
    if (at + byteLength > bytes.length) fail(`array ${name} past the end`);
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(at, at + byteLength));
    arrays[name] = new Type(copy.buffer, 0, length);
    at += pad8(byteLength);
  }
  return { data: header.data, arrays };
}
