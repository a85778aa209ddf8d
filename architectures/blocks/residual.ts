// residual(block, { gamma }): z' = lambda z + gamma y, lambda = sqrt(1 - gamma^2), for a fresh branch y
// (docs/maths.md, section 17): drift gamma^2 b_f, noise gamma^4 (N_f - Sigma) + s^2 Sigma with
// s^2 = gamma^2 (2 - gamma^2) (the skip-branch cross terms are the 2 lambda^2 gamma^2 Sigma). Its chain
// step is the branch's row covariance and one Gaussian residual step; for side 4 fused with the Gram.
import type { FiniteActivation } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { RandomStream } from '../../src/random/streams.js';
import { requireGamma, residualGaussianStep, residualGaussianStepGram4, residualSkip } from '../../networks/index.js';
import { numberArg, type BlockEntry } from './entry.js';
import type { Block, BlockLimit, StreamShape } from './block.js';
import { mergeParts, WISHART, wishartClock } from './limit.js';
import { addConditionalCovariance, conditionalMean } from './moments.js';

/** s^2 = gamma^2 (2 - gamma^2): the clock of a residual block's Wishart noise for a branch with one. */
export function residualNoiseClock(gamma: number): number {
  return gamma * gamma * (2 - gamma * gamma);
}

/** The residual rule on a branch's limit. */
export function residualLimit(branch: BlockLimit, gamma: number): BlockLimit {
  const g2 = gamma * gamma;
  const g4 = g2 * g2;
  // s^2 + gamma^4 (c_W - 1) = gamma^4 c_W + 2 lambda^2 gamma^2: s^2 to the bit for a branch with c_W = 1.
  const wishart = residualNoiseClock(gamma) + g4 * (wishartClock(branch) - 1);
  return {
    drifts: branch.drifts.map((d) => ({ clock: g2 * d.clock, part: d.part })),
    noises: mergeParts([
      { clock: wishart, part: WISHART },
      ...branch.noises.filter((p) => p.part !== WISHART).map((p) => ({ clock: g4 * p.clock, part: p.part })),
    ]),
  };
}

/**
 * The residual block around a fresh branch (dense, shapedAttention, parallel of those, serial ending in one).
 * @example
 * residual(dense(), { gamma: 0.7 }).text; // 'residual(dense,0.7)'
 */
export function residual(branch: Block, options: { readonly gamma: number }): Block {
  if (!branch || typeof branch.limit !== 'function')
    throw new InputError('residual branch', branch, 'must be a block (dense(), shapedAttention(...), ...)');
  if (!branch.fresh) {
    throw new InputError(
      'residual branch',
      branch.text,
      'must end in fresh weights (dense, shapedAttention, a parallel of those, or a serial ending in one): a residual around a residual does not keep E V (docs/maths.md, section 17)',
    );
  }
  if (options == null || typeof options !== 'object')
    throw new InputError('residual options', options, 'must be an object { gamma }');
  const gamma = requireGamma('gamma', options.gamma);
  const lambda = residualSkip(gamma);
  return {
    text: `residual(${branch.text},${gamma})`,
    spec: branch.spec === null ? null : { block: 'residual', gamma, branch: branch.spec },
    fresh: false,
    usesActivation: branch.usesActivation,
    derivatives: branch.derivatives,
    limit: (activation) => residualLimit(branch.limit(activation), gamma),
    layer(act: FiniteActivation, shape: StreamShape) {
      const { n, side } = shape;
      const inner = branch.layer(act, shape);
      const rowCovariance = inner.rowCovariance;
      if (!rowCovariance)
        throw new InputError(
          'residual branch',
          branch.text,
          'has no row covariance for its finite layer (a fresh block must offer one)',
        );
      const k = new Float64Array(side * side);
      const l = new Float64Array(side * side);
      const y = new Float64Array(n * side);
      return {
        chain(rng: RandomStream, z: Float64Array, v: Float64Array | null, next: Float64Array) {
          rowCovariance(rng, z, v, k);
          residualGaussianStep(rng, z, n, side, k, lambda, gamma, l, next);
        },
        // The step and V' in one pass for side 4 (the same normals and operations: the same bits).
        chainGram:
          side === 4
            ? (rng: RandomStream, z: Float64Array, v: Float64Array | null, next: Float64Array, vOut: Float64Array) => {
                rowCovariance(rng, z, v, k);
                return residualGaussianStepGram4(rng, z, n, k, lambda, gamma, l, next, vOut);
              }
            : undefined,
        conditional(
          rng: RandomStream,
          z: Float64Array,
          v: Float64Array,
          mean: Float64Array,
          cov: Float64Array,
          control: Float64Array,
          next: Float64Array | null,
        ) {
          rowCovariance(rng, z, v, k, control);
          for (let x = 0; x < side * side; x++) control[x] *= gamma * gamma;
          conditionalMean(v, k, side, gamma, mean);
          cov.fill(0);
          addConditionalCovariance(v, k, side, gamma, cov);
          if (next !== null) residualGaussianStep(rng, z, n, side, k, lambda, gamma, l, next);
        },
        explicit(rng: RandomStream, z: Float64Array, next: Float64Array) {
          inner.explicit(rng, z, y);
          for (let i = 0; i < n * side; i++) next[i] = lambda * z[i] + gamma * y[i];
        },
      };
    },
  };
}

/** `residual(<block>,<gamma>)`; spec { block: 'residual', gamma, branch }. */
export const RESIDUAL_ENTRY: BlockEntry = {
  name: 'residual',
  grammar: 'residual(<block>,<gamma>)',
  parse(args, _field, sub) {
    if (args === null || args.length !== 2)
      throw new InputError('residual', args === null ? '' : args.join(','), 'takes (<block>,<gamma>)');
    return residual(sub(args[0]), { gamma: numberArg(args[1], 'gamma') });
  },
  fromSpec: (spec, field, sub) =>
    residual(sub(spec.branch, `${field}.branch`), { gamma: requireGamma(`${field}.gamma`, spec.gamma) }),
};
