// Strang splitting of the drift's flow D with a Ninomiya-Victoir step N of the noise (Ninomiya &
// Victoir 2008): D_{h/2} N_h D_{h/2}, with N the composition of the noise directions' exact flows in a
// coin-chosen order (ascending or descending). Weak order 2. The term supplies the flows (each maps its
// domain into itself, so no step is ever repaired; explosion happens inside the drift's flow, at its
// exact time); the order and the composition are this solver's. A term may offer a fused step
// (sde/solvers/ninomiyaVictoir.m2.ts), bit-identical to the composition here.
import { siblingModule } from '../../src/blocks.js';
import { InputError } from '../../src/errors.js';
import type { ModuleRef } from '../../src/modules.js';
import { LaneBook, type FusedSplitStep, type Term, type TermFlows } from '../term.js';
import { ninomiyaVictoirM2 } from './ninomiyaVictoir.m2.js';
import { ninomiyaVictoirM2Wasm } from './ninomiyaVictoir.m2.wasm.js';
import { ninomiyaVictoirMk } from './ninomiyaVictoir.mk.js';
import type { Solver, SolverState } from './solver.js';

interface SplitState extends SolverState {
  /** Whether x still owes the second half of the last step's drift flow. */
  pending: boolean;
  readonly scratchBook: LaneBook;
  readonly fused: FusedSplitStep | null;
}

function flowsOf(term: Term): TermFlows {
  if (!term.flows)
    throw new InputError('solver', 'ninomiya-victoir', 'needs a term with exact sub-flows (this SDE has none)');
  return term.flows;
}

/** The noise step N_h: every alive lane through the directions' flows, ascending when its coin is 1 (or
 *  there is no coin), descending otherwise. */
function noiseStep(
  flows: TermFlows,
  x: Float64Array,
  g: Float64Array,
  coins: Int32Array | null,
  h: number,
  t: number,
  book: LaneBook,
): void {
  const { noise, directions: K } = flows;
  if (K === 1 && flows.noiseBlock) return flows.noiseBlock(x, g, h, t, book);
  const B = book.lanes;
  const alive = book.alive;
  for (let j = 0; j < B; j++) {
    if (!alive[j]) continue;
    noise.open(x, j, h);
    if (coins === null || (coins[j >> 5] >>> (j & 31)) & 1)
      for (let k = 0; k < K; k++) noise.direction(k, g[k * B + j], h);
    else for (let k = K - 1; k >= 0; k--) noise.direction(k, g[k * B + j], h);
    noise.close(x, j, h, t, book);
  }
}

export class NinomiyaVictoir implements Solver<SplitState> {
  cannot(term: Term): string | null {
    return term.flows ? null : 'it composes exact sub-flows of the noise directions, and this SDE has none';
  }

  readonly name = 'ninomiya-victoir';
  readonly weakOrder = 2;
  readonly strongOrder = 0.5;
  readonly description =
    'Strang splitting of the drift flow with a Ninomiya-Victoir noise step (weak order 2; stays in the PSD cone, never repairs)';
  readonly ref: ModuleRef = {
    module: siblingModule(import.meta.url, 'ninomiyaVictoir'),
    name: 'ninomiyaVictoir',
    args: [],
  };

  // One fused step per term (built once, reused by every block of lanes the term serves).
  private readonly fusedSteps = new WeakMap<Term, FusedSplitStep | null>();

  needsCoins(term: Term): boolean {
    return flowsOf(term).directions > 1;
  }

  /** The term's own fused step, else this solver's from the term's m = 2 capability (the WebAssembly twin
   *  where the kernels in use are wasm and the drift has the ReLU-like pair flow: the same bits), else null. */
  fusedStep(term: Term): FusedSplitStep | null {
    let step = this.fusedSteps.get(term);
    if (step === undefined) {
      step =
        term.fused?.['ninomiya-victoir'] ??
        (term.m2
          ? (ninomiyaVictoirM2Wasm(term.m2) ?? ninomiyaVictoirM2(term.m2))
          : term.mk
            ? ninomiyaVictoirMk(term.mk)
            : null);
      this.fusedSteps.set(term, step);
    }
    return step;
  }

  init(term: Term, book: LaneBook): SplitState {
    const size = term.dimension * book.lanes;
    const x = term.allocateState?.(size) ?? new Float64Array(size);
    term.initialise(x);
    return { x, pending: false, scratchBook: new LaneBook(book.lanes), fused: this.fusedStep(term) };
  }

  step(
    term: Term,
    s: SplitState,
    g: Float64Array,
    coins: Int32Array | null,
    t: number,
    h: number,
    book: LaneBook,
  ): void {
    // The owed half of the last step and the first half of this one merge into one flow over h, so the
    // path (and its cost) does not depend on where results are saved.
    const tau = s.pending ? h : h / 2;
    const t0 = s.pending ? t - h / 2 : t;
    s.pending = true;
    if (s.fused) return s.fused(s.x, tau, t0, g, coins, h, t + h / 2, book);
    const flows = flowsOf(term);
    flows.drift(s.x, tau, t0, book);
    noiseStep(flows, s.x, g, coins, h, t + h / 2, book);
  }

  observe(term: Term, s: SplitState, out: Float64Array, t: number, h: number, book: LaneBook): void {
    out.set(s.x);
    if (!s.pending) return;
    // The owed half flow on a copy; what it would record is the running path's business, not the save's.
    s.scratchBook.reset();
    s.scratchBook.alive.set(book.alive);
    flowsOf(term).drift(out, h / 2, t - h / 2, s.scratchBook);
  }

  finish(term: Term, s: SplitState, t: number, h: number, book: LaneBook): void {
    if (s.pending) flowsOf(term).drift(s.x, h / 2, t - h / 2, book);
    s.pending = false;
  }
}

/**
 * The splitting solver: weak order 2, V stays in the PSD cone without repairs, explosions at their exact
 * time (docs/maths.md, sections 6.2 and 7).
 * @example
 * const sol = solveSync({ sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: ninomiyaVictoir(),
 *   T: 1, v0: [[1, 0.5], [0.5, 1]], stepping: constantSteps(16), paths: 10_000, seed: 1 });
 */
export function ninomiyaVictoir(): NinomiyaVictoir {
  return new NinomiyaVictoir();
}
