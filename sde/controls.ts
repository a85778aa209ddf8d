// Solver, step control, save times, Brownian sampling and explosion detection: separate values,
// composed in one `solve` call in the manner of diffrax.
import { InputError, requireInteger, requirePositive } from '../src/errors.js';

/** Euler-Maruyama on the matrix; a step that leaves the PSD cone is projected back onto it (negative
 *  eigenvalues clipped to zero) and counted per path. */
export interface EulerMaruyama {
  readonly kind: 'euler-maruyama';
  readonly repair: 'clip-eigenvalues';
}
export function eulerMaruyama(): EulerMaruyama {
  return { kind: 'euler-maruyama', repair: 'clip-eigenvalues' };
}

export interface ConstantSteps {
  readonly kind: 'constant-steps';
  readonly steps: number;
}
/** `steps` equal steps over [0, t1]. */
export function constantSteps(steps: number): ConstantSteps {
  return { kind: 'constant-steps', steps: requireInteger('stepping.steps', steps, 1) };
}

export type SaveAt = { readonly kind: 'save-at'; readonly ts?: readonly number[]; readonly t1?: boolean; readonly count?: number };
/**
 * Which times to save: `{ t1: true }` (the default, final time only), `{ ts: [...] }` (times on the
 * step grid, 0 allowed) or `{ count: k }` (k equally spaced times ending at t1, plus t = 0).
 */
export function saveAt(options: { ts?: readonly number[]; t1?: boolean; count?: number }): SaveAt {
  if (options.ts !== undefined) {
    if (!Array.isArray(options.ts) || options.ts.length === 0) throw new InputError('saveAt.ts', options.ts, 'must be a non-empty array of times');
    options.ts.forEach((t, i) => {
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new InputError(`saveAt.ts[${i}]`, t, 'must be a finite time >= 0');
      if (i > 0 && !(t > options.ts![i - 1])) throw new InputError(`saveAt.ts[${i}]`, t, 'must be larger than the previous save time');
    });
  }
  if (options.count !== undefined) requireInteger('saveAt.count', options.count, 1);
  return { kind: 'save-at', ...options };
}

export interface BrownianSampling {
  readonly kind: 'brownian';
  /** Number of underlying increments over [0, t1]; a multiple of the step count. A solve with s steps
   *  sums resolution/s consecutive increments per step, so solves at different steps share one path. */
  readonly resolution?: number;
}
export function brownianSampling(options: { resolution?: number } = {}): BrownianSampling {
  if (options.resolution !== undefined) requireInteger('brownian.resolution', options.resolution, 1);
  return { kind: 'brownian', ...options };
}

export interface ExplosionDetection {
  readonly kind: 'explosion';
  /** A path explodes when max_a V^aa exceeds this; default 1e8 times the largest initial diagonal. */
  readonly threshold?: number;
}
export function explosionDetection(options: { threshold?: number } = {}): ExplosionDetection {
  if (options.threshold !== undefined) requirePositive('explosion.threshold', options.threshold);
  return { kind: 'explosion', ...options };
}

/** Map save times to step indices; a time off the grid is an error naming it. */
export function saveSteps(save: SaveAt, t1: number, steps: number): number[] {
  if (save.ts) {
    return save.ts.map((t, i) => {
      const k = Math.round((t / t1) * steps);
      if (t > t1 * (1 + 1e-12) || Math.abs(k * (t1 / steps) - t) > 1e-9 * t1) {
        throw new InputError(`saveAt.ts[${i}]`, t, `must lie on the step grid k * ${t1 / steps} within [0, ${t1}]`);
      }
      return k;
    });
  }
  if (save.count !== undefined) {
    if (steps % save.count !== 0) throw new InputError('saveAt.count', save.count, `must divide the number of steps (${steps})`);
    return Array.from({ length: save.count + 1 }, (_, i) => (i * steps) / save.count!);
  }
  return [steps];
}
