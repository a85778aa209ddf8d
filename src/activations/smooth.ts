// Shaped smooth activations phi(x) = s f(x/s), s = a sqrt(n), with f(0) = 0, f'(0) = 1 (docs/maths.md,
// section 2), and the scalar facts of their limit: f''(0), f'''(0), a and beta (section 3).
import { InputError, requireChoice, requireFinite, requireInteger, requirePositive } from '../errors.js';
import { normalCdf, normalPdf } from '../special.js';
import { SMOOTH_NAMES, type Activation, type FiniteActivation, type SmoothName } from './types.js';
import { cos, exp, log1p, sin, tanh } from '../math/index.js';

/** A smooth f with f(0) = 0, f'(0) = 1 and the two derivatives that set the limit. */
export interface SmoothFunction {
  readonly name: string;
  readonly f: (u: number) => number;
  readonly df: (u: number) => number;
  readonly fpp0: number;
  readonly fppp0: number;
}

const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + exp(-u)) : exp(u) / (1 + exp(u)));
const softplus = (u: number) => (u > 0 ? u + log1p(exp(-u)) : log1p(exp(u)));

/** The catalog of docs/maths.md section 2, with (f''(0), f'''(0)), keyed by SMOOTH_NAMES. */
export const SMOOTH_FUNCTIONS: Readonly<Record<SmoothName, SmoothFunction>> = {
  tanh: { name: 'tanh', f: tanh, df: (u) => 1 - tanh(u) ** 2, fpp0: 0, fppp0: -2 },
  sin: { name: 'sin', f: sin, df: cos, fpp0: 0, fppp0: -1 },
  swish: {
    name: '2x*sigmoid(x)',
    f: (u) => 2 * u * sigmoid(u),
    df: (u) => {
      const s = sigmoid(u);
      return 2 * s + 2 * u * s * (1 - s);
    },
    fpp0: 1,
    fppp0: 0,
  },
  softplus: {
    name: '2(softplus(x)-log 2)',
    f: (u) => 2 * (softplus(u) - Math.LN2),
    df: (u) => 2 * sigmoid(u),
    fpp0: 0.5,
    fppp0: 0,
  },
  gelu: {
    name: '2x*Phi(x)',
    f: (u) => 2 * u * normalCdf(u),
    df: (u) => 2 * normalCdf(u) + 2 * u * normalPdf(u),
    fpp0: 4 / Math.sqrt(2 * Math.PI),
    fppp0: 0,
  },
};

/**
 * beta = (3/4 f''(0)^2 + f'''(0)) / a^2: the diagonal drift dX = beta X^2 dt + sqrt(2) X dB. Takes a
 * catalogue name and the scale (`smoothBeta('tanh', 1)` = -2) or the two derivatives and the scale
 * (`smoothBeta(0, -2, 1)`); anything else is refused in one line.
 */
export function smoothBeta(f: SmoothName, a: number): number;
export function smoothBeta(fpp0: number, fppp0: number, a: number): number;
export function smoothBeta(first: SmoothName | number, second: number, third?: number): number {
  if (typeof first === 'string') {
    const fn = SMOOTH_FUNCTIONS[requireChoice('f', first, SMOOTH_NAMES)];
    if (third !== undefined)
      throw new InputError(
        'a',
        third,
        `is one argument too many: smoothBeta('${first}', a) takes the name and the scale`,
      );
    return betaOf(fn.fpp0, fn.fppp0, requirePositive('a', second));
  }
  return betaOf(requireFinite('fpp0', first), requireFinite('fppp0', second), requirePositive('a', third));
}

function betaOf(fpp0: number, fppp0: number, a: number): number {
  return (0.75 * fpp0 * fpp0 + fppp0) / (a * a);
}

/**
 * The shaping scale a at which catalog function f has diagonal drift coefficient beta: beta = beta_1 / a^2
 * with beta_1 = 3/4 f''(0)^2 + f'''(0), so beta must have beta_1's sign.
 */
export function smoothScaleForBeta(f: SmoothName, beta: number, field = 'beta'): number {
  const fn = SMOOTH_FUNCTIONS[requireChoice('activation', f, SMOOTH_NAMES)];
  const beta1 = betaOf(fn.fpp0, fn.fppp0, 1);
  requireFinite(field, beta);
  if (!(beta * beta1 > 0))
    throw new InputError(
      field,
      beta,
      `must have the sign of ${f}'s beta at a = 1 (${beta1.toPrecision(4)}): beta = beta_1 / a^2`,
    );
  return Math.sqrt(beta1 / beta);
}

function applyLoop(name: SmoothName | 'custom', f: (u: number) => number, s: number): FiniteActivation['applyInPlace'] {
  const inv = 1 / s;
  // The catalog's common cases get closure-free loops: they run n*m times per layer.
  switch (name) {
    case 'tanh':
      return (buf, from, to) => {
        for (let i = from; i < to; i++) buf[i] = s * tanh(buf[i] * inv);
      };
    case 'sin':
      return (buf, from, to) => {
        for (let i = from; i < to; i++) buf[i] = s * sin(buf[i] * inv);
      };
    case 'softplus':
      return (buf, from, to) => {
        for (let i = from; i < to; i++) {
          const u = buf[i] * inv;
          buf[i] = 2 * s * ((u > 0 ? u + log1p(exp(-u)) : log1p(exp(u))) - Math.LN2);
        }
      };
    case 'swish':
      return (buf, from, to) => {
        for (let i = from; i < to; i++) {
          const x = buf[i];
          const u = x * inv;
          buf[i] = (2 * x) / (1 + exp(-u));
        }
      };
    default:
      return (buf, from, to) => {
        for (let i = from; i < to; i++) buf[i] = s * f(buf[i] * inv);
      };
  }
}

function makeSmooth(fn: SmoothFunction, a: number, catalogName: SmoothName | 'custom'): Activation {
  requirePositive('activation.a', a);
  return {
    family: 'smooth',
    // The catalog's short name (swish, not its formula 2x*sigmoid(x)), as the --activation text says it.
    name: `shaped-${catalogName === 'custom' ? fn.name : catalogName}(a=${a})`,
    spec: catalogName === 'custom' ? null : { family: 'smooth', f: catalogName, a },
    limit: { family: 'smooth', beta: betaOf(fn.fpp0, fn.fppp0, a), nu: null, fpp0: fn.fpp0, fppp0: fn.fppp0, a },
    atWidth(n) {
      requireInteger('n', n, 1);
      const s = a * Math.sqrt(n);
      const inv = 1 / s;
      return {
        n,
        c: 1,
        phi: (x) => s * fn.f(x * inv),
        dphi: (x) => fn.df(x * inv),
        applyInPlace: applyLoop(catalogName, fn.f, s),
        piecewise: null,
      };
    },
  };
}

/**
 * A catalog smooth activation shaped at scale a: phi(x) = a sqrt(n) f(x / (a sqrt(n))). Give `a`, or
 * `beta` for the scale at which the diagonal drift is beta X^2 (beta must have f's sign, docs/maths.md section 3).
 * @example
 * shapedSmooth('tanh', { a: 1 }).limit!.beta;      // -2
 * shapedSmooth('swish', { beta: 0.5 }).limit!.beta; // 0.5 (a = sqrt(1.5))
 */
export function shapedSmooth(f: SmoothName, options: { a: number } | { beta: number }): Activation {
  const name = requireChoice('activation.f', f, SMOOTH_NAMES);
  if (options != null && typeof options === 'object' && 'beta' in options) {
    if ('a' in options) throw new InputError('activation', options, 'takes a or beta, not both');
    return makeSmooth(SMOOTH_FUNCTIONS[name], smoothScaleForBeta(name, options.beta, 'activation.beta'), name);
  }
  // makeSmooth checks a (and names it) when options or a are missing.
  return makeSmooth(SMOOTH_FUNCTIONS[name], (options as { a: number } | undefined)?.a as number, name);
}

/**
 * A user's smooth f, with f''(0) and f'''(0) stated (they set the SDE drift). f(0) = 0 and
 * f'(0) = 1 are checked numerically. Custom activations cannot be sent to worker threads.
 */
export function customSmooth(options: {
  name: string;
  f: (u: number) => number;
  df?: (u: number) => number;
  fpp0: number;
  fppp0: number;
  a: number;
}): Activation {
  if (typeof options.f !== 'function') throw new InputError('activation.f', options.f, 'must be a function');
  requireFinite('activation.fpp0', options.fpp0);
  requireFinite('activation.fppp0', options.fppp0);
  const f0 = options.f(0);
  if (!(Math.abs(f0) < 1e-9)) throw new InputError('activation.f(0)', f0, 'must be 0');
  const h = 1e-5;
  const slope = (options.f(h) - options.f(-h)) / (2 * h);
  if (!(Math.abs(slope - 1) < 1e-4)) throw new InputError("activation.f'(0)", slope, 'must be 1');
  const f = options.f;
  const df = options.df ?? ((u: number) => (f(u + 1e-6) - f(u - 1e-6)) / 2e-6);
  return makeSmooth({ name: options.name, f, df, fpp0: options.fpp0, fppp0: options.fppp0 }, options.a, 'custom');
}
