// For two tokens the squared distance w = V11 + V22 - 2 V12 of the attention limit is an autonomous 1-D
// diffusion (docs/maths.md, 14.10): its Feller test and P(w reaches a level by T), from the backward
// equation in y = 1/w, are references for the SDE's P(explode) that no Monte Carlo run enters.
import { InputError, requireInteger, requirePositive } from '../../src/errors.js';
import { checkAttentionParams } from './params.js';

/** The coefficients of the two-token distance: drift a w^3, noise variance 2 s2 w^2 + c w^4. */
export interface TokenDistanceLaw {
  readonly a: number;
  readonly c: number;
  readonly s2: number;
}

/** a = gamma^2 / (16 tau0^2), c = gamma^4 / (4 tau0^2 H), s^2 = gamma^2 (2 - gamma^2) (shaped attention, m = 2). */
export function tokenDistanceLaw(p: { gamma: number; tau0: number; heads?: number }): TokenDistanceLaw {
  const { gamma, tau0, heads } = checkAttentionParams(p);
  const g2 = gamma * gamma;
  return { a: g2 / (16 * tau0 * tau0), c: (g2 * g2) / (4 * tau0 * tau0 * heads), s2: g2 * (2 - g2) };
}

/**
 * Whether the two-token distance blows up in finite time (with positive probability): near w = infinity,
 * y = 1/w is a Bessel process of dimension 3 - 2a/c, which reaches 0 iff that is below 2, i.e. H > 2 gamma^2
 * (tau0 drops out: it only scales V).
 */
export function tokenDistanceBlowsUp(p: { gamma: number; tau0: number; heads?: number }): boolean {
  const { a, c } = tokenDistanceLaw(p);
  return 2 * a > c;
}

/** Options of tokenDistanceCrossing. */
export interface TokenDistanceOptions {
  readonly gamma: number;
  readonly tau0: number;
  readonly heads?: number;
  /** The initial distance w0 = V11 + V22 - 2 V12 > 0 (unit variances and correlation rho0: 2 (1 - rho0)). */
  readonly w0: number;
  readonly T: number;
  /** The level of w; Infinity (the default) asks for blow-up by T. */
  readonly level?: number;
  /** Grid cells in z = y / (y + 1/w0), on [1/level, infinity) in y (default 2000). */
  readonly cells?: number;
  /** Time steps (default 2000). */
  readonly steps?: number;
}

/**
 * P(w reaches `level` by T) for the two-token distance of shaped attention, continuously monitored (level
 * Infinity: blow-up by T, 0 where tokenDistanceBlowsUp is false). In y = 1/w, dy = [(c - a)/y + 2 s^2 y] dt
 * - sqrt(2 s^2 y^2 + c) dB, absorbed at y = 1/level; z = y / (y + 1/w0) maps y in [1/level, infinity) onto
 * [z_level, 1] (z = 1 is w = 0, which w never leaves), and the backward equation is solved there by
 * Crank-Nicolson after four quarter-steps of implicit Euler. The defaults give about 1e-6 (checked by
 * halving both grids).
 */
export function tokenDistanceCrossing(options: TokenDistanceOptions): number {
  const law = tokenDistanceLaw(options);
  const w0 = requirePositive('w0', options.w0);
  const T = requirePositive('T', options.T);
  const level = options.level ?? Infinity;
  if (!(level > w0)) throw new InputError('level', level, `must be above w0 (${w0})`);
  const cells = requireInteger('cells', options.cells ?? 2000, 10);
  const steps = requireInteger('steps', options.steps ?? 2000, 4);
  if (level === Infinity && !tokenDistanceBlowsUp(options)) return 0;
  const { a, c, s2 } = law;
  const k = 1 / w0;
  const yLevel = 1 / level;
  const zLevel = yLevel / (yLevel + k);
  const dz = (1 - zLevel) / cells;
  // Interior nodes 1..cells-1; u = 1 at z_level (absorbed), u = 0 at z = 1 (w = 0 is never left).
  const n = cells - 1;
  const lo = new Float64Array(n);
  const mid = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = zLevel + (i + 1) * dz;
    const y = (k * z) / (1 - z);
    const mu = (c - a) / y + 2 * s2 * y;
    const sig2 = 2 * s2 * y * y + c;
    const zp = k / ((y + k) * (y + k));
    const zpp = (-2 * k) / ((y + k) * (y + k) * (y + k));
    const muZ = zp * mu + 0.5 * zpp * sig2;
    const diff = 0.5 * zp * zp * sig2;
    lo[i] = diff / (dz * dz) - muZ / (2 * dz);
    mid[i] = (-2 * diff) / (dz * dz);
    hi[i] = diff / (dz * dz) + muZ / (2 * dz);
  }
  let u = new Float64Array(n);
  const sub = new Float64Array(n);
  const diag = new Float64Array(n);
  const sup = new Float64Array(n);
  const rhs = new Float64Array(n);
  const cp = new Float64Array(n);
  const advance = (dt: number, theta: number) => {
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? u[i - 1] : 1;
      const right = i < n - 1 ? u[i + 1] : 0;
      rhs[i] = u[i] + (1 - theta) * dt * (lo[i] * left + mid[i] * u[i] + hi[i] * right);
      sub[i] = -theta * dt * lo[i];
      diag[i] = 1 - theta * dt * mid[i];
      sup[i] = -theta * dt * hi[i];
    }
    // The absorbed boundary's value 1 enters the first row.
    rhs[0] -= sub[0];
    // Thomas algorithm.
    cp[0] = sup[0] / diag[0];
    rhs[0] /= diag[0];
    for (let i = 1; i < n; i++) {
      const den = diag[i] - sub[i] * cp[i - 1];
      cp[i] = sup[i] / den;
      rhs[i] = (rhs[i] - sub[i] * rhs[i - 1]) / den;
    }
    for (let i = n - 2; i >= 0; i--) rhs[i] -= cp[i] * rhs[i + 1];
    u = Float64Array.from(rhs);
  };
  const dt = T / steps;
  for (let q = 0; q < 4; q++) advance(dt / 4, 1);
  for (let q = 1; q < steps; q++) advance(dt, 0.5);
  // w0 sits at z = 1/2; linear interpolation between the nodes around it.
  const x = (0.5 - zLevel) / dz - 1;
  const i = Math.min(n - 2, Math.max(0, Math.floor(x)));
  const f = x - i;
  return (1 - f) * u[i] + f * u[i + 1];
}
