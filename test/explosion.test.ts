import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth } from '../src/activations/index.js';
import { explosionProbability } from '../sde/index.js';
import { criterion, readExplosionSettings, runExplosionPoint } from '../validation/explosion.js';
import { criterionPoint, criterionReport } from '../validation/studies.js';

describe('the beta criterion', () => {
  it('classifies the catalog: beta > 0 explodes with P = 1 - exp(-beta X0), beta < 0 vanishes, ReLU-like is critical', () => {
    expect(criterion(shapedSmooth('swish', { a: 1 }), 1)).toMatchObject({ beta: 0.75, regime: 'explodes' });
    expect(criterion(shapedSmooth('swish', { a: 1 }), 2).explosionProbability).toBeCloseTo(1 - Math.exp(-1.5), 14);
    expect(criterion(shapedSmooth('tanh', { a: 1 }), 1)).toMatchObject({
      beta: -2,
      regime: 'vanishes',
      explosionProbability: 0,
    });
    expect(criterion(shapedRelu({ cPlus: 0, cMinus: -1 }), 1).regime).toBe('critical');
  });

  it('the exact P(explode by T) tends to the closed form as T grows', () => {
    expect(explosionProbability({ beta: 1.3, x0: 0.7, T: 60 })).toBeCloseTo(1 - Math.exp(-1.3 * 0.7), 5);
  });
});

describe('explosion points: SDE, networks and the exact value on one threshold', () => {
  for (const f of ['swish', 'softplus'] as const) {
    it(`${f}, a = 1, threshold 10 X0, T = 1: SDE within 4 SE + 2e-3 of exact; networks at n = 256 agree with the SDE at 99.9%`, async () => {
      const p = await runExplosionPoint(
        readExplosionSettings({
          activation: `${f}:1`,
          T: 1,
          n: 256,
          paths: 20000,
          steps: 64,
          samples: 1500,
          threshold: 10,
          seed: 7,
        }),
      );
      expect(Math.abs(p.sde.value - p.exact)).toBeLessThan(4 * p.sde.se + 2e-3);
      expect(p.difference.pValue).toBeGreaterThan(1e-3);
      expect(p.network.k).toBeGreaterThan(0);
      expect('missing' in p.sdeTime ? 0 : p.sdeTime.value).toBeGreaterThan(0);
    });
  }

  it('refuses a non-smooth or unshaped activation where beta makes no sense, naming the option', () => {
    expect(() => readExplosionSettings({ activation: 'relu' })).toThrow(/^activation must be a shaped activation/);
    expect(() => readExplosionSettings({ threshold: 1 })).toThrow(/^threshold must be a number in \(1, /);
  });
});

describe('criterion report', () => {
  it('puts exact, SDE and network side by side, and the vanishing medians', async () => {
    const report = await criterionReport({
      activations: ['tanh', 'swish'],
      a: [1],
      T: [1, 2],
      paths: 400,
      stepsPerUnit: 16,
      n: 32,
      samples: 100,
      networkT: [0.5],
    });
    expect(report.rows.map((r) => [r.f, r.criterion.regime])).toEqual([
      ['tanh', 'vanishes'],
      ['swish', 'explodes'],
    ]);
    const swish = report.rows[1];
    expect(swish.exact[0]).toBeCloseTo(0.200858, 4);
    swish.sde.forEach((p, i) => expect(Math.abs(p.value - swish.exact[i])).toBeLessThan(4 * Math.max(p.se, 0.01)));
    expect(report.rows[0].medians.every((m) => typeof m === 'number' && m < 1)).toBe(true);
  });

  it("a point is its row of the study: criterionPoint of swish:1 gives the report's numbers, bit for bit", async () => {
    const common = { T: [0.5, 2], paths: 600, stepsPerUnit: 16, n: 32, samples: 100, networkT: [0.5, 1], seed: 5 };
    const report = await criterionReport({ ...common, activations: ['swish'], a: [1] });
    const point = await criterionPoint({ ...common, activation: 'swish:1' });
    const { f: _f, a: _a, criterion: c, ...row } = report.rows[0];
    expect(point).toMatchObject({ ...c, ...row, architecture: 'mlp', schema: 'ncsde.criterion-point/2' });
    expect(point.settings).toMatchObject({ ...common, activation: 'swish:1', architecture: 'mlp' });
    // P(explode by T) with its interval: the exact value inside 4 SE of the SDE's (seed fixed).
    point.sde.forEach((p, i) => expect(Math.abs(p.value - point.exact[i])).toBeLessThan(4 * p.se));
    expect(point.sde[0].lower).toBeLessThan(point.sde[0].upper);
    // Any shaped activation, not only the catalogue's: the critical ReLU-like never blows up.
    const relu = await criterionPoint({ ...common, activation: 'relu:0,-1' });
    expect(relu).toMatchObject({ regime: 'critical', explosionProbability: 0 });
    expect(relu.exact).toEqual([0, 0]);
    expect(relu.sde.map((p) => p.k)).toEqual([0, 0]);
    await expect(criterionPoint({ ...common })).rejects.toThrow(/^activation is required/);
    await expect(criterionPoint({ activation: 'swish:1', architecture: 'attention:1,1' })).rejects.toThrow(
      /^architecture has no diagonal SDE/,
    );
  });
});
