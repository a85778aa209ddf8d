import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth } from '../src/activations/index.js';
import {
  criterion,
  networkExplosionProbability,
  proportionsAgree,
  referenceExplosionProbability,
  sdeExplosionProbability,
} from '../validation/criterion.js';
import { criterionMarkdown, criterionReport } from '../validation/criterionReport.js';

describe('the beta criterion', () => {
  it('gives beta = (3/4 f\'\'(0)^2 + f\'\'\'(0)) / a^2, the regime and 1 - exp(-beta X0)', () => {
    const cases: Array<[Parameters<typeof shapedSmooth>[0], number]> = [
      ['tanh', -2],
      ['sin', -1],
      ['swish', 0.75],
      ['softplus', 3 / 16],
      ['gelu', 6 / Math.PI],
    ];
    for (const [f, beta] of cases) {
      const c = criterion(shapedSmooth(f, { a: 2 }), 1.5);
      expect(c.beta).toBeCloseTo(beta / 4, 12);
      expect(c.regime).toBe(beta > 0 ? 'explodes' : 'vanishes');
      expect(c.explosionProbability).toBeCloseTo(beta > 0 ? 1 - Math.exp(-(beta / 4) * 1.5) : 0, 12);
    }
    expect(criterion(shapedRelu({ cPlus: 0, cMinus: -1 })).regime).toBe('critical');
  });
});

describe('explosion probability by T (beta > 0)', () => {
  const ts = [1, 2, 4, 8];
  for (const f of ['swish', 'softplus'] as const) {
    it(`${f}: SDE agrees with the reference functional and tends to 1 - exp(-beta X0)`, async () => {
      const activation = shapedSmooth(f, { a: 1 });
      const c = criterion(activation, 1);
      const paths = 6000;
      const reference = referenceExplosionProbability({ beta: c.beta, x0: 1, ts, paths, seed: 1 });
      const sde = await sdeExplosionProbability({ activation, x0: 1, ts, threshold: 1e4 / c.beta, paths, seed: 2 });
      // Two-proportion test at the 99.9% level on each T.
      ts.forEach((_, i) => expect(proportionsAgree(sde.probabilities[i], reference[i])).toBe(true));
      // Monotone in T and approaching the limit: the gap to 1 - exp(-beta) shrinks and is within
      // 3.29 binomial SEs at T = 8 (the tail beyond T = 8 is below 0.005 for both).
      const gaps = sde.probabilities.map((p) => c.explosionProbability - p.p);
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1]);
      const last = sde.probabilities[3];
      expect(Math.abs(gaps[3])).toBeLessThan(3.29 * Math.sqrt((last.p * (1 - last.p)) / paths) + 0.005);
    });
  }
});

describe('vanishing (beta < 0)', () => {
  for (const f of ['tanh', 'sin'] as const) {
    it(`${f}: no path explodes and the median of X_T decreases in T`, async () => {
      const activation = shapedSmooth(f, { a: 1 });
      const ts = [0.5, 1, 2, 4];
      const sde = await sdeExplosionProbability({ activation, x0: 1, ts, threshold: 1e4, paths: 2000, seed: 3, stepsPerUnit: 400 });
      expect(sde.probabilities.every((p) => p.k === 0)).toBe(true);
      for (let i = 1; i < ts.length; i++) expect(sde.medians[i]).toBeLessThan(sde.medians[i - 1]);
      expect(sde.medians[3]).toBeLessThan(0.1);
    });
  }
});

describe('finite networks against the SDE (n = 256)', () => {
  for (const f of ['swish', 'softplus'] as const) {
    it(`${f}: P(V^aa crosses 10 X0 by T) agrees with the SDE at the 99.9% level`, async () => {
      const activation = shapedSmooth(f, { a: 1 });
      const ts = [0.5, 1];
      const net = await networkExplosionProbability({ activation, x0: 1, n: 256, ts, threshold: 10, samples: 1500, seed: 4 });
      const sde = await sdeExplosionProbability({ activation, x0: 1, ts, threshold: 10, paths: 6000, seed: 5 });
      ts.forEach((_, i) => expect(proportionsAgree(net[i], sde.probabilities[i])).toBe(true));
      expect(net[1].k).toBeGreaterThan(0);
    });
  }
});

describe('criterion report', () => {
  it('puts the three estimates side by side for the catalog', async () => {
    const report = await criterionReport({ activations: ['tanh', 'swish'], a: [1], ts: [1, 2], paths: 300, stepsPerUnit: 200, network: { n: 32, samples: 100, ts: [0.5] } });
    expect(report.rows.map((r) => [r.f, r.criterion.regime])).toEqual([
      ['tanh', 'vanishes'],
      ['swish', 'explodes'],
    ]);
    const md = criterionMarkdown(report);
    expect(md).toContain('| swish | 1 | 0.75 | explodes | 0.5276 |');
    expect(md).toContain('Median of X_T');
  });
});
