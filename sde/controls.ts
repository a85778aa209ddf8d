// Step control, save times, the Brownian path and explosion detection: separate values composed with
// an SDE and a solver in one `solve` call, in the manner of diffrax.
import { InputError, requireInteger, requirePositive } from '../src/errors.js';
import { GENERATORS, PURPOSES, type GeneratorName } from '../src/random/streams.js';
import { DEFAULT_THRESHOLD, deprecationNote } from '../src/apiOptions.js';

/** Step control: `steps` equal steps over [0, t1]. Made by `constantSteps`. */
export interface ConstantSteps {
  readonly kind: 'constant-steps';
  readonly steps: number;
}
/** `steps` equal steps over [0, t1]. */
export function constantSteps(steps: number): ConstantSteps {
  return { kind: 'constant-steps', steps: requireInteger('stepping.steps', steps, 1) };
}

/** Save times: t1 only, `ts` (plus t1 with `t1: true`), or `count` equally spaced times after 0 (0 and t1 included). Made by `saveAt`. */
export interface SaveAt {
  readonly kind: 'save-at';
  readonly ts?: readonly number[];
  readonly t1?: boolean;
  readonly count?: number;
}
/**
 * Which times to save: `{ t1: true }` (the default, final time only), `{ ts: [...] }` (times on the
 * step grid, 0 allowed; with `t1: true` the final time is added when not listed) or `{ count: k }` (k
 * equally spaced times ending at t1, plus t = 0). `t1: false` needs ts (count always ends at t1).
 */
export function saveAt(options: { ts?: readonly number[]; t1?: boolean; count?: number }): SaveAt {
  if (options.t1 !== undefined && typeof options.t1 !== 'boolean')
    throw new InputError('saveAt.t1', options.t1, 'must be true or false');
  if (options.ts !== undefined && options.count !== undefined)
    throw new InputError('saveAt.count', options.count, 'conflicts with saveAt.ts; give one of them', ['saveAt.ts']);
  if (options.ts !== undefined) {
    if (!Array.isArray(options.ts) || options.ts.length === 0)
      throw new InputError('saveAt.ts', options.ts, 'must be a non-empty array of times');
    options.ts.forEach((t, i) => {
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
        throw new InputError(`saveAt.ts[${i}]`, t, 'must be a finite time >= 0');
      if (i > 0 && !(t > options.ts![i - 1]))
        throw new InputError(`saveAt.ts[${i}]`, t, 'must be larger than the previous save time');
    });
  }
  if (options.count !== undefined) {
    requireInteger('saveAt.count', options.count, 1);
    if (options.t1 === false)
      throw new InputError('saveAt.t1', false, 'conflicts with saveAt.count (equally spaced saves always end at t1)', [
        'saveAt.count',
      ]);
  }
  if (options.ts === undefined && options.count === undefined && options.t1 === false)
    throw new InputError('saveAt.t1', false, 'leaves nothing to save: give saveAt.ts, saveAt.count, or t1: true', [
      'saveAt.ts',
      'saveAt.count',
    ]);
  return { kind: 'save-at', ...options };
}

/** How the Brownian path is drawn: its grid resolution (solves at different step counts that share it see one path), stream purpose and generator. Made by `brownianSampling`. */
export interface BrownianSampling {
  readonly kind: 'brownian';
  /** Number of underlying increments over [0, t1]; a multiple of the step count. A solve with s steps
   *  sums resolution/s consecutive increments per step, so solves at different steps share one path. */
  readonly resolution?: number;
  /** The stream family of the path (default 'sde'): solves that must be independent use different ones. */
  readonly purpose: string;
  readonly generator: GeneratorName;
}
/**
 * The Brownian path: which stream family drives it (a seed picks one member), its uniform source and
 * its finest resolution.
 * @example
 * // Two solves that share one Brownian path at 8 and 16 steps:
 * const brownian = brownianSampling({ resolution: 16 });
 */
export function brownianSampling(
  options: { resolution?: number; purpose?: string; generator?: GeneratorName } = {},
): BrownianSampling {
  if (options.resolution !== undefined) requireInteger('brownian.resolution', options.resolution, 1);
  const purpose = options.purpose ?? PURPOSES.sde;
  if (typeof purpose !== 'string' || purpose.length === 0)
    throw new InputError('brownian.purpose', purpose, 'must be a non-empty string');
  const generator = options.generator ?? 'xoshiro128++';
  if (!GENERATORS.includes(generator))
    throw new InputError('brownian.generator', generator, `must be one of ${GENERATORS.join(', ')}`);
  return { kind: 'brownian', resolution: options.resolution, purpose, generator };
}

/** The default explosion threshold, relative to the largest initial variance (the same on the network side). */
export const DEFAULT_THRESHOLD_FACTOR = DEFAULT_THRESHOLD;

/** @deprecated An absolute explosion level for solve's deprecated `explosion` option; use `threshold`
 *  (a plain number in units of the largest input variance). */
export interface ExplosionDetection {
  readonly kind: 'explosion';
  /** A path explodes when max_a V^aa exceeds this (in units of V); default 1e4 times the largest initial variance. */
  readonly threshold?: number;
}
/**
 * @deprecated An absolute explosion level on max_a V^aa; give solve `threshold` instead, in units of the
 * largest input variance: `explosion: explosionDetection({ threshold: 1e6 })` with V0's largest diagonal
 * entry 2 is `threshold: 5e5`.
 */
export function explosionDetection(options: { threshold?: number } = {}): ExplosionDetection {
  deprecationNote(
    'explosionDetection',
    'explosionDetection({ threshold }) is deprecated: give solve `threshold`, a plain number in units of the largest input variance max_a V0^aa (default 1e4)',
  );
  if (options.threshold !== undefined) requirePositive('explosion.threshold', options.threshold);
  return { kind: 'explosion', ...options };
}

/** Map save times to step indices; a time off the grid is an error naming it. */
export function saveSteps(save: SaveAt, t1: number, steps: number): number[] {
  if (save.ts) {
    const ks = save.ts.map((t, i) => {
      const k = Math.round((t / t1) * steps);
      if (t > t1 * (1 + 1e-12) || Math.abs(k * (t1 / steps) - t) > 1e-9 * t1) {
        throw new InputError(`saveAt.ts[${i}]`, t, `must lie on the step grid k * ${t1 / steps} within [0, ${t1}]`);
      }
      return k;
    });
    // t1: true adds the final time when the list does not end there.
    if (save.t1 === true && ks[ks.length - 1] !== steps) ks.push(steps);
    return ks;
  }
  if (save.count !== undefined) {
    if (steps % save.count !== 0)
      throw new InputError('saveAt.count', save.count, `must divide stepping.steps (${steps})`, ['stepping.steps']);
    return Array.from({ length: save.count + 1 }, (_, i) => (i * steps) / save.count!);
  }
  return [steps];
}
