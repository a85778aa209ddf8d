// The SDE values a user composes with a solver: the m x m Neural Covariance SDE and its two 1-D
// reductions. Each holds its activation, so drift and finite network come from one object.
import type { Activation, CovarianceLimit } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';

/** dV = b(V) dt + Sigma(V)^{1/2} dB with d<V^ab, V^ce> = (V^ac V^be + V^ae V^bc) dt (SPEC.md section 3). */
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

export function covarianceSde(activation: Activation): CovarianceSde {
  return { kind: 'covariance', activation, limit: requireLimit(activation) };
}

export function correlationSde(activation: Activation): CorrelationSde {
  const limit = requireLimit(activation);
  if (!limit.nu) throw new InputError('activation', activation.name, 'has no autonomous correlation SDE: only ReLU-like activations do');
  return { kind: 'correlation', activation, limit };
}

export function diagonalSde(activation: Activation): DiagonalSde {
  return { kind: 'diagonal', activation, limit: requireLimit(activation) };
}
