// The pooled estimator that measures the exact finite-width moments well (the moments themselves are the
// architecture's references: architectures/mlp/theory.ts for the MLP, re-exported here).
import { zFor, type Interval } from '../src/stats/moments.js';
import { PATH_EXPLODED } from '../src/results.js';
import { pow } from '../src/math/index.js';
import type { ActivationSpec } from '../src/activations/index.js';
import { finiteWidthCorrelation as widthPde } from '../architectures/index.js';

export { piecewiseSlopes, fourthMomentConstant, momentTheory, finiteWidthCorrelation } from '../architectures/index.js';
export type { TheoryValue, ActivationInput } from '../architectures/index.js';

/**
 * The pooled estimators from per-network factor sums (networks' `factors`): with m1, m2 the pooled means
 * of chi and chi^2 over all layers of the networks that did not explode,
 *   E[V_L] / V_0 ~ m1^L,  E[V_L^2] / V_0^2 ~ m2^L,  Var V_L / V_0^2 ~ m2^L - m1^2L,  kurtosis ratio ~ (m2 / m1^2)^L - 1,
 * with delta-method SEs from the pooled third and fourth moments (chi has light tails, so the delta
 * method holds) and the second-order bias removed. `channel` 'derivative' uses the input derivative's
 * factors psi_l (present when the networks tracked derivatives; i.i.d. by docs/maths.md section 12).
 * Returns null without those factors or with fewer than 2.
 */
export function pooledEstimates(
  factors: { data: Float64Array; shape?: readonly number[] } | null,
  status: Uint8Array,
  depth: number,
  level = 0.95,
  channel: 'output' | 'derivative' = 'output',
): { mean: Interval; variance: Interval; secondMoment: Interval; kurtosis: Interval } | null {
  if (!factors) return null;
  // Rows hold 5 sums per channel: the output's, then (with derivatives) the derivative's (section 12).
  const width = factors.shape?.[1] ?? 5;
  const offset = channel === 'output' ? 0 : 5;
  if (offset + 5 > width) return null;
  let count = 0;
  const s = [0, 0, 0, 0];
  for (let p = 0; p < status.length; p++) {
    if (status[p] === PATH_EXPLODED) continue;
    const at = p * width + offset;
    count += factors.data[at];
    for (let k = 0; k < 4; k++) s[k] += factors.data[at + 1 + k];
  }
  if (count < 2) return null;
  const [m1, m2, m3, m4] = s.map((x) => x / count);
  // Covariance of (m1, m2) as means of count i.i.d. factors.
  const c11 = (m2 - m1 * m1) / count;
  const c12 = (m3 - m1 * m2) / count;
  const c22 = (m4 - m2 * m2) / count;
  const L = depth;
  const z = zFor(level);
  const interval = (value: number, se: number): Interval => ({
    value,
    se,
    lower: value - z * se,
    upper: value + z * se,
    level,
    method: 'pooled layer factors (delta method)',
  });

  // E V / V0 = m1^L (the sample mean of V_L itself is as heavy-tailed as V_L).
  const g = pow(m1, L);
  const mean = interval(g - 0.5 * L * (L - 1) * pow(m1, L - 2) * c11, Math.abs(L * pow(m1, L - 1)) * Math.sqrt(c11));

  // E V^2 / V0^2 = m2^L.
  const f = pow(m2, L);
  const fPrime = L * pow(m2, L - 1);
  const fSecond = L * (L - 1) * pow(m2, L - 2);
  const second = interval(f - 0.5 * fSecond * c22, Math.abs(fPrime) * Math.sqrt(c22));

  // Var V / V0^2 = m2^L - m1^(2L): gradient (-2L m1^(2L-1), L m2^(L-1)), Hessian diagonal.
  const v1 = -2 * L * pow(m1, 2 * L - 1);
  const v2 = L * pow(m2, L - 1);
  const varBias = 0.5 * (-2 * L * (2 * L - 1) * pow(m1, 2 * L - 2) * c11 + L * (L - 1) * pow(m2, L - 2) * c22);
  const varianceInterval = interval(
    f - pow(m1, 2 * L) - varBias,
    Math.sqrt(Math.max(0, v1 * v1 * c11 + 2 * v1 * v2 * c12 + v2 * v2 * c22)),
  );

  // Kurtosis g = q^L - 1, q = m2 / m1^2: gradient and Hessian in (m1, m2).
  const q = m2 / (m1 * m1);
  const qL = pow(q, L);
  const g1 = (-2 * L * qL) / m1;
  const g2 = (L * pow(q, L - 1)) / (m1 * m1);
  const h11 = (2 * L * (2 * L + 1) * qL) / (m1 * m1);
  const h12 = (-2 * L * L * pow(q, L - 1)) / (m1 * m1 * m1);
  const h22 = (L * (L - 1) * pow(q, L - 2)) / pow(m1, 4);
  const variance = g1 * g1 * c11 + 2 * g1 * g2 * c12 + g2 * g2 * c22;
  const bias = 0.5 * (h11 * c11 + 2 * h12 * c12 + h22 * c22);
  const kurtosis = interval(qL - 1 - bias, Math.sqrt(Math.max(0, variance)));
  return { mean, variance: varianceInterval, secondMoment: second, kurtosis };
}

/** What width n predicts for E rho_T, and on what basis. */
export interface WidthReference {
  readonly value: number;
  readonly limit: number;
  readonly kappa: number;
  readonly kappaN: number;
  /** 'kappa_n': the PDE at kappa_n; 'limit': the O(n^-1/2) shift is below the O(1/n) remainder, so the limit. */
  readonly basis: 'kappa_n' | 'limit';
}

/**
 * E rho_T at width n for a shaped ReLU-like MLP (docs/maths.md, section 5.1): the correlation PDE at
 * kappa_n where the shift it makes from the limit exceeds 1.5 / n, the size of the O(1/n) remainder
 * measured (-0.3/n to -0.5/n), and the limit otherwise; null for other activations.
 */
export function widthCorrelationReference(
  spec: ActivationSpec,
  n: number,
  rho0: number,
  T: number,
): WidthReference | null {
  const grid = { rho0, T, cells: 2000, steps: 1000 };
  const width = widthPde(spec, n, grid).value;
  const limit = widthPde(spec, Infinity, grid).value;
  if (!width || !limit) return null;
  const informative = Math.abs(width.value - limit.value) > 1.5 / n;
  return {
    value: informative ? width.value : limit.value,
    limit: limit.value,
    kappa: width.kappa,
    kappaN: width.kappaN,
    basis: informative ? 'kappa_n' : 'limit',
  };
}
