// The shaped MLP z_{l+1} = sqrt(c/n) W_l phi(z_l) as an architecture value (the default): the dense block
// alone (architectures/blocks/), whose limit is the Neural Covariance SDE (with its 1-D reductions and
// exact references) and whose samplers are the MLP's on V (networks/samplers.ts).
import type { Architecture } from '../architecture.js';
import { composition } from '../blocks/compose.js';
import { dense } from '../blocks/dense.js';

export { mlpLimit, requireFacts } from './limit.js';
export type { MlpLimit } from './limit.js';
export { covarianceSde, correlationSde, diagonalSde, sdeFromSpec, SDE_KINDS } from './sdes.js';
export type { SdeKind } from './sdes.js';
export { limitReferences, finiteWidthCorrelation } from './references.js';

/**
 * The shaped MLP (the default architecture): the dense block alone, with the MLP's own samplers on V.
 * @example
 * const sol = await solve({ sde: mlp().sde(shapedRelu({ cPlus: 0, cMinus: -1 })), T: 1, v0: [[1, 0.5], [0.5, 1]], paths: 1000, seed: 1 });
 */
export function mlp(): Architecture {
  return composition(dense(), {
    name: 'mlp',
    text: 'mlp',
    label: 'mlp',
    spec: { kind: 'mlp' },
    description: 'the shaped MLP z_{l+1} = sqrt(c/n) W_l phi(z_l) (the default)',
  });
}
