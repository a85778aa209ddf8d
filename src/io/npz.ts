// NumPy's .npz archive, written as bytes: a zip of `<name>.npy` members, stored uncompressed (as
// np.savez does), with fixed 1980-01-01 timestamps so that the same arrays give the same file. No
// ZIP64: an archive that would pass 4 GiB is refused by its size before anything is computed.
import { chunkLength, npyChunks, type NpyArray } from './npy.js';

/** The largest archive a plain (non-ZIP64) zip can describe. */
export const NPZ_MAX_BYTES = 0xffffffff;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (the zip polynomial) of chunks in order. */
export function crc32(chunks: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) c = CRC_TABLE[(c ^ chunk[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// DOS date of 1980-01-01 (day 1, month 1, year 0) and time 00:00:00.
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;
const VERSION = 20;

function record(size: number, fill: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  fill(new DataView(bytes.buffer));
  return bytes;
}

function ascii(name: string): Uint8Array {
  if (!/^[A-Za-z0-9_.]+$/.test(name))
    throw new Error(`an .npz member name must be plain ASCII (got ${JSON.stringify(name)})`);
  return Uint8Array.from(name, (c) => c.charCodeAt(0));
}

/** Bytes an archive of these member sizes (data bytes per .npy member) will take, before building it. */
export function npzSize(members: ReadonlyArray<readonly [string, number]>): number {
  return members.reduce((s, [name, bytes]) => s + 30 + 46 + 2 * (name.length + 4) + bytes, 22);
}

/** The .npz archive as chunks: for each array a local header and its .npy bytes, then the central directory. */
export function npzChunks(arrays: Readonly<Record<string, NpyArray>>): Uint8Array[] {
  const out: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [key, array] of Object.entries(arrays)) {
    const name = ascii(`${key}.npy`);
    const data = npyChunks(array);
    const size = chunkLength(data);
    const crc = crc32(data);
    if (offset + size + 30 + name.length > NPZ_MAX_BYTES) throw new Error('an .npz archive over 4 GiB needs ZIP64');
    const local = record(30 + name.length, (v) => {
      v.setUint32(0, 0x04034b50, true);
      v.setUint16(4, VERSION, true);
      v.setUint16(6, 0, true); // flags
      v.setUint16(8, 0, true); // stored
      v.setUint16(10, DOS_TIME, true);
      v.setUint16(12, DOS_DATE, true);
      v.setUint32(14, crc, true);
      v.setUint32(18, size, true);
      v.setUint32(22, size, true);
      v.setUint16(26, name.length, true);
      v.setUint16(28, 0, true);
    });
    local.set(name, 30);
    central.push(
      (() => {
        const entry = record(46 + name.length, (v) => {
          v.setUint32(0, 0x02014b50, true);
          v.setUint16(4, VERSION, true); // made by: MS-DOS attributes, spec 2.0
          v.setUint16(6, VERSION, true);
          v.setUint16(8, 0, true);
          v.setUint16(10, 0, true);
          v.setUint16(12, DOS_TIME, true);
          v.setUint16(14, DOS_DATE, true);
          v.setUint32(16, crc, true);
          v.setUint32(20, size, true);
          v.setUint32(24, size, true);
          v.setUint16(28, name.length, true);
          // extra, comment, disk, internal and external attributes: 0
          v.setUint32(42, offset, true);
        });
        entry.set(name, 46);
        return entry;
      })(),
    );
    out.push(local, ...data);
    offset += local.length + size;
  }
  const directorySize = chunkLength(central);
  if (offset + directorySize + 22 > NPZ_MAX_BYTES) throw new Error('an .npz archive over 4 GiB needs ZIP64');
  const end = record(22, (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, central.length, true);
    v.setUint16(10, central.length, true);
    v.setUint32(12, directorySize, true);
    v.setUint32(16, offset, true);
  });
  return [...out, ...central, end];
}

/**
 * One member of a stored (uncompressed) .npz, by name (`settings.npy`), read through the central directory:
 * what the package writes and np.savez writes. A compressed member (np.savez_compressed) is refused by the
 * caller's message; undefined when there is no such member.
 */
export function npzMember(bytes: Uint8Array, name: string): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 22 bytes (plus a comment of at most 65535).
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive (no end-of-central-directory record)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('a damaged zip central directory');
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const member = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (member === name) {
      if (method !== 0)
        throw new Error(`member ${name} is compressed (method ${method}); only stored members are read`);
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      return bytes.subarray(start, start + size);
    }
    at += 46 + nameLength + extra + comment;
  }
  return undefined;
}

/** The text of a 0-d unicode .npy (np.array(text)), as npyText writes it: UCS-4 code points. */
export function npyTextValue(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = bytes[6] === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (bytes[6] === 1 ? 10 : 12) + headerLength;
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, start));
  if (!/'descr':\s*'<U\d+'/.test(header) || !/'shape':\s*\(\)/.test(header)) throw new Error('not a 0-d unicode array');
  let text = '';
  for (let at = start; at + 4 <= bytes.length; at += 4) {
    const code = view.getUint32(at, true);
    if (code === 0) break;
    text += String.fromCodePoint(code);
  }
  return text;
}
