// The exact moments of a Gaussian residual step given the stream z and the branch's row covariance M
// (docs/maths.md, sections 13, 14.3 and 17): with dV = gamma^2 (Y - V) + lambda gamma (A + A^T),
//   E[dV | z, M]                = gamma^2 (M - V),
//   n Cov(dV_ab, dV_ce | z, M)  = gamma^4 (M_ac M_be + M_ae M_bc)
//                                 + lambda^2 gamma^2 (V_ac M_be + V_ae M_bc + V_bc M_ae + V_be M_ac);
// gamma = 1 is a fresh block's output alone. checkBlock and the per-layer tests average these over draws.

/** E[dV | X, A] = gamma^2 (Mbar - V) into out. */
export function conditionalMean(
  v: Float64Array,
  mbar: Float64Array,
  m: number,
  gamma: number,
  out: Float64Array,
): void {
  const g2 = gamma * gamma;
  for (let k = 0; k < m * m; k++) out[k] = g2 * (mbar[k] - v[k]);
}

/** n Cov(dV_ab, dV_ce | X, A) as a flat m^4 array (index ((a m + b) m + c) m + e), added into out. */
export function addConditionalCovariance(
  v: Float64Array,
  mbar: Float64Array,
  m: number,
  gamma: number,
  out: Float64Array,
): void {
  const g2 = gamma * gamma;
  const l2 = 1 - g2;
  const M = (i: number, j: number) => mbar[i * m + j];
  const V = (i: number, j: number) => v[i * m + j];
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      for (let c = 0; c < m; c++) {
        for (let e = 0; e < m; e++) {
          out[((a * m + b) * m + c) * m + e] +=
            g2 * g2 * (M(a, c) * M(b, e) + M(a, e) * M(b, c)) +
            l2 * g2 * (V(a, c) * M(b, e) + V(a, e) * M(b, c) + V(b, c) * M(a, e) + V(b, e) * M(a, c));
        }
      }
    }
  }
}
