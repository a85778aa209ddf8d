// The input token matrix, stored as z = X^T (n x m), with X X^T / n = V0 to rounding: z = sqrt(n) Q L0^T,
// Q the Gram-Schmidt orthonormalisation of a Gaussian n x m matrix (Haar on the Stiefel manifold). This is
// also the law of a Gaussian stream conditioned on its Gram matrix, so the per-layer tests draw z here.
import { InputError } from '../../src/errors.js';
import { choleskyPsd } from '../../src/linalg.js';
import type { RandomStream } from '../../src/random/streams.js';
import { correlateRows } from '../../networks/index.js';

/** Fill z (n x m) with tokens of Gram exactly V0 (to rounding); l is m x m scratch. Needs n >= m. */
export function inputTokens(rng: RandomStream, v0: ArrayLike<number>, n: number, m: number, z: Float64Array, l: Float64Array): void {
  if (n < m) throw new InputError('n', n, `must be at least the number of tokens m = ${m}`);
  rng.fillNormals(z, 0, n * m);
  // Two passes of modified Gram-Schmidt: one leaves rounding of order cond(G) eps, the second removes it.
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < a; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += z[i * m + a] * z[i * m + b];
        for (let i = 0; i < n; i++) z[i * m + a] -= dot * z[i * m + b];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += z[i * m + a] * z[i * m + a];
      const scale = (pass === 1 ? Math.sqrt(n) : 1) / Math.sqrt(norm);
      for (let i = 0; i < n; i++) z[i * m + a] *= scale;
    }
  }
  const v = Float64Array.from(v0);
  choleskyPsd(v, m, l, 1e-12, true);
  correlateRows(z, n, m, l);
}
