// The exact covariance Markov chain (SPEC.md section 1): given V_l, the n rows of z_{l+1} are i.i.d.
// N(0, V_l), so V_{l+1} = (c/n) phi(G L^T)^T phi(G L^T) with L L^T = V_l. O(n m^2) work and n m normals
// per layer, the same law as the explicit network at O(n^2 m).
import type { FiniteActivation } from '../src/activations/index.js';
import { fillNormals } from '../src/gaussian.js';
import { choleskyPsd, projectPsdInPlace } from '../src/linalg.js';
import { uniformStream } from '../src/rng.js';
import { PATH_EXPLODED, PATH_REPAIRED } from '../sde/kernels.js';
import { applyFeatures, gramInto } from './features.js';
import { allocateNetworkChunk, stateSide, type NetworkChunk, type NetworkJob } from './job.js';

/** Rows of y = L g for each row g of buf (rows x side), in place: column a only needs g_k, k <= a. */
export function correlateRows(buf: Float64Array, rows: number, side: number, l: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const row = i * side;
    for (let a = side - 1; a >= 0; a--) {
      let acc = 0;
      for (let k = 0; k <= a; k++) acc += l[a * side + k] * buf[row + k];
      buf[row + a] = acc;
    }
  }
}

export function chainChunk(job: NetworkJob, act: FiniteActivation, start: number, count: number): NetworkChunk {
  const out = allocateNetworkChunk(job, count);
  const side = stateSide(job);
  const ss = side * side;
  const n = job.n;
  const scale = act.c / n;
  const records = job.recordLayers;
  const z = new Float64Array(n * side);
  const v = new Float64Array(ss);
  const l = new Float64Array(ss);
  const scratch = new Float64Array(3 * ss + side);
  const previous = new Float64Array(ss);
  const logitNormals = new Float64Array(job.outputs * side);
  for (let q = 0; q < count; q++) {
    const rng = uniformStream(job.seed, start + q);
    v.set(job.v0);
    let next = 0;
    let repairs = 0;
    let exploded = false;
    while (next < records.length && records[next] === 0) out.values.set(v, (next++ * count + q) * ss);
    for (let layer = 1; layer <= job.depth; layer++) {
      if (choleskyPsd(v, side, l) >= 0) {
        // Only rounding can make (c/n) A^T A indefinite; project and count it all the same.
        projectPsdInPlace(v, side, scratch);
        repairs++;
        choleskyPsd(v, side, l);
      }
      fillNormals(rng, z);
      correlateRows(z, n, side, l);
      applyFeatures(z, n, job.m, job.derivatives, act);
      previous.set(v);
      const maxDiag = gramInto(z, n, side, scale, v);
      if (!(maxDiag <= job.threshold)) {
        if (Number.isNaN(maxDiag)) v.set(previous);
        out.status[q] = PATH_EXPLODED;
        out.explosionLayer[q] = layer;
        exploded = true;
        break;
      }
      while (next < records.length && records[next] === layer) out.values.set(v, (next++ * count + q) * ss);
    }
    while (next < records.length) out.values.set(v, (next++ * count + q) * ss);
    // Given V_d, the logits z_out = sqrt(c/n) W_out phi(z_d) are i.i.d. N(0, V_d) rows.
    if (choleskyPsd(v, side, l) >= 0) {
      projectPsdInPlace(v, side, scratch);
      choleskyPsd(v, side, l);
    }
    fillNormals(rng, logitNormals);
    correlateRows(logitNormals, job.outputs, side, l);
    out.logits.set(logitNormals, q * job.outputs * side);
    out.repairs[q] = repairs;
    if (!exploded && repairs > 0) out.status[q] = PATH_REPAIRED;
  }
  return out;
}
