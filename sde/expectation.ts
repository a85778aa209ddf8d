// Weak expectations E f(X_T) from a solve, with standard errors, and Talay-Tubaro extrapolation
// (2^p E_{2N} - E_N) / (2^p - 1), which cancels the leading h^p term of a solver's weak error, p its
// declared weak order (1 for Euler-Maruyama, 2 for the splitting scheme). Both solves share one Brownian
// path, so the combination is a per-path average with an honest CLT standard error.
import { InputError } from '../src/errors.js';
import { PATH_EXPLODED } from '../src/results.js';
import type { Estimate } from '../src/stats/moments.js';
import { brownianSampling, constantSteps, saveAt } from './controls.js';
import { solve, type SolveOptions } from './solve.js';
import { eulerMaruyama } from './solvers/index.js';
import type { Solution } from './solution.js';

/** f of one path's value at a save: the m x m matrix (row-major) or the scalar, and whether it exploded. */
export type PathFunction = (value: Float64Array, exploded: boolean) => number;

/** E f(X_T) with its CLT standard error, how it was made (plain or Talay-Tubaro) and at which step counts. */
export interface WeakExpectation extends Estimate {
  /** 'plain' or 'talay-tubaro'. */
  readonly method: 'plain' | 'talay-tubaro';
  /** Steps of the solves that were combined. */
  readonly steps: readonly number[];
}

/** Per-path values of f at the last save of a solution. */
export function pathValues(sol: Solution, f: PathFunction): Float64Array {
  const size = sol.shape === 'matrix' ? sol.m * sol.m : 1;
  const last = sol.ts.length - 1;
  const data = sol.values.data;
  const out = new Float64Array(sol.paths);
  for (let p = 0; p < sol.paths; p++) {
    const at = (last * sol.paths + p) * size;
    out[p] = f(data.subarray(at, at + size), sol.status[p] === PATH_EXPLODED);
  }
  return out;
}

function estimate(xs: Float64Array): Estimate {
  let s = 0;
  let s2 = 0;
  for (const x of xs) {
    s += x;
    s2 += x * x;
  }
  const n = xs.length;
  const mean = s / n;
  return { value: mean, se: Math.sqrt(Math.max(0, s2 / n - mean * mean) / (n - 1)) };
}

/**
 * E f(X_T) for each named f, from one solve (`extrapolate: false`) or by Talay-Tubaro from solves at N
 * and 2N steps on a shared Brownian path (`extrapolate: true`).
 * @example
 * const e = await weakExpectations({ ...options, stepping: constantSteps(4), extrapolate: true },
 *   { rho: (v) => v[1] / Math.sqrt(v[0] * v[3]) });
 */
export async function weakExpectations(
  options: SolveOptions & { extrapolate?: boolean },
  functions: Readonly<Record<string, PathFunction>>,
): Promise<Record<string, WeakExpectation>> {
  if (Object.keys(functions).length === 0) throw new InputError('functions', functions, 'must name at least one path function');
  const base = { ...options, saveAt: saveAt({ t1: true }) };
  const out: Record<string, WeakExpectation> = {};
  if (!options.extrapolate) {
    const sol = await solve(base);
    for (const [name, f] of Object.entries(functions)) out[name] = { ...estimate(pathValues(sol, f)), method: 'plain', steps: [sol.settings.steps as number] };
    return out;
  }
  const steps = options.stepping?.steps ?? Math.max(1, Math.ceil(options.t1 * 100));
  const fine = 2 * steps;
  const gain = Math.pow(2, (options.solver ?? eulerMaruyama()).weakOrder);
  const resolution = options.brownian?.resolution !== undefined && options.brownian.resolution % fine === 0 ? options.brownian.resolution : fine;
  const brownian = brownianSampling({ resolution, purpose: options.brownian?.purpose, generator: options.brownian?.generator });
  const coarseSol = await solve({ ...base, stepping: constantSteps(steps), brownian });
  const fineSol = await solve({ ...base, stepping: constantSteps(fine), brownian });
  for (const [name, f] of Object.entries(functions)) {
    const a = pathValues(coarseSol, f);
    const b = pathValues(fineSol, f);
    const combined = b.map((x, p) => (gain * x - a[p]) / (gain - 1));
    out[name] = { ...estimate(combined), method: 'talay-tubaro', steps: [steps, fine] };
  }
  return out;
}
