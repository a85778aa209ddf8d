// Euler-Maruyama path kernels on flat Float64Arrays: one call integrates paths [start, start+count)
// of a job, each from its own (seed, path) stream, so a chunk computed on any thread is bit-identical
// to the same paths computed anywhere else. Nothing is allocated per step.
import type { CovarianceLimit } from '../src/activations/index.js';
import { fillNormals } from '../src/gaussian.js';
import { choleskyPsd, projectPsdInPlace } from '../src/linalg.js';
import { uniformStream } from '../src/rng.js';

export const PATH_FINISHED = 0;
export const PATH_EXPLODED = 1;
/** Finished, but at least one step left the PSD cone (or [-1, 1], or [0, inf)) and was repaired. */
export const PATH_REPAIRED = 2;

/** Everything a kernel needs, as plain data (it crosses to worker threads). */
export interface SdeJob {
  readonly kind: 'covariance' | 'correlation' | 'diagonal';
  /** Side of the matrix; 1 for the scalar SDEs. */
  readonly m: number;
  /** Initial value, flat m x m (scalar SDEs: one entry). */
  readonly v0: readonly number[];
  readonly t1: number;
  readonly steps: number;
  /** Brownian increments over [0, t1]; a multiple of `steps`. */
  readonly resolution: number;
  /** Step indices at which to save, increasing. */
  readonly saveSteps: readonly number[];
  readonly threshold: number;
  readonly seed: number | string;
}

/** Per-path output of a kernel for `count` paths, values laid out (saves, count, m, m). */
export interface SdeChunk {
  readonly values: Float64Array;
  readonly status: Uint8Array;
  /** Time of explosion; -1 for paths that did not explode. */
  readonly explosionTime: Float64Array;
  readonly repairs: Uint32Array;
  /** Most negative eigenvalue (or overshoot) removed by a repair; 0 when none. */
  readonly worstRepair: Float64Array;
}

export function allocateChunk(job: SdeJob, count: number): SdeChunk {
  return {
    values: new Float64Array(job.saveSteps.length * count * job.m * job.m),
    status: new Uint8Array(count),
    explosionTime: new Float64Array(count).fill(-1),
    repairs: new Uint32Array(count),
    worstRepair: new Float64Array(count),
  };
}

/** Normals come in blocks of several steps to amortise the call into the generator. */
function stepsPerRefill(perStep: number): number {
  return Math.max(1, Math.floor(4096 / perStep));
}

export function runSdeChunk(job: SdeJob, limit: CovarianceLimit, start: number, count: number): SdeChunk {
  const chunk = allocateChunk(job, count);
  if (job.kind === 'covariance') covariancePaths(job, limit, start, count, chunk);
  else scalarPaths(job, limit, start, count, chunk);
  return chunk;
}

function covariancePaths(job: SdeJob, limit: CovarianceLimit, start: number, count: number, out: SdeChunk): void {
  const m = job.m;
  const mm = m * m;
  const steps = job.steps;
  const dt = job.t1 / steps;
  const sqdt = Math.sqrt(dt);
  const sub = job.resolution / steps;
  const gScale = 1 / Math.sqrt(sub);
  const saves = job.saveSteps;
  const nSaves = saves.length;
  const threshold = job.threshold;
  const perStep = mm * sub;
  const refill = stepsPerRefill(perStep);
  const normals = new Float64Array(perStep * refill);
  let v = new Float64Array(mm);
  let vNew = new Float64Array(mm);
  const l = new Float64Array(mm);
  const b = new Float64Array(mm);
  const g = new Float64Array(mm);
  const s = new Float64Array(mm);
  const ls = new Float64Array(mm);
  const scratch = new Float64Array(3 * mm + m);
  const v0 = Float64Array.from(job.v0);

  for (let q = 0; q < count; q++) {
    const rng = uniformStream(job.seed, start + q);
    v.set(v0);
    choleskyPsd(v, m, l);
    let repairs = 0;
    let worst = 0;
    let next = 0;
    let exploded = false;
    while (next < nSaves && saves[next] === 0) out.values.set(v, (next++ * count + q) * mm);
    let offset = normals.length;
    for (let k = 0; k < steps; k++) {
      if (offset === normals.length) {
        fillNormals(rng, normals);
        offset = 0;
      }
      // G: the step's m x m standard normals, summed over the finer Brownian increments it spans.
      if (sub === 1) {
        for (let e = 0; e < mm; e++) g[e] = normals[offset + e];
      } else {
        for (let e = 0; e < mm; e++) {
          let acc = 0;
          for (let r = 0; r < sub; r++) acc += normals[offset + r * mm + e];
          g[e] = acc * gScale;
        }
      }
      offset += perStep;
      // S = (G + G^T)/sqrt(2): S_ii ~ N(0, 2), S_ij ~ N(0, 1), so L S L^T has the SDE's covariance.
      for (let i = 0; i < m; i++) {
        s[i * m + i] = Math.SQRT2 * g[i * m + i];
        for (let j = i + 1; j < m; j++) {
          const x = (g[i * m + j] + g[j * m + i]) * Math.SQRT1_2;
          s[i * m + j] = x;
          s[j * m + i] = x;
        }
      }
      // LS = L S, with L lower triangular.
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) {
          let acc = 0;
          for (let r = 0; r <= i; r++) acc += l[i * m + r] * s[r * m + j];
          ls[i * m + j] = acc;
        }
      }
      limit.drift(v, m, b);
      let maxDiag = 0;
      let minDiag = Infinity;
      let check = 0;
      for (let i = 0; i < m; i++) {
        for (let j = i; j < m; j++) {
          let acc = 0;
          for (let r = 0; r <= j; r++) acc += ls[i * m + r] * l[j * m + r];
          const x = v[i * m + j] + b[i * m + j] * dt + acc * sqdt;
          vNew[i * m + j] = x;
          vNew[j * m + i] = x;
          check += x;
        }
        const d = vNew[i * m + i];
        if (d > maxDiag) maxDiag = d;
        if (d < minDiag) minDiag = d;
      }
      const finite = check - check === 0;
      if (!finite || maxDiag > threshold) {
        // Recorded, then the path stops: the last finite state is kept, never NaN or Infinity.
        if (finite) v.set(vNew);
        out.status[q] = PATH_EXPLODED;
        out.explosionTime[q] = (k + 1) * dt;
        exploded = true;
        break;
      }
      const swap = v;
      v = vNew;
      vNew = swap;
      // A negative variance is outside the cone even when Cholesky would accept it as a zero pivot.
      if (minDiag < 0 || choleskyPsd(v, m, l) >= 0) {
        worst = Math.min(worst, projectPsdInPlace(v, m, scratch));
        repairs++;
        choleskyPsd(v, m, l);
      }
      while (next < nSaves && saves[next] === k + 1) out.values.set(v, (next++ * count + q) * mm);
    }
    // An exploded path's later saves hold its state at detection (flagged by status).
    while (next < nSaves) out.values.set(v, (next++ * count + q) * mm);
    out.repairs[q] = repairs;
    out.worstRepair[q] = worst;
    if (!exploded && repairs > 0) out.status[q] = PATH_REPAIRED;
  }
}

function scalarPaths(job: SdeJob, limit: CovarianceLimit, start: number, count: number, out: SdeChunk): void {
  const steps = job.steps;
  const dt = job.t1 / steps;
  const sqdt = Math.sqrt(dt);
  const sub = job.resolution / steps;
  const gScale = 1 / Math.sqrt(sub);
  const saves = job.saveSteps;
  const nSaves = saves.length;
  const threshold = job.threshold;
  const refill = stepsPerRefill(sub);
  const normals = new Float64Array(sub * refill);
  const isCorrelation = job.kind === 'correlation';
  const nu = limit.nu;
  const beta = limit.beta;
  const noise = isCorrelation ? 1 : Math.SQRT2;

  for (let q = 0; q < count; q++) {
    const rng = uniformStream(job.seed, start + q);
    let x = job.v0[0];
    let repairs = 0;
    let worst = 0;
    let next = 0;
    let exploded = false;
    while (next < nSaves && saves[next] === 0) out.values[next++ * count + q] = x;
    let offset = normals.length;
    for (let k = 0; k < steps; k++) {
      if (offset === normals.length) {
        fillNormals(rng, normals);
        offset = 0;
      }
      let z = normals[offset];
      if (sub > 1) {
        for (let r = 1; r < sub; r++) z += normals[offset + r];
        z *= gScale;
      }
      offset += sub;
      let xNew: number;
      if (isCorrelation) {
        const w = 1 - x * x;
        xNew = x + (nu!(x) - 0.5 * x * w) * dt + w * sqdt * z;
        // Euler can overshoot |rho| = 1, where the true diffusion is absorbed; clip and count.
        if (xNew > 1 || xNew < -1) {
          worst = Math.min(worst, 1 - Math.abs(xNew));
          xNew = xNew > 1 ? 1 : -1;
          repairs++;
        }
      } else {
        xNew = x + beta * x * x * dt + noise * x * sqdt * z;
        if (!(xNew - xNew === 0) || xNew > threshold) {
          if (xNew - xNew === 0) x = xNew;
          out.status[q] = PATH_EXPLODED;
          out.explosionTime[q] = (k + 1) * dt;
          exploded = true;
          break;
        }
        if (xNew < 0) {
          worst = Math.min(worst, xNew);
          xNew = 0;
          repairs++;
        }
      }
      x = xNew;
      while (next < nSaves && saves[next] === k + 1) out.values[next++ * count + q] = x;
    }
    while (next < nSaves) out.values[next++ * count + q] = x;
    out.repairs[q] = repairs;
    out.worstRepair[q] = worst;
    if (!exploded && repairs > 0) out.status[q] = PATH_REPAIRED;
  }
}
