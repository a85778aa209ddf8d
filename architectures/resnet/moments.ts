// The residual layer's exact conditional moments given the stream z (docs/maths.md, section 13): with
// K = K(z) the branch covariance, E[dV | z] = gamma^2 (K - V) and n Cov[dV^ab, dV^ce | z] =
// lambda^2 gamma^2 (V^ac K^be + V^ae K^bc + V^bc K^ae + V^be K^ac) + gamma^4 (K^ac K^be + K^ae K^bc),
// and their limits gamma^2 b(V), s^2 Sigma(V). The per-layer moment tests average these over z.

/** s^2 = gamma^2 (2 - gamma^2): the clock of the limit's noise (the drift's is gamma^2); the residual rule's. */
export { residualNoiseClock as noiseClock } from '../blocks/residual.js';

/** Packed index pairs (a <= b) of an m x m symmetric matrix, in the order the tests and formulas use. */
export function packedPairs(m: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < m; a++) for (let b = a; b < m; b++) pairs.push([a, b]);
  return pairs;
}

/** out[p] = gamma^2 (K - V) at packed pair p: the exact E[dV | z]. */
export function conditionalDrift(v: Float64Array, k: Float64Array, m: number, gamma: number, out: Float64Array): void {
  const g2 = gamma * gamma;
  packedPairs(m).forEach(([a, b], p) => {
    out[p] = g2 * (k[a * m + b] - v[a * m + b]);
  });
}

/** out[p * P + q] = n Cov[dV_p, dV_q | z] exactly, for packed pairs p = (a, b), q = (c, e); P = m (m + 1)/2. */
export function conditionalCovariance(
  v: Float64Array,
  k: Float64Array,
  m: number,
  gamma: number,
  out: Float64Array,
): void {
  const g2 = gamma * gamma;
  const mixed = (1 - g2) * g2;
  const branch = g2 * g2;
  const pairs = packedPairs(m);
  const P = pairs.length;
  for (let p = 0; p < P; p++) {
    const [a, b] = pairs[p];
    for (let q = 0; q < P; q++) {
      const [c, e] = pairs[q];
      const V = (i: number, j: number) => v[i * m + j];
      const K = (i: number, j: number) => k[i * m + j];
      out[p * P + q] =
        mixed * (V(a, c) * K(b, e) + V(a, e) * K(b, c) + V(b, c) * K(a, e) + V(b, e) * K(a, c)) +
        branch * (K(a, c) * K(b, e) + K(a, e) * K(b, c));
    }
  }
}

/** out[p * P + q] = clock (V^ac V^be + V^ae V^bc): the limit's noise covariance s^2 Sigma(V) for clock = s^2. */
export function limitCovariance(v: Float64Array, m: number, clock: number, out: Float64Array): void {
  const pairs = packedPairs(m);
  const P = pairs.length;
  for (let p = 0; p < P; p++) {
    const [a, b] = pairs[p];
    for (let q = 0; q < P; q++) {
      const [c, e] = pairs[q];
      out[p * P + q] = clock * (v[a * m + c] * v[b * m + e] + v[a * m + e] * v[b * m + c]);
    }
  }
}
