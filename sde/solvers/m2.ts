// What the fused m = 2 steps beside the solvers (eulerMaruyama.m2.ts, ninomiyaVictoir.m2.ts) share with
// the 2 x 2 covariance term (sde/terms/covariance.ts): its maths, its Cholesky cache and its one settle
// policy, so that the fused passes and the generic composition cannot drift apart.
import type { LaneBook } from '../term.js';

/** What the m = 2 fused steps share with the term: its maths, its cache and its settle policy. */
export interface CovarianceM2 {
  readonly lanes: number;
  readonly threshold: number;
  /** The term's clocks (docs/maths.md, section 11): beta and offDiagonal carry the drift clock already;
   *  the pair flow runs over driftClock tau and the noise over noiseClock h (noiseConstants applies it). */
  readonly driftClock: number;
  readonly noiseClock: number;
  readonly beta: number;
  readonly offDiagonal: (vaa: number, vbb: number, vab: number) => number;
  readonly pair: ((r: number, tau: number) => number) | null;
  /** The ReLU-like drift's constants (CovarianceDrift.reluLike), for the WebAssembly steps; null otherwise. */
  readonly reluLike: { readonly k: number; readonly kappa: number } | null;
  /** The term's drift flow (for the fused step where there is no pair flow). */
  driftFlow(x: Float64Array, tau: number, t: number, book: LaneBook): void;
  /** Cholesky factors (l00, l10, l11 per lane, structure of arrays) kept from each settle for the next step. */
  readonly chol: Float64Array;
  /** The one settle policy for lane j, `previous` laid out like x. */
  settleLane(x: Float64Array, previous: Float64Array, j: number, t: number, book: LaneBook): void;
  /** The noise flows' constants for a step of h on the noise clock (u = noiseClock h): exp(-u/4), exp(-u/2), sqrt(u/2), sqrt(u). */
  noiseConstants(h: number): { readonly e0: number; readonly e1: number; readonly rootHalfH: number; readonly rootH: number };
}

