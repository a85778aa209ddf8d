// The explicit-weight network: every W_l is drawn (row by row, never stored whole) and the forward
// pass is run for m inputs. O(n^2 m) work and n^2 normals per layer: the ground truth that the
// covariance chain reproduces in law.
import type { FiniteActivation } from '../src/activations/index.js';
import { fillNormals } from '../src/gaussian.js';
import { uniformStream } from '../src/rng.js';
import { PATH_EXPLODED } from '../sde/kernels.js';
import { applyFeatures, gramInto } from './features.js';
import { allocateNetworkChunk, stateSide, type NetworkChunk, type NetworkJob } from './job.js';

/** out (rows x side) = gain * W src with W (rows x cols) drawn row by row from rng; src is cols x side. */
function gaussianMatmul(
  rng: Parameters<typeof fillNormals>[0],
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
    fillNormals(rng, w, 0, cols);
    acc.fill(0);
    for (let j = 0; j < cols; j++) {
      const wj = w[j];
      const row = j * side;
      for (let a = 0; a < side; a++) acc[a] += wj * src[row + a];
    }
    for (let a = 0; a < side; a++) out[i * side + a] = gain * acc[a];
  }
}

export function explicitChunk(job: NetworkJob, act: FiniteActivation, start: number, count: number): NetworkChunk {
  const out = allocateNetworkChunk(job, count);
  const side = stateSide(job);
  const ss = side * side;
  const n = job.n;
  const nIn = job.inputDim;
  const inputs = Float64Array.from(job.inputs!);
  const records = job.recordLayers;
  const z = new Float64Array(n * side);
  const a = new Float64Array(n * side);
  const v = new Float64Array(ss);
  const previous = new Float64Array(ss);
  const w = new Float64Array(Math.max(n, nIn));
  const acc = new Float64Array(side);
  const logits = new Float64Array(job.outputs * side);
  const gain = Math.sqrt(act.c / n);
  for (let q = 0; q < count; q++) {
    const rng = uniformStream(job.seed, start + q);
    v.set(job.v0);
    let next = 0;
    while (next < records.length && records[next] === 0) out.values.set(v, (next++ * count + q) * ss);
    gaussianMatmul(rng, w, inputs, nIn, side, n, 1 / Math.sqrt(nIn), z, acc);
    for (let layer = 1; layer <= job.depth; layer++) {
      a.set(z);
      applyFeatures(a, n, job.m, job.derivatives, act);
      previous.set(v);
      const maxDiag = gramInto(a, n, side, act.c / n, v);
      if (!(maxDiag <= job.threshold)) {
        if (Number.isNaN(maxDiag)) v.set(previous);
        out.status[q] = PATH_EXPLODED;
        out.explosionLayer[q] = layer;
        break;
      }
      while (next < records.length && records[next] === layer) out.values.set(v, (next++ * count + q) * ss);
      if (layer < job.depth) gaussianMatmul(rng, w, a, n, side, n, gain, z, acc);
    }
    while (next < records.length) out.values.set(v, (next++ * count + q) * ss);
    // a holds phi(z_d) (or the last layer reached): the output layer is one more Gaussian matrix.
    gaussianMatmul(rng, w, a, n, side, job.outputs, gain, logits, acc);
    out.logits.set(logits, q * job.outputs * side);
  }
  return out;
}
