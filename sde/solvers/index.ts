// The solvers, as values. `SOLVERS` is the one table the API, the CLI's --solver (names and help) and
// configs use to name and build them; worker threads rebuild a solver from its own `ref`, so a solver
// written outside this table runs too (on one thread without a ref).
import { InputError, requireChoice } from '../../src/errors.js';
import type { MatrixInput } from '../../src/linalg.js';
import type { Sde } from '../sde.js';
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

/** `auto`: the first solver of SOLVER_PREFERENCE that can integrate the SDE at hand. */
export const AUTO_SOLVER = 'auto';
/** The order `auto` tries: the weak-order-2 splitting scheme where the SDE has exact sub-flows. */
export const SOLVER_PREFERENCE: readonly string[] = ['ninomiya-victoir', 'euler-maruyama'];

/** The solver a run uses for an SDE: `auto` picks by capability (with a note saying why when it passes
 *  over the first choice); a named solver that cannot integrate the SDE is refused in one line that
 *  names the one that can. */
export function solverForSde(
  name: unknown,
  sde: Sde,
  v0: MatrixInput | number,
  field = 'solver',
): { readonly solver: Solver; readonly name: string; readonly note: string | null } {
  const choice = requireChoice(field, name, [AUTO_SOLVER, ...SOLVER_NAMES]);
  const initial = sde.checkInitial(v0, 'v0');
  const term = sde.term(1, initial.v0, initial.m, Infinity);
  const why = (n: string) => SOLVERS[n]().cannot?.(term) ?? null;
  if (choice !== AUTO_SOLVER) {
    const reason = why(choice);
    if (reason === null) return { solver: SOLVERS[choice](), name: choice, note: null };
    const other = SOLVER_PREFERENCE.find((n) => why(n) === null);
    throw new InputError(
      field,
      choice,
      `cannot integrate ${sde.description}: ${reason}${other ? `; use ${other} (or auto)` : ''}`,
    );
  }
  const passed: string[] = [];
  for (const n of SOLVER_PREFERENCE) {
    const reason = why(n);
    if (reason === null)
      return {
        solver: SOLVERS[n](),
        name: n,
        note: passed.length ? `solver auto: ${n}, because ${passed.join('; ')}` : null,
      };
    passed.push(`${n} cannot integrate ${sde.description} (${reason})`);
  }
  throw new InputError(field, choice, `finds no solver for ${sde.description}: ${passed.join('; ')}`);
}

/** One line per solver for --help, from each value's description. */
export function solverHelp(): string {
  return SOLVER_NAMES.map((name) => `${name}: ${SOLVERS[name]().description}`).join('; ');
}
