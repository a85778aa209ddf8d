// The solvers, as values. `SOLVERS` is the one table the API, the CLI's --solver and the worker
// threads use to name and rebuild them.
import { requireChoice } from '../../src/errors.js';
import { EulerMaruyama, eulerMaruyama } from './eulerMaruyama.js';
import { NinomiyaVictoir, ninomiyaVictoir } from './ninomiyaVictoir.js';
import type { Solver, SolverName } from './solver.js';

export type { Solver, SolverName, SolverState } from './solver.js';
export { EulerMaruyama, eulerMaruyama, NinomiyaVictoir, ninomiyaVictoir };

/** Every solver by name; the first is the default. */
export const SOLVERS: Readonly<Record<SolverName, () => Solver>> = {
  'euler-maruyama': eulerMaruyama,
  'ninomiya-victoir': ninomiyaVictoir,
};
/** The names `solverFromName` accepts, as listed by `--solver` in the CLI. */
export const SOLVER_NAMES = Object.keys(SOLVERS) as SolverName[];

/** The solver value for a name in SOLVER_NAMES (for configs and the CLI); errors name `field`. */
export function solverFromName(name: unknown, field = 'solver'): Solver {
  return SOLVERS[requireChoice(field, name, SOLVER_NAMES)]();
}
