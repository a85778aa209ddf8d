// The generic m x m matrix term over a block of lanes: any per-lane maths (a drift b(V) and a diffusion
// realised with its own normals, e.g. a composition of blocks' limits, docs/maths.md section 17) on V's
// packed lower triangle (lanes.ts's lanes, as the covariance term), settled by the package's one
// explosion/domain policy (lanes.ts's laneSettler). It offers no exact sub-flows (general noise
// directions, such as attention's L e_p e_q^T L^T C V + (.)^T, have no closed-form flow that keeps V in
// the cone), so the splitting solver refuses it and Euler-Maruyama integrates it (section 14.8).
import { choleskyPsd } from '../../src/linalg.js';
import type { Term } from '../term.js';
import { laneSettler, packedLanes } from './lanes.js';

/** The per-lane maths of a covariance SDE over one m x m V, ready for the generic matrix term. */
export interface CovarianceMaths {
  /** Standard normals per step for side m. */
  noise(m: number): number;
  /** b(V) into out (m x m). */
  drift(v: Float64Array, m: number, out: Float64Array): void;
  /** G(V) sqrt(h) g into out (m x m, symmetric); l is V's Cholesky factor, g holds noise(m) normals. */
  diffusion(v: Float64Array, m: number, l: Float64Array, g: Float64Array, rootH: number, out: Float64Array): void;
}

export interface MatrixTermOptions {
  readonly maths: CovarianceMaths;
  /** Flat m x m initial value. */
  readonly v0: Float64Array;
  readonly m: number;
  readonly lanes: number;
  readonly threshold: number;
}

/** Relative size of the central-difference perturbation in the Ito-Stratonovich correction. */
const CORRECTION_STEP = 1e-4;

export function matrixTerm(options: MatrixTermOptions): Term {
  const { maths, m, lanes: B, threshold, v0 } = options;
  const E = (m * (m + 1)) / 2;
  const K = maths.noise(m);
  const mm = m * m;
  const full = new Float64Array(mm);
  const lower = new Float64Array(mm);
  const out1 = new Float64Array(mm);
  const out2 = new Float64Array(mm);
  const gk = new Float64Array(mm);
  const shifted = new Float64Array(mm);
  const lshift = new Float64Array(mm);
  const acc = new Float64Array(mm);
  const unit = new Float64Array(K);
  const lane = new Float64Array(K);

  const lanes = packedLanes(m, B);
  const { gather, scatter } = lanes;
  // The cone check only: this term keeps no Cholesky cache (diffusion factors the state it is given).
  const settleLane = laneSettler(lanes, threshold, (x, j) => lanes.inCone(x, j, full, lower));

  return {
    dimension: E,
    noise: K,
    outputSize: mm,
    initialise(x) {
      lanes.fill(x, v0);
    },
    write: lanes.write,
    drift(x, out, book) {
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) {
          lanes.clear(out, j);
          continue;
        }
        gather(x, j, full);
        maths.drift(full, m, out1);
        scatter(out1, out, j);
      }
    },
    diffusion(x, g, h, out, book) {
      const root = Math.sqrt(h);
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) {
          lanes.clear(out, j);
          continue;
        }
        // The factor of the state given, not a cached one: a solver may ask for G at a state it has not
        // settled (Heun's predictor), and the O(m^3) factor is small beside the diffusion's products.
        lanes.factorPsd(x, j, full, lower);
        for (let k = 0; k < K; k++) lane[k] = g[k * B + j];
        maths.diffusion(full, m, lower, lane, root, out1);
        scatter(out1, out, j);
      }
    },
    correction(x, out, book) {
      // (1/2) sum_k DG_k[G_k] by central differences along G_k (relative step 1e-4, error ~1e-8): the
      // general directions' derivative (attention's goes through the Cholesky factor and C V) has no short form.
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) {
          lanes.clear(out, j);
          continue;
        }
        lanes.factorPsd(x, j, full, lower);
        let scale = 0;
        for (let a = 0; a < m; a++) scale = Math.max(scale, full[a * m + a]);
        acc.fill(0);
        for (let k = 0; k < K; k++) {
          unit.fill(0);
          unit[k] = 1;
          maths.diffusion(full, m, lower, unit, 1, gk);
          let size = 0;
          for (let i = 0; i < mm; i++) size = Math.max(size, Math.abs(gk[i]));
          if (!(size > 0)) continue;
          const eps = (CORRECTION_STEP * scale) / size;
          for (const [sign, into] of [
            [1, out1],
            [-1, out2],
          ] as const) {
            for (let i = 0; i < mm; i++) shifted[i] = full[i] + sign * eps * gk[i];
            choleskyPsd(shifted, m, lshift, 1e-12, true);
            maths.diffusion(shifted, m, lshift, unit, 1, into);
          }
          for (let i = 0; i < mm; i++) acc[i] += (out1[i] - out2[i]) / (4 * eps);
        }
        scatter(acc, out, j);
      }
    },
    settle(x, previous, t, book) {
      for (let j = 0; j < B; j++) if (book.alive[j]) settleLane(x, previous, j, t, book);
    },
  };
}
