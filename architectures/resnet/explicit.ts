// The residual network with every weight drawn (docs/maths.md, section 13): z_{l+1} = lambda z_l +
// gamma sqrt(c/n) W_l phi(z_l), W_l drawn row by row and never stored. O(n^2 m) work and n^2 normals per
// layer: the ground truth that the stream chain reproduces in law, for small n.
import type { FiniteActivation } from '../../src/activations/index.js';
import type { RandomStream } from '../../src/random/streams.js';
import { applyFeatures, gaussianMatmul, stateSide, type LayerSampler, type NetworkJob } from '../../networks/index.js';
import { inputStream, residualSkip, streamGram } from './stream.js';

/** One explicit layer: next = lambda z + gamma sqrt(c/n) W phi(z) with a fresh W; a is n x side scratch. */
export function explicitLayer(rng: RandomStream, z: Float64Array, n: number, m: number, derivatives: boolean, act: FiniteActivation, gamma: number, scratch: { a: Float64Array; w: Float64Array; acc: Float64Array }, next: Float64Array): void {
  const side = derivatives ? 2 * m : m;
  const lambda = residualSkip(gamma);
  scratch.a.set(z.subarray(0, n * side));
  applyFeatures(scratch.a, n, m, derivatives, act);
  gaussianMatmul(rng, scratch.w, scratch.a, n, side, n, Math.sqrt(act.c / n), next, scratch.acc);
  for (let i = 0; i < n * side; i++) next[i] = lambda * z[i] + gamma * next[i];
}

export function resnetExplicitSampler(job: NetworkJob, act: FiniteActivation, gamma: number): LayerSampler {
  const side = stateSide(job);
  const n = job.n;
  let z = new Float64Array(n * side);
  let next = new Float64Array(n * side);
  const l = new Float64Array(side * side);
  const scratch = { a: new Float64Array(n * side), w: new Float64Array(n), acc: new Float64Array(side) };
  return {
    start(rng: RandomStream, v0: Float64Array) {
      inputStream(rng, v0, n, side, z, l);
    },
    layer(rng: RandomStream, v: Float64Array): number {
      explicitLayer(rng, z, n, job.m, job.derivatives, act, gamma, scratch, next);
      const maxDiag = streamGram(next, n, side, v);
      if (!Number.isNaN(maxDiag)) [z, next] = [next, z];
      return maxDiag;
    },
    logits(rng: RandomStream, _v: Float64Array, out: Float64Array): void {
      // The readout W_out z_d / sqrt(n), W_out drawn: z holds the last finite stream.
      gaussianMatmul(rng, scratch.w, z, n, side, job.outputs, 1 / Math.sqrt(n), out, scratch.acc);
    },
  };
}
