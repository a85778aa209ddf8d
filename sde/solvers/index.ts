// The solvers, as values. `SOLVERS` is the one table the API, the CLI's --solver (names and help) and
// configs use to name and build them; worker threads rebuild a solver from its own `ref`, so a solver
// written outside this table runs too (on one thread without a ref).
import { requireChoice } from '../../src/errors.js';
import { EulerMaruyama, eulerMaruyama } from './eulerMaruyama.js';
import { NinomiyaVictoir, ninomiyaVictoir } from './ninomiyaVictoir.js';
import type { Solver } from './solver.js';

export type { Solver, SolverState } from './solver.js';
export { EulerMaruyama, eulerMaruyama, NinomiyaVictoir, ninomiyaVictoir };

/** Every solver of the package by name; the first is the default of `solve`. */
export const SOLVERS: Readonly<Record<string, () => Solver>> = {
  'euler-maruyama': eulerMaruyama,
  'ninomiya-victoir': ninomiyaVictoir,
};
/** The names of SOLVERS (the CLI's --solver choices). */
export const SOLVER_NAMES: readonly string[] = Object.keys(SOLVERS);
/** A solver's name (any string: a user's solver names itself). */
export type SolverName = string;

/** The solver value for a name in SOLVER_NAMES (for configs and the CLI); errors name `field`. */
export function solverFromName(name: unknown, field = 'solver'): Solver {
  return SOLVERS[requireChoice(field, name, SOLVER_NAMES)]();
}

/** One line per solver for --help, from each value's description. */
export function solverHelp(): string {
  return SOLVER_NAMES.map((name) => `${name}: ${SOLVERS[name]().description}`).join('; ');
}
