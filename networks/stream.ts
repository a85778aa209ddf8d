// The n x m stream's kernels, shared by every block's finite layer (architectures/blocks/) and the
// per-layer moment tests (docs/maths.md, sections 13, 14 and 17): the input stream with Gram exactly V0,
// the dense branch covariance K, the Gaussian (residual) step, the residual update and the stream's Gram
// matrix V = z^T z / n. Pure functions on caller-owned buffers.
import type { FiniteActivation } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';
import { choleskyPsd } from '../src/linalg.js';
import type { RandomStream } from '../src/random/streams.js';
import { correlateRows } from './chain.js';
import { applyFeatures, gramInto } from './features.js';

/** lambda = sqrt(1 - gamma^2), the skip weight that keeps E V constant without the shaping. */
export function residualSkip(gamma: number): number {
  return Math.sqrt(Math.max(0, 1 - gamma * gamma));
}

/** A branch weight gamma in (0, 1]: the one check the API and the command line share. */
export function requireGamma(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1))
    throw new InputError(field, value, 'must be a number in (0, 1]');
  return value;
}

/**
 * The input stream z (n x side, row-major) with z^T z / n = V0 to rounding: z = sqrt(n) Q L0^T with Q
 * the Gram-Schmidt orthonormalisation of a Gaussian n x side matrix (Haar on the Stiefel manifold) and
 * L0 L0^T = V0. This is also the law of a Gaussian stream conditioned on its Gram matrix, whatever the
 * Gaussian's covariance, so the per-layer moment tests draw their z here. Needs n >= side. `l` holds
 * side x side scratch.
 */
export function inputStream(
  rng: RandomStream,
  v0: ArrayLike<number>,
  n: number,
  side: number,
  z: Float64Array,
  l: Float64Array,
): void {
  if (n < side)
    throw new InputError('n', n, `must be at least the state side ${side} for a residual stream with Gram V0`);
  rng.fillNormals(z, 0, n * side);
  // Two passes of modified Gram-Schmidt: one leaves rounding of order cond(G) eps, the second removes it.
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < side; a++) {
      for (let b = 0; b < a; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += z[i * side + a] * z[i * side + b];
        for (let i = 0; i < n; i++) z[i * side + a] -= dot * z[i * side + b];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += z[i * side + a] * z[i * side + a];
      const scale = (pass === 1 ? Math.sqrt(n) : 1) / Math.sqrt(norm);
      for (let i = 0; i < n; i++) z[i * side + a] *= scale;
    }
  }
  const v = Float64Array.from(v0);
  choleskyPsd(v, side, l, 1e-12, true);
  correlateRows(z, n, side, l);
}

/** K = (c/n) A^T A with A the features of z (phi(z), and phi'(z) o dz with derivatives); a is n x side scratch. */
export function branchCovariance(
  z: Float64Array,
  n: number,
  m: number,
  derivatives: boolean,
  act: FiniteActivation,
  a: Float64Array,
  k: Float64Array,
): number {
  const side = derivatives ? 2 * m : m;
  a.set(z.subarray(0, n * side));
  applyFeatures(a, n, m, derivatives, act);
  return gramInto(a, n, side, act.c / n, k);
}

/**
 * The residual step given the branch covariance k (side x side): draws y (n x side) with i.i.d. N(0, k)
 * rows into next and writes next = lambda z + gamma y. l is side x side scratch (k's Cholesky factor).
 */
export function residualGaussianStep(
  rng: RandomStream,
  z: Float64Array,
  n: number,
  side: number,
  k: Float64Array,
  lambda: number,
  gamma: number,
  l: Float64Array,
  next: Float64Array,
): void {
  gaussianRows(rng, n, side, k, l, next);
  for (let i = 0; i < n * side; i++) next[i] = lambda * z[i] + gamma * next[i];
}

/** y (n x side) with i.i.d. N(0, k) rows: the output of a fresh block given its row covariance k
 *  (docs/maths.md, section 17); l is side x side scratch (k's Cholesky factor). */
export function gaussianRows(
  rng: RandomStream,
  n: number,
  side: number,
  k: Float64Array,
  l: Float64Array,
  y: Float64Array,
): void {
  // k is a Gram matrix (or A V A^T): PSD up to rounding, so a pivot below rounding level counts as zero.
  choleskyPsd(k, side, l, 1e-12, true);
  rng.fillNormals(y, 0, n * side);
  correlateRows(y, n, side, l);
}

/** z <- lambda z + gamma y over n x side entries. */
export function residualUpdate(z: Float64Array, y: Float64Array, count: number, lambda: number, gamma: number): void {
  for (let i = 0; i < count; i++) z[i] = lambda * z[i] + gamma * y[i];
}

/** V = z^T z / n; returns max diag, or NaN when not finite (the skeleton's explosion signal). */
export function streamGram(z: Float64Array, n: number, side: number, v: Float64Array): number {
  return gramInto(z, n, side, 1 / n, v);
}

/**
 * For m = 4 (the bench's case): residualGaussianStep followed by
 * gramInto(next, n, 4, 1/n, v), fused into one pass with the factor and the ten Gram sums in registers:
 * the same normals, the same operations in the same order, so the same bits (tested), at a third of the
 * time of the generic loops.
 */
export function residualGaussianStepGram4(
  rng: RandomStream,
  z: Float64Array,
  n: number,
  k: Float64Array,
  lambda: number,
  gamma: number,
  l: Float64Array,
  next: Float64Array,
  v: Float64Array,
): number {
  choleskyPsd(k, 4, l, 1e-12, true);
  rng.fillNormals(next, 0, n * 4);
  const [l00, , , , l10, l11, , , l20, l21, l22, , l30, l31, l32, l33] = l;
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s03 = 0,
    s11 = 0,
    s12 = 0,
    s13 = 0,
    s22 = 0,
    s23 = 0,
    s33 = 0;
  for (let row = 0; row < 4 * n; row += 4) {
    const g0 = next[row];
    const g1 = next[row + 1];
    const g2 = next[row + 2];
    const g3 = next[row + 3];
    // correlateRows' sums, from 0 in the order k = 0..a.
    const y3 = 0 + l30 * g0 + l31 * g1 + l32 * g2 + l33 * g3;
    const y2 = 0 + l20 * g0 + l21 * g1 + l22 * g2;
    const y1 = 0 + l10 * g0 + l11 * g1;
    const y0 = 0 + l00 * g0;
    const x0 = lambda * z[row] + gamma * y0;
    const x1 = lambda * z[row + 1] + gamma * y1;
    const x2 = lambda * z[row + 2] + gamma * y2;
    const x3 = lambda * z[row + 3] + gamma * y3;
    next[row] = x0;
    next[row + 1] = x1;
    next[row + 2] = x2;
    next[row + 3] = x3;
    s00 += x0 * x0;
    s01 += x0 * x1;
    s02 += x0 * x2;
    s03 += x0 * x3;
    s11 += x1 * x1;
    s12 += x1 * x2;
    s13 += x1 * x3;
    s22 += x2 * x2;
    s23 += x2 * x3;
    s33 += x3 * x3;
  }
  const scale = 1 / n;
  const sums = [s00, s01, s02, s03, s11, s12, s13, s22, s23, s33];
  let at = 0;
  let check = 0;
  let maxDiag = 0;
  for (let p = 0; p < 4; p++) {
    for (let q = p; q < 4; q++) {
      const value = sums[at++] * scale;
      v[p * 4 + q] = value;
      v[q * 4 + p] = value;
      check += value;
    }
    if (v[p * 4 + p] > maxDiag) maxDiag = v[p * 4 + p];
  }
  return check - check === 0 ? maxDiag : NaN;
}
