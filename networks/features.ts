// The feature map of one layer, shared by both samplers: A[:, a] = phi(Z[:, a]) for the m inputs and,
// with derivatives, A[:, m+a] = phi'(Z[:, a]) dZ[:, a]; then V = (c/n) A^T A.
import type { FiniteActivation } from '../src/activations/index.js';

/** In place on z (rows x side, row-major). phi' is evaluated before phi overwrites z. */
export function applyFeatures(
  z: Float64Array,
  rows: number,
  m: number,
  derivatives: boolean,
  act: FiniteActivation,
): void {
  const side = derivatives ? 2 * m : m;
  if (!derivatives) {
    act.applyInPlace(z, 0, rows * side);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const row = i * side;
    for (let a = 0; a < m; a++) {
      const x = z[row + a];
      z[row + m + a] *= act.dphi(x);
      z[row + a] = act.phi(x);
    }
  }
}

/** out (upper and lower) = scale * A^T A for A rows x side. Returns max diagonal (or NaN if not finite). */
export function gramInto(a: Float64Array, rows: number, side: number, scale: number, out: Float64Array): number {
  if (side === 1) {
    let s00 = 0;
    for (let i = 0; i < rows; i++) s00 += a[i] * a[i];
    const v = s00 * scale;
    out[0] = v;
    return v - v === 0 ? v : NaN;
  }
  if (side === 2) {
    // Sums in registers rather than in out: the same additions in the same order, a third of the memory traffic.
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    for (let i = 0; i < 2 * rows; i += 2) {
      const x0 = a[i];
      const x1 = a[i + 1];
      s00 += x0 * x0;
      s01 += x0 * x1;
      s11 += x1 * x1;
    }
    return storeGram2(s00, s01, s11, scale, out);
  }
  out.fill(0, 0, side * side);
  for (let i = 0; i < rows; i++) {
    const row = i * side;
    for (let p = 0; p < side; p++) {
      const x = a[row + p];
      for (let q = p; q < side; q++) out[p * side + q] += x * a[row + q];
    }
  }
  return finishGram(out, side, scale);
}

/** gramInto's last pass: out's upper-triangle sums scaled into both triangles; the max diagonal, NaN if
 *  any entry is not finite. asm/chain.ts's finishSums is its WebAssembly twin. */
export function finishGram(out: Float64Array, side: number, scale: number): number {
  let maxDiag = 0;
  let check = 0;
  for (let p = 0; p < side; p++) {
    for (let q = p; q < side; q++) {
      const v = out[p * side + q] * scale;
      out[p * side + q] = v;
      out[q * side + p] = v;
      check += v;
    }
    if (out[p * side + p] > maxDiag) maxDiag = out[p * side + p];
  }
  return check - check === 0 ? maxDiag : NaN;
}

/** The side-2 tail of gramInto: scale the three sums into out, same checks and order as the general path. */
export function storeGram2(s00: number, s01: number, s11: number, scale: number, out: Float64Array): number {
  const v00 = s00 * scale;
  const v01 = s01 * scale;
  const v11 = s11 * scale;
  out[0] = v00;
  out[1] = v01;
  out[2] = v01;
  out[3] = v11;
  const check = v00 + v01 + v11;
  if (!(check - check === 0)) return NaN;
  return v11 > v00 ? v11 : v00;
}
