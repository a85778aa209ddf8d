// Euler-Maruyama on the SDE as written (Ito form): x <- x + b(x) h + G(x) sqrt(h) g. Weak order 1,
// strong order 1/2. On the matrix SDE a step can leave the PSD cone; the term projects it back and
// the repair is counted per path, so trouble is visible rather than hidden.
import type { BlockTerm, LaneBook } from '../forms.js';
import type { Solver, SolverState } from './solver.js';

interface EulerState extends SolverState {
  readonly previous: Float64Array;
  readonly drift: Float64Array;
  readonly noise: Float64Array;
}

/**
 * Euler-Maruyama on the Ito form: weak order 1, strong order 1/2. A step that leaves the PSD cone is
 * projected back (negative eigenvalues set to zero) and the path is counted as repaired.
 */
export class EulerMaruyama implements Solver<EulerState> {
  readonly name = 'euler-maruyama' as const;
  readonly weakOrder = 1;
  readonly strongOrder = 0.5;
  readonly description = 'Euler-Maruyama on the matrix (weak order 1; steps that leave the PSD cone are projected back and counted)';

  needsCoins(): boolean {
    return false;
  }

  init(term: BlockTerm, book: LaneBook): EulerState {
    const size = term.dimension * book.lanes;
    const x = new Float64Array(size);
    term.initialise(x);
    return { x, previous: new Float64Array(size), drift: new Float64Array(size), noise: new Float64Array(size) };
  }

  step(term: BlockTerm, s: EulerState, g: Float64Array, _coins: Int32Array | null, t: number, h: number, book: LaneBook): void {
    const { x, drift, noise } = s;
    if (term.ito.fusedStep) return term.ito.fusedStep(x, g, h, t + h, book);
    // Both increments from the state at t; frozen lanes get zero increments from the term.
    term.ito.drift(x, drift, book);
    term.ito.diffusion(x, g, h, noise, book);
    s.previous.set(x);
    for (let i = 0; i < x.length; i++) x[i] += h * drift[i] + noise[i];
    term.ito.settle(x, s.previous, t + h, book);
  }

  observe(_term: BlockTerm, s: EulerState, out: Float64Array): void {
    out.set(s.x);
  }

  finish(): void {}
}

/**
 * The Euler-Maruyama solver (the default of `solve`).
 * @example
 * const sol = solveSync({ sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: eulerMaruyama(),
 *   t1: 1, v0: [[1, 0.5], [0.5, 1]], stepping: constantSteps(100), paths: 10_000, seed: 1 });
 */
export function eulerMaruyama(): EulerMaruyama {
  return new EulerMaruyama();
}
