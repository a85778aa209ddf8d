// FNV-1a (64-bit) over the bytes of a Float64Array, read in little-endian order on every host: a golden
// hash that changes when any bit of any value changes, for tests that pin full solves to the bit.

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The 64-bit FNV-1a hash of the values' IEEE bytes (little-endian), as 16 hex digits. */
export function hashFloat64(values: Float64Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const flip = LITTLE_ENDIAN ? 0 : 7;
  // offset basis 0xcbf29ce484222325 in 16-bit limbs, least significant first
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i ^ flip];
    // times the prime 2^40 + 0x1b3, mod 2^64
    let r0 = h0 * 0x1b3;
    let r1 = h1 * 0x1b3;
    let r2 = h2 * 0x1b3 + h0 * 0x100;
    let r3 = h3 * 0x1b3 + h1 * 0x100;
    r1 += r0 >>> 16;
    r0 &= 0xffff;
    r2 += r1 >>> 16;
    r1 &= 0xffff;
    r3 += r2 >>> 16;
    r2 &= 0xffff;
    h0 = r0;
    h1 = r1;
    h2 = r2;
    h3 = r3 & 0xffff;
  }
  const hex = (v: number) => v.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
