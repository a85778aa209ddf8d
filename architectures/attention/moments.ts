// The exact moments of one attention block's dV = V' - V given the tokens X and the heads' attention
// matrices, the value weights integrated out (docs/maths.md, section 14.3). With Mbar = H^{-1} sum_h
// A_h V A_h^T, the branch Y (m x n) has i.i.d. N(0, Mbar) columns, so
//   E[dV | X, A]             = gamma^2 (Mbar - V),
//   n Cov(dV_ab, dV_ce | X, A) = gamma^4 (M_ac M_be + M_ae M_bc)
//                              + lambda^2 gamma^2 (V_ac M_be + V_ae M_bc + V_bc M_ae + V_be M_ac).
// The per-layer tests average these over draws of Q and K only.

export { conditionalMean, addConditionalCovariance } from '../blocks/moments.js';

/**
 * E[n Cov(dV | X, A) | V] to order 1/n: s^2 (V_ac V_be + V_ae V_bc) plus (1/n) times
 *   gamma^2 (V_ac b_be + b_ac V_be + V_ae b_bc + b_ae V_bc) + lambda^2 (V_ac b_be + V_ae b_bc + V_bc b_ae + V_be b_ac)
 *   + Sa[ac, be] + Sa[ae, bc],
 * from E[Mbar] = V + b / (gamma^2 n) and n gamma^4 Cov(Mbar) = Sa, b the attention drift and Sa the attention
 * part of the diffusion covariance (m^4, index ((a m + c) m + b) m + e for the pair (ac, be)). The per-layer
 * tests resolve this 1/n term when the value part is estimated almost without noise (near-collinear tokens).
 */
export function valuePartToOrder1OverN(
  v: Float64Array,
  b: Float64Array,
  sa: Float64Array,
  m: number,
  gamma: number,
  n: number,
): Float64Array {
  const g2 = gamma * gamma;
  const l2 = 1 - g2;
  const s2 = g2 * (2 - g2);
  const V = (i: number, j: number) => v[i * m + j];
  const B = (i: number, j: number) => b[i * m + j];
  const S = (i: number, j: number, k: number, l: number) => sa[((i * m + j) * m + k) * m + l];
  const out = new Float64Array(m ** 4);
  for (let a = 0; a < m; a++) {
    for (let bb = 0; bb < m; bb++) {
      for (let c = 0; c < m; c++) {
        for (let e = 0; e < m; e++) {
          const lead = s2 * (V(a, c) * V(bb, e) + V(a, e) * V(bb, c));
          const corr =
            g2 * (V(a, c) * B(bb, e) + B(a, c) * V(bb, e) + V(a, e) * B(bb, c) + B(a, e) * V(bb, c)) +
            l2 * (V(a, c) * B(bb, e) + V(a, e) * B(bb, c) + V(bb, c) * B(a, e) + V(bb, e) * B(a, c)) +
            S(a, c, bb, e) +
            S(a, e, bb, c);
          out[((a * m + bb) * m + c) * m + e] = lead + corr / n;
        }
      }
    }
  }
  return out;
}
