import { describe, expect, it } from 'vitest';
import { shapedRelu, unshaped } from '../src/activations/index.js';
import { gaussHermite, gaussianExpectation } from '../src/quadrature.js';
import { ksTwoSample } from '../src/stats/index.js';
import { sampleNetworksSync } from '../networks/index.js';
import { cumulantTheory, leadingOrderRatios, measureCumulants } from '../validation/cumulants.js';
import { cumulantReport, readCumulantSettings } from '../validation/studies.js';

describe('Gauss-Hermite quadrature', () => {
  it('integrates Gaussian moments exactly, and tanh^2, tanh^4 to 1e-10 with the 120-point rule the recursion uses', () => {
    const rule = gaussHermite(40);
    expect(gaussianExpectation((x) => x ** 4, 1, rule)).toBeCloseTo(3, 12);
    expect(gaussianExpectation((x) => x ** 8, 2, rule)).toBeCloseTo(105 * 16, 8);
    // tanh's poles at i pi/2 slow Gauss-Hermite down (40 points: 4e-7); 120 points agree with 300 to 1e-10.
    const fine = gaussHermite(300);
    const used = gaussHermite(120);
    for (const p of [2, 4]) {
      expect(
        Math.abs(
          gaussianExpectation((x) => Math.tanh(x) ** p, 1, used) -
            gaussianExpectation((x) => Math.tanh(x) ** p, 1, fine),
        ),
      ).toBeLessThan(1e-10);
    }
    expect(gaussianExpectation((x) => Math.tanh(x) ** 2, 1, fine)).toBeCloseTo(0.394294490397841, 12);
  });
});

describe('exact finite-width products (1 + k/n)^L - 1', () => {
  for (const [name, activation, k] of [
    ['linear', unshaped('linear'), 2],
    ['relu', unshaped('relu'), 5],
  ] as const) {
    it(`${name}, n = 16, L = 2, 4, 16: pooled and direct estimates within 4 SE; theory is exact`, async () => {
      const m = await measureCumulants({
        activation,
        n: 16,
        layers: [2, 4, 16],
        samples: 8000,
        seed: 31,
        resamples: 500,
      });
      const theory = cumulantTheory(activation.spec!, activation, 16, [2, 4, 16]);
      expect(theory.kind).toBe('exact (1 + k/n)^L - 1');
      m.layers.forEach((l, i) => {
        const exact = (1 + k / 16) ** l - 1;
        expect(theory.values[i]).toBeCloseTo(exact, 12);
        expect(Math.abs(m.pooled![i].value - exact)).toBeLessThan(4 * m.pooled![i].se);
        // The derivative's factors psi_l have the output factors' law (docs/maths.md section 12) ...
        const d = m.derivativePooled![i];
        expect(Math.abs(d.value - exact)).toBeLessThan(4 * d.se);
        // ... and the check has power: a ReLU network's derivative is far from the linear law (k = 2).
        if (name === 'relu' && l === 16) expect(Math.abs(d.value - ((1 + 2 / 16) ** l - 1))).toBeGreaterThan(4 * d.se);
        // A linear network maps the direction u exactly as it maps x: the same law for dz.
        if (name === 'linear')
          expect(Math.abs(m.derivative[i].value - exact)).toBeLessThan(4 * m.derivative[i].se + 0.02 * exact);
      });
      // The direct estimator is fine while L/n is small.
      expect(Math.abs(m.output[0].value - theory.values[0]!)).toBeLessThan(4 * m.output[0].se);
    });
  }

  it('shaped ReLU: the exact value sits above the SDE limit e^{2T} - 1 by the finite-width factor', () => {
    const a = shapedRelu({ cPlus: 0, cMinus: -1 });
    const t = cumulantTheory(a.spec!, a, 64, [32]);
    expect(t.limits[0]).toBeCloseTo(Math.expm1(1), 12);
    expect(t.values[0]!).toBeGreaterThan(t.limits[0]!);
  });
});

describe('leading-order recursion for tanh', () => {
  it('matches simulation within 4 SE plus its O(L^2/n^2) truncation at n >= 64', async () => {
    const tanh = unshaped('tanh');
    for (const [n, l] of [
      [64, 8],
      [128, 16],
    ]) {
      const m = await measureCumulants({
        activation: tanh,
        n,
        layers: [l],
        samples: 12000,
        seed: 40 + n,
        resamples: 500,
      });
      expect(m.pooled).toBeNull();
      expect(m.derivativePooled).toBeNull();
      const theory = cumulantTheory(tanh.spec!, tanh, n, [l]);
      expect(theory.kind).toBe('leading-order recursion');
      // For a linear network the neglected term is 2 L(L-1)/n^2 against a first-order slope of 2; tanh's
      // first-order slope is about 0.6, so (L/n)^2 bounds its truncation generously.
      expect(Math.abs(m.output[0].value - theory.values[0]!)).toBeLessThan(4 * m.output[0].se + (l / n) ** 2);
    }
  });

  it('reproduces the exact linear slope 2 L / n', () => {
    const lin = unshaped('linear').atWidth(50);
    leadingOrderRatios(lin.phi, lin.c, 50, 10, 1.7).forEach((r, i) => expect(r).toBeCloseTo((2 * (i + 1)) / 50, 10));
  });
});

describe('derivative tracking', () => {
  it('explicit weights and the chain agree on the law of the derivative variance (exact KS p > 1e-3)', () => {
    const opts = {
      activation: unshaped('tanh'),
      n: 24,
      depth: 6,
      v0: [
        [1, 0.3],
        [0.3, 1],
      ],
      derivatives: true,
      samples: 2000,
    } as const;
    const chain = sampleNetworksSync({ ...opts, seed: 1, sampler: 'chain' });
    const explicit = sampleNetworksSync({ ...opts, seed: 2, sampler: 'explicit' });
    for (const [i, j] of [
      [1, 1],
      [0, 1],
    ]) {
      const a = Float64Array.from({ length: 2000 }, (_, p) => chain.values.get(0, p, i, j));
      const b = Float64Array.from({ length: 2000 }, (_, p) => explicit.values.get(0, p, i, j));
      expect(ksTwoSample(a, b).pValue).toBeGreaterThan(1e-3);
    }
  });
});

describe('L/n report', () => {
  it('pooled ratios at equal L/n across widths differ by the exact finite-n difference, within 4 SE', async () => {
    const report = await cumulantReport({
      activations: ['relu', 'relu:0,-1'],
      widths: [32, 64],
      T: [0.25, 1],
      samples: 3000,
    });
    for (const name of ['relu', 'relu:0,-1']) {
      const [a, b] = report.rows.filter((r) => r.activation === name);
      a.pooled!.forEach((e, i) => {
        const f = b.pooled![i];
        const allowed = 4 * Math.hypot(e.se, f.se) + Math.abs(a.theory.values[i]! - b.theory.values[i]!);
        expect(Math.abs(e.value - f.value)).toBeLessThan(allowed);
      });
    }
    expect(() => readCumulantSettings({ activations: ['relu', 'relu'] })).toThrow(
      /^activations must not repeat an entry/,
    );
    expect(() => readCumulantSettings({ T: [0] })).toThrow(/^T\[0\] must be a number in \(0, 4\]/);
  });
});
