// Exact references for the 1-D SDEs, by their Kolmogorov backward equations solved with Crank-Nicolson
// (two Rannacher half-steps of implicit Euler first) on fine grids (docs/maths.md, section 8): E f(rho_T)
// for the ReLU-like correlation SDE, and P(reach a threshold by T) for a diagonal dX = beta X^2 dt +
// sqrt(2) X dB, mapped onto [0, 1] through Y = 1/X. Both take drift and noise clocks (dc, nc; 1 for the
// MLP). They are independent of the Monte Carlo solvers and serve as the truth in tests, calibration and
// time-to-accuracy benchmarks.
import { parseActivation, type Activation } from '../src/activations/index.js';
import { deprecationNote, requireKnownKeys } from '../src/apiOptions.js';
import { InputError, requireFinite, requireInRange, requireInteger, requirePositive } from '../src/errors.js';
import { UNIT_CLOCKS, type Clocks } from './term.js';

function checkedClocks(clocks: Clocks = UNIT_CLOCKS): Clocks {
  requirePositive('clocks.driftClock', clocks.driftClock);
  requirePositive('clocks.noiseClock', clocks.noiseClock);
  return clocks;
}

/** Solve the tridiagonal system a_i u_{i-1} + b_i u_i + c_i u_{i+1} = d_i (Thomas algorithm), in place on d. */
function thomas(a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array): void {
  const n = d.length;
  const cp = new Float64Array(n);
  cp[0] = c[0] / b[0];
  d[0] /= b[0];
  for (let i = 1; i < n; i++) {
    const den = b[i] - a[i] * cp[i - 1];
    cp[i] = c[i] / den;
    d[i] = (d[i] - a[i] * d[i - 1]) / den;
  }
  for (let i = n - 2; i >= 0; i--) d[i] -= cp[i] * d[i + 1];
}

/**
 * u_t = mu(x) u_x + (1/2) s2(x) u_xx on a uniform grid x_0..x_n, Crank-Nicolson in time after two
 * Rannacher half-steps of implicit Euler (which damp the kink of a non-smooth initial condition).
 * Boundary rows are given by `boundary(i, u)`: a fixed value (Dirichlet) or null to use one-sided
 * upwind differences. Returns u at time T on the grid.
 */
function backward(options: {
  x: Float64Array;
  mu: (x: number) => number;
  s2: (x: number) => number;
  initial: Float64Array;
  T: number;
  steps: number;
  dirichlet: { left: number | null; right: number | null };
}): Float64Array {
  const { x, initial, T, steps } = options;
  const n = x.length;
  const dx = x[1] - x[0];
  const lo = new Float64Array(n);
  const mid = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mu = options.mu(x[i]);
    const diff = 0.5 * options.s2(x[i]);
    if (i === 0 || i === n - 1) {
      // Degenerate boundary: only the drift acts, by an upwind difference into the interior.
      if (i === 0 && mu > 0) {
        mid[i] = -mu / dx;
        hi[i] = mu / dx;
      } else if (i === n - 1 && mu < 0) {
        lo[i] = -mu / dx;
        mid[i] = mu / dx;
      }
      continue;
    }
    lo[i] = diff / (dx * dx) - mu / (2 * dx);
    mid[i] = (-2 * diff) / (dx * dx);
    hi[i] = diff / (dx * dx) + mu / (2 * dx);
  }
  let u = Float64Array.from(initial);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const rhs = new Float64Array(n);
  const advance = (dt: number, theta: number) => {
    for (let i = 0; i < n; i++) {
      const explicit =
        (lo[i] * (i > 0 ? u[i - 1] : 0) + mid[i] * u[i] + hi[i] * (i < n - 1 ? u[i + 1] : 0)) * (1 - theta) * dt;
      rhs[i] = u[i] + explicit;
      a[i] = -theta * dt * lo[i];
      b[i] = 1 - theta * dt * mid[i];
      c[i] = -theta * dt * hi[i];
    }
    if (options.dirichlet.left !== null) {
      a[0] = 0;
      b[0] = 1;
      c[0] = 0;
      rhs[0] = options.dirichlet.left;
    }
    if (options.dirichlet.right !== null) {
      a[n - 1] = 0;
      b[n - 1] = 1;
      c[n - 1] = 0;
      rhs[n - 1] = options.dirichlet.right;
    }
    thomas(a, b, c, rhs);
    u = Float64Array.from(rhs);
  };
  const dt = T / steps;
  advance(dt / 4, 1);
  advance(dt / 4, 1);
  advance(dt / 4, 1);
  advance(dt / 4, 1);
  for (let k = 1; k < steps; k++) advance(dt, 0.5);
  return u;
}

/** Linear interpolation of grid values u at a point x0 of the grid's range. */
function interpolate(x: Float64Array, u: Float64Array, x0: number): number {
  const dx = x[1] - x[0];
  const k = Math.min(x.length - 2, Math.max(0, Math.floor((x0 - x[0]) / dx)));
  const w = (x0 - x[k]) / dx;
  return (1 - w) * u[k] + w * u[k + 1];
}

/**
 * E f(rho_T) for the correlation SDE d rho = [dc nu(rho) - nc rho(1 - rho^2)/2] dt + sqrt(nc) (1 - rho^2) dW
 * of a ReLU-like activation, from rho_0 = rho0 (clocks dc = nc = 1 by default: the MLP). Grid of
 * `cells` cells on [-1, 1] and `steps` time steps; the defaults give about 1e-7 for smooth f (checked by
 * halving both).
 */
function correlationExpectationOf(options: CorrelationReferenceOptions & { activation: Activation }): number {
  const nu = options.activation.limit?.nu;
  const { driftClock: dc, noiseClock: nc } = checkedClocks(options.clocks);
  if (!nu)
    throw new InputError(
      'activation',
      options.activation.name,
      'must be ReLU-like (its correlation has an autonomous SDE)',
    );
  const rho0 = requireInRange('rho0', options.rho0, -1, 1);
  const T = requirePositive('T', options.T);
  const cells = requireInteger('cells', options.cells ?? 4000, 10);
  const steps = requireInteger('steps', options.steps ?? 2000, 4);
  const f = options.f ?? ((r: number) => r);
  const x = Float64Array.from({ length: cells + 1 }, (_, i) => -1 + (2 * i) / cells);
  const u = backward({
    x,
    mu: (r) => dc * nu(r) - nc * 0.5 * r * (1 - r * r),
    s2: (r) => nc * (1 - r * r) ** 2,
    initial: Float64Array.from(x, f),
    T,
    steps,
    // rho = 1 is absorbing (no drift, no noise); rho = -1 is left along the drift nu(-1) > 0.
    dirichlet: { left: null, right: f(1) },
  });
  return interpolate(x, u, rho0);
}

/**
 * P(X reaches `threshold` by T) for dX = dc beta X^2 dt + sqrt(2 nc) X dB from X0 (threshold Infinity: P(X
 * explodes by T), beta > 0; clocks dc = nc = 1 by default: the MLP). In Y = 1/X,
 * dY = (2 nc Y - dc beta) dt - sqrt(2 nc) Y dB is absorbed at Y = 1/threshold;
 * the half-line above it is mapped onto [0, 1] by z = u / (u + c), u = Y - 1/threshold, c = 1/X0 - 1/threshold,
 * where z = 1 (X = 0) is absorbing too, so no truncation is needed.
 */
function explosionProbabilityOf(options: {
  beta: number;
  x0: number;
  T: number;
  threshold?: number | undefined;
  cells?: number | undefined;
  steps?: number | undefined;
  clocks?: Clocks | undefined;
}): number {
  const beta = requireFinite('beta', options.beta);
  const { driftClock: dc, noiseClock: nc } = checkedClocks(options.clocks);
  const x0 = requirePositive('x0', options.x0);
  const T = requirePositive('T', options.T);
  const threshold = options.threshold ?? Infinity;
  if (!(threshold > x0)) throw new InputError('threshold', threshold, `must exceed x0 (${x0})`);
  if (!(beta > 0) && threshold === Infinity) return 0;
  const cells = requireInteger('cells', options.cells ?? 8000, 10);
  const steps = requireInteger('steps', options.steps ?? 4000, 4);
  const yTh = 1 / threshold;
  const c = 1 / x0 - yTh;
  const x = Float64Array.from({ length: cells + 1 }, (_, i) => i / cells);
  const initial = new Float64Array(cells + 1);
  initial[0] = 1;
  const u = backward({
    x,
    // Ito's formula for z(Y): z' = (1 - z)^2 / c, z'' = -2 (1 - z)^3 / c^2, with Y = yTh + c z / (1 - z).
    mu: (z) => {
      const y = yTh + (c * z) / (1 - z);
      return z >= 1 ? 0 : ((1 - z) ** 2 / c) * (2 * nc * y - dc * beta) - ((2 * nc * (1 - z) ** 3) / (c * c)) * y * y;
    },
    s2: (z) => {
      if (z >= 1) return 0;
      const y = yTh + (c * z) / (1 - z);
      return 2 * nc * ((1 - z) ** 2 / c) ** 2 * y * y;
    },
    initial,
    T,
    steps,
    dirichlet: { left: 1, right: 0 },
  });
  // A probability: Crank-Nicolson's rounding leaves values like -5e-82 where it is zero.
  return Math.min(1, Math.max(0, interpolate(x, u, 0.5)));
}

/** The options of correlationExpectation after the activation. */
export interface CorrelationReferenceOptions {
  rho0: number;
  T: number;
  /** E f(rho_T) (default f(rho) = rho). */
  f?: ((rho: number) => number) | undefined;
  cells?: number | undefined;
  steps?: number | undefined;
  clocks?: Clocks | undefined;
}

/** The options of explosionProbability after the activation. */
export interface ExplosionReferenceOptions {
  x0: number;
  T: number;
  /** In units of x0, as every threshold of the package (default Infinity: explosion itself). */
  threshold?: number | undefined;
  cells?: number | undefined;
  steps?: number | undefined;
  clocks?: Clocks | undefined;
}

function activationOf(value: unknown): Activation {
  if (typeof value === 'string') return parseActivation(value, 'activation');
  if (value === null || typeof value !== 'object' || typeof (value as Activation).atWidth !== 'function')
    throw new InputError(
      'activation',
      value,
      'must be an activation value or its text (relu:<c+>,<c-> | tanh|sin|swish|softplus|gelu:<a>)',
    );
  return value as Activation;
}

/** The two call forms of a reference: (activation or its text, { options }), or the deprecated single
 *  object recognised by `legacyKey` (one note per function). */
function referenceCall<O extends object>(
  name: string,
  first: unknown,
  second: O | undefined,
  legacyKey: string,
  keys: readonly string[],
  usage: string,
): { legacy: object } | { activation: Activation; options: O } {
  if (!isActivationLike(first) && first !== null && typeof first === 'object' && legacyKey in first) {
    deprecationNote(
      `${name}({ ${legacyKey} })`,
      `${name}({ ${legacyKey}, ... }) is deprecated: call ${name}(activation, ${usage})`,
    );
    return { legacy: first };
  }
  if (second === null || typeof second !== 'object')
    throw new InputError('options', second, `must be ${usage} after the activation`);
  requireKnownKeys(name, second, keys);
  return { activation: activationOf(first), options: second };
}

function isActivationLike(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    (value !== null && typeof value === 'object' && typeof (value as Activation).atWidth === 'function')
  );
}

/**
 * E f(rho_T) for the correlation SDE d rho = [dc nu(rho) - nc rho(1 - rho^2)/2] dt + sqrt(nc) (1 - rho^2) dW
 * of a ReLU-like activation (a value or its text), from rho_0 = rho0, by its Kolmogorov backward PDE
 * (clocks dc = nc = 1 by default: the MLP). Grid of `cells` cells on [-1, 1] and `steps` time steps; the
 * defaults give about 1e-7 for smooth f (checked by halving both). Every exact reference of the package
 * is called this way: the activation, then its named options.
 * @example
 * correlationExpectation('relu:0,-1', { rho0: 0.5, T: 1 }); // 0.4805462...
 */
export function correlationExpectation(activation: Activation | string, options: CorrelationReferenceOptions): number;
/** @deprecated The single-object form: give the activation first, `correlationExpectation(activation, { rho0, T })`. */
export function correlationExpectation(options: CorrelationReferenceOptions & { activation: Activation }): number;
export function correlationExpectation(first: unknown, second?: CorrelationReferenceOptions): number {
  const call = referenceCall(
    'correlationExpectation',
    first,
    second,
    'activation',
    ['rho0', 'T', 'f', 'cells', 'steps', 'clocks'],
    '{ rho0, T, ... }',
  );
  if ('legacy' in call)
    return correlationExpectationOf(call.legacy as CorrelationReferenceOptions & { activation: Activation });
  return correlationExpectationOf({ ...call.options, activation: call.activation });
}

/**
 * P(X reaches threshold x0 by T) for the diagonal SDE dX = dc beta X^2 dt + sqrt(2 nc) X dB of an
 * activation (a value or its text) from X0 = x0, the threshold in units of x0 as everywhere in the
 * package (default Infinity: P(X explodes by T), beta > 0).
 * @example
 * explosionProbability('swish:1', { x0: 1, T: 1 }); // 0.2008...
 */
export function explosionProbability(activation: Activation | string, options: ExplosionReferenceOptions): number;
/** @deprecated The single-object form with beta and an absolute threshold: give the activation first, `explosionProbability(activation, { x0, T, threshold })` (threshold in units of x0). */
export function explosionProbability(options: ExplosionReferenceOptions & { beta: number }): number;
export function explosionProbability(first: unknown, second?: ExplosionReferenceOptions): number {
  const call = referenceCall(
    'explosionProbability',
    first,
    second,
    'beta',
    ['x0', 'T', 'threshold', 'cells', 'steps', 'clocks'],
    '{ x0, T, threshold } (threshold in units of x0)',
  );
  if ('legacy' in call) return explosionProbabilityOf(call.legacy as ExplosionReferenceOptions & { beta: number });
  const { activation, options } = call;
  const beta = activation.limit?.beta;
  if (beta === undefined) throw new InputError('activation', activation.name, 'has no SDE limit (unshaped)');
  const x0 = requirePositive('x0', options.x0);
  const threshold = options.threshold === undefined ? Infinity : options.threshold;
  if (!(typeof threshold === 'number' && threshold > 1))
    throw new InputError('threshold', threshold, 'must be a number > 1, in units of x0');
  return explosionProbabilityOf({
    ...options,
    beta,
    x0,
    threshold: threshold === Infinity ? Infinity : threshold * x0,
  });
}

/** The reference for P(reach an absolute level by T) from beta (the architectures' clocks supply dc, nc). */
export function diagonalCrossing(options: {
  beta: number;
  x0: number;
  T: number;
  threshold?: number | undefined;
  cells?: number | undefined;
  steps?: number | undefined;
  clocks?: Clocks | undefined;
}): number {
  return explosionProbabilityOf(options);
}

/** The correlation reference for an activation value (the architectures' clocks supply dc, nc). */
export function correlationReference(options: CorrelationReferenceOptions & { activation: Activation }): number {
  return correlationExpectationOf(options);
}
