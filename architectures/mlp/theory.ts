// The MLP's exact finite-width moments and their limits. For a piecewise-linear activation (shaped
// ReLU-like, unshaped ReLU or linear) and one input, V_L is V_0 times a product of i.i.d. layer factors
// chi_l with E chi = 1 and E chi^2 = 1 + k/n, so
//   E[V_L^2] = V_0^2 (1 + k/n)^L,   Var(V_L)/E(V_L)^2 = (1 + k/n)^L - 1   (docs/maths.md, section 5),
// and the SDE's limits are V_0^2 e^{2T} and e^{2T} - 1 (V^aa is a driftless geometric Brownian motion).
import {
  parseActivationSpec,
  reluLikeFourthMomentConstant,
  reluLikeSlopes,
  type Activation,
  type ActivationSpec,
} from '../../src/activations/index.js';
import { deprecationNote, requireKnownKeys } from '../../src/apiOptions.js';
import { InputError, requireInteger, requirePositive } from '../../src/errors.js';
import type { TheoryValue } from '../architecture.js';
import { exp, pow } from '../../src/math/index.js';

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

/** An activation as the references take it: a value, its spec or its text. */
export type ActivationInput = Activation | ActivationSpec | string;

/** The spec of an activation given as a value, a spec or a text. */
export function activationSpecOf(activation: ActivationInput, field = 'activation'): ActivationSpec {
  if (typeof activation === 'string') return parseActivationSpec(activation, field);
  if (activation !== null && typeof activation === 'object' && 'atWidth' in activation) {
    if (!activation.spec)
      throw new InputError(field, activation.name, 'is a custom activation: it has no finite-width theory');
    return activation.spec;
  }
  if (activation !== null && typeof activation === 'object' && 'family' in activation) return activation;
  throw new InputError(field, activation, 'must be an activation value, its spec or its text');
}

/**
 * E[V_L^2] / V_0^2 and the kurtosis ratio at width n and depth L, with their SDE limits at T, called as
 * every exact reference: the activation (value, spec or text), then its named options.
 * @example
 * momentTheory('relu:0,-1', { n: 32, depth: 32, T: 1 }).secondMoment; // { exact, limit: e^2 }
 */
export function momentTheory(
  activation: ActivationInput,
  options: { readonly n: number; readonly depth: number; readonly T: number },
): { secondMoment: TheoryValue; kurtosis: TheoryValue };
/** @deprecated The positional form: call momentTheory(activation, { n, depth, T }). */
export function momentTheory(
  spec: ActivationSpec,
  n: number,
  depth: number,
  T: number,
): { secondMoment: TheoryValue; kurtosis: TheoryValue };
export function momentTheory(
  activation: ActivationInput,
  second: number | { readonly n: number; readonly depth: number; readonly T: number },
  third?: number,
  fourth?: number,
): { secondMoment: TheoryValue; kurtosis: TheoryValue } {
  const spec = activationSpecOf(activation);
  if (typeof second === 'number') {
    deprecationNote(
      'momentTheory(spec, n, depth, T)',
      'momentTheory(spec, n, depth, T) is deprecated: call momentTheory(activation, { n, depth, T })',
    );
    return moments(spec, second, third!, fourth!);
  }
  if (second === null || typeof second !== 'object')
    throw new InputError('options', second, 'must be { n, depth, T } after the activation');
  requireKnownKeys('momentTheory', second, ['n', 'depth', 'T']);
  return moments(
    spec,
    requireInteger('n', second.n, 1),
    requireInteger('depth', second.depth, 0),
    requirePositive('T', second.T),
  );
}

function moments(
  spec: ActivationSpec,
  n: number,
  depth: number,
  T: number,
): { secondMoment: TheoryValue; kurtosis: TheoryValue } {
  const k = fourthMomentConstant(spec, n);
  const exact = k === null ? null : pow(1 + k / n, depth);
  // Only shaped ReLU-like networks have the GBM limit; unshaped baselines have no SDE.
  const limit = spec.family === 'relu-like' ? exp(2 * T) : null;
  return {
    secondMoment: { exact, limit },
    kurtosis: { exact: exact === null ? null : exact - 1, limit: limit === null ? null : limit - 1 },
  };
}
