// The SDE values a user composes with a solver: the m x m Neural Covariance SDE and its two 1-D
// reductions. Each holds its activation, so the drift and the finite network come from one object.
import type { Activation, CovarianceLimit } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { BlockTerm } from '../forms.js';
import { covarianceBlockTerm } from './covariance.js';
import { correlationBlockTerm, diagonalBlockTerm } from './scalar.js';

/** Which SDE a value describes: the m x m covariance, the ReLU-like correlation, or one diagonal entry. */
export type SdeKind = 'covariance' | 'correlation' | 'diagonal';

/** dV = b(V) dt + Sigma(V)^{1/2} dB with d<V^ab, V^ce> = (V^ac V^be + V^ae V^bc) dt (docs/maths.md, section 3). */
export interface CovarianceSde {
  readonly kind: 'covariance';
  readonly activation: Activation;
  readonly limit: CovarianceLimit;
}

/** ReLU-like correlation: d rho = [nu(rho) - rho (1 - rho^2)/2] dt + (1 - rho^2) dW. */
export interface CorrelationSde {
  readonly kind: 'correlation';
  readonly activation: Activation;
  readonly limit: CovarianceLimit;
}

/** Diagonal entry: dX = beta X^2 dt + sqrt(2) X dB (beta = 0 for ReLU-like). */
export interface DiagonalSde {
  readonly kind: 'diagonal';
  readonly activation: Activation;
  readonly limit: CovarianceLimit;
}

/** An SDE value for `solve`: the m x m covariance SDE, or one of its two 1-D reductions. */
export type Sde = CovarianceSde | CorrelationSde | DiagonalSde;

function requireLimit(activation: Activation): CovarianceLimit {
  if (!activation || typeof activation.atWidth !== 'function') {
    throw new InputError('activation', activation, 'must be an activation object (shapedRelu, shapedSmooth, ...)');
  }
  if (!activation.limit) {
    throw new InputError(
      'activation',
      activation.name,
      'has no Neural Covariance SDE limit (unshaped baselines degenerate as depth and width grow); use a shaped activation',
    );
  }
  return activation.limit;
}

/**
 * The m x m Neural Covariance SDE of a shaped activation.
 * @example
 * const sde = covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 }));
 */
export function covarianceSde(activation: Activation): CovarianceSde {
  return { kind: 'covariance', activation, limit: requireLimit(activation) };
}

/** The autonomous 1-D SDE of one correlation (ReLU-like activations only). */
export function correlationSde(activation: Activation): CorrelationSde {
  const limit = requireLimit(activation);
  if (!limit.nu) throw new InputError('activation', activation.name, 'has no autonomous correlation SDE: only ReLU-like activations do');
  return { kind: 'correlation', activation, limit };
}

/** The 1-D SDE of one diagonal entry (the norm of one input's activations). */
export function diagonalSde(activation: Activation): DiagonalSde {
  return { kind: 'diagonal', activation, limit: requireLimit(activation) };
}

/** The term of an SDE kind over a block of `lanes` lanes (v0 flat m x m, or [x0] for the 1-D kinds). */
export function blockTerm(kind: SdeKind, limit: CovarianceLimit, v0: readonly number[], m: number, lanes: number, threshold: number): BlockTerm {
  switch (kind) {
    case 'covariance':
      return covarianceBlockTerm(limit, Float64Array.from(v0), m, lanes, threshold);
    case 'correlation':
      return correlationBlockTerm(limit, v0[0], lanes);
    case 'diagonal':
      return diagonalBlockTerm(limit, v0[0], lanes, threshold);
  }
}
