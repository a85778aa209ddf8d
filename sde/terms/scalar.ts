// The two 1-D reductions of the covariance SDE over a block of lanes (docs/maths.md, section 3), on
// drift and noise clocks (dc, nc; both 1 for the MLP):
// the ReLU-like correlation  d rho = [dc nu(rho) - nc rho (1 - rho^2)/2] dt + sqrt(nc) (1 - rho^2) dW on [-1, 1],
// and a diagonal entry  dX = dc beta X^2 dt + sqrt(2 nc) X dB  on [0, inf), which explodes in finite
// time when beta > 0. One noise direction each: a splitting solver needs no coins.
import { UNIT_CLOCKS, type Clocks, type NoiseFlows, type Term, type TermFlows } from '../term.js';
import { atanh, exp, tanh } from '../../src/math/index.js';
import { diagonalNoiseBlockWasm } from './diagonalNoise.wasm.js';

const clampUnit = (r: number) => (r > 1 ? 1 : r < -1 ? -1 : r);

/** One lane's scalar noise flow: load, one direction, store. */
function scalarNoise(flow: (v: number, z: number, h: number) => number, threshold: number): NoiseFlows {
  let v = 0;
  return {
    open(x, j) {
      v = x[j];
    },
    direction(_k, z, h) {
      v = flow(v, z, h);
    },
    close(x, j, _h, t, book) {
      x[j] = v;
      if (v > threshold) book.explode(j, t);
    },
  };
}

export function correlationTerm(options: {
  nu: (rho: number) => number;
  rho0: number;
  lanes: number;
  clocks?: Clocks;
  fused?: boolean;
}): Term {
  const { nu, rho0, lanes: B } = options;
  const { driftClock: dc, noiseClock: nc } = options.clocks ?? UNIT_CLOCKS;
  // Stratonovich drift: the Ito drift minus the correction (1/2) sigma sigma' = -nc rho (1 - rho^2).
  const stratonovich = (r: number) => dc * nu(r) + nc * 0.5 * r * (1 - r * r);
  const flows: TermFlows = {
    directions: 1,
    drift(x, tau, _t, book) {
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) continue;
        const r = x[j];
        const mid = clampUnit(r + 0.5 * tau * stratonovich(r));
        x[j] = clampUnit(r + tau * stratonovich(mid));
      }
    },
    // d rho = sqrt(nc) (1 - rho^2) o dW is solved by rho = tanh(atanh rho + sqrt(nc) W); rho = +-1 stays put.
    noise: scalarNoise((r, z, h) => tanh(atanh(r) + Math.sqrt(nc * h) * z), Infinity),
    noiseBlock:
      options.fused === false
        ? undefined
        : (x, g, h, _t, book) => {
            const root = Math.sqrt(nc * h);
            for (let j = 0; j < B; j++) if (book.alive[j]) x[j] = tanh(atanh(x[j]) + root * g[j]);
          },
  };
  return scalarTerm(rho0, B, flows, {
    drift(x, out, book) {
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? dc * nu(x[j]) - nc * 0.5 * x[j] * (1 - x[j] * x[j]) : 0;
    },
    diffusion(x, g, h, out, book) {
      const root = Math.sqrt(nc * h);
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? (1 - x[j] * x[j]) * root * g[j] : 0;
    },
    correction(x, out, book) {
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? -nc * x[j] * (1 - x[j] * x[j]) : 0;
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
  });
}

export function diagonalTerm(options: {
  beta: number;
  x0: number;
  lanes: number;
  threshold: number;
  clocks?: Clocks;
  fused?: boolean;
}): Term {
  const { beta, x0, lanes: B, threshold } = options;
  const { driftClock: dc, noiseClock: nc } = options.clocks ?? UNIT_CLOCKS;
  const betaD = dc * beta;
  const flows: TermFlows = {
    directions: 1,
    // In Y = 1/X the drift is the constant -beta: X <- X / (1 - beta tau X), which blows up inside the
    // flow when the denominator reaches 0, at the exact time 1 / (beta X) (docs/maths.md, section 7).
    drift(x, tauReal, t, book) {
      if (beta === 0) return;
      const tau = dc * tauReal;
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) continue;
        const v = x[j];
        const den = 1 - beta * tau * v;
        if (den <= 0) {
          book.explode(j, t + 1 / (beta * v) / dc);
          continue;
        }
        const next = v / den;
        if (next > threshold) book.explode(j, t + Math.max(0, (1 / v - 1 / threshold) / beta) / dc);
        x[j] = next;
      }
    },
    // The linear part dX = sqrt(2 nc) X o dB - nc X dt (Stratonovich, Ito correction included) is exact.
    noise: scalarNoise((v, z, h) => v * exp(Math.sqrt(2 * (nc * h)) * z - nc * h), threshold),
    noiseBlock:
      options.fused === false
        ? undefined
        : (diagonalNoiseBlockWasm(B, nc, threshold) ??
          ((x, g, h, t, book) => {
            const hn = nc * h;
            const root = Math.sqrt(2 * hn);
            for (let j = 0; j < B; j++) {
              if (!book.alive[j]) continue;
              x[j] *= exp(root * g[j] - hn);
              if (x[j] > threshold) book.explode(j, t);
            }
          })),
  };
  return scalarTerm(x0, B, flows, {
    drift(x, out, book) {
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? betaD * x[j] * x[j] : 0;
    },
    diffusion(x, g, h, out, book) {
      const root = Math.SQRT2 * Math.sqrt(nc * h);
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? root * x[j] * g[j] : 0;
    },
    correction(x, out, book) {
      for (let j = 0; j < B; j++) out[j] = book.alive[j] ? nc * x[j] : 0;
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
  });
}

type ScalarMaths = Pick<Term, 'drift' | 'diffusion' | 'correction' | 'settle'>;

function scalarTerm(x0: number, lanes: number, flows: TermFlows, maths: ScalarMaths): Term {
  return {
    dimension: 1,
    noise: 1,
    outputSize: 1,
    flows,
    ...maths,
    initialise(x) {
      x.fill(x0, 0, lanes);
    },
    write(x, lane, out, offset) {
      out[offset] = x[lane];
    },
  };
}
