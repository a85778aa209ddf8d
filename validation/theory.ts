// Exact finite-width values and their limits, and the pooled estimator that measures them well.
// For a piecewise-linear activation (shaped ReLU-like, unshaped ReLU or linear) and one input, V_L is
// V_0 times a product of i.i.d. layer factors chi_l with E chi = 1 and E chi^2 = 1 + k/n, so
//   E[V_L^2] = V_0^2 (1 + k/n)^L,   Var(V_L)/E(V_L)^2 = (1 + k/n)^L - 1   (docs/maths.md, section 5),
// and the SDE's limits are V_0^2 e^{2T} and e^{2T} - 1 (V^aa is a driftless geometric Brownian motion).
import { reluLikeFourthMomentConstant, reluLikeSlopes, type ActivationSpec } from '../src/activations/index.js';
import { zFor, type Interval } from '../src/stats/moments.js';
import { PATH_EXPLODED } from '../src/results.js';

/** Slopes (s+, s-) at width n of a piecewise-linear activation; null for the others. */
export function piecewiseSlopes(spec: ActivationSpec, n: number): { sPlus: number; sMinus: number } | null {
  if (spec.family === 'relu-like') return reluLikeSlopes(spec.cPlus, spec.cMinus, n);
  if (spec.family === 'unshaped' && spec.f === 'relu') return { sPlus: 1, sMinus: 0 };
  if (spec.family === 'unshaped' && spec.f === 'linear') return { sPlus: 1, sMinus: 1 };
  return null;
}

/** k in E chi^2 = 1 + k/n; null when the activation has no product structure. */
export function fourthMomentConstant(spec: ActivationSpec, n: number): number | null {
  const s = piecewiseSlopes(spec, n);
  return s ? reluLikeFourthMomentConstant(s.sPlus, s.sMinus) : null;
}

/** A value at finite width (exact, where known) and its limit. */
export interface TheoryValue {
  /** At width n and depth L; null where no closed form exists (smooth activations). */
  readonly exact: number | null;
  /** In the limit (depth-and-width, T = L/n); null where none is known. */
  readonly limit: number | null;
}

/** E[V_L^2] / V_0^2 and the kurtosis ratio at (n, L), with their SDE limits at T. */
export function momentTheory(spec: ActivationSpec, n: number, depth: number, T: number): { secondMoment: TheoryValue; kurtosis: TheoryValue } {
  const k = fourthMomentConstant(spec, n);
  const exact = k === null ? null : Math.pow(1 + k / n, depth);
  // Only shaped ReLU-like networks have the GBM limit; unshaped baselines have no SDE.
  const limit = spec.family === 'relu-like' ? Math.exp(2 * T) : null;
  return {
    secondMoment: { exact, limit },
    kurtosis: { exact: exact === null ? null : exact - 1, limit: limit === null ? null : limit - 1 },
  };
}

/**
 * The pooled estimators from per-network factor sums (networks' `factors`): with m1, m2 the pooled means
 * of chi and chi^2 over all layers of the networks that did not explode,
 *   E[V_L^2] / V_0^2  ~  m2^L      and      kurtosis ratio  ~  (m2 / m1^2)^L - 1,
 * with delta-method SEs from the pooled third and fourth moments (chi has light tails, so the delta
 * method holds) and the second-order bias removed. `channel` 'derivative' uses the input derivative's
 * factors psi_l (present when the networks tracked derivatives; i.i.d. by docs/maths.md section 11).
 * Returns null without those factors or with fewer than 2.
 */
export function pooledEstimates(
  factors: { data: Float64Array; shape?: readonly number[] } | null,
  status: Uint8Array,
  depth: number,
  level = 0.95,
  channel: 'output' | 'derivative' = 'output',
): { secondMoment: Interval; kurtosis: Interval } | null {
  if (!factors) return null;
  // Rows hold 5 sums per channel: the output's, then (with derivatives) the derivative's (section 11).
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
  const interval = (value: number, se: number): Interval => ({ value, se, lower: value - z * se, upper: value + z * se, level, method: 'pooled layer factors (delta method)' });

  // E V^2 / V0^2 = m2^L.
  const f = Math.pow(m2, L);
  const fPrime = L * Math.pow(m2, L - 1);
  const fSecond = L * (L - 1) * Math.pow(m2, L - 2);
  const second = interval(f - 0.5 * fSecond * c22, Math.abs(fPrime) * Math.sqrt(c22));

  // Kurtosis g = q^L - 1, q = m2 / m1^2: gradient and Hessian in (m1, m2).
  const q = m2 / (m1 * m1);
  const qL = Math.pow(q, L);
  const g1 = (-2 * L * qL) / m1;
  const g2 = (L * Math.pow(q, L - 1)) / (m1 * m1);
  const h11 = (2 * L * (2 * L + 1) * qL) / (m1 * m1);
  const h12 = (-2 * L * L * Math.pow(q, L - 1)) / (m1 * m1 * m1);
  const h22 = (L * (L - 1) * Math.pow(q, L - 2)) / Math.pow(m1, 4);
  const variance = g1 * g1 * c11 + 2 * g1 * g2 * c12 + g2 * g2 * c22;
  const bias = 0.5 * (h11 * c11 + 2 * h12 * c12 + h22 * c22);
  const kurtosis = interval(qL - 1 - bias, Math.sqrt(Math.max(0, variance)));
  return { secondMoment: second, kurtosis };
}
