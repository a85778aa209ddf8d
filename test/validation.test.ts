import { describe, expect, it } from 'vitest';
import { shapedRelu } from '../src/activations/index.js';
import { PURPOSES } from '../src/random/streams.js';
import { ksCriticalValue, ksTwoSample, meanEstimate } from '../src/stats/index.js';
import { sampleNetworksSync } from '../networks/index.js';
import { brownianSampling, constantSteps, saveAt, ninomiyaVictoir, solveSync } from '../sde/index.js';
import { covarianceSde } from '../architectures/index.js';
import { observable } from '../validation/observables.js';
import { isMissing, runPoint, type PointResult } from '../validation/point.js';
import { readPointSettings, readValidationSettings } from '../validation/settings.js';
import { validate, VALIDATION_SCHEMA } from '../validation/validate.js';

const V0 = [
  [1, 0.5],
  [0.5, 1],
];

/** rho at T from the splitting solver (bias far below the test's resolution at 32 steps). */
function sdeRho(activation: ReturnType<typeof shapedRelu>, T: number, paths: number, seed: number): Float64Array {
  const s = solveSync({
    sde: covarianceSde(activation),
    solver: ninomiyaVictoir(),
    T: T,
    saveAt: saveAt({ t1: true }),
    v0: V0,
    stepping: constantSteps(32),
    paths,
    seed,
    brownian: brownianSampling({ purpose: PURPOSES.sde }),
  });
  return observable(s, 'rho').values;
}

function chainRho(n: number, T: number, samples: number, seed: number): Float64Array {
  const s = sampleNetworksSync({
    activation: shapedRelu({ cPlus: 0, cMinus: -1 }),
    n,
    T,
    v0: V0,
    samples,
    seed,
    streams: { purpose: PURPOSES.network },
  });
  return observable(s, 'rho').values;
}

describe('the law: SDE against the covariance chain', () => {
  // At n = 256, T = 1 the finite-width bias of rho is below what 3000 + 3000 samples resolve: the exact
  // KS critical distance at 0.1% is 0.05, far above the width effect (W1 ~ 3e-3 at n = 100, issue 3).
  const T = 1;
  const N = 3000;
  const network = chainRho(256, T, N, 21);
  const threshold = ksCriticalValue(N, N, 1e-3);

  it('agrees: exact two-sample KS below its 0.1% critical value, means within 4 SE', () => {
    const sde = sdeRho(shapedRelu({ cPlus: 0, cMinus: -1 }), T, N, 22);
    expect(ksTwoSample(network, sde).statistic).toBeLessThan(threshold);
    const a = meanEstimate(network);
    const b = meanEstimate(sde);
    expect(Math.abs(a.value - b.value)).toBeLessThan(4 * Math.hypot(a.se, b.se));
  });

  it('has power: the same comparison rejects an SDE whose drift has c+ shifted by 0.5', () => {
    const wrong = sdeRho(shapedRelu({ cPlus: 0.5, cMinus: -1 }), T, N, 22);
    expect(ksTwoSample(network, wrong).statistic).toBeGreaterThan(threshold);
    const a = meanEstimate(network);
    const b = meanEstimate(wrong);
    expect(Math.abs(a.value - b.value)).toBeGreaterThan(4 * Math.hypot(a.se, b.se));
  });

  it('draws the two sides from independent streams: Spearman correlation of path p and network p at one seed within 4/sqrt(N) of 0', () => {
    // Path p of the SDE and network p used to share numbers (Spearman 0.31 for V^22 at n = 2); now the
    // families differ. Under independence Spearman's rho has SE 1/sqrt(N - 1).
    const N2 = 4000;
    const sde = solveSync({
      sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })),
      T: 1,
      saveAt: saveAt({ t1: true }),
      v0: V0,
      stepping: constantSteps(2),
      paths: N2,
      seed: 5,
    });
    const net = sampleNetworksSync({
      activation: shapedRelu({ cPlus: 0, cMinus: -1 }),
      n: 2,
      depth: 2,
      v0: V0,
      samples: N2,
      seed: 5,
    });
    const ranks = (x: Float64Array) => {
      const order = Array.from(x.keys()).sort((i, j) => x[i] - x[j]);
      const r = new Float64Array(x.length);
      order.forEach((i, k) => (r[i] = k));
      return r;
    };
    const a = ranks(Float64Array.from({ length: N2 }, (_, p) => sde.values.get(0, p, 1, 1)));
    const b = ranks(Float64Array.from({ length: N2 }, (_, p) => net.values.get(0, p, 1, 1)));
    const mid = (N2 - 1) / 2;
    let sab = 0;
    let saa = 0;
    for (let p = 0; p < N2; p++) {
      sab += (a[p] - mid) * (b[p] - mid);
      saa += (a[p] - mid) ** 2;
    }
    expect(Math.abs(sab / saa)).toBeLessThan(4 / Math.sqrt(N2 - 1));
  });
});

describe('a validation point', () => {
  let point: PointResult;
  it('compares every observable on the same event, with labelled intervals and detectable effects', async () => {
    point = await runPoint(readPointSettings({ n: 32, paths: 600, samples: 600, steps: 16 }), { resamples: 400 });
    for (const name of ['rho', 'logVaa', 'Vaa', 'Vab'] as const) {
      const c = point.comparisons[name];
      if (isMissing(c)) throw new Error(c.missing);
      expect(c.n).toEqual({ network: 600, sde: 600 });
      expect(c.mean.network.method).toBe(
        name === 'Vab' ? 'BCa bootstrap' : name === 'Vaa' ? 'pooled layer factors (delta method)' : 'normal (CLT)',
      );
      expect(c.mean.sde.method).toBe(
        name === 'Vab' ? 'BCa bootstrap' : name === 'Vaa' ? 'log-normal fit (delta method)' : 'normal (CLT)',
      );
      expect(c.variance.difference.method).toMatch(name === 'Vaa' ? /MOVER/ : /bootstrap/);
      expect(c.ks.method).toBe('exact');
      expect(c.detectable.meanDifference).toBeCloseTo(2.8016 * c.mean.difference.se, 3);
      expect(c.detectable.ksDistance).toBeGreaterThan(0);
    }
    expect(point.explosion.network.method).toBe('Wilson score');
    expect(point.explosion.difference.method).toBe('Newcombe hybrid score');
  });

  it('puts the exact finite-width values next to the limits, with the estimates in SE units', () => {
    const [rho, mean, second, kurtosis] = point.theory;
    expect(rho.quantity).toBe('E[rho^ab]');
    expect(mean.exact).toBe(1);
    // (1 + k/n)^L with k = 6 (1 + s-^4) / (1 + s-^2)^2 - 1, s- = 1 - 1/sqrt(32), L = 32.
    const s = 1 - 1 / Math.sqrt(32);
    const k = (6 * (1 + s ** 4)) / (1 + s * s) ** 2 - 1;
    expect(second.exact).toBeCloseTo((1 + k / 32) ** 32, 10);
    expect(kurtosis.limit).toBeCloseTo(Math.exp(2) - 1, 12);
    expect(isMissing(kurtosis.network) ? null : kurtosis.network.method).toBe('pooled layer factors (delta method)');
    expect(Math.abs(kurtosis.networkZ!)).toBeLessThan(4);
  });

  it('is bit-identical on a worker pool', async () => {
    const settings = readPointSettings({ n: 16, paths: 200, samples: 200, steps: 8, seed: 77 });
    const one = await runPoint(settings, { resamples: 100 });
    const two = await runPoint(settings, { resamples: 100, threads: 2 });
    expect(Array.from(two.sde.values.data)).toEqual(Array.from(one.sde.values.data));
    expect(Array.from(two.network.values.data)).toEqual(Array.from(one.network.values.data));
    expect(JSON.stringify(two.comparisons)).toBe(JSON.stringify(one.comparisons));
  });
});

describe('validation report', () => {
  it('has no clock in it (the same settings give the same JSON) and fits rates over at least 4 widths', async () => {
    const settings = { n: 16, paths: 300, samples: 300, steps: 8, widths: [4, 8, 12, 16] };
    const a = await validate(settings);
    const b = await validate(settings);
    expect(a.schema).toBe(VALIDATION_SCHEMA);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.widths.map((w) => w.levels.length)).toEqual([4, 4]);
    for (const w of a.widths) if (!isMissing(w.rate)) expect(w.rate.upper).toBeGreaterThan(w.rate.lower);
    expect(() => readValidationSettings({ widths: [4, 8, 16] })).toThrow(
      /^widths must be a list of at least 4 integers/,
    );
    expect(() => readValidationSettings({ widths: [4, 8, 8, 16] })).toThrow(/^widths must not repeat a width/);
  });
});
