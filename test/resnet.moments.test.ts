// Per-layer moments of the shaped residual network (docs/maths.md, section 13). First the exact
// conditional moments given the stream z, against simulated layers (chain and explicit weights); then
// their averages over streams with Gram exactly V, against the limit's gamma^2 b(V) and s^2 Sigma(V), at
// n = 256, 1024, 4096, with the deviation's trend in n fitted and a wrong clock rejected.
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, type Activation } from '../src/activations/index.js';
import { openStream } from '../src/random/streams.js';
import { mlpLimit } from '../architectures/index.js';
import { dense, residual } from '../architectures/index.js';
import {
  conditionalCovariance,
  conditionalDrift,
  limitCovariance,
  noiseClock,
  packedPairs,
} from '../architectures/resnet/moments.js';
import { branchCovariance, inputStream, streamGram } from '../networks/index.js';

const GAMMA = Math.sqrt(0.5);
const M = 2;
const P = 3; // packed pairs of a 2 x 2 matrix: (0,0), (0,1), (1,1)
const PAIRS = packedPairs(M);

function matrix(v00: number, rho: number, v11: number): Float64Array {
  const v01 = rho * Math.sqrt(v00 * v11);
  return Float64Array.from([v00, v01, v01, v11]);
}

/** Exact n E[dV_p dV_q | z] = n Cov + n E dV_p E dV_q, packed P x P. */
function exactSecondMoment(v: Float64Array, k: Float64Array, n: number, out: Float64Array): void {
  conditionalCovariance(v, k, M, GAMMA, out);
  const drift = new Float64Array(P);
  conditionalDrift(v, k, M, GAMMA, drift);
  for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) out[p * P + q] += n * drift[p] * drift[q];
}

describe('the input stream', () => {
  it('has Gram exactly V0 (to 1e-12), also for a singular V0, and refuses n < side', () => {
    const rng = openStream(1, 'test/resnet-stream', 0);
    const l = new Float64Array(9);
    for (const v0 of [
      Float64Array.from([2, 0.3, -0.4, 0.3, 1, 0.2, -0.4, 0.2, 0.5]),
      Float64Array.from([1, 1, 0.5, 1, 1, 0.5, 0.5, 0.5, 1]),
    ]) {
      for (const n of [3, 64]) {
        const z = new Float64Array(n * 3);
        inputStream(rng, v0, n, 3, z, l);
        const v = new Float64Array(9);
        streamGram(z, n, 3, v);
        for (let i = 0; i < 9; i++) expect(Math.abs(v[i] - v0[i])).toBeLessThan(1e-12);
      }
    }
    expect(() => inputStream(rng, new Float64Array(9), 2, 3, new Float64Array(6), l)).toThrow(/n/);
  });
});

describe('exact conditional moments given z, against simulated layers (n = 16)', () => {
  // One fixed stream; many layers drawn from it. dV's mean must be gamma^2 (K - V) and n E[dV_p dV_q]
  // the formula, each within 4.5 SE (9 comparisons per sampler); the formula without its gamma^4 K K
  // term (the branch's own Wishart noise) must be rejected by more than 10 SE (power).
  const n = 16;
  const cases: Array<[string, Activation]> = [
    ['shaped relu c+=0, c-=-1', shapedRelu({ cPlus: 0, cMinus: -1 })],
    ['shaped swish a=1', shapedSmooth('swish', { a: 1 })],
  ];
  for (const [name, activation] of cases) {
    for (const method of ['chain', 'explicit'] as const) {
      it(`${name}, ${method}`, () => {
        const act = activation.atWidth(n);
        const side = M;
        const z = new Float64Array(n * side);
        const next = new Float64Array(n * side);
        inputStream(openStream(7, 'test/resnet-fixed-z', 0), matrix(1, 0.3, 2), n, side, z, new Float64Array(4));
        const v = new Float64Array(4);
        streamGram(z, n, side, v);
        const k = new Float64Array(4);
        branchCovariance(z, n, M, false, act, new Float64Array(n * side), k);
        const drift = new Float64Array(P);
        conditionalDrift(v, k, M, GAMMA, drift);
        const second = new Float64Array(P * P);
        exactSecondMoment(v, k, n, second);
        const draws = method === 'chain' ? 40_000 : 20_000;
        const rng = openStream(8, `test/resnet-fixed-z/${method}/${name}`, 0);
        const layer = residual(dense(), { gamma: GAMMA }).layer(act, { n, m: M, side, derivatives: false });
        const s1 = new Float64Array(P);
        const s2 = new Float64Array(P);
        const q1 = new Float64Array(P * P);
        const q2 = new Float64Array(P * P);
        const vNext = new Float64Array(4);
        const dv = new Float64Array(P);
        for (let t = 0; t < draws; t++) {
          if (method === 'chain') layer.chain(rng, z, null, next);
          else layer.explicit(rng, z, next);
          streamGram(next, n, side, vNext);
          PAIRS.forEach(([a, b], p) => {
            dv[p] = vNext[a * M + b] - v[a * M + b];
            s1[p] += dv[p];
            s2[p] += dv[p] * dv[p];
          });
          for (let p = 0; p < P; p++)
            for (let q = 0; q < P; q++) {
              const x = n * dv[p] * dv[q];
              q1[p * P + q] += x;
              q2[p * P + q] += x * x;
            }
        }
        const without = new Float64Array(P * P);
        conditionalCovariance(v, k, M, GAMMA, without);
        let worstPower = 0;
        for (let p = 0; p < P; p++) {
          const mean = s1[p] / draws;
          const se = Math.sqrt((s2[p] / draws - mean * mean) / draws);
          expect(Math.abs(mean - drift[p])).toBeLessThan(4.5 * se);
          for (let q = 0; q < P; q++) {
            const i = p * P + q;
            const m2 = q1[i] / draws;
            const se2 = Math.sqrt((q2[i] / draws - m2 * m2) / draws);
            expect(Math.abs(m2 - second[i])).toBeLessThan(4.5 * se2);
            const [a, b] = PAIRS[p];
            const [c, e] = PAIRS[q];
            const kk = GAMMA ** 4 * (k[a * M + c] * k[b * M + e] + k[a * M + e] * k[b * M + c]);
            worstPower = Math.max(worstPower, Math.abs(m2 - (second[i] - kk)) / se2);
          }
        }
        expect(worstPower).toBeGreaterThan(10);
      });
    }
  }
});

/**
 * Weighted least squares y ~ sum_j coef_j f_j(n) (weights 1/se^2, errors independent): the coefficients,
 * their SEs (from (X^T W X)^-1, not inflated) and chi^2 with its degrees of freedom.
 */
function fitBasis(
  basis: ReadonlyArray<(n: number) => number>,
  widths: readonly number[],
  y: readonly number[],
  se: readonly number[],
) {
  const k = basis.length;
  const a = Array.from({ length: k }, () => new Float64Array(2 * k));
  const rhs = new Float64Array(k);
  widths.forEach((n, i) => {
    const w = se[i] ** -2;
    for (let r = 0; r < k; r++) {
      rhs[r] += w * basis[r](n) * y[i];
      for (let c = 0; c < k; c++) a[r][c] += w * basis[r](n) * basis[c](n);
    }
  });
  // Gauss-Jordan on [A | I]: the inverse gives both the solution and the covariance.
  for (let r = 0; r < k; r++) a[r][k + r] = 1;
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * k; j++) a[c][j] /= d;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * k; j++) a[r][j] -= f * a[c][j];
    }
  }
  const coef = Array.from({ length: k }, (_, r) => basis.reduce((acc, _f, c) => acc + a[r][k + c] * rhs[c], 0));
  const coefSe = Array.from({ length: k }, (_, r) => Math.sqrt(a[r][k + r]));
  let chi2 = 0;
  widths.forEach((n, i) => {
    chi2 += ((y[i] - basis.reduce((acc, f, j) => acc + coef[j] * f(n), 0)) / se[i]) ** 2;
  });
  return { coef, coefSe, chi2, dof: widths.length - k };
}

/**
 * Over `pairs` antithetic pairs (z, -z) of streams with Gram exactly v: the means and SEs of
 * n gamma^2 (K - V)_p and of the exact n E[dV_p dV_q | z], each averaged over the pair (both members have
 * the law; the pair cancels the cross term's O(1) per-draw noise).
 */
function layerAverages(activation: Activation, v: Float64Array, n: number, pairs: number, seed: number) {
  const act = activation.atWidth(n);
  const z = new Float64Array(n * M);
  const a = new Float64Array(n * M);
  const l = new Float64Array(4);
  const k = new Float64Array(4);
  const drift = new Float64Array(P);
  const second = new Float64Array(P * P);
  const sum = new Float64Array(P + P * P);
  const sumSq = new Float64Array(P + P * P);
  const pair = new Float64Array(P + P * P);
  const rng = openStream(seed, `test/resnet-layer/${activation.name}/${n}`, 0);
  for (let t = 0; t < pairs; t++) {
    inputStream(rng, v, n, M, z, l);
    pair.fill(0);
    for (let sign = 0; sign < 2; sign++) {
      if (sign === 1) for (let i = 0; i < n * M; i++) z[i] = -z[i];
      branchCovariance(z, n, M, false, act, a, k);
      conditionalDrift(v, k, M, GAMMA, drift);
      exactSecondMoment(v, k, n, second);
      for (let p = 0; p < P; p++) pair[p] += (n * drift[p]) / 2;
      for (let i = 0; i < P * P; i++) pair[P + i] += second[i] / 2;
    }
    for (let i = 0; i < pair.length; i++) {
      sum[i] += pair[i];
      sumSq[i] += pair[i] * pair[i];
    }
  }
  const mean = Array.from(sum, (s) => s / pairs);
  const se = Array.from(sumSq, (s, i) => Math.sqrt(Math.max(0, s / pairs - mean[i] ** 2) / pairs));
  return { mean, se };
}

describe('per-layer moments against the limit: n E[dV | V] -> gamma^2 b(V), n E[dV dV^T | V] -> s^2 Sigma(V)', () => {
  const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
  const cases: Array<[string, Activation, 'relu' | 'smooth', Float64Array]> = [
    ['relu c+=0 c-=-1, rho 0.5', relu, 'relu', matrix(1, 0.5, 1)],
    ['relu c+=0 c-=-1, rho 0.95, V^bb = 2', relu, 'relu', matrix(1, 0.95, 2)],
    ['relu c+=0 c-=-1, rho -0.3, V^aa = 1.5, V^bb = 0.5', relu, 'relu', matrix(1.5, -0.3, 0.5)],
    ['swish a=1, rho 0.5', shapedSmooth('swish', { a: 1 }), 'smooth', matrix(1, 0.5, 1)],
    ['swish a=1, rho 0.95, V^bb = 2', shapedSmooth('swish', { a: 1 }), 'smooth', matrix(1, 0.95, 2)],
    ['tanh a=1, rho -0.3, V^aa = 1.5, V^bb = 0.5', shapedSmooth('tanh', { a: 1 }), 'smooth', matrix(1.5, -0.3, 0.5)],
  ];
  const widths = [256, 512, 1024, 2048, 4096];
  const g2 = GAMMA * GAMMA;
  const s2 = noiseClock(GAMMA);
  // The deviation's orders in n (section 13): ReLU-like drift (c - 1) b + O(1/n) with c - 1 =
  // -(c_+ + c_-)/sqrt(n) + O(1/n); the smooth drift and every second moment O(1/n) and O(1/n^2) (terms odd
  // in z vanish). In u = 256/n, fitted with the limit c_0 free: 5 widths, 3 coefficients, 2 dof. Each
  // width draws its own stream, so the levels' errors are independent.
  const u = (n: number) => 256 / n;
  const one = () => 1;
  const reluBasis = [one, (n: number) => Math.sqrt(u(n)), u];
  const smoothBasis = [one, u, (n: number) => u(n) ** 2];
  const CHI2_2DOF_P001 = 13.82;
  cases.forEach(([name, activation, family, v], caseIndex) => {
    it(name, () => {
      const b = new Float64Array(4);
      mlpLimit(activation).drift(v, M, b);
      const sigma = new Float64Array(P * P);
      limitCovariance(v, M, 1, sigma);
      const levels = widths.map((n, i) => layerAverages(activation, v, n, 3000, 1000 + 10 * caseIndex + i));
      const driftBasis = family === 'relu' ? reluBasis : smoothBasis;
      const cPlusMinus = -1; // c_+ + c_- of the ReLU-like cases
      for (let p = 0; p < P; p++) {
        const [a, bb] = PAIRS[p];
        const target = g2 * b[a * M + bb];
        const means = levels.map((s) => s.mean[p]);
        const ses = levels.map((s) => s.se[p]);
        if (family === 'relu' && a === bb) {
          // b^aa = 0 and n E[K^aa - V^aa | V] = 0 exactly for ReLU-like (section 13): rounding only.
          for (const x of means) expect(Math.abs(x)).toBeLessThan(1e-9);
          continue;
        }
        // The standard error is far below the drift being tested, at every width.
        for (const se of ses) expect(se).toBeLessThan(0.05 * Math.abs(target));
        const fit = fitBasis(
          driftBasis,
          widths,
          means.map((x) => x - target),
          ses,
        );
        // The deviation extrapolates to zero, resolved to a tenth of the drift, and the model fits.
        expect(fit.coefSe[0]).toBeLessThan(0.1 * Math.abs(target));
        expect(Math.abs(fit.coef[0])).toBeLessThan(4 * fit.coefSe[0]);
        expect(fit.chi2).toBeLessThan(CHI2_2DOF_P001);
        // ReLU-like: the 1/sqrt(n) term is -(c_+ + c_-) b (coefficient of sqrt(256/n) is that over 16).
        if (family === 'relu')
          expect(Math.abs(fit.coef[1] - (-cPlusMinus * target) / 16)).toBeLessThan(4 * fit.coefSe[1]);
        // Power: the MLP's clock (drift gamma^2 -> 1) is rejected by the same extrapolation.
        const wrong = fitBasis(
          driftBasis,
          widths,
          means.map((x) => x - b[a * M + bb]),
          ses,
        );
        expect(Math.abs(wrong.coef[0])).toBeGreaterThan(4 * wrong.coefSe[0]);
      }
      for (let i = 0; i < P * P; i++) {
        const target = s2 * sigma[i];
        if (target === 0) continue;
        const means = levels.map((s) => s.mean[P + i]);
        const ses = levels.map((s) => s.se[P + i]);
        for (const se of ses) expect(se).toBeLessThan(0.05 * Math.abs(target));
        const fit = fitBasis(
          smoothBasis,
          widths,
          means.map((x) => x - target),
          ses,
        );
        expect(fit.coefSe[0]).toBeLessThan(0.1 * Math.abs(target));
        expect(Math.abs(fit.coef[0])).toBeLessThan(4 * fit.coefSe[0]);
        expect(fit.chi2).toBeLessThan(CHI2_2DOF_P001);
        // Power: the MLP's noise clock (s^2 -> 1) is rejected.
        const wrong = fitBasis(
          smoothBasis,
          widths,
          means.map((x) => x - sigma[i]),
          ses,
        );
        expect(Math.abs(wrong.coef[0])).toBeGreaterThan(4 * wrong.coefSe[0]);
      }
    });
  });
});
