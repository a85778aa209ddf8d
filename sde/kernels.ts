// Euler-Maruyama path kernels on flat Float64Arrays: one call integrates paths [start, start+count)
// of a job, each from its own (seed, path) stream, so a chunk computed on any thread is bit-identical
// to the same paths computed anywhere else. Nothing is allocated per step.
import type { CovarianceLimit } from '../src/activations/index.js';
import { fillNormals } from '../src/gaussian.js';
import { choleskyPsd, projectPsdInPlace, PSD_PIVOT_TOLERANCE } from '../src/linalg.js';
import { uniformStream, type Xor4096 } from '../src/rng.js';

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

/** What every kernel derives from a job: the step, the Brownian sub-steps per step and the saves. */
function stepConstants(job: SdeJob) {
  const dt = job.t1 / job.steps;
  const sub = job.resolution / job.steps;
  return {
    steps: job.steps,
    dt,
    sqdt: Math.sqrt(dt),
    /** Brownian increments per step; their sum is scaled by gScale to one standard normal. */
    sub,
    gScale: 1 / Math.sqrt(sub),
    saves: job.saveSteps,
    nSaves: job.saveSteps.length,
    threshold: job.threshold,
  };
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

/**
 * One path's normals, drawn in blocks of whole steps (amortising the call into the generator) but
 * never more than the path's remaining steps need: short paths must not pay for a full buffer. The
 * draw order is the stream order whatever the block size, so results do not depend on it.
 */
class StepNormals {
  readonly data: Float64Array;
  private offset = 0;
  private filled = 0;
  constructor(readonly perStep: number) {
    this.data = new Float64Array(perStep * Math.max(1, Math.floor(4096 / perStep)));
  }
  reset(): void {
    this.offset = 0;
    this.filled = 0;
  }
  /** Offset in `data` of step k's normals, of `steps` in the path. */
  next(rng: Xor4096, k: number, steps: number): number {
    if (this.offset === this.filled) {
      this.filled = Math.min(this.data.length, (steps - k) * this.perStep);
      fillNormals(rng, this.data, 0, this.filled);
      this.offset = 0;
    }
    const at = this.offset;
    this.offset += this.perStep;
    return at;
  }
}

/** `generic` forces the general m x m kernel (tests hold the specialised m = 2 kernel against it). */
export function runSdeChunk(job: SdeJob, limit: CovarianceLimit, start: number, count: number, generic = false): SdeChunk {
  const chunk = allocateChunk(job, count);
  if (job.kind === 'covariance' && job.m === 2 && !generic) covariance2Paths(job, limit, start, count, chunk);
  else if (job.kind === 'covariance') covariancePaths(job, limit, start, count, chunk);
  else scalarPaths(job, limit, start, count, chunk);
  return chunk;
}

function covariancePaths(job: SdeJob, limit: CovarianceLimit, start: number, count: number, out: SdeChunk): void {
  const m = job.m;
  const mm = m * m;
  const { steps, dt, sqdt, sub, gScale, saves, nSaves, threshold } = stepConstants(job);
  // S is symmetric: m(m+1)/2 independent normals per step (upper triangle, row by row).
  const tri = (m * (m + 1)) / 2;
  const perStep = tri * sub;
  const source = new StepNormals(perStep);
  const normals = source.data;
  let v = new Float64Array(mm);
  let vNew = new Float64Array(mm);
  const l = new Float64Array(mm);
  const b = new Float64Array(mm);
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
    source.reset();
    for (let k = 0; k < steps; k++) {
      const offset = source.next(rng, k, steps);
      // S_ii ~ N(0, 2), S_ij ~ N(0, 1): the law of (G + G^T)/sqrt(2), so L S L^T has the SDE's covariance.
      // Over finer Brownian increments the step's normal is their normalised sum.
      let e = 0;
      for (let i = 0; i < m; i++) {
        for (let j = i; j < m; j++, e++) {
          let z = normals[offset + e];
          if (sub > 1) {
            for (let r = 1; r < sub; r++) z += normals[offset + r * tri + e];
            z *= gScale;
          }
          if (i === j) s[i * m + i] = Math.SQRT2 * z;
          else {
            s[i * m + j] = z;
            s[j * m + i] = z;
          }
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

/** choleskyPsd for 2 x 2, same operations in the same order (so the same bits); false if not PSD or a
 *  diagonal is negative (the generic kernel's repair condition). */
function cholesky2(a11: number, a12: number, a22: number, l: Float64Array): boolean {
  if (a11 < 0 || a22 < 0) return false;
  let scale = 0;
  scale = Math.max(scale, a11);
  scale = Math.max(scale, a22);
  const zero = PSD_PIVOT_TOLERANCE * (scale > 0 ? scale : 1);
  if (!(a11 > zero)) {
    if (a11 < -zero || Number.isNaN(a11)) return false;
    l[0] = 0;
    l[1] = 0;
  } else {
    const root = Math.sqrt(a11);
    l[0] = root;
    l[1] = a12 * (1 / root);
  }
  const d = a22 - l[1] * l[1];
  if (!(d > zero)) {
    if (d < -zero || Number.isNaN(d)) return false;
    l[2] = 0;
  } else l[2] = Math.sqrt(d);
  return true;
}

/**
 * The m = 2 case written out (the common case: one pair of inputs): closed-form 2 x 2 Cholesky and
 * L S L^T, three normals per step, with the generic kernel's operations in the same order, so the
 * results are bit-identical to it (tested) at several times its speed.
 */
function covariance2Paths(job: SdeJob, limit: CovarianceLimit, start: number, count: number, out: SdeChunk): void {
  const { steps, dt, sqdt, sub, gScale, saves, nSaves, threshold } = stepConstants(job);
  const perStep = 3 * sub;
  const source = new StepNormals(perStep);
  const normals = source.data;
  const v = new Float64Array(4);
  const beta = limit.beta;
  const offDiagonal = limit.offDiagonal;
  const l = new Float64Array(3); // l11, l21, l22
  const full = new Float64Array(4);
  const scratch = new Float64Array(3 * 4 + 2);
  const store = (a11: number, a12: number, a22: number) => {
    v[0] = a11;
    v[1] = a12;
    v[2] = a12;
    v[3] = a22;
  };
  for (let q = 0; q < count; q++) {
    const rng = uniformStream(job.seed, start + q);
    let a11 = job.v0[0];
    let a12 = job.v0[1];
    let a22 = job.v0[3];
    cholesky2(a11, a12, a22, l);
    let repairs = 0;
    let worst = 0;
    let next = 0;
    let exploded = false;
    store(a11, a12, a22);
    while (next < nSaves && saves[next] === 0) out.values.set(v, (next++ * count + q) * 4);
    source.reset();
    for (let k = 0; k < steps; k++) {
      const offset = source.next(rng, k, steps);
      let z0 = normals[offset];
      let z1 = normals[offset + 1];
      let z2 = normals[offset + 2];
      if (sub > 1) {
        for (let r = 1; r < sub; r++) {
          z0 += normals[offset + 3 * r];
          z1 += normals[offset + 3 * r + 1];
          z2 += normals[offset + 3 * r + 2];
        }
        z0 *= gScale;
        z1 *= gScale;
        z2 *= gScale;
      }
      const s11 = Math.SQRT2 * z0;
      const s12 = z1;
      const s22 = Math.SQRT2 * z2;
      const l11 = l[0];
      const l21 = l[1];
      const l22 = l[2];
      // limit.drift for m = 2, entry by entry (the same functions, so the same bits).
      const b11 = beta * a11 * a11;
      const b12 = offDiagonal(a11, a22, a12);
      const b22 = beta * a22 * a22;
      // L S L^T with L = [[l11, 0], [l21, l22]], associated as the generic loops do.
      const ls00 = l11 * s11;
      const ls01 = l11 * s12;
      const ls10 = l21 * s11 + l22 * s12;
      const ls11 = l21 * s12 + l22 * s22;
      const x11 = a11 + b11 * dt + ls00 * l11 * sqdt;
      const x12 = a12 + b12 * dt + (ls00 * l21 + ls01 * l22) * sqdt;
      const x22 = a22 + b22 * dt + (ls10 * l21 + ls11 * l22) * sqdt;
      const check = x11 + x12 + x22;
      if (!(check - check === 0) || x11 > threshold || x22 > threshold) {
        if (check - check === 0) {
          a11 = x11;
          a12 = x12;
          a22 = x22;
        }
        out.status[q] = PATH_EXPLODED;
        out.explosionTime[q] = (k + 1) * dt;
        exploded = true;
        break;
      }
      a11 = x11;
      a12 = x12;
      a22 = x22;
      if (!cholesky2(a11, a12, a22, l)) {
        store(a11, a12, a22);
        worst = Math.min(worst, projectPsdInPlace(v, 2, scratch));
        repairs++;
        a11 = v[0];
        a12 = v[1];
        a22 = v[3];
        choleskyPsd(v, 2, full);
        l[0] = full[0];
        l[1] = full[2];
        l[2] = full[3];
      }
      if (next < nSaves && saves[next] === k + 1) {
        store(a11, a12, a22);
        while (next < nSaves && saves[next] === k + 1) out.values.set(v, (next++ * count + q) * 4);
      }
    }
    store(a11, a12, a22);
    while (next < nSaves) out.values.set(v, (next++ * count + q) * 4);
    out.repairs[q] = repairs;
    out.worstRepair[q] = worst;
    if (!exploded && repairs > 0) out.status[q] = PATH_REPAIRED;
  }
}

function scalarPaths(job: SdeJob, limit: CovarianceLimit, start: number, count: number, out: SdeChunk): void {
  const { steps, dt, sqdt, sub, gScale, saves, nSaves, threshold } = stepConstants(job);
  const perStep = sub;
  const source = new StepNormals(perStep);
  const normals = source.data;
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
    source.reset();
    for (let k = 0; k < steps; k++) {
      const offset = source.next(rng, k, steps);
      let z = normals[offset];
      if (sub > 1) {
        for (let r = 1; r < sub; r++) z += normals[offset + r];
        z *= gScale;
      }
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
