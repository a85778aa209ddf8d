// The residual stream's kernels, shared by both resnet samplers, the attention/Transformer samplers (whose
// token stream z = X^T is such a stream) and the per-layer moment tests (docs/maths.md, sections 13 and
// 14): the input stream with Gram exactly V0, the branch covariance K, the Gaussian residual step, the
// residual update and the stream's Gram matrix V = z^T z / n. Pure functions on caller-owned buffers.
import type { FiniteActivation } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import { choleskyPsd } from '../../src/linalg.js';
import type { RandomStream } from '../../src/random/streams.js';
import { applyFeatures, correlateRows, gramInto } from '../../networks/index.js';

/** lambda = sqrt(1 - gamma^2), the skip weight that keeps E V constant without the shaping. */
export function residualSkip(gamma: number): number {
  return Math.sqrt(Math.max(0, 1 - gamma * gamma));
}

/** A branch weight gamma in (0, 1]: the one check the API and the command line share. */
export function requireGamma(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw new InputError(field, value, 'must be a number in (0, 1]');
  return value;
}

/**
 * The input stream z (n x side, row-major) with z^T z / n = V0 to rounding: z = sqrt(n) Q L0^T with Q
 * the Gram-Schmidt orthonormalisation of a Gaussian n x side matrix (Haar on the Stiefel manifold) and
 * L0 L0^T = V0. This is also the law of a Gaussian stream conditioned on its Gram matrix, whatever the
 * Gaussian's covariance, so the per-layer moment tests draw their z here. Needs n >= side. `l` holds
 * side x side scratch.
 */
export function inputStream(rng: RandomStream, v0: ArrayLike<number>, n: number, side: number, z: Float64Array, l: Float64Array): void {
  if (n < side) throw new InputError('n', n, `must be at least the state side ${side} for a residual stream with Gram V0`);
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
export function branchCovariance(z: Float64Array, n: number, m: number, derivatives: boolean, act: FiniteActivation, a: Float64Array, k: Float64Array): number {
  const side = derivatives ? 2 * m : m;
  a.set(z.subarray(0, n * side));
  applyFeatures(a, n, m, derivatives, act);
  return gramInto(a, n, side, act.c / n, k);
}

/**
 * The residual step given the branch covariance k (side x side): draws y (n x side) with i.i.d. N(0, k)
 * rows into next and writes next = lambda z + gamma y. l is side x side scratch (k's Cholesky factor).
 */
export function residualGaussianStep(rng: RandomStream, z: Float64Array, n: number, side: number, k: Float64Array, lambda: number, gamma: number, l: Float64Array, next: Float64Array): void {
  // k is a Gram matrix (or A V A^T): PSD up to rounding, so a pivot below rounding level counts as zero.
  choleskyPsd(k, side, l, 1e-12, true);
  rng.fillNormals(next, 0, n * side);
  correlateRows(next, n, side, l);
  for (let i = 0; i < n * side; i++) next[i] = lambda * z[i] + gamma * next[i];
}

/** z <- lambda z + gamma y over n x side entries. */
export function residualUpdate(z: Float64Array, y: Float64Array, count: number, lambda: number, gamma: number): void {
  for (let i = 0; i < count; i++) z[i] = lambda * z[i] + gamma * y[i];
}

/** V = z^T z / n; returns max diag, or NaN when not finite (the skeleton's explosion signal). */
export function streamGram(z: Float64Array, n: number, side: number, v: Float64Array): number {
  return gramInto(z, n, side, 1 / n, v);
}
