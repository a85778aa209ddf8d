// What a solver sees of an SDE: the term written in the two shapes the solvers need, over a block of
// lanes stored as structure of arrays (component e of lane j at x[e * lanes + j]), plus the per-lane
// bookkeeping (alive, explosion time, repairs) that every term and solver writes the same way.
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

/** The Ito form, for Euler-Maruyama: x' = x + b(x) h + G(x) sqrt(h) g. */
export interface ItoForm {
  /** Drift b(x) of every alive lane into out. */
  drift(x: Float64Array, out: Float64Array, book: LaneBook): void;
  /** G(x) sqrt(h) g of every alive lane into out; g holds `noise` standard normals per lane. */
  diffusion(x: Float64Array, g: Float64Array, h: number, out: Float64Array, book: LaneBook): void;
  /** After a step ending at t: explosion (non-finite or over the threshold) and, where the step left the
   *  term's domain (PSD cone, [-1, 1], [0, inf)), projection back with the repair counted. */
  settle(x: Float64Array, previous: Float64Array, t: number, book: LaneBook): void;
  /**
   * Optional: the whole Euler-Maruyama step (drift, diffusion, update, settle) in one pass over the
   * lanes, for speed. It must give the composed step's results bit for bit (the tests hold it to that).
   */
  readonly fusedStep?: (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => void;
}

/** The split form, for Ninomiya-Victoir: the drift's flow and the noise's flows, each exact or
 *  second-order accurate, every one mapping the domain into itself. */
export interface SplitForm {
  /** Whether the noise flows need an order coin per step (more than one noise direction). */
  readonly needsCoins: boolean;
  /** Advance every alive lane by the drift's flow over tau, starting at time t; blow-up inside the flow
   *  and threshold crossings are recorded in `book` with their time. */
  driftFlow(x: Float64Array, tau: number, t: number, book: LaneBook): void;
  /** One Ninomiya-Victoir step of the noise (Stratonovich form, Ito correction included) over h, ending
   *  near time t, where a lane now over the threshold is recorded. Bit j of coins[j >> 5] chooses the
   *  order of lane j's flows. */
  noiseFlow(x: Float64Array, g: Float64Array, coins: Int32Array | null, h: number, t: number, book: LaneBook): void;
  /**
   * Optional: driftFlow(x, tau, t0) followed by noiseFlow(x, g, coins, h, t1) in one pass over the lanes,
   * for speed; bit for bit the composed result (the tests hold it to that).
   */
  readonly fusedStep?: (x: Float64Array, tau: number, t0: number, g: Float64Array, coins: Int32Array | null, h: number, t1: number, book: LaneBook) => void;
}

/** A term as the kernel builds it for one block size: both forms, its state and its output. */
export interface BlockTerm {
  /** Components of the state per lane. */
  readonly dimension: number;
  /** Standard normals per step per lane. */
  readonly noise: number;
  readonly ito: ItoForm;
  readonly split: SplitForm;
  /** Write the initial state of every lane into x. */
  initialise(x: Float64Array): void;
  /** Entries of one saved value (m*m for the covariance SDE, 1 for the scalar ones). */
  readonly outputSize: number;
  /** Write lane j's value (m x m row-major, or the scalar) at out[offset...]. */
  write(x: Float64Array, lane: number, out: Float64Array, offset: number): void;
}
