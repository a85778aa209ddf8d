import { describe, expect, it } from 'vitest';
import { unshaped } from '../src/activations/index.js';
import { ksTwoSample } from '../src/stats.js';
import { sampleNetworksSync } from '../networks/index.js';
import { cumulantReport } from '../validation/cumulantReport.js';
import { exactProductRatio, gaussHermite, gaussianExpectation, leadingOrderRatios, measureCumulants } from '../validation/cumulants.js';

describe('Gauss-Hermite quadrature', () => {
  it('integrates Gaussian moments exactly, and tanh^2, tanh^4 to 1e-10 with the 120-point rule the recursion uses', () => {
    const rule = gaussHermite(40);
    expect(gaussianExpectation((x) => x ** 4, 1, rule)).toBeCloseTo(3, 12);
    expect(gaussianExpectation((x) => x ** 8, 2, rule)).toBeCloseTo(105 * 16, 8);
    // tanh's poles at i pi/2 slow Gauss-Hermite down (40 points: 4e-7); 120 points agree with 300 to 1e-10.
    const fine = gaussHermite(300);
    const used = gaussHermite(120);
    for (const p of [2, 4]) {
      expect(Math.abs(gaussianExpectation((x) => Math.tanh(x) ** p, 1, used) - gaussianExpectation((x) => Math.tanh(x) ** p, 1, fine))).toBeLessThan(1e-10);
    }
    expect(gaussianExpectation((x) => Math.tanh(x) ** 2, 1, fine)).toBeCloseTo(0.394294490397841, 12);
  });
});

describe('exact finite-width products (1 + k/n)^L - 1, outputs and derivatives', () => {
  for (const [name, activation, k] of [
    ['linear', unshaped('linear'), 2],
    ['relu', unshaped('relu'), 5],
  ] as const) {
    for (const [n, layers] of [
      [16, [2, 4]],
      [64, [8, 16]],
    ] as const) {
      it(`${name}, n = ${n}, L = ${layers.join(', ')}: within 4 SE`, async () => {
        const m = await measureCumulants({ activation, n, layers, samples: 20000, seed: `${name}-${n}` });
        layers.forEach((l, i) => {
          const exact = exactProductRatio(k, n, l);
          expect(Math.abs(m.output[i].value - exact)).toBeLessThan(4 * m.output[i].se);
          // A linear network maps the direction u exactly as it maps x: the same law for dz.
          if (name === 'linear') expect(Math.abs(m.derivative[i].value - exact)).toBeLessThan(4 * m.derivative[i].se);
        });
      });
    }
  }
});

describe('leading-order recursion for tanh', () => {
  it('matches simulation within 4 SE plus its O(L^2/n^2) truncation at n >= 64', async () => {
    const tanh = unshaped('tanh');
    for (const [n, l] of [
      [64, 8],
      [128, 8],
      [128, 16],
    ]) {
      const m = await measureCumulants({ activation: tanh, n, layers: [l], samples: 20000, seed: `tanh-${n}-${l}` });
      const f = tanh.atWidth(n);
      const theory = leadingOrderRatios(f.phi, f.c, n, l, 1)[l - 1];
      // For a linear network the neglected term is 2 L(L-1)/n^2 against a first-order slope of 2; tanh's
      // first-order slope is about 0.6, so (L/n)^2 bounds its truncation generously.
      expect(Math.abs(m.output[0].value - theory)).toBeLessThan(4 * m.output[0].se + (l / n) ** 2);
    }
  });

  it('reproduces the exact linear slope 2 L / n', () => {
    const lin = unshaped('linear').atWidth(50);
    const ratios = leadingOrderRatios(lin.phi, lin.c, 50, 10, 1.7);
    ratios.forEach((r, i) => expect(r).toBeCloseTo((2 * (i + 1)) / 50, 10));
  });
});

describe('derivative tracking', () => {
  it('explicit weights and the chain agree on the law of the derivative variance (KS p > 1e-3)', () => {
    const opts = { activation: unshaped('tanh'), n: 24, depth: 6, v0: [[1, 0.3], [0.3, 1]], derivatives: true, samples: 2000 } as const;
    const chain = sampleNetworksSync({ ...opts, seed: 1, method: 'chain' });
    const explicit = sampleNetworksSync({ ...opts, seed: 2, method: 'explicit' });
    for (const [i, j] of [
      [1, 1],
      [0, 1],
    ]) {
      const a = Float64Array.from({ length: 2000 }, (_, p) => chain.values.get(0, p, i, j));
      const b = Float64Array.from({ length: 2000 }, (_, p) => explicit.values.get(0, p, i, j));
      expect(ksTwoSample(a, b).pValue).toBeGreaterThan(1e-3);
    }
  });

  it('explicit directions give the joint Gram of (x, u)', () => {
    const s = sampleNetworksSync({ activation: unshaped('linear'), n: 4, depth: 1, inputs: [[1, 1]], directions: [[1, -1]], derivatives: true, samples: 1, seed: 1, record: { layers: [0] } });
    expect(s.side).toBe(2);
    expect([s.values.get(0, 0, 0, 0), s.values.get(0, 0, 0, 1), s.values.get(0, 0, 1, 1)]).toEqual([1, 0, 1]);
  });
});

describe('L/n collapse report', () => {
  it('ratios at equal L/n agree across widths, up to the finite-n difference of the exact product', async () => {
    const report = await cumulantReport({ activations: ['relu', 'shaped-relu'], widths: [32, 64], ratios: [0.125, 0.25], samples: 6000 });
    for (const name of ['relu', 'shaped-relu']) {
      const [a, b] = report.rows.filter((r) => r.activation === name);
      a.output.forEach((e, i) => {
        const f = b.output[i];
        const allowed = 4 * Math.hypot(e.se, f.se) + Math.abs(a.theory[i] - b.theory[i]);
        expect(Math.abs(e.value - f.value)).toBeLessThan(allowed);
      });
    }
    const shaped = report.rows.find((r) => r.activation === 'shaped-relu' && r.n === 64)!;
    expect(Math.abs(shaped.output[1].value - Math.expm1(0.5))).toBeLessThan(4 * shaped.output[1].se + 0.05);
  });
});
