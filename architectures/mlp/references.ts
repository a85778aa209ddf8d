// The exact references of the MLP's limit, on drift and noise clocks so that architectures whose limit
// is the MLP's time-changed (the shaped ResNet) reuse them: E rho_T and P(explode by T) by their
// Kolmogorov backward PDEs, the Gaussian law of log V^aa_T for ReLU-like activations, and P(explode ever).
import {
  activationFromSpec,
  reluLikeSlopes,
  type Activation,
  type ActivationSpec,
} from '../../src/activations/index.js';
import { correlationReference, diagonalCrossing, UNIT_CLOCKS, type Clocks } from '../../sde/index.js';
import type { ArchitectureReferences, Reference } from '../architecture.js';
import { requireFacts } from './limit.js';
import { momentTheory } from './theory.js';
import { expm1, log } from '../../src/math/index.js';

/** The references of dV = dc b(V) dt + sqrt(nc) Sigma(V)^{1/2} dB, b and Sigma the MLP's. */
export function limitReferences(clocks: Clocks = UNIT_CLOCKS): Required<ArchitectureReferences> {
  const { driftClock: dc, noiseClock: nc } = clocks;
  return {
    correlationExpectation(activation: Activation, { rho0, T, cells, steps }) {
      if (!requireFacts(activation).nu)
        return { value: null, reason: `${activation.name} is not ReLU-like: its correlation has no autonomous SDE` };
      return { value: correlationReference({ activation, rho0, T, cells, steps, clocks }) };
    },
    explosionProbability(activation: Activation, { x0, T, threshold, cells, steps }) {
      const { beta } = requireFacts(activation);
      // The threshold is in units of x0, as everywhere; the PDE takes the absolute level.
      return {
        value: diagonalCrossing({
          beta,
          x0,
          T,
          threshold: threshold === undefined ? undefined : threshold * x0,
          cells,
          steps,
          clocks,
        }),
      };
    },
    logDiagonal(activation: Activation, { x0, T }) {
      // beta = 0: dX = sqrt(2 nc) X dB, so log X_T = log x0 - nc T + sqrt(2 nc) B_T.
      if (requireFacts(activation).beta !== 0)
        return { value: null, reason: `${activation.name} has beta != 0: log V^aa_T is not Gaussian` };
      return { value: { mean: log(x0) - nc * T, variance: 2 * nc * T } };
    },
    explosionEver(activation: Activation, { x0 }) {
      // In Y = 1/X, dY = (2 nc Y - dc beta) dt - sqrt(2 nc) Y dB; Y reaches 0 with probability
      // 1 - exp(-dc beta x0 / nc) when beta > 0, never otherwise (docs/maths.md, section 7).
      const { beta } = requireFacts(activation);
      return { value: beta > 0 ? -expm1((-dc * beta * x0) / nc) : 0 };
    },
    explosionEverScale: () => ({ value: dc / nc }),
    // E V^aa_L = V_0 exactly for piecewise-linear layers (E chi = 1), and in the limit (beta = 0).
    meanDiagonal: (spec) => (spec.family === 'relu-like' ? { exact: 1, limit: 1 } : { exact: null, limit: null }),
    finiteMoments: (spec, { n, depth, T }) => momentTheory(spec, { n, depth, T }),
    layerRecursion: true,
  };
}

/**
 * The finite-width reference of E rho_T for a shaped ReLU-like MLP of width n (docs/maths.md, section 5.1):
 * one layer moves rho by (s+ - s-)^2 / (s+^2 + s-^2) (J(rho) - rho) exactly in mean, so over n layers per
 * unit time the drift constant is kappa_n = n (s+ - s-)^2 / (s+^2 + s-^2) rather than the limit's
 * kappa = (c+ - c-)^2 / 2; kappa_n = kappa (1 - (c+ + c-) / sqrt(n) + O(1/n)). The correlation PDE with
 * kappa_n (the noise and the rest unchanged) predicts what networks of width n show.
 */
export function finiteWidthCorrelation(
  spec: ActivationSpec,
  n: number,
  options: { rho0: number; T: number; cells?: number; steps?: number },
): Reference<{ readonly value: number; readonly kappa: number; readonly kappaN: number }> {
  if (spec.family !== 'relu-like')
    return { value: null, reason: `${spec.family} activations have no autonomous correlation SDE` };
  const kappa = (spec.cPlus - spec.cMinus) ** 2 / 2;
  // n = Infinity: the limit itself.
  const { sPlus, sMinus } = Number.isFinite(n) ? reluLikeSlopes(spec.cPlus, spec.cMinus, n) : { sPlus: 1, sMinus: 1 };
  const kappaN = Number.isFinite(n) ? (n * (sPlus - sMinus) ** 2) / (sPlus * sPlus + sMinus * sMinus) : kappa;
  // kappa = 0 (c+ = c-): no drift at any width, and the clock is immaterial.
  const driftClock = kappa > 0 ? kappaN / kappa : 1;
  const value = correlationReference({
    activation: activationFromSpec(spec),
    rho0: options.rho0,
    T: options.T,
    cells: options.cells,
    steps: options.steps,
    clocks: { driftClock, noiseClock: 1 },
  });
  return { value: { value, kappa, kappaN } };
}
