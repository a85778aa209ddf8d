// A composition's limit as an Sde (docs/maths.md, sections 11 and 17). Found by capability: when every
// drift part is an MLP drift and the only noise is Wishart, the limit is the MLP's on clocks and gets the
// covariance term (exact flows for the splitting solver, fused m = 2 steps, the 1-D reductions and the
// exact references); otherwise the generic matrix term integrates the sum of the parts.
import { shapedRelu, type Activation } from '../../src/activations/index.js';
import type { ModuleRef } from '../../src/modules.js';
import { covarianceTerm, matrixTerm, type Clocks, type CovarianceDrift, type Sde } from '../../sde/index.js';
import { checkMatrix, covarianceSde } from '../mlp/sdes.js';
import type { BlockLimit } from './block.js';
import { limitMaths, WISHART } from './limit.js';

/** The MLP's limit on clocks: one activation (possibly an equivalent one) or, for mixed drifts, their sum. */
export type MlpForm =
  | { readonly activation: Activation; readonly clocks: Clocks; readonly drift?: undefined }
  | { readonly activation?: undefined; readonly drift: CovarianceDrift; readonly clocks: Clocks };

/** Sum of MLP drifts sum_i w_i b_i as one CovarianceDrift (each part's correlation-flow form adds:
 *  gains add, sources add and stay PSD, P_aa = -2 gain holds for the sum). */
function summedDrift(
  parts: ReadonlyArray<{ readonly weight: number; readonly drift: CovarianceDrift }>,
): CovarianceDrift {
  return {
    beta: parts.reduce((s, p) => s + p.weight * p.drift.beta, 0),
    offDiagonal: (vaa, vbb, vab) => parts.reduce((s, p) => s + p.weight * p.drift.offDiagonal(vaa, vbb, vab), 0),
    correlationFlow: {
      gain: (d) => parts.reduce((s, p) => s + p.weight * p.drift.correlationFlow.gain(d), 0),
      source: (da, db, r) => parts.reduce((s, p) => s + p.weight * p.drift.correlationFlow.source(da, db, r), 0),
      constantGain: parts.every((p) => p.drift.correlationFlow.constantGain),
      pair: null,
    },
  };
}

/** The MLP form of a limit, or null (another noise, or a drift that is not an MLP drift). */
export function mlpForm(limit: BlockLimit): MlpForm | null {
  const { drifts, noises } = limit;
  if (noises.length !== 1 || noises[0].part !== WISHART || drifts.length === 0 || !drifts.every((d) => d.part.mlp))
    return null;
  const nc = noises[0].clock;
  if (drifts.length === 1)
    return { activation: drifts[0].part.mlp!.activation, clocks: { driftClock: drifts[0].clock, noiseClock: nc } };
  const facts = drifts.map((d) => d.part.mlp!.activation.limit!);
  if (facts.every((f) => f.family === 'relu-like')) {
    // b is linear in k for ReLU-like drifts: sum_i dc_i b_i is the drift of k = sum_i dc_i k_i, that of
    // shapedRelu(0, -sqrt(2 pi k)) (k = (c+ - c-)^2 / (2 pi)), on drift clock 1.
    const k = drifts.reduce((s, d, i) => s + d.clock * (facts[i] as { k: number }).k, 0);
    return {
      activation: shapedRelu({ cPlus: 0, cMinus: -Math.sqrt(2 * Math.PI * k) }),
      clocks: { driftClock: 1, noiseClock: nc },
    };
  }
  return {
    drift: summedDrift(drifts.map((d) => ({ weight: d.clock, drift: d.part.mlp!.limit }))),
    clocks: { driftClock: 1, noiseClock: nc },
  };
}

/** The covariance SDE of a limit; `activation` names it, `ref` rebuilds it in a worker (null: none). */
export function limitSde(
  limit: BlockLimit,
  activation: Activation,
  description: string,
  ref: ModuleRef | null,
): Sde<'matrix'> {
  const form = mlpForm(limit);
  // One MLP drift: the MLP's own SDE on clocks (its reference rebuilds it; the same bits as before blocks).
  if (form?.activation) return covarianceSde(form.activation, form.clocks);
  const base = {
    kind: 'covariance',
    description,
    activation,
    shape: 'matrix' as const,
    explodes: true,
    checkInitial: checkMatrix,
    ref,
  };
  if (form) {
    const { drift, clocks } = form;
    return {
      ...base,
      term: (lanes, v0, m, threshold) =>
        covarianceTerm({ drift, v0: Float64Array.from(v0), m, lanes, threshold, clocks }),
    };
  }
  return {
    ...base,
    term: (lanes, v0, m, threshold) =>
      matrixTerm({ maths: limitMaths(limit), v0: Float64Array.from(v0), m, lanes, threshold }),
  };
}
