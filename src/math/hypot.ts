// hypot(a, b) = sqrt(a^2 + b^2) from IEEE-exact operations: scaled by powers of two out of overflow and
// underflow, the squares and their sum carried exactly as double-doubles (Dekker's splitting, no fused
// multiply-add), and one Newton correction of the correctly rounded sqrt. Error < 1 ulp.

import { productError } from './exact.js';

const TWO60 = 1152921504606846976;
const TWO600 = 4.149515568880993e180;
const TWO_M600 = 2.409919865102884e-181;
const BIG = 3.273390607896142e150; // 2^500
const SMALL = 3.054936363499605e-151; // 2^-500

/** sqrt(a^2 + b^2) without spurious overflow or underflow; Inf if either is infinite, even with a NaN. */
export function hypot(a: number, b: number): number {
  a = Math.abs(a); // IEEE-exact; also maps -0 to +0
  b = Math.abs(b);
  if (a === Infinity || b === Infinity) return Infinity;
  if (a !== a || b !== b) return NaN;
  if (a < b) {
    const t = a;
    a = b;
    b = t;
  }
  if (b === 0 || a > b * TWO60) return a + b; // b^2/(2a) is below a quarter ulp of a
  let scale = 1;
  if (a > BIG) {
    a *= TWO_M600;
    b *= TWO_M600;
    scale = TWO600;
  } else if (b < SMALL) {
    a *= TWO600;
    b *= TWO600;
    scale = TWO_M600;
  }
  const aa = a * a;
  const bb = b * b;
  const s = aa + bb;
  const sError = aa - s + bb + productError(a, a, aa) + productError(b, b, bb); // aa >= bb: fast two-sum
  const r = Math.sqrt(s); // IEEE-exact (correctly rounded) everywhere
  const rr = r * r;
  const correction = (s - rr - productError(r, r, rr) + sError) / (2 * r);
  return (r + correction) * scale;
}
