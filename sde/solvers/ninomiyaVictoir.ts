// Strang splitting of the drift's flow D with a Ninomiya-Victoir step N of the noise (Ninomiya &
// Victoir 2008): D_{h/2} N_h D_{h/2}, with N the composition of the noise's exact flows in a coin-chosen
// order. Weak order 2. Every sub-flow maps the PSD cone (or [-1, 1], or [0, inf)) into itself, so no
// step is ever repaired; explosion happens inside the drift's flow, at its exact time.
import { LaneBook } from '../forms.js';
import type { BlockTerm } from '../forms.js';
import type { Solver, SolverState } from './solver.js';

interface SplitState extends SolverState {
  /** Whether x still owes the second half of the last step's drift flow. */
  pending: boolean;
  readonly scratch: Float64Array;
  readonly scratchBook: LaneBook;
}

export class NinomiyaVictoir implements Solver<SplitState> {
  readonly name = 'ninomiya-victoir' as const;
  readonly weakOrder = 2;
  readonly strongOrder = 0.5;
  readonly description = 'Strang splitting of the drift flow with a Ninomiya-Victoir noise step (weak order 2; stays in the PSD cone, never repairs)';

  needsCoins(term: BlockTerm): boolean {
    return term.split.needsCoins;
  }

  init(term: BlockTerm, book: LaneBook): SplitState {
    const size = term.dimension * book.lanes;
    const x = new Float64Array(size);
    term.initialise(x);
    return { x, pending: false, scratch: new Float64Array(size), scratchBook: new LaneBook(book.lanes) };
  }

  step(term: BlockTerm, s: SplitState, g: Float64Array, coins: Int32Array | null, t: number, h: number, book: LaneBook): void {
    // The owed half of the last step and the first half of this one merge into one flow over h, so the
    // path (and its cost) does not depend on where results are saved.
    const tau = s.pending ? h : h / 2;
    const t0 = s.pending ? t - h / 2 : t;
    s.pending = true;
    if (term.split.fusedStep) return term.split.fusedStep(s.x, tau, t0, g, coins, h, t + h / 2, book);
    term.split.driftFlow(s.x, tau, t0, book);
    term.split.noiseFlow(s.x, g, coins, h, t + h / 2, book);
  }

  observe(term: BlockTerm, s: SplitState, out: Float64Array, t: number, h: number, book: LaneBook): void {
    out.set(s.x);
    if (!s.pending) return;
    // The owed half flow on a copy; what it would record is the running path's business, not the save's.
    s.scratchBook.reset();
    s.scratchBook.alive.set(book.alive);
    term.split.driftFlow(out, h / 2, t - h / 2, s.scratchBook);
  }

  finish(term: BlockTerm, s: SplitState, t: number, h: number, book: LaneBook): void {
    if (s.pending) term.split.driftFlow(s.x, h / 2, t - h / 2, book);
    s.pending = false;
  }
}

/**
 * The splitting solver: weak order 2, V stays in the PSD cone without repairs, explosions at their exact
 * time (docs/maths.md, sections 6.2 and 7).
 * @example
 * const sol = solveSync({ sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: ninomiyaVictoir(),
 *   t1: 1, v0: [[1, 0.5], [0.5, 1]], stepping: constantSteps(16), paths: 10_000, seed: 1 });
 */
export function ninomiyaVictoir(): NinomiyaVictoir {
  return new NinomiyaVictoir();
}
