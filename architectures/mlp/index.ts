// The shaped MLP z_{l+1} = sqrt(c/n) W_l phi(z_l) as an architecture value (the default): its limit SDEs
// (the Neural Covariance SDE and its 1-D reductions), its samplers (the exact covariance chain and
// explicit weights, networks/samplers.ts), its output shape and its exact references.
import { siblingModule } from '../../src/blocks.js';
import { MLP_SAMPLERS } from '../../networks/index.js';
import type { Architecture } from '../architecture.js';
import { limitReferences } from './references.js';
import { correlationSde, covarianceSde, diagonalSde } from './sdes.js';

export { mlpLimit, requireFacts } from './limit.js';
export type { MlpLimit } from './limit.js';
export { covarianceSde, correlationSde, diagonalSde, sdeFromSpec, SDE_KINDS } from './sdes.js';
export type { SdeKind } from './sdes.js';
export { limitReferences } from './references.js';

const REF = { module: siblingModule(import.meta.url, 'index'), name: 'mlp', args: [] };

/**
 * The shaped MLP (the default architecture).
 * @example
 * const sol = await solve({ sde: mlp().sde(shapedRelu({ cPlus: 0, cMinus: -1 })), T: 1, v0: [[1, 0.5], [0.5, 1]], paths: 1000, seed: 1 });
 */
export function mlp(): Architecture {
  return {
    name: 'mlp',
    spec: { kind: 'mlp' },
    description: 'the shaped MLP z_{l+1} = sqrt(c/n) W_l phi(z_l) (the default)',
    label: 'mlp',
    text: 'mlp',
    sde: (activation) => covarianceSde(activation),
    correlationSde: (activation) => correlationSde(activation),
    diagonalSde: (activation) => diagonalSde(activation),
    samplers: MLP_SAMPLERS,
    defaultSampler: 'chain',
    outputShape: (outputs, side) => [outputs, side],
    references: limitReferences(),
    ref: REF,
  };
}
