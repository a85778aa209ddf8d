// The residual network's exact-in-law sampler (docs/maths.md, section 13): given the stream z_l, the
// rows of the branch sqrt(c/n) W_l phi(z_l) are i.i.d. N(0, K_l), K_l = (c/n) phi(z_l)^T phi(z_l), so
// the state is the n x m stream and each layer costs O(n m^2) work and n m normals; no n x n matrix.
import type { FiniteActivation } from '../../src/activations/index.js';
import { choleskyPsd } from '../../src/linalg.js';
import type { RandomStream } from '../../src/random/streams.js';
import { correlateRows, stateSide, type LayerSampler, type NetworkJob } from '../../networks/index.js';
import { branchCovariance, inputStream, residualGaussianStep, residualSkip, streamGram } from './stream.js';

/** One chain layer on the stream z: draws y = G Lk^T, Lk Lk^T = K(z), and writes lambda z + gamma y to next. */
export function chainLayer(rng: RandomStream, z: Float64Array, n: number, m: number, derivatives: boolean, act: FiniteActivation, gamma: number, scratch: { a: Float64Array; k: Float64Array; l: Float64Array }, next: Float64Array): void {
  const side = derivatives ? 2 * m : m;
  const lambda = residualSkip(gamma);
  branchCovariance(z, n, m, derivatives, act, scratch.a, scratch.k);
  residualGaussianStep(rng, z, n, side, scratch.k, lambda, gamma, scratch.l, next);
}

export function resnetChainSampler(job: NetworkJob, act: FiniteActivation, gamma: number): LayerSampler {
  const side = stateSide(job);
  const n = job.n;
  let z = new Float64Array(n * side);
  let next = new Float64Array(n * side);
  const scratch = { a: new Float64Array(n * side), k: new Float64Array(side * side), l: new Float64Array(side * side) };
  return {
    start(rng: RandomStream, v0: Float64Array) {
      inputStream(rng, v0, n, side, z, scratch.l);
    },
    layer(rng: RandomStream, v: Float64Array): number {
      chainLayer(rng, z, n, job.m, job.derivatives, act, gamma, scratch, next);
      const maxDiag = streamGram(next, n, side, v);
      // A non-finite stream is not kept: the skeleton freezes V at the previous layer, and z with it.
      if (!Number.isNaN(maxDiag)) [z, next] = [next, z];
      return maxDiag;
    },
    logits(rng: RandomStream, v: Float64Array, out: Float64Array): void {
      // The readout W_out z_d / sqrt(n): given V_d its rows are i.i.d. N(0, V_d), as for the MLP.
      choleskyPsd(v, side, scratch.l, 1e-12, true);
      rng.fillNormals(out);
      correlateRows(out, job.outputs, side, scratch.l);
    },
  };
}
