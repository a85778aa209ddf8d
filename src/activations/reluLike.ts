// Shaped ReLU-like activations: phi(x) = s+ max(x,0) + s- min(x,0) with s+- = 1 + c+- / sqrt(n)
// (SPEC.md section 2) and their limiting drift nu(rho) sqrt(V^aa V^bb) (section 3).
import { requireFinite, requireInteger } from '../errors.js';
import { covarianceLimit, type Activation, type FiniteActivation } from './types.js';

/** nu(rho) = (c+ - c-)^2 / (2 pi) (sqrt(1 - rho^2) - rho arccos rho), rho clamped to [-1, 1]. */
export function reluLikeNu(cPlus: number, cMinus: number): (rho: number) => number {
  const k = ((cPlus - cMinus) * (cPlus - cMinus)) / (2 * Math.PI);
  return (rho: number) => {
    const r = rho > 1 ? 1 : rho < -1 ? -1 : rho;
    return k * (Math.sqrt(1 - r * r) - r * Math.acos(r));
  };
}

/** A piecewise-linear phi with slopes (sPlus, sMinus) and gain c: shared by shaped and unshaped ReLU. */
export function piecewiseLinearAtWidth(n: number, sPlus: number, sMinus: number, c: number): FiniteActivation {
  return {
    n,
    c,
    phi: (x) => (x > 0 ? sPlus * x : sMinus * x),
    dphi: (x) => (x > 0 ? sPlus : sMinus),
    applyInPlace(buf, from, to) {
      for (let i = from; i < to; i++) {
        const x = buf[i];
        buf[i] = x > 0 ? sPlus * x : sMinus * x;
      }
    },
  };
}

export function shapedRelu(options: { cPlus: number; cMinus: number }): Activation {
  const cPlus = requireFinite('activation.cPlus', options.cPlus);
  const cMinus = requireFinite('activation.cMinus', options.cMinus);
  const nu = reluLikeNu(cPlus, cMinus);
  const k = ((cPlus - cMinus) * (cPlus - cMinus)) / (2 * Math.PI);
  // nu(1) = 0: each diagonal is a driftless geometric Brownian motion (beta = 0).
  const limit = covarianceLimit(0, nu, (vaa, vbb, vab) => {
    const scale = Math.sqrt(vaa * vbb);
    let rho = scale > 0 ? vab / scale : 0;
    rho = rho > 1 ? 1 : rho < -1 ? -1 : rho;
    return k * (Math.sqrt(1 - rho * rho) - rho * Math.acos(rho)) * scale;
  });
  return {
    family: 'relu-like',
    name: `shaped-relu(c+=${cPlus}, c-=${cMinus})`,
    spec: { family: 'relu-like', cPlus, cMinus },
    limit,
    atWidth(n) {
      requireInteger('n', n, 1);
      const sPlus = 1 + cPlus / Math.sqrt(n);
      const sMinus = 1 + cMinus / Math.sqrt(n);
      return piecewiseLinearAtWidth(n, sPlus, sMinus, 2 / (sPlus * sPlus + sMinus * sMinus));
    },
  };
}

/** The exact finite-width constant k of E[(V_l)^2] = V_0^2 (1 + k/n)^l for slopes s+, s- (SPEC.md section 5). */
export function reluLikeFourthMomentConstant(sPlus: number, sMinus: number): number {
  const p2 = sPlus * sPlus + sMinus * sMinus;
  return (6 * (sPlus ** 4 + sMinus ** 4)) / (p2 * p2) - 1;
}
