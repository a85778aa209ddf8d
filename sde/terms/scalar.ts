// The two 1-D reductions of the covariance SDE over a block of lanes (docs/maths.md, section 3):
// the ReLU-like correlation  d rho = [nu(rho) - rho (1 - rho^2)/2] dt + (1 - rho^2) dW  on [-1, 1],
// and a diagonal entry  dX = beta X^2 dt + sqrt(2) X dB  on [0, inf), which explodes in finite time
// when beta > 0. With a single noise direction, Ninomiya-Victoir is a Strang splitting: no coins.
import type { CovarianceLimit } from '../../src/activations/index.js';
import type { BlockTerm, ItoForm, SplitForm } from '../forms.js';

const clampUnit = (r: number) => (r > 1 ? 1 : r < -1 ? -1 : r);

export function correlationBlockTerm(limit: CovarianceLimit, rho0: number, lanes: number): BlockTerm {
  const nu = limit.nu!;
  const B = lanes;
  const ito: ItoForm = {
    drift(x, out, book) {
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? nu(x[j]) - 0.5 * x[j] * (1 - x[j] * x[j]) : 0;
    },
    diffusion(x, g, h, out, book) {
      const root = Math.sqrt(h);
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? (1 - x[j] * x[j]) * root * g[j] : 0;
    },
    settle(x, previous, t, book) {
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) continue;
        const r = x[j];
        if (!(r - r === 0)) {
          x[j] = previous[j];
          book.explode(j, t);
        } else if (r > 1 || r < -1) {
          // Euler can overshoot |rho| = 1, where the diffusion is absorbed; clip and count.
          book.repair(j, 1 - Math.abs(r));
          x[j] = clampUnit(r);
        }
      }
    },
  };
  // Stratonovich drift: the Ito drift minus (1/2) sigma sigma' = + rho (1 - rho^2).
  const stratonovich = (r: number) => nu(r) + 0.5 * r * (1 - r * r);
  const split: SplitForm = {
    needsCoins: false,
    driftFlow(x, tau, _t, book) {
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) continue;
        const r = x[j];
        const mid = clampUnit(r + 0.5 * tau * stratonovich(r));
        x[j] = clampUnit(r + tau * stratonovich(mid));
      }
    },
    noiseFlow(x, g, _coins, h, _t, book) {
      // d rho = (1 - rho^2) o dW is solved by rho = tanh(atanh rho + W); rho = +-1 stays put.
      const root = Math.sqrt(h);
      for (let j = 0; j < B; j++) if (book.alive[j]) x[j] = Math.tanh(Math.atanh(x[j]) + root * g[j]);
    },
  };
  return scalarTerm(ito, split, rho0, B);
}

export function diagonalBlockTerm(limit: CovarianceLimit, x0: number, lanes: number, threshold: number): BlockTerm {
  const beta = limit.beta;
  const B = lanes;
  const ito: ItoForm = {
    drift(x, out, book) {
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? beta * x[j] * x[j] : 0;
    },
    diffusion(x, g, h, out, book) {
      const root = Math.SQRT2 * Math.sqrt(h);
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? root * x[j] * g[j] : 0;
    },
    settle(x, previous, t, book) {
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) continue;
        const v = x[j];
        if (!(v - v === 0) || v > threshold) {
          if (!(v - v === 0)) x[j] = previous[j];
          book.explode(j, t);
        } else if (v < 0) {
          book.repair(j, v);
          x[j] = 0;
        }
      }
    },
  };
  const split: SplitForm = {
    needsCoins: false,
    // In Y = 1/X the drift is the constant -beta: X <- X / (1 - beta tau X), which blows up inside the
    // flow when the denominator reaches 0, at the exact time 1 / (beta X) (docs/maths.md, section 7).
    driftFlow(x, tau, t, book) {
      if (beta === 0) return;
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) continue;
        const v = x[j];
        const den = 1 - beta * tau * v;
        if (den <= 0) {
          book.explode(j, t + 1 / (beta * v));
          continue;
        }
        const next = v / den;
        if (next > threshold) {
          book.explode(j, t + Math.max(0, (1 / v - 1 / threshold) / beta));
        }
        x[j] = next;
      }
    },
    // The linear part dX = sqrt(2) X o dB - X dt (Stratonovich, Ito correction included) is exact.
    noiseFlow(x, g, _coins, h, t, book) {
      const root = Math.sqrt(2 * h);
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) continue;
        x[j] *= Math.exp(root * g[j] - h);
        if (x[j] > threshold) book.explode(j, t);
      }
    },
  };
  return scalarTerm(ito, split, x0, B);
}

function scalarTerm(ito: ItoForm, split: SplitForm, x0: number, lanes: number): BlockTerm {
  return {
    dimension: 1,
    noise: 1,
    ito,
    split,
    outputSize: 1,
    initialise(x) {
      x.fill(x0, 0, lanes);
    },
    write(x, lane, out, offset) {
      out[offset] = x[lane];
    },
  };
}
