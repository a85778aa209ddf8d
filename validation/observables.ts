// Scalar observables read off either side, a solver Solution or a NetworkSample, at one save index:
// V^aa, V^ab, rho^ab, log V^aa. Exploded paths are left out and counted. Output-logit moments use
// the conditional law z | V ~ N(0, V): E z^2 = E V^aa and E z^4 = 3 E (V^aa)^2 (SPEC.md section 5).
import type { NdArray } from 'ndarray';
import { InputError } from '../src/errors.js';
import { PATH_EXPLODED } from '../sde/kernels.js';

/** What the two sides share: a (saves, paths, side, side) tensor, save times and per-path status. */
export interface CovarianceSamples {
  readonly values: NdArray<Float64Array>;
  readonly ts: Float64Array;
  readonly status: Uint8Array;
}

export type ObservableName = 'Vaa' | 'Vab' | 'rho' | 'logVaa';
export const OBSERVABLES: readonly ObservableName[] = ['rho', 'logVaa', 'Vaa', 'Vab'];

export const OBSERVABLE_LABELS: Record<ObservableName, string> = {
  Vaa: 'V^{aa}',
  Vab: 'V^{ab}',
  rho: 'rho^{ab}',
  logVaa: 'log V^{aa}',
};

/** One path's observable at one save (NaN-free callers check Number.isFinite: log 0 is -Infinity). */
export function pathObservable(v: NdArray<Float64Array>, name: ObservableName, save: number, p: number, a = 0, b = 1): number {
  const vaa = v.get(save, p, a, a);
  switch (name) {
    case 'Vaa':
      return vaa;
    case 'logVaa':
      return Math.log(vaa);
    case 'Vab':
      return v.get(save, p, a, b);
    case 'rho': {
      const scale = Math.sqrt(vaa * v.get(save, p, b, b));
      return scale > 0 ? v.get(save, p, a, b) / scale : 0;
    }
  }
}

/** Values of an observable over non-exploded paths at save `save`, for the input pair (a, b). */
export function observable(samples: CovarianceSamples, name: ObservableName, save = samples.ts.length - 1, a = 0, b = 1): Float64Array {
  const [saves, paths, side] = samples.values.shape;
  if (save < 0 || save >= saves) throw new InputError('save', save, `must be in [0, ${saves - 1}]`);
  if ((name === 'Vab' || name === 'rho') && Math.max(a, b) >= side) throw new InputError('pair', [a, b], `needs at least ${Math.max(a, b) + 1} inputs`);
  const out: number[] = [];
  for (let p = 0; p < paths; p++) {
    if (samples.status[p] === PATH_EXPLODED) continue;
    const x = pathObservable(samples.values, name, save, p, a, b);
    // A path that collapsed to V^aa = 0 (a repaired Euler step) has no finite log; it is left out.
    if (Number.isFinite(x)) out.push(x);
  }
  return Float64Array.from(out);
}

/** Normalised fourth cumulant of a logit, E z^4 / (3 (E z^2)^2) - 1 = Var(V^aa) / (E V^aa)^2, with SE by the delta method. */
export function logitKurtosis(vaa: ArrayLike<number>): { value: number; se: number; secondMoment: number } {
  const n = vaa.length;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    s1 += vaa[i];
    s2 += vaa[i] * vaa[i];
  }
  const m1 = s1 / n;
  const m2 = s2 / n;
  // ratio r = m2 / m1^2 - 1; gradient (1/m1^2, -2 m2/m1^3) against the sample covariance of (V, V^2).
  let c11 = 0;
  let c12 = 0;
  let c22 = 0;
  for (let i = 0; i < n; i++) {
    const d1 = vaa[i] - m1;
    const d2 = vaa[i] * vaa[i] - m2;
    c11 += d1 * d1;
    c12 += d1 * d2;
    c22 += d2 * d2;
  }
  const g1 = (-2 * m2) / (m1 * m1 * m1);
  const g2 = 1 / (m1 * m1);
  const varR = (g1 * g1 * c11 + 2 * g1 * g2 * c12 + g2 * g2 * c22) / (n - 1) / n;
  return { value: m2 / (m1 * m1) - 1, se: Math.sqrt(Math.max(0, varR)), secondMoment: m1 };
}

/** Fraction of non-exploded paths. */
export function survivingFraction(samples: CovarianceSamples): number {
  let k = 0;
  for (const s of samples.status) if (s !== PATH_EXPLODED) k++;
  return k / samples.status.length;
}
