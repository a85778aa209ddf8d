// The explicit-weight network: every W_l is drawn (row by row, never stored whole) and the forward
// pass is run for m inputs. O(n^2 m) work and n^2 normals per layer: the ground truth that the
// covariance chain reproduces in law.
import type { FiniteActivation } from '../src/activations/index.js';
import type { RandomStream } from '../src/random/streams.js';
import { applyFeatures, gramInto } from './features.js';
import type { LayerSampler } from './sampler.js';
import { stateSide, type NetworkJob } from './job.js';

/** out (rows x side) = gain * W src with W (rows x cols) drawn row by row from rng into w; src is cols x
 *  side, acc is side scratch. Shared by every explicit-weight sampler (MLP, resnet, attention). */
export function gaussianMatmul(
  rng: RandomStream,
  w: Float64Array,
  src: Float64Array,
  cols: number,
  side: number,
  rows: number,
  gain: number,
  out: Float64Array,
  acc: Float64Array,
): void {
  for (let i = 0; i < rows; i++) {
    rng.fillNormals(w, 0, cols);
    acc.fill(0);
    for (let j = 0; j < cols; j++) {
      const wj = w[j];
      const row = j * side;
      for (let a = 0; a < side; a++) acc[a] += wj * src[row + a];
    }
    for (let a = 0; a < side; a++) out[i * side + a] = gain * acc[a];
  }
}

export function explicitSampler(job: NetworkJob, act: FiniteActivation): LayerSampler {
  const side = stateSide(job);
  const n = job.n;
  const nIn = job.inputDim;
  const inputs = Float64Array.from(job.inputs!);
  const z = new Float64Array(n * side);
  const a = new Float64Array(n * side);
  const w = new Float64Array(Math.max(n, nIn));
  const acc = new Float64Array(side);
  const gain = Math.sqrt(act.c / n);
  let first = true;
  return {
    start(rng: RandomStream) {
      gaussianMatmul(rng, w, inputs, nIn, side, n, 1 / Math.sqrt(nIn), z, acc);
      first = true;
    },
    layer(rng: RandomStream, v: Float64Array): number {
      // z holds this layer's pre-activations: the next W is drawn only when a further layer needs it.
      if (!first) gaussianMatmul(rng, w, a, n, side, n, gain, z, acc);
      first = false;
      a.set(z);
      applyFeatures(a, n, job.m, job.derivatives, act);
      return gramInto(a, n, side, act.c / n, v);
    },
    logits(rng: RandomStream, _v: Float64Array, out: Float64Array): void {
      // a holds phi(z_d) (or the last layer reached): the output layer is one more Gaussian matrix.
      gaussianMatmul(rng, w, a, n, side, job.outputs, gain, out, acc);
    },
  };
}
