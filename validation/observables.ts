// Scalar observables read off either side, a solver Solution or a NetworkSample, at one save index:
// V^aa, V^ab, rho^ab, log V^aa. Both sides are read on the same event: paths (networks) that did not
// explode by the save's time, under the one threshold applied to both.
import { InputError } from '../src/errors.js';
import { PATH_EXPLODED, type CovarianceSamples, type NdArray } from '../src/results.js';
import { log } from '../src/math/index.js';

/** rho (the correlation), log V^aa, V^aa or V^ab. */
export type ObservableName = 'rho' | 'logVaa' | 'Vaa' | 'Vab';
/** The observables every comparison reports. */
export const OBSERVABLES: readonly ObservableName[] = ['rho', 'logVaa', 'Vaa', 'Vab'];

/** Human labels of the observables, for tables and plots. */
export const OBSERVABLE_LABELS: Record<ObservableName, string> = {
  Vaa: 'V^{aa}',
  Vab: 'V^{ab}',
  rho: 'rho^{ab}',
  logVaa: 'log V^{aa}',
};

/** Observables whose tails are heavy (log-normal-like V): their intervals come from the bootstrap. */
export const HEAVY_TAILED: ReadonlySet<ObservableName> = new Set(['Vaa', 'Vab']);

/**
 * Intervals that replicate seeds showed not to hold (npm run calibrate, 200 seeds, 400 paths and networks,
 * n = 32): said beside them in every report. V^aa has structure to use (docs/maths.md, section 9); V^ab does not.
 */
export const INTERVAL_CAVEATS: Partial<Record<ObservableName, string>> = {
  Vab:
    'unreliable: V^ab has log-normal-like tails and no structure to use; its BCa intervals covered 93% (mean) and 67-70% (variance) ' +
    'of 200 replicate seeds at T = 1, and 86-88% and 45-57% at T = 2 (npm run calibrate, 400 samples per side). Read them as indicative.',
};

/** A known observable name, or a one-line InputError listing the valid ones. */
export function requireObservable(name: unknown, field = 'observable'): ObservableName {
  if (typeof name !== 'string' || !(OBSERVABLES as readonly string[]).includes(name))
    throw new InputError(field, name, `must be one of ${OBSERVABLES.join(', ')}`);
  return name as ObservableName;
}

/** One path's observable at one save. */
export function pathObservable(
  v: NdArray<Float64Array>,
  name: ObservableName,
  save: number,
  p: number,
  a = 0,
  b = 1,
): number {
  const vaa = v.get(save, p, a, a);
  switch (name) {
    case 'Vaa':
      return vaa;
    case 'logVaa':
      return log(vaa);
    case 'Vab':
      return v.get(save, p, a, b);
    case 'rho': {
      const scale = Math.sqrt(vaa * v.get(save, p, b, b));
      return scale > 0 ? v.get(save, p, a, b) / scale : 0;
    }
    default:
      requireObservable(name);
      return NaN;
  }
}

/** One observable's values over the items that did not explode by T, and how many were left out. */
export interface ObservableSample {
  readonly values: Float64Array;
  /** Paths left out: exploded, or (Euler-Maruyama) collapsed to V^aa = 0 so that log V^aa is not finite. */
  readonly excluded: number;
}

/** An observable over the paths that did not explode, at save `save`, for the input pair (a, b). */
export function observable(
  samples: CovarianceSamples,
  name: ObservableName,
  save = samples.ts.length - 1,
  a = 0,
  b = 1,
): ObservableSample {
  requireObservable(name);
  const [saves, paths, side] = samples.values.shape;
  if (save < 0 || save >= saves) throw new InputError('save', save, `must be in [0, ${saves - 1}]`);
  if ((name === 'Vab' || name === 'rho') && Math.max(a, b) >= side)
    throw new InputError('pair', [a, b], `needs at least ${Math.max(a, b) + 1} inputs`);
  const out: number[] = [];
  for (let p = 0; p < paths; p++) {
    if (samples.status[p] === PATH_EXPLODED) continue;
    const x = pathObservable(samples.values, name, save, p, a, b);
    if (Number.isFinite(x)) out.push(x);
  }
  return { values: Float64Array.from(out), excluded: paths - out.length };
}
