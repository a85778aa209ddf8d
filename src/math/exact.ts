// Error-free transformations for the deterministic maths: the exact rounding error of a product by
// Dekker's splitting (no fused multiply-add, which JavaScript lacks and the WebAssembly port must not use).

const SPLIT = 134217729; // 2^27 + 1

/** The rounding error of p = a * b, so that p + error = a b exactly (|a|, |b| < 2^995, no underflow). */
export function productError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const aH = c - (c - a);
  const aL = a - aH;
  c = SPLIT * b;
  const bH = c - (c - b);
  const bL = b - bH;
  return aH * bH - p + aH * bL + aL * bH + aL * bL;
}
