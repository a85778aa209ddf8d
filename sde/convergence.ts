// Measured orders of convergence of a solver. Every step count integrates the same Brownian path
// (summed from one fine set of increments), so strong errors are pathwise and weak errors are measured
// against the exact value when known, or from coupled differences with the finest solve. Orders are
// weighted least-squares slopes over at least 4 step counts, with 95% confidence intervals.
import { InputError, requireInteger } from '../src/errors.js';
import { PATH_EXPLODED } from '../src/results.js';
import { weightedLine, type SlopeFit } from '../src/stats/fit.js';
import { meanEstimate, type Estimate } from '../src/stats/moments.js';
import type { MatrixInput } from '../src/linalg.js';
import { brownianSampling, constantSteps, saveAt, type ExplosionDetection } from './controls.js';
import { requireKnownKeys, withRenamedKeys } from '../src/apiOptions.js';
import { solveSync } from './solve.js';
import type { Solver } from './solvers/index.js';
import type { Sde } from './sde.js';
import { log } from '../src/math/index.js';

/** One step count of a convergence study: strong and weak errors with SEs, and the fraction of paths repaired. */
export interface ConvergenceLevel {
  readonly steps: number;
  readonly dt: number;
  /** E || X^dt_T - X^ref_T ||_F over paths (the same Brownian path). */
  readonly strongError: Estimate;
  /** E f(X^dt_T) - E f(X_T): against `exact` when given, else coupled differences with the reference. */
  readonly weakError: Estimate;
  /** Paths with at least one repaired step at this step count. */
  readonly repairedFraction: number;
}

/** Strong and weak errors per step count and the fitted orders (weighted least squares, 95% CI). */
export interface ConvergenceStudy {
  readonly solver: string;
  readonly levels: readonly ConvergenceLevel[];
  readonly referenceSteps: number;
  /** Slope of log error against log dt (weighted least squares, 95% CI). */
  readonly strongOrder: SlopeFit;
  /** Null when a weak error is indistinguishable from zero (|error| < 2 SE) at some level. */
  readonly weakOrder: SlopeFit | null;
  /** Paths left out because they exploded at some step count. */
  readonly excludedPaths: number;
}

/** What `convergenceStudy` runs: the SDE and solver, at least 4 step counts dividing a reference count, and the observable. */
export interface ConvergenceOptions {
  sde: Sde;
  solver?: Solver;
  v0: MatrixInput | number;
  /** Final time T. */
  T: number;
  /** @deprecated Use T. */
  t1?: number;
  /** At least 4 step counts, each dividing referenceSteps. */
  stepsList: readonly number[];
  referenceSteps: number;
  paths: number;
  seed: number;
  /** Weak-error function of the final flat state; default: the first diagonal entry squared. */
  observable?: (v: Float64Array) => number;
  /** E f(X_T) exactly, when known. */
  exact?: number;
  /** Explosion threshold in units of the largest input variance (default 1e4). */
  threshold?: number;
  /** @deprecated An absolute level; use `threshold`. */
  explosion?: ExplosionDetection;
}

const CONVERGENCE_KEYS = [
  'sde',
  'solver',
  'v0',
  'T',
  'stepsList',
  'referenceSteps',
  'paths',
  'seed',
  'observable',
  'exact',
  'threshold',
];

/**
 * Measured orders of a solver: every step count integrates the same Brownian path, strong errors are
 * pathwise against the reference, weak errors against `exact` when given.
 * @example
 * const study = convergenceStudy({ sde: correlationSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: ninomiyaVictoir(),
 *   v0: 0.5, T: 1, stepsList: [4, 8, 16, 32], referenceSteps: 256, paths: 100_000, seed: 1 });
 * study.strongOrder.slope; // about 0.5
 */
export function convergenceStudy(
  given: ConvergenceOptions | (Omit<ConvergenceOptions, 'T'> & { t1: number }),
): ConvergenceStudy {
  if (given == null || typeof given !== 'object') throw new InputError('options', given, 'must be an object');
  requireKnownKeys('convergenceStudy', given, CONVERGENCE_KEYS);
  const options = withRenamedKeys('convergenceStudy', given, { t1: 'T' }) as ConvergenceOptions;
  const ref = requireInteger('referenceSteps', options.referenceSteps, 2);
  if (!Array.isArray(options.stepsList) || options.stepsList.length < 4)
    throw new InputError(
      'stepsList',
      options.stepsList,
      'must list at least 4 step counts (an order from fewer is not a measurement)',
    );
  options.stepsList.forEach((s, i) => {
    requireInteger(`stepsList[${i}]`, s, 1);
    if (ref % s !== 0 || s >= ref)
      throw new InputError(`stepsList[${i}]`, s, `must divide referenceSteps (${ref}) and be smaller`);
  });
  const observable = options.observable ?? ((v: Float64Array) => v[0] * v[0]);
  const run = (steps: number) =>
    solveSync({
      sde: options.sde,
      solver: options.solver,
      v0: options.v0,
      T: options.T,
      stepping: constantSteps(steps),
      saveAt: saveAt({ t1: true }),
      brownian: brownianSampling({ resolution: ref }),
      paths: options.paths,
      seed: options.seed,
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
      ...(options.explosion !== undefined ? { explosion: options.explosion } : {}),
    });
  const reference = run(ref);
  const coarse = options.stepsList.map(run);
  const size = reference.values.data.length / options.paths;
  const keep: number[] = [];
  for (let p = 0; p < options.paths; p++) {
    if (reference.status[p] !== PATH_EXPLODED && coarse.every((c) => c.status[p] !== PATH_EXPLODED)) keep.push(p);
  }
  if (keep.length < 2)
    throw new InputError('paths', options.paths, 'leave fewer than 2 non-exploded paths; lower T or the step size');
  const refData = reference.values.data;
  const levels = coarse.map((sol, k) => {
    const data = sol.values.data;
    const strong = new Float64Array(keep.length);
    const weak = new Float64Array(keep.length);
    let repaired = 0;
    keep.forEach((p, i) => {
      let d2 = 0;
      for (let e = 0; e < size; e++) d2 += (data[p * size + e] - refData[p * size + e]) ** 2;
      strong[i] = Math.sqrt(d2);
      const fc = observable(data.subarray(p * size, (p + 1) * size));
      weak[i] =
        options.exact === undefined ? fc - observable(refData.subarray(p * size, (p + 1) * size)) : fc - options.exact;
      if (sol.repairs[p] > 0) repaired++;
    });
    const steps = options.stepsList[k];
    return {
      steps,
      dt: options.T / steps,
      strongError: meanEstimate(strong),
      weakError: meanEstimate(weak),
      repairedFraction: repaired / keep.length,
    };
  });
  const fit = (pick: (l: ConvergenceLevel) => Estimate): SlopeFit =>
    weightedLine(
      levels.map((l) => log(l.dt)),
      levels.map((l) => log(Math.abs(pick(l).value))),
      levels.map((l) => pick(l).se / Math.abs(pick(l).value)),
    );
  const resolved = levels.every((l) => Math.abs(l.weakError.value) > 2 * l.weakError.se);
  return {
    solver: reference.settings.solver as string,
    levels,
    referenceSteps: ref,
    strongOrder: fit((l) => l.strongError),
    weakOrder: resolved ? fit((l) => l.weakError) : null,
    excludedPaths: options.paths - keep.length,
  };
}
