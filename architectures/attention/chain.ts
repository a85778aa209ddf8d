// The exact-in-law samplers of shaped attention and of the shaped Transformer without any n x n matrix
// (docs/maths.md, section 14.2): the state is the token stream z = X^T (n x m); per layer the attention
// block draws the heads' logits from V alone and the branch rows from N(0, Mbar); the transformer then
// runs the shaped residual MLP block, whose branch rows are i.i.d. N(0, K), K = (c/n) phi(z)^T phi(z).
import type { FiniteActivation } from '../../src/activations/index.js';
import { choleskyPsd } from '../../src/linalg.js';
import type { RandomStream } from '../../src/random/streams.js';
import { correlateRows, gramInto } from '../../networks/index.js';
import { branchCovariance, inputStream, residualGaussianStep, residualSkip } from '../resnet/stream.js';
import { blockScratch, drawMixing, residualGaussianStepGram4 } from './block.js';
import type { AttentionParams } from './params.js';

/** What an attention sampler needs of a network job. */
export interface TokenJob {
  readonly m: number;
  readonly n: number;
  readonly v0: readonly number[];
  readonly outputs: number;
}

/** A token sampler: start from V0, move V a layer at a time (returning max diag, NaN if not finite), logits. */
export interface TokenSampler {
  start(rng: RandomStream, v0?: ArrayLike<number>): void;
  layer(rng: RandomStream, v: Float64Array): number;
  logits(rng: RandomStream, v: Float64Array, out: Float64Array): void;
}

/** The blocks of a finite layer: attention alone, or attention then the MLP block with this activation. */
export type FiniteBlocks = { readonly kind: 'attention' } | { readonly kind: 'transformer'; readonly act: FiniteActivation };

/** Readout W_out z_d / sqrt(n): given V_d its rows are i.i.d. N(0, V_d), as for the MLP. */
export function tokenLogits(rng: RandomStream, v: Float64Array, m: number, outputs: number, l: Float64Array, out: Float64Array): void {
  choleskyPsd(v, m, l, 1e-12, true);
  rng.fillNormals(out, 0, outputs * m);
  correlateRows(out, outputs, m, l);
}

/** The chain sampler; keyWidth nk defaults to n. */
export function attentionChainSampler(job: TokenJob, p: AttentionParams, blocks: FiniteBlocks, keyWidth: number = job.n): TokenSampler {
  const { m, n } = job;
  const lambda = residualSkip(p.gamma);
  const scratch = blockScratch(m, keyWidth);
  const mbar = new Float64Array(m * m);
  const lv = new Float64Array(m * m);
  let z = new Float64Array(n * m);
  let next = new Float64Array(n * m);
  const features = blocks.kind === 'transformer' ? new Float64Array(n * m) : null;
  return {
    start(rng, v0 = job.v0) {
      inputStream(rng, v0, n, m, z, lv);
    },
    layer(rng, v) {
      // v holds V of the current z (the skeleton's V_{l-1}).
      choleskyPsd(v, m, lv, 1e-12, true);
      drawMixing(rng, v, lv, n, p, scratch, mbar);
      let from = z;
      if (features !== null && blocks.kind === 'transformer') {
        residualGaussianStep(rng, z, n, m, mbar, lambda, p.gamma, scratch.l, features);
        // The MLP block on the post-attention stream: its branch covariance K = (c/n) phi(z)^T phi(z)
        // (next is the features' scratch here).
        branchCovariance(features, n, m, false, blocks.act, next, mbar);
        from = features;
      }
      // The last residual step and V = z^T z / n; for m = 4 in one fused pass (the same bits).
      let maxDiag: number;
      if (m === 4) maxDiag = residualGaussianStepGram4(rng, from, n, mbar, lambda, p.gamma, scratch.l, next, v);
      else {
        residualGaussianStep(rng, from, n, m, mbar, lambda, p.gamma, scratch.l, next);
        maxDiag = gramInto(next, n, m, 1 / n, v);
      }
      // A non-finite stream is not kept: the skeleton freezes V at the previous layer, and z with it.
      if (!Number.isNaN(maxDiag)) [z, next] = [next, z];
      return maxDiag;
    },
    logits(rng, v, out) {
      tokenLogits(rng, v, m, job.outputs, lv, out);
    },
  };
}
