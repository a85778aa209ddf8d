// A minimal reader of stored (uncompressed) zip archives, as np.savez writes them: enough to compare
// an .npz member by member, checking each member's CRC-32 against the package's own.
import { crc32 } from '../../src/io/npz.js';

/** Members of a zip in central-directory order, name -> bytes; compressed members and bad CRCs throw. */
export function readStoredZip(bytes: Uint8Array): Array<[string, Uint8Array]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('no end of central directory');
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out: Array<[string, Uint8Array]> = [];
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (method !== 0) throw new Error(`${name} is compressed (method ${method})`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    if (crc32([data]) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    out.push([name, data]);
    at += 46 + nameLength + extra + comment;
  }
  return out;
}
