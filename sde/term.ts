// What a solver sees of an SDE: a term over a block of lanes stored as structure of arrays (component e
// of lane j at x[e * lanes + j]) that exposes the maths (drift, diffusion, correction, exact sub-flows,
// the one explosion/domain policy), plus the per-lane bookkeeping every term and solver writes alike.
// Schemes live in the solvers (sde/solvers/), never here.
import { PATH_EXPLODED, PATH_FINISHED, PATH_REPAIRED } from '../src/results.js';

/** Per-lane status of one block; a lane that explodes is frozen at its state at detection. */
export class LaneBook {
  readonly alive: Uint8Array;
  readonly status: Uint8Array;
  readonly explosionTime: Float64Array;
  readonly repairs: Uint32Array;
  readonly worstRepair: Float64Array;

  constructor(readonly lanes: number) {
    this.alive = new Uint8Array(lanes).fill(1);
    this.status = new Uint8Array(lanes);
    this.explosionTime = new Float64Array(lanes).fill(-1);
    this.repairs = new Uint32Array(lanes);
    this.worstRepair = new Float64Array(lanes);
  }

  /** Restart every lane (the book is reused from block to block). */
  reset(): void {
    this.alive.fill(1);
    this.status.fill(PATH_FINISHED);
    this.explosionTime.fill(-1);
    this.repairs.fill(0);
    this.worstRepair.fill(0);
  }

  explode(lane: number, t: number): void {
    this.alive[lane] = 0;
    this.status[lane] = PATH_EXPLODED;
    this.explosionTime[lane] = t;
  }

  /** A step left the domain and was projected back; `worst` is the (negative) amount removed. */
  repair(lane: number, worst: number): void {
    this.repairs[lane]++;
    if (worst < this.worstRepair[lane]) this.worstRepair[lane] = worst;
    if (this.status[lane] === PATH_FINISHED) this.status[lane] = PATH_REPAIRED;
  }
}

/** Time changes of a term: the drift runs on clock driftClock, the noise on clock noiseClock (both 1:
 *  the MLP). The resnet's limit is the MLP's with driftClock gamma^2, noiseClock gamma^2 (2 - gamma^2). */
export interface Clocks {
  readonly driftClock: number;
  readonly noiseClock: number;
}

/** The MLP's clocks. */
export const UNIT_CLOCKS: Clocks = { driftClock: 1, noiseClock: 1 };

/**
 * The noise directions' exact flows for a splitting solver, lane by lane: `open` loads lane j (and applies
 * whatever part of the noise's own Ito correction the term puts first), `direction` applies direction k's
 * flow for the increment sqrt(h) z, `close` applies the rest, stores lane j and records a threshold
 * crossing at t. The order of the directions (coins) is the solver's, not the term's.
 */
export interface NoiseFlows {
  open(x: Float64Array, lane: number, h: number): void;
  direction(k: number, z: number, h: number): void;
  close(x: Float64Array, lane: number, h: number, t: number, book: LaneBook): void;
}

/** Optional exact (or second-order) sub-flows for splitting; each maps the term's domain into itself. */
export interface TermFlows {
  /** Number of noise directions (a splitting solver draws an order coin per lane when > 1). */
  readonly directions: number;
  /** Advance every alive lane by the drift part's flow over tau from time t; a blow-up inside the flow or
   *  a threshold crossing is recorded in `book` at its time. */
  drift(x: Float64Array, tau: number, t: number, book: LaneBook): void;
  /** The noise part's flows (the noise SDE in Ito form = its Stratonovich flows with the correction). */
  readonly noise: NoiseFlows;
  /** Optional, for a term with one noise direction (no order to choose): the noise flows of every alive
   *  lane in one pass, bit for bit open/direction/close lane by lane (tested); measured faster. */
  readonly noiseBlock?: (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => void;
}

/** A fused Euler-Maruyama step: drift, diffusion, update and settle of every lane in one pass. */
export type FusedEulerStep = (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => void;
/** A fused splitting step: drift flow over tau from t0, then the noise flows over h ending near t1. */
export type FusedSplitStep = (
  x: Float64Array,
  tau: number,
  t0: number,
  g: Float64Array,
  coins: Int32Array | null,
  h: number,
  t1: number,
  book: LaneBook,
) => void;

/**
 * Optional specialisations of a solver's step for one term, keyed by solver name. Each lives beside its
 * solver (sde/solvers/<solver>.m2.ts) and must give the solver's generic step bit for bit (tested).
 */
export interface FusedSteps {
  readonly 'euler-maruyama'?: FusedEulerStep;
  readonly 'ninomiya-victoir'?: FusedSplitStep;
}

/** What the m >= 3 covariance term offers the solvers for their block-at-a-time steps. */
export interface CovarianceMkSteps {
  readonly driftFlow: (x: Float64Array, tau: number, t: number, book: LaneBook) => void;
  readonly noiseStep: (
    x: Float64Array,
    g: Float64Array,
    coins: Int32Array | null,
    h: number,
    t: number,
    book: LaneBook,
  ) => void;
  readonly eulerStep: FusedEulerStep | null;
  /** Optional: the drift flow over tau and the noise step in one pass over the block (the bits of
   *  driftFlow then noiseStep); false where it does not apply, and the two run one after the other. */
  readonly splitStep?: (
    x: Float64Array,
    tau: number,
    g: Float64Array,
    coins: Int32Array | null,
    h: number,
    t: number,
    book: LaneBook,
  ) => boolean;
}

/** What the m = 2 fused steps share with the 2 x 2 covariance term: its maths, its cache and its settle policy. */
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
  noiseConstants(h: number): {
    readonly e0: number;
    readonly e1: number;
    readonly rootHalfH: number;
    readonly rootH: number;
  };
}

/** A term over one block of lanes: the maths of dX = b(X) dt + G(X) dB; the schemes are the solvers'. */
export interface Term {
  /** Components of the state per lane. */
  readonly dimension: number;
  /** Standard normals per step per lane. */
  readonly noise: number;
  /** Entries of one saved value (m*m for a matrix term, 1 for a scalar one). */
  readonly outputSize: number;
  /** Write the initial state of every lane into x. */
  initialise(x: Float64Array): void;
  /** Optional: the array (dimension * lanes entries) a solver keeps the state of its block in, where the
   *  term's steps run fastest on it (the m >= 3 covariance term's, in WebAssembly memory); absent: a plain
   *  Float64Array. A term may hand out the same array every time: one live state per term. */
  allocateState?(length: number): Float64Array;
  /** Write lane j's value (m x m row-major, or the scalar) at out[offset...]. */
  write(x: Float64Array, lane: number, out: Float64Array, offset: number): void;
  /** Ito drift b(x) of every alive lane into out (0 for frozen lanes). */
  drift(x: Float64Array, out: Float64Array, book: LaneBook): void;
  /** G(x) sqrt(h) g of every alive lane into out; g holds `noise` standard normals per lane. */
  diffusion(x: Float64Array, g: Float64Array, h: number, out: Float64Array, book: LaneBook): void;
  /** The Ito-to-Stratonovich drift correction (1/2) sum_k (G_k . grad) G_k: Stratonovich drift = drift - correction. */
  correction(x: Float64Array, out: Float64Array, book: LaneBook): void;
  /** The one explosion/domain policy, after a step ending at t: non-finite or over the threshold ->
   *  explode, frozen at `previous` where non-finite; outside the domain -> projected back, repair counted.
   *  Keeps whatever the term caches for the next step (a matrix term's Cholesky factors). */
  settle(x: Float64Array, previous: Float64Array, t: number, book: LaneBook): void;
  /** Exact sub-flows for splitting solvers; absent when the term has none. */
  readonly flows?: TermFlows;
  /** Optional fused steps keyed by solver name. */
  readonly fused?: FusedSteps;
  /** Capability of the 2 x 2 covariance term: its maths, Cholesky cache and settle policy, from which a
   *  solver builds its own fused m = 2 step (sde/solvers/<solver>.m2.ts), bit-identical to its generic one. */
  readonly m2?: CovarianceM2;
  /** m >= 3: the tiled kernels' drift flow, noise step and (where fused) Euler-Maruyama step, from which
   *  the solvers build their steps (sde/solvers/ninomiyaVictoir.mk.ts); the same bits as the generic ones. */
  readonly mk?: CovarianceMkSteps;
}
