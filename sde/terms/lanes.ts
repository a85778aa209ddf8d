// The lane plumbing of a matrix term over packed symmetric m x m states (structure of arrays: entry p of
// lane j at x[p * lanes + j], p = a(a+1)/2 + b for b <= a) and the package's one explosion/domain settle
// policy, shared by the covariance term (sde/terms/covariance.ts) and every architecture's matrix term.
import { choleskyPsd, projectPsdInPlace } from '../../src/linalg.js';
import type { LaneBook } from '../term.js';

/** Packed lower-triangle index of (a, b), b <= a. */
export const packed = (a: number, b: number) => (a * (a + 1)) / 2 + b;

/** Settle one lane after a step: `previous` is laid out like x. */
export type SettleLane = (x: Float64Array, previous: Float64Array, j: number, t: number, book: LaneBook) => void;

/** One block of lanes of packed symmetric m x m matrices. Holds no scratch: callers pass their buffers. */
export interface PackedLanes {
  readonly m: number;
  readonly lanes: number;
  /** Packed entries per lane, m(m+1)/2. */
  readonly entries: number;
  /** Lane j of x into the full m x m `into`. */
  gather(x: Float64Array, j: number, into: Float64Array): void;
  /** The lower triangle of the full m x m `src` into lane j of x. */
  scatter(src: Float64Array, x: Float64Array, j: number): void;
  /** Every lane of x set to the flat m x m v0. */
  fill(x: Float64Array, v0: Float64Array): void;
  /** Lane j of x as a flat m x m matrix at out[offset..]. */
  write(x: Float64Array, j: number, out: Float64Array, offset: number): void;
  /** Lane j of out set to zero (a dead lane's drift, diffusion and correction). */
  clear(out: Float64Array, j: number): void;
  /** Whether lane j's V is in the cone: a non-negative diagonal and a Cholesky factor (into `lower`);
   *  `full` is m x m scratch that receives V. */
  inCone(x: Float64Array, j: number, full: Float64Array, lower: Float64Array): boolean;
  /** Lane j's V into `full` and the Cholesky factor of its PSD part into `lower` (pivots below rounding
   *  taken as zero): the factor a diffusion or correction uses at a state it is given. */
  factorPsd(x: Float64Array, j: number, full: Float64Array, lower: Float64Array): void;
}

export function packedLanes(m: number, lanes: number): PackedLanes {
  const B = lanes;
  const E = (m * (m + 1)) / 2;
  const gather = (x: Float64Array, j: number, into: Float64Array) => {
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        const v = x[packed(a, b) * B + j];
        into[a * m + b] = v;
        into[b * m + a] = v;
      }
    }
  };
  return {
    m,
    lanes,
    entries: E,
    gather,
    scatter(src, x, j) {
      for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) x[packed(a, b) * B + j] = src[a * m + b];
    },
    fill(x, v0) {
      for (let a = 0; a < m; a++)
        for (let b = 0; b <= a; b++) x.fill(v0[a * m + b], packed(a, b) * B, (packed(a, b) + 1) * B);
    },
    write(x, j, out, offset) {
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          const v = x[packed(a, b) * B + j];
          out[offset + a * m + b] = v;
          out[offset + b * m + a] = v;
        }
      }
    },
    clear(out, j) {
      for (let p = 0; p < E; p++) out[p * B + j] = 0;
    },
    inCone(x, j, full, lower) {
      gather(x, j, full);
      for (let a = 0; a < m; a++) if (!(full[a * m + a] >= 0)) return false;
      return choleskyPsd(full, m, lower) < 0;
    },
    factorPsd(x, j, full, lower) {
      gather(x, j, full);
      choleskyPsd(full, m, lower, 1e-12, true);
    },
  };
}

/**
 * The one explosion/domain policy, for lane j: non-finite or over the threshold -> explode (frozen at
 * `previous` where non-finite: the last finite state is kept, never NaN or Infinity); outside the cone
 * (`factor` false) -> projected back onto it, repair counted, and `factor` run again on the repaired
 * state (a term refreshes its Cholesky cache there). `factor` is the term's own cone check.
 */
export function laneSettler(
  lanes: PackedLanes,
  threshold: number,
  factor: (x: Float64Array, j: number) => boolean,
): SettleLane {
  const { m, lanes: B, entries: E } = lanes;
  const full = new Float64Array(m * m);
  const eig = new Float64Array(3 * m * m + m);
  return (x, previous, j, t, book) => {
    let check = 0;
    let maxDiag = 0;
    for (let p = 0; p < E; p++) check += x[p * B + j];
    for (let a = 0; a < m; a++) {
      const v = x[packed(a, a) * B + j];
      if (v > maxDiag) maxDiag = v;
    }
    if (!(check - check === 0) || maxDiag > threshold) {
      if (!(check - check === 0)) for (let p = 0; p < E; p++) x[p * B + j] = previous[p * B + j];
      book.explode(j, t);
    } else if (!factor(x, j)) {
      lanes.gather(x, j, full);
      const worst = projectPsdInPlace(full, m, eig);
      lanes.scatter(full, x, j);
      factor(x, j);
      book.repair(j, worst);
    }
  };
}
