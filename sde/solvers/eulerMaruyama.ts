// Euler-Maruyama on the SDE as written (Ito form): x <- x + b(x) h + G(x) sqrt(h) g. Weak order 1,
// strong order 1/2. On the matrix SDE a step can leave the PSD cone; the term's settle projects it back
// and the repair is counted per path, so trouble is visible rather than hidden. A term may offer a fused
// step for this solver (sde/solvers/eulerMaruyama.m2.ts), bit-identical to the composition here.
import { siblingModule } from '../../src/blocks.js';
import type { ModuleRef } from '../../src/modules.js';
import type { FusedEulerStep, LaneBook, Term } from '../term.js';
import { eulerMaruyamaM2 } from './eulerMaruyama.m2.js';
import { eulerMaruyamaM2Wasm } from './eulerMaruyama.m2.wasm.js';
import type { Solver, SolverState } from './solver.js';

interface EulerState extends SolverState {
  readonly previous: Float64Array;
  readonly drift: Float64Array;
  readonly noise: Float64Array;
  readonly fused: FusedEulerStep | null;
}

/**
 * Euler-Maruyama on the Ito form: weak order 1, strong order 1/2. A step that leaves the PSD cone is
 * projected back (negative eigenvalues set to zero) and the path is counted as repaired.
 */
export class EulerMaruyama implements Solver<EulerState> {
  readonly name = 'euler-maruyama';
  readonly weakOrder = 1;
  readonly strongOrder = 0.5;
  readonly description =
    'Euler-Maruyama on the matrix (weak order 1; steps that leave the PSD cone are projected back and counted)';
  readonly ref: ModuleRef = {
    module: siblingModule(import.meta.url, 'eulerMaruyama'),
    name: 'eulerMaruyama',
    args: [],
  };

  // One fused step per term (built once, reused by every block of lanes the term serves).
  private readonly fusedSteps = new WeakMap<Term, FusedEulerStep | null>();

  needsCoins(): boolean {
    return false;
  }

  /** The term's own fused step, else this solver's from the term's m = 2 capability (the WebAssembly twin
   *  where the kernels in use are wasm and the drift is ReLU-like: the same bits), else null. */
  fusedStep(term: Term): FusedEulerStep | null {
    let step = this.fusedSteps.get(term);
    if (step === undefined) {
      step =
        term.fused?.['euler-maruyama'] ??
        (term.m2 ? (eulerMaruyamaM2Wasm(term.m2) ?? eulerMaruyamaM2(term.m2)) : (term.mk?.eulerStep ?? null));
      this.fusedSteps.set(term, step);
    }
    return step;
  }

  init(term: Term, book: LaneBook): EulerState {
    const size = term.dimension * book.lanes;
    const x = term.allocateState?.(size) ?? new Float64Array(size);
    term.initialise(x);
    return {
      x,
      previous: new Float64Array(size),
      drift: new Float64Array(size),
      noise: new Float64Array(size),
      fused: this.fusedStep(term),
    };
  }

  step(
    term: Term,
    s: EulerState,
    g: Float64Array,
    _coins: Int32Array | null,
    t: number,
    h: number,
    book: LaneBook,
  ): void {
    const { x, drift, noise } = s;
    if (s.fused) return s.fused(x, g, h, t + h, book);
    // Both increments from the state at t; frozen lanes get zero increments from the term.
    term.drift(x, drift, book);
    term.diffusion(x, g, h, noise, book);
    s.previous.set(x);
    for (let i = 0; i < x.length; i++) x[i] += h * drift[i] + noise[i];
    term.settle(x, s.previous, t + h, book);
  }

  observe(_term: Term, s: EulerState, out: Float64Array): void {
    out.set(s.x);
  }

  finish(): void {}
}

/**
 * The Euler-Maruyama solver (the default of `solve`).
 * @example
 * const sol = solveSync({ sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: eulerMaruyama(),
 *   T: 1, v0: [[1, 0.5], [0.5, 1]], stepping: constantSteps(100), paths: 10_000, seed: 1 });
 */
export function eulerMaruyama(): EulerMaruyama {
  return new EulerMaruyama();
}
