// Shaped ReLU-like activations: phi(x) = s+ max(x,0) + s- min(x,0) with s+- = 1 + c+- / sqrt(n)
// (docs/maths.md, section 2) and the scalar facts of their limit: nu(rho) and its coefficient (section 3).
import { requireFinite, requireInteger } from '../errors.js';
import type { Activation, FiniteActivation } from './types.js';
import { acos } from '../math/index.js';

/** The degree-1 arc-cosine kernel J(r) = (sqrt(1 - r^2) + (pi - arccos r) r) / pi: J(1) = 1, J(-1) = 0. */
export function arcCosineKernel(r: number): number {
  const c = r > 1 ? 1 : r < -1 ? -1 : r;
  return (Math.sqrt(1 - c * c) + (Math.PI - acos(c)) * c) / Math.PI;
}

/**
 * The flow of one correlation under r' = nu(r) = kappa (J(r) - r) over tau, by second-order Taylor:
 * r + tau nu + (tau^2 / 2) nu' nu, with nu' = kappa (J'(r) - 1), J'(r) = (pi - arccos r) / pi, so one arccos
 * gives both. For tau kappa <= 1 it stays in [-1, 1] (nu >= 0 pushes up while nu' <= 0 bends back
 * below 1; at -1 it moves up by tau kappa (1 - tau kappa / 2) >= 0); longer flows are sub-stepped.
 */
export function reluPairFlow(kappa: number, r: number, tau: number): number {
  const pieces = Math.max(1, Math.ceil(tau * kappa));
  const dt = tau / pieces;
  for (let k = 0; k < pieces; k++) {
    const c = r > 1 ? 1 : r < -1 ? -1 : r;
    const theta = acos(c);
    const j = (Math.sqrt(1 - c * c) + (Math.PI - theta) * c) / Math.PI;
    const nu = kappa * (j - c);
    const slope = kappa * ((Math.PI - theta) / Math.PI - 1);
    r = c + dt * nu + 0.5 * dt * dt * slope * nu;
  }
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** nu(rho) = (c+ - c-)^2 / (2 pi) (sqrt(1 - rho^2) - rho arccos rho), rho clamped to [-1, 1]. */
export function reluLikeNu(cPlus: number, cMinus: number): (rho: number) => number {
  const k = ((cPlus - cMinus) * (cPlus - cMinus)) / (2 * Math.PI);
  return (rho: number) => {
    const r = rho > 1 ? 1 : rho < -1 ? -1 : rho;
    return k * (Math.sqrt(1 - r * r) - r * acos(r));
  };
}

/**
 * A piecewise-linear phi with slopes (sPlus, sMinus) and gain c: shared by shaped and unshaped ReLU.
 * It is applied as a x + b |x| with a = (s+ + s-)/2, b = (s+ - s-)/2: the sign of x is a coin flip,
 * and a branch on it is mispredicted half the time.
 */
export function piecewiseLinearAtWidth(n: number, sPlus: number, sMinus: number, c: number): FiniteActivation {
  const a = 0.5 * (sPlus + sMinus);
  const b = 0.5 * (sPlus - sMinus);
  return {
    n,
    c,
    phi: (x) => a * x + b * Math.abs(x),
    dphi: (x) => (x > 0 ? sPlus : sMinus),
    applyInPlace(buf, from, to) {
      for (let i = from; i < to; i++) {
        const x = buf[i];
        buf[i] = a * x + b * Math.abs(x);
      }
    },
    piecewise: { a, b },
  };
}

/** The slopes s+- = 1 + c+- / sqrt(n) and the gain c = 2 / (s+^2 + s-^2) of a shaped ReLU-like layer. */
export function reluLikeSlopes(
  cPlus: number,
  cMinus: number,
  n: number,
): { sPlus: number; sMinus: number; gain: number } {
  const sPlus = 1 + cPlus / Math.sqrt(n);
  const sMinus = 1 + cMinus / Math.sqrt(n);
  return { sPlus, sMinus, gain: 2 / (sPlus * sPlus + sMinus * sMinus) };
}

/**
 * The shaped ReLU-like activation phi(x) = s+ max(x, 0) + s- min(x, 0), s+- = 1 + c+- / sqrt(n), with gain
 * c = 2 / (s+^2 + s-^2); its limit has correlation drift nu(rho) = (c+ - c-)^2 / (2 pi) (sqrt(1 - rho^2) - rho arccos rho).
 * @example
 * const act = shapedRelu({ cPlus: 0, cMinus: -1 });
 * act.atWidth(256).phi(-1); // -(1 - 1/16)
 */
export function shapedRelu(options: { cPlus: number; cMinus: number }): Activation {
  const cPlus = requireFinite('activation.cPlus', options?.cPlus);
  const cMinus = requireFinite('activation.cMinus', options?.cMinus);
  const nu = reluLikeNu(cPlus, cMinus);
  const k = ((cPlus - cMinus) * (cPlus - cMinus)) / (2 * Math.PI);
  // nu(1) = 0: each diagonal is a driftless geometric Brownian motion.
  const limit = { family: 'relu-like' as const, beta: 0 as const, nu, k };
  return {
    family: 'relu-like',
    name: `shaped-relu(c+=${cPlus}, c-=${cMinus})`,
    spec: { family: 'relu-like', cPlus, cMinus },
    limit,
    atWidth(n) {
      requireInteger('n', n, 1);
      const { sPlus, sMinus, gain } = reluLikeSlopes(cPlus, cMinus, n);
      return piecewiseLinearAtWidth(n, sPlus, sMinus, gain);
    },
  };
}

/** The exact finite-width constant k of E[(V_l)^2] = V_0^2 (1 + k/n)^l for slopes s+, s- (docs/maths.md, section 5). */
export function reluLikeFourthMomentConstant(sPlus: number, sMinus: number): number {
  const a2 = sPlus * sPlus;
  const b2 = sMinus * sMinus;
  const p2 = a2 + b2;
  // products, not ** 4: an engine's pow may round x ** 4 differently (src/math keeps results engine-free)
  return (6 * (a2 * a2 + b2 * b2)) / (p2 * p2) - 1;
}
