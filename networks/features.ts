// The feature map of one layer, shared by both samplers: A[:, a] = phi(Z[:, a]) for the m inputs and,
// with derivatives, A[:, m+a] = phi'(Z[:, a]) dZ[:, a]; then V = (c/n) A^T A.
import type { FiniteActivation } from '../src/activations/index.js';

/** In place on z (rows x side, row-major). phi' is evaluated before phi overwrites z. */
export function applyFeatures(z: Float64Array, rows: number, m: number, derivatives: boolean, act: FiniteActivation): void {
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
  out.fill(0, 0, side * side);
  for (let i = 0; i < rows; i++) {
    const row = i * side;
    for (let p = 0; p < side; p++) {
      const x = a[row + p];
      for (let q = p; q < side; q++) out[p * side + q] += x * a[row + q];
    }
  }
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
