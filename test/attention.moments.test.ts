// Per-layer moments of the shaped attention block against its covariance SDE (docs/maths.md, section 14).
// A whole-layer Monte Carlo cannot resolve the attention terms (its SE on n E[dV] at n = 4096 is about
// sqrt(n / N)); here the value weights are integrated out exactly given (X, A), the Monte Carlo runs over
// the heads' Q and K only, and the softmax's first-order term (mean exactly zero) is a control variate.
// Every comparison is entrywise at 4.5 standard errors (each SE from the per-draw terms, fixed seeds), and
// each states that its SE is far below the attention term it tests.
import { describe, expect, it } from 'vitest';
import { choleskyPsd } from '../src/linalg.js';
import { openStream } from '../src/random/streams.js';
import { attentionDrift } from '../architectures/attention/limit.js';
import { limitMaths } from '../architectures/index.js';
import {
  addConditionalCovariance,
  conditionalMean,
  valuePartToOrder1OverN,
} from '../architectures/attention/moments.js';
import { firstOrderAttention, shapedAttention } from '../architectures/attention/softmax.js';
import { doublyCentred, sandwich } from '../src/matrix.js';
import type { AttentionParams } from '../architectures/attention/params.js';
import { inputStream, residualSkip } from '../networks/index.js';
import { diffusionCovariance, layerMoments, presetLimit } from './helpers/attention.js';

const Z = 4.5;

/** max_k |est_k - pred_k| / se_k. */
function worstZ(est: ArrayLike<number>, pred: ArrayLike<number>, se: ArrayLike<number>): number {
  let z = 0;
  for (let k = 0; k < est.length; k++) z = Math.max(z, Math.abs(est[k] - pred[k]) / se[k]);
  return z;
}
const maxAbs = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, x) => Math.max(a, Math.abs(x)), 0);

describe('the shaped attention matrix', () => {
  it('rows of A - I sum to zero, large logits do not overflow, and (1/m) S C is the first-order term', () => {
    const m = 4;
    const rng = openStream(1, 'test/softmax', 0);
    const s = new Float64Array(m * m);
    const a = new Float64Array(m * m);
    const d = new Float64Array(m * m);
    for (const scale of [1e-3, 1, 800]) {
      rng.fillNormals(s);
      for (let k = 0; k < m * m; k++) s[k] *= scale;
      shapedAttention(s, m, a);
      for (let i = 0; i < m; i++) {
        let row = 0;
        for (let j = 0; j < m; j++) row += a[i * m + j] - (i === j ? 1 : 0);
        expect(Math.abs(row)).toBeLessThan(1e-14);
        for (let j = 0; j < m; j++) expect(Number.isFinite(a[i * m + j])).toBe(true);
      }
    }
    // A - I - (1/m) S C is second order: it falls by 4 when S halves.
    rng.fillNormals(s);
    const residual = (eps: number) => {
      const t = s.map((x) => eps * x);
      shapedAttention(t, m, a);
      firstOrderAttention(t, m, d);
      let r = 0;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) r = Math.max(r, Math.abs(a[i * m + j] - (i === j ? 1 : 0) - d[i * m + j]));
      return r;
    };
    expect(residual(1e-3) / residual(5e-4)).toBeCloseTo(4, 2);
  });
});

describe('the limit diffusion realises its closed-form covariance exactly', () => {
  it('sum_k G e_k (x) G e_k equals the diffusion covariance (attention and transformer, H = 1 and 3)', () => {
    const m = 3;
    const v = Float64Array.from([1.2, 0.3, -0.1, 0.3, 0.9, 0.4, -0.1, 0.4, 1.1]);
    const l = new Float64Array(m * m);
    choleskyPsd(Float64Array.from(v), m, l);
    for (const heads of [1, 3]) {
      const p: AttentionParams = { gamma: 0.8, tau0: 0.6, heads };
      for (const kind of ['attention', 'transformer'] as const) {
        const maths = limitMaths(presetLimit(kind, p));
        const noise = (m * (m + 1)) / 2 + m * m;
        expect(maths.noise(m)).toBe(noise);
        const cov = new Float64Array(m ** 4);
        const g = new Float64Array(noise);
        const col = new Float64Array(m * m);
        for (let k = 0; k < noise; k++) {
          g.fill(0);
          g[k] = 1;
          maths.diffusion(v, m, l, g, 1, col);
          for (let i = 0; i < m * m; i++) for (let j = 0; j < m * m; j++) cov[i * m * m + j] += col[i] * col[j];
        }
        const want = diffusionCovariance(v, m, p, kind);
        for (let i = 0; i < cov.length; i++) expect(cov[i]).toBeCloseTo(want[i], 12);
      }
    }
  });
});

describe('given X and A, the value weights integrated out (explicit WV, n = 12)', () => {
  // Fixed tokens and fixed heads; 20,000 draws of WV: the exact conditional mean and covariance of dV.
  const m = 3;
  const n = 12;
  const gamma = 0.8;
  const lambda = residualSkip(gamma);
  const heads = 2;
  const rng = openStream(3, 'test/attention-conditional', 0);
  const v0 = Float64Array.from([1.2, 0.3, -0.1, 0.3, 0.9, 0.4, -0.1, 0.4, 1.1]);
  const z = new Float64Array(n * m);
  const l = new Float64Array(m * m);
  inputStream(rng, v0, n, m, z, l);
  const v = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b < m; b++) for (let i = 0; i < n; i++) v[a * m + b] += (z[i * m + a] * z[i * m + b]) / n;
  // Two fixed heads from logits of size 0.5 (far from the identity, so A V A^T differs from V at O(1)).
  const as: Float64Array[] = [];
  const mbar = new Float64Array(m * m);
  const work = new Float64Array(m * m);
  const av = new Float64Array(m * m);
  for (let h = 0; h < heads; h++) {
    const s = new Float64Array(m * m);
    rng.fillNormals(s);
    for (let k = 0; k < m * m; k++) s[k] *= 0.5;
    const a = new Float64Array(m * m);
    shapedAttention(s, m, a);
    as.push(a);
    sandwich(a, v, m, work, av);
    for (let k = 0; k < m * m; k++) mbar[k] += av[k] / heads;
  }
  const draws = 20000;
  const dv = new Float64Array(draws * m * m);
  const w = new Float64Array(n);
  const xw = new Float64Array(m * n);
  const y = new Float64Array(m * n);
  for (let d = 0; d < draws; d++) {
    y.fill(0);
    for (const a of as) {
      // X WV / sqrt(n) (m x n), then A times it, summed over heads with H^{-1/2}.
      xw.fill(0);
      for (let i = 0; i < n; i++) {
        rng.fillNormals(w);
        for (let a2 = 0; a2 < m; a2++)
          for (let j = 0; j < n; j++) xw[a2 * n + j] += (z[i * m + a2] * w[j]) / Math.sqrt(n);
      }
      for (let a1 = 0; a1 < m; a1++)
        for (let b = 0; b < m; b++)
          for (let j = 0; j < n; j++) y[a1 * n + j] += (a[a1 * m + b] * xw[b * n + j]) / Math.sqrt(heads);
    }
    for (let a1 = 0; a1 < m; a1++) {
      for (let b = 0; b < m; b++) {
        let s = 0;
        for (let j = 0; j < n; j++) {
          const xa = lambda * z[j * m + a1] + gamma * y[a1 * n + j];
          const xb = lambda * z[j * m + b] + gamma * y[b * n + j];
          s += xa * xb;
        }
        dv[d * m * m + a1 * m + b] = s / n - v[a1 * m + b];
      }
    }
  }
  const mean = new Float64Array(m * m);
  const meanSe = new Float64Array(m * m);
  for (let k = 0; k < m * m; k++) {
    let s1 = 0;
    let s2 = 0;
    for (let d = 0; d < draws; d++) {
      s1 += dv[d * m * m + k];
      s2 += dv[d * m * m + k] ** 2;
    }
    mean[k] = s1 / draws;
    meanSe[k] = Math.sqrt((s2 / draws - mean[k] ** 2) / (draws - 1));
  }
  const m4 = m ** 4;
  const cov = new Float64Array(m4);
  const covSe = new Float64Array(m4);
  for (let i = 0; i < m * m; i++) {
    for (let j = 0; j < m * m; j++) {
      let s1 = 0;
      let s2 = 0;
      for (let d = 0; d < draws; d++) {
        const t = n * (dv[d * m * m + i] - mean[i]) * (dv[d * m * m + j] - mean[j]);
        s1 += t;
        s2 += t * t;
      }
      cov[i * m * m + j] = s1 / (draws - 1);
      covSe[i * m * m + j] = Math.sqrt((s2 / draws - (s1 / draws) ** 2) / (draws - 1));
    }
  }

  it('E[dV | X, A] = gamma^2 (Mbar - V) within 4.5 SE', () => {
    const want = new Float64Array(m * m);
    conditionalMean(v, mbar, m, gamma, want);
    expect(worstZ(mean, want, meanSe)).toBeLessThan(Z);
    // Power: the mean without the heads' mixing (V in place of Mbar) is rejected.
    expect(worstZ(mean, new Float64Array(m * m), meanSe)).toBeGreaterThan(Z);
  });

  it('n Cov(dV | X, A) = gamma^4 (M M)_sym + lambda^2 gamma^2 (V M)_sym within 4.5 SE; without the cross term it fails', () => {
    const want = new Float64Array(m4);
    addConditionalCovariance(v, mbar, m, gamma, want);
    expect(worstZ(cov, want, covSe)).toBeLessThan(Z);
    const noCross = new Float64Array(m4);
    addConditionalCovariance(v, mbar, m, 1, noCross);
    for (let k = 0; k < m4; k++) noCross[k] *= gamma ** 4;
    expect(worstZ(cov, noCross, covSe)).toBeGreaterThan(Z);
  });
});

describe('n E[dV | V] and n Cov[dV | V] against the drift and diffusion (Q, K Monte Carlo, 4000 draws)', () => {
  const cases: Array<{ name: string; m: number; v: number[]; p: AttentionParams; keyRatio: number }> = [
    {
      name: 'generic V, m = 3, H = 2, nk = n',
      m: 3,
      v: [1.2, 0.3, -0.1, 0.3, 0.9, 0.4, -0.1, 0.4, 1.1],
      p: { gamma: 0.9, tau0: 0.5, heads: 2 },
      keyRatio: 1,
    },
    {
      name: 'near-collinear tokens (correlations 0.97-0.99), m = 3, H = 2',
      m: 3,
      v: [1, 0.99, 0.97, 0.99, 1, 0.98, 0.97, 0.98, 1],
      p: { gamma: 0.9, tau0: 0.5, heads: 2 },
      keyRatio: 1,
    },
    {
      name: 'm = 4, H = 1, nk = n/4',
      m: 4,
      v: [1, 0.5, 0.2, 0, 0.5, 1.5, 0.3, 0.1, 0.2, 0.3, 0.8, -0.2, 0, 0.1, -0.2, 1],
      p: { gamma: 0.7, tau0: 0.4, heads: 1 },
      keyRatio: 4,
    },
  ];
  for (const c of cases) {
    for (const n of [256, 1024, 4096]) {
      it(`${c.name}, n = ${n}`, () => {
        const { m, p } = c;
        const v = Float64Array.from(c.v);
        const r = layerMoments(v, m, n, n / c.keyRatio, p, 4000, 11);
        const b = attentionDrift(v, m, p);
        const full = diffusionCovariance(v, m, p, 'attention');
        const value = diffusionCovariance(v, m, { ...p, heads: Infinity }, 'attention');
        const att = full.map((x, k) => x - value[k]);
        // The SEs are far below the attention terms they test (drift and attention noise: under 5%).
        expect(maxAbs(r.driftSe)).toBeLessThan(0.05 * maxAbs(b));
        expect(maxAbs(r.attentionSe)).toBeLessThan(0.05 * maxAbs(att));
        // Drift: n E[dV | V] = b_att(V).
        expect(worstZ(r.drift, b, r.driftSe)).toBeLessThan(Z);
        // Power: 1/m in place of 1/m^2 in the V |C V C|_F^2 term is rejected.
        const centred = new Float64Array(m * m);
        doublyCentred(v, m, new Float64Array(m), centred);
        const frob = centred.reduce((acc, x) => acc + x * x, 0);
        const wrong = b.map((x, k) => x + ((p.gamma ** 2 / p.tau0 ** 2) * (m - 1) * v[k] * frob) / (m * m));
        expect(worstZ(r.drift, wrong, r.driftSe)).toBeGreaterThan(Z);
        // Attention noise: n Cov(E[dV | X, A]) = the attention part of the diffusion, shrinking as 1/H.
        expect(worstZ(r.attentionPart, att, r.attentionSe)).toBeLessThan(Z);
        // Power: without the 1/H (H = 2), or with 1/m in place of 1/m^2 (H = 1), it is rejected.
        const factor = p.heads > 1 ? p.heads : m;
        expect(
          worstZ(
            r.attentionPart,
            att.map((x) => factor * x),
            r.attentionSe,
          ),
        ).toBeGreaterThan(Z);
        // Value noise: E[n Cov(dV | X, A)] = s^2 Sigma(V) + O(1/n), with its 1/n term (moments.ts) included.
        const expansion = valuePartToOrder1OverN(v, b, att, m, p.gamma, n);
        expect(worstZ(r.valuePart, expansion, r.valueSe)).toBeLessThan(Z);
      });
    }
  }

  it('the 1/n term of the value part is resolved for near-collinear tokens (leading order alone is rejected)', () => {
    const m = 3;
    const p = { gamma: 0.9, tau0: 0.5, heads: 2 };
    const v = Float64Array.from([1, 0.99, 0.97, 0.99, 1, 0.98, 0.97, 0.98, 1]);
    const r = layerMoments(v, m, 1024, 1024, p, 4000, 12);
    const value = diffusionCovariance(v, m, { ...p, heads: Infinity }, 'attention');
    expect(worstZ(r.valuePart, value, r.valueSe)).toBeGreaterThan(Z);
  });
});
