// The solver contract: a value that declares its orders and owns its scheme over a block of lanes. The
// integration loop calls init, step, observe and finish and knows nothing about any particular solver;
// a solver in turn uses only the maths a term exposes (sde/term.ts). A user's own class implementing
// Solver runs through solve on one thread; with a `ref` (a module and export that rebuild it) on many.
import type { ModuleRef } from '../../src/modules.js';
import type { LaneBook, Term } from '../term.js';

/** A solver's per-block state; `x` is the term's state (structure of arrays). */
export interface SolverState {
  readonly x: Float64Array;
}

/**
 * A solver is a value that owns its step: it declares its orders and advances a block of lanes of any
 * term. The integration loop calls only these methods, so a new scheme is one new file.
 */
export interface Solver<S extends SolverState = SolverState> {
  /** Name in reports and settings (and the key of SOLVERS for the package's own). */
  readonly name: string;
  /** Order of the error of E f(X_T) in the step h. */
  readonly weakOrder: number;
  /** Order of the pathwise error E |X_T - X^h_T| in h. */
  readonly strongOrder: number;
  /** One line for --help and reports. */
  readonly description: string;
  /** Rebuilds this solver in a worker thread; absent or null: one thread only. */
  readonly ref?: ModuleRef | null;
  /** Why this solver cannot integrate a term (a scheme that needs exact sub-flows, say), or null when it
   *  can; absent: it integrates every term. Read before a run, so a choice that cannot work is refused. */
  cannot?(term: Term): string | null;
  /** Whether a step draws one fair coin per lane. */
  needsCoins(term: Term): boolean;
  /** State for one block, every lane at the initial value. */
  init(term: Term, book: LaneBook): S;
  /** Advance every alive lane from t to t + h; g holds the step's standard normals (term.noise per lane). */
  step(term: Term, state: S, g: Float64Array, coins: Int32Array | null, t: number, h: number, book: LaneBook): void;
  /** The state at the current grid time (t), into out, without changing the run. */
  observe(term: Term, state: S, out: Float64Array, t: number, h: number, book: LaneBook): void;
  /** Bring the state to the final time t after the last step. */
  finish(term: Term, state: S, t: number, h: number, book: LaneBook): void;
}
