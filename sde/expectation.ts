// Weak expectations E f(X_T) from a solve, with standard errors, and Talay-Tubaro extrapolation
// (2^p E_{2N} - E_N) / (2^p - 1), which cancels the leading h^p term of a solver's weak error, p its
// declared weak order (1 for Euler-Maruyama, 2 for the splitting scheme). Both solves share one Brownian
// path, so the combination is a per-path average with an honest CLT standard error. f sees each path's
// m x m matrix at each requested save.
import { InputError } from '../src/errors.js';
import { requireKnownKeys, withRenamedKeys } from '../src/apiOptions.js';
import { PATH_EXPLODED } from '../src/results.js';
import { meanCell, type EstimateCell, type MissingCell } from '../src/stats/cells.js';
import { brownianSampling, constantSteps, saveAt } from './controls.js';
import { solve, solveOptions, SOLVE_KEYS, type DeprecatedSolveOptions, type SolveOptions } from './solve.js';
import { eulerMaruyama } from './solvers/index.js';
import type { Solution } from './solution.js';
import { pow } from '../src/math/index.js';

/** One path's state at a save as f sees it: the m x m matrix (rows) for a covariance SDE, the number for a 1-D one. */
export type PathState = number[][] | number;

/** Where f is evaluated: the save's time and index, and whether the path exploded by the final time. */
export interface PathInfo {
  readonly t: number;
  readonly save: number;
  readonly exploded: boolean;
}

/** f of one path's state at one save; it must return a finite number. */
export type PathFunction = (state: PathState, info: PathInfo) => number;

/** E f at each requested save, in the one cell layout, with how the estimate was made. */
export interface WeakExpectation {
  /** 'plain' or 'talay-tubaro'. */
  readonly method: 'plain' | 'talay-tubaro';
  /** Steps of the solves that were combined. */
  readonly steps: readonly number[];
  /** Which paths the means average: 'all' (an exploded path counts with its state at detection) or
   *  'finished' (paths that did not explode by the final time, in every solve combined). */
  readonly over: 'all' | 'finished';
  /** Paths left out by `over`. */
  readonly leftOut: number;
  /** Save times, increasing. */
  readonly ts: readonly number[];
  /** E f(X_t) at each save: { estimate, se, lo, hi, n } (CLT), or why it is missing. */
  readonly saves: ReadonlyArray<EstimateCell | MissingCell>;
}

/** What weakExpectations adds to solve's options. */
export interface ExpectationOptions {
  /** Talay-Tubaro from N and 2N steps on one Brownian path (default false: one solve). */
  extrapolate?: boolean | undefined;
  /** 'all' (default) or 'finished': see WeakExpectation.over. */
  over?: 'all' | 'finished' | undefined;
}

/** The state of path p at save s as f sees it. */
function stateOf(sol: Solution, s: number, p: number): PathState {
  const data = sol.values.data;
  if (sol.shape !== 'matrix') return data[s * sol.paths + p];
  const m = sol.m;
  const at = (s * sol.paths + p) * m * m;
  return Array.from({ length: m }, (_, i) => Array.from(data.subarray(at + i * m, at + (i + 1) * m)));
}

/** Per-path values of f at save `save` of a solution (default the last). */
export function pathValues(sol: Solution, f: PathFunction, save = sol.ts.length - 1, name = 'f'): Float64Array {
  const out = new Float64Array(sol.paths);
  const t = sol.ts[save];
  for (let p = 0; p < sol.paths; p++) {
    const x = f(stateOf(sol, save, p), { t, save, exploded: sol.status[p] === PATH_EXPLODED });
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new InputError(
        `functions.${name}`,
        x,
        `must return a finite number (path ${p}, t = ${t}; it is given the m x m matrix as rows, or the number of a 1-D SDE)`,
      );
    }
    out[p] = x;
  }
  return out;
}

function keptPaths(sols: readonly Solution[], over: 'all' | 'finished'): number[] {
  const paths = sols[0].paths;
  const kept: number[] = [];
  for (let p = 0; p < paths; p++)
    if (over === 'all' || sols.every((sol) => sol.status[p] !== PATH_EXPLODED)) kept.push(p);
  return kept;
}

/**
 * E f(X_t) for each named f at each save of `saveAt` (default: the final time only), from one solve
 * (`extrapolate: false`) or by Talay-Tubaro from solves at N and 2N steps on a shared Brownian path
 * (`extrapolate: true`). f is given the path's m x m matrix (number[][]; a number for a 1-D SDE) and
 * where it is evaluated; every cell is { estimate, se, lo, hi, n } over the paths `over` names.
 * @example
 * const e = await weakExpectations({ ...options, stepping: constantSteps(4), extrapolate: true },
 *   { rho: (v) => v[0][1] / Math.sqrt(v[0][0] * v[1][1]) });
 * e.rho.saves.at(-1); // E rho_T
 */
export async function weakExpectations(
  given: (SolveOptions | DeprecatedSolveOptions) & ExpectationOptions,
  functions: Readonly<Record<string, PathFunction>>,
): Promise<Record<string, WeakExpectation>> {
  if (given == null || typeof given !== 'object') throw new InputError('options', given, 'must be an object');
  requireKnownKeys('weakExpectations', given, [...SOLVE_KEYS, 'extrapolate', 'over']);
  const {
    extrapolate,
    over: overGiven,
    ...rest
  } = withRenamedKeys('weakExpectations', given, { t1: 'T' }) as SolveOptions & ExpectationOptions;
  const options = solveOptions(rest, 'weakExpectations');
  if (functions == null || typeof functions !== 'object' || Object.keys(functions).length === 0)
    throw new InputError('functions', functions, 'must name at least one path function');
  for (const [name, f] of Object.entries(functions))
    if (typeof f !== 'function') throw new InputError(`functions.${name}`, f, 'must be a function of (state, info)');
  const over = overGiven ?? 'all';
  if (over !== 'all' && over !== 'finished') throw new InputError('over', over, 'must be one of all, finished');
  const base = { ...options, saveAt: options.saveAt ?? saveAt({ t1: true }) };
  const out: Record<string, WeakExpectation> = {};
  const cells = (values: (s: number) => Float64Array, sol: Solution, kept: number[]) =>
    Array.from(sol.ts, (_, s) => {
      const xs = values(s);
      return meanCell(Float64Array.from(kept, (p) => xs[p]));
    });
  if (!extrapolate) {
    const sol = await solve(base);
    const kept = keptPaths([sol], over);
    for (const [name, f] of Object.entries(functions)) {
      out[name] = {
        method: 'plain',
        steps: [sol.settings.steps as number],
        over,
        leftOut: sol.paths - kept.length,
        ts: Array.from(sol.ts),
        saves: cells((s) => pathValues(sol, f, s, name), sol, kept),
      };
    }
    return out;
  }
  const steps = options.stepping?.steps ?? Math.max(1, Math.ceil(options.T * 100));
  const fine = 2 * steps;
  const gain = pow(2, (options.solver ?? eulerMaruyama()).weakOrder);
  const resolution =
    options.brownian?.resolution !== undefined && options.brownian.resolution % fine === 0
      ? options.brownian.resolution
      : fine;
  const brownian = brownianSampling({
    resolution,
    purpose: options.brownian?.purpose,
    generator: options.brownian?.generator,
  });
  const coarseSol = await solve({ ...base, stepping: constantSteps(steps), brownian });
  const fineSol = await solve({ ...base, stepping: constantSteps(fine), brownian });
  const kept = keptPaths([coarseSol, fineSol], over);
  for (const [name, f] of Object.entries(functions)) {
    const combined = (s: number) => {
      const a = pathValues(coarseSol, f, s, name);
      const b = pathValues(fineSol, f, s, name);
      return b.map((x, p) => (gain * x - a[p]) / (gain - 1));
    };
    out[name] = {
      method: 'talay-tubaro',
      steps: [steps, fine],
      over,
      leftOut: coarseSol.paths - kept.length,
      ts: Array.from(fineSol.ts),
      saves: cells(combined, fineSol, kept),
    };
  }
  return out;
}
