// The MLP's exact finite-width moments and their limits. For a piecewise-linear activation (shaped
// ReLU-like, unshaped ReLU or linear) and one input, V_L is V_0 times a product of i.i.d. layer factors
// chi_l with E chi = 1 and E chi^2 = 1 + k/n, so
//   E[V_L^2] = V_0^2 (1 + k/n)^L,   Var(V_L)/E(V_L)^2 = (1 + k/n)^L - 1   (docs/maths.md, section 5),
// and the SDE's limits are V_0^2 e^{2T} and e^{2T} - 1 (V^aa is a driftless geometric Brownian motion).
import { reluLikeFourthMomentConstant, reluLikeSlopes, type ActivationSpec } from '../../src/activations/index.js';
import type { TheoryValue } from '../architecture.js';

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

