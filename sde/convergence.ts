// Measured strong and weak orders of the Euler-Maruyama solver: every step size integrates the same
// Brownian path (summed from one fine set of increments), so strong errors are pathwise and weak
// errors are estimated from coupled differences with small variance.
import { InputError, requireInteger } from '../src/errors.js';
import { meanEstimate, slopeEstimate, type Estimate } from '../src/stats.js';
import { brownianSampling, constantSteps, type ExplosionDetection } from './controls.js';
import { PATH_EXPLODED } from './kernels.js';
import { solveSync, type MatrixInput } from './solve.js';
import type { Sde } from './terms.js';

export interface ConvergenceLevel {
  readonly steps: number;
  readonly dt: number;
  /** E || V^dt_T - V^ref_T ||_F over paths. */
  readonly strongError: Estimate;
  /** E f(V^dt_T) - E f(V^ref_T) from coupled differences, or against `exact` when given. */
  readonly weakError: Estimate;
}

export interface ConvergenceStudy {
  readonly levels: readonly ConvergenceLevel[];
  readonly referenceSteps: number;
  /** Slope of log error against log dt, with its standard error. */
  readonly strongOrder: Estimate;
  readonly weakOrder: Estimate;
  /** Paths left out because they exploded at some step size. */
  readonly excludedPaths: number;
}

export interface ConvergenceOptions {
  sde: Sde;
  v0: MatrixInput | number;
  t1: number;
  stepsList: readonly number[];
  referenceSteps: number;
  paths: number;
  seed: number | string;
  /** Weak-error observable of the final flat state; default: the first diagonal entry squared. */
  observable?: (v: Float64Array) => number;
  /** E f(V_T) exactly, when known: weak errors are then measured against it rather than the reference. */
  exact?: number;
  explosion?: ExplosionDetection;
}

export function convergenceStudy(options: ConvergenceOptions): ConvergenceStudy {
  const ref = requireInteger('referenceSteps', options.referenceSteps, 2);
  options.stepsList.forEach((s, i) => {
    requireInteger(`stepsList[${i}]`, s, 1);
    if (ref % s !== 0 || s >= ref) throw new InputError(`stepsList[${i}]`, s, `must divide referenceSteps (${ref}) and be smaller`);
  });
  const observable = options.observable ?? ((v: Float64Array) => v[0] * v[0]);
  const run = (steps: number) =>
    solveSync({
      sde: options.sde,
      v0: options.v0,
      t1: options.t1,
      stepping: constantSteps(steps),
      brownian: brownianSampling({ resolution: ref }),
      paths: options.paths,
      seed: options.seed,
      explosion: options.explosion,
    });
  const reference = run(ref);
  const coarse = options.stepsList.map(run);
  const size = reference.values.data.length / options.paths;
  const keep: number[] = [];
  for (let p = 0; p < options.paths; p++) {
    if (reference.status[p] !== PATH_EXPLODED && coarse.every((c) => c.status[p] !== PATH_EXPLODED)) keep.push(p);
  }
  if (keep.length < 2) throw new InputError('paths', options.paths, 'leave fewer than 2 non-exploded paths; lower t1 or the step size');
  const refData = reference.values.data;
  const levels = coarse.map((sol, k) => {
    const data = sol.values.data;
    const strong = new Float64Array(keep.length);
    const weak = new Float64Array(keep.length);
    keep.forEach((p, i) => {
      let d2 = 0;
      for (let e = 0; e < size; e++) d2 += (data[p * size + e] - refData[p * size + e]) ** 2;
      strong[i] = Math.sqrt(d2);
      const fc = observable(data.subarray(p * size, (p + 1) * size));
      weak[i] = options.exact === undefined ? fc - observable(refData.subarray(p * size, (p + 1) * size)) : fc - options.exact;
    });
    const steps = options.stepsList[k];
    return { steps, dt: options.t1 / steps, strongError: meanEstimate(strong), weakError: meanEstimate(weak) };
  });
  const order = (pick: (l: ConvergenceLevel) => Estimate): Estimate => {
    const x = levels.map((l) => Math.log(l.dt));
    const y = levels.map((l) => Math.log(Math.abs(pick(l).value)));
    const se = levels.map((l) => pick(l).se / Math.abs(pick(l).value));
    const fit = slopeEstimate(x, y, se);
    return { value: fit.value, se: fit.se };
  };
  return {
    levels,
    referenceSteps: ref,
    strongOrder: order((l) => l.strongError),
    weakOrder: order((l) => l.weakError),
    excludedPaths: options.paths - keep.length,
  };
}
