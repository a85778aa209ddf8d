import { describe, expect, it } from 'vitest';
import { openStream } from '../src/random/streams.js';
import { chiSquareQuantile, normalCdf, normalQuantile } from '../src/special.js';
import {
  bcaBootstrap,
  energyDistance,
  kolmogorovSurvival,
  ksCriticalValue,
  ksTwoSample,
  ksTwoSampleExactPValue,
  powerLawFit,
  proportionDifference,
  wasserstein1,
  weightedLine,
  wilson,
} from '../src/stats/index.js';

function normals(seed: number, n: number, shift = 0): Float64Array {
  const x = new Float64Array(n);
  openStream(seed, 'stats-test', 0).fillNormals(x);
  return x.map((v) => v + shift);
}

describe('distributions', () => {
  it('normal and chi-square quantiles at known points', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.841458820694124, 8);
    expect(chiSquareQuantile(0.025, 99)).toBeCloseTo(73.36108019128, 6);
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 3);
  });

  it('exact two-sample KS p-values match the hand count and the limit law', () => {
    // n = m = 2: D takes 1/2 or 1; P(D = 1) = 2 / C(4, 2) = 1/3 (both x below both y, or above).
    expect(ksTwoSampleExactPValue(1, 2, 2)).toBeCloseTo(1 / 3, 12);
    expect(ksTwoSampleExactPValue(0.5, 2, 2)).toBeCloseTo(1, 12);
    // For large n the exact law approaches Kolmogorov's: D sqrt(n/2) = 1.36 at p ~ 0.05.
    const d = 1.3581 / Math.sqrt(1000 / 2);
    expect(Math.abs(ksTwoSampleExactPValue(d, 1000, 1000) - 0.05)).toBeLessThan(0.005);
    expect(ksTwoSample(normals(1, 500), normals(2, 500)).method).toBe('exact');
    // On the lattice k / 1000: the first D whose exact p-value is at most 0.05 (the limit law says 0.0607).
    const critical = ksCriticalValue(1000, 1000, 0.05);
    expect(critical).toBeCloseTo(0.061, 12);
    expect(ksTwoSampleExactPValue(critical, 1000, 1000)).toBeLessThanOrEqual(0.05);
    expect(ksTwoSampleExactPValue(critical - 0.001, 1000, 1000)).toBeGreaterThan(0.05);
  });
});

describe('distances', () => {
  it('KS and W1 of shifted and identical samples', () => {
    const a = Float64Array.from({ length: 1024 }, (_, i) => i / 1024);
    const b = a.map((x) => x + 0.25);
    expect(wasserstein1(a, b)).toBeCloseTo(0.25, 10);
    expect(ksTwoSample(a, b).statistic).toBeCloseTo(0.25, 10);
    expect(ksTwoSample(a, a).pValue).toBe(1);
  });

  it('energy distance is unbiased: zero-mean over replicates of one law (mean within 4 SE of 0)', () => {
    const values: number[] = [];
    const ses: number[] = [];
    for (let r = 0; r < 200; r++) {
      const e = energyDistance(normals(100 + r, 200), normals(1000 + r, 300));
      values.push(e.value);
      ses.push(e.se);
    }
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * sd) / Math.sqrt(values.length));
  });

  it('energy distance of N(0,1) and N(1,1) matches its closed form; jackknife SE calibrated', () => {
    // X - Y ~ N(-1, 2) and X - X' ~ N(0, 2); E|N(mu, s^2)| = s sqrt(2/pi) exp(-mu^2 / 2s^2) + |mu| (1 - 2 Phi(-|mu|/s)).
    const s = Math.SQRT2;
    const eAbs = (mu: number) =>
      s * Math.sqrt(2 / Math.PI) * Math.exp(-(mu * mu) / (2 * s * s)) +
      Math.abs(mu) * (1 - 2 * normalCdf(-Math.abs(mu) / s));
    const exact = 2 * eAbs(1) - 2 * eAbs(0);
    const values: number[] = [];
    const ses: number[] = [];
    for (let r = 0; r < 100; r++) {
      const e = energyDistance(normals(200 + r, 400), normals(3000 + r, 400, 1));
      values.push(e.value);
      ses.push(e.se);
    }
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
    expect(Math.abs(mean - exact)).toBeLessThan((4 * sd) / Math.sqrt(values.length));
    // Spread across replicates against the mean reported SE: chi-square bounds (99 degrees of freedom, 0.1% level).
    const meanSe = ses.reduce((a, v) => a + v, 0) / ses.length;
    expect(sd / meanSe).toBeGreaterThan(Math.sqrt(chiSquareQuantile(0.0005, 99) / 99));
    expect(sd / meanSe).toBeLessThan(Math.sqrt(chiSquareQuantile(0.9995, 99) / 99));
  });
});

describe('intervals', () => {
  it('Wilson interval and Newcombe difference', () => {
    const w = wilson(0, 100);
    expect(w.lower).toBe(0);
    expect(w.upper).toBeCloseTo(0.037, 3);
    const v = wilson(50, 100);
    expect(v.lower).toBeCloseTo(0.4038, 3);
    expect(v.upper).toBeCloseTo(0.5962, 3);
    // Newcombe (1998), table II, example (a): 56/70 vs 48/80 -> 0.0524 to 0.3339.
    const d = proportionDifference(wilson(56, 70), wilson(48, 80));
    expect(d.lower).toBeCloseTo(0.0524, 3);
    expect(d.upper).toBeCloseTo(0.3339, 3);
  });

  it('BCa bootstrap of a variance covers the truth at its nominal rate over 200 replicates (binomial bound)', () => {
    // Exponential(1) data: variance 1, skewed, where the delta method is poor at n = 60.
    let covered = 0;
    const R = 200;
    for (let r = 0; r < R; r++) {
      const rng = openStream(5, 'bca-data', r);
      const x = Float64Array.from({ length: 60 }, () => -Math.log(rng.nextUniform()));
      const x2 = x.map((v) => v * v);
      const n = x.length;
      const iv = bcaBootstrap([[x, x2]], (m) => ((m[0][1] - m[0][0] ** 2) * n) / (n - 1), {
        rng: openStream(5, 'bca-resample', r),
        resamples: 1000,
      });
      if (iv.lower <= 1 && 1 <= iv.upper) covered++;
    }
    // BCa is second-order accurate; at n = 60 with skewed data nominal 0.95 lands near 0.90-0.94.
    // The bound allows 4 binomial SE below 0.92.
    expect(covered / R).toBeGreaterThan(0.92 - 4 * Math.sqrt((0.92 * 0.08) / R));
    expect(covered / R).toBeLessThan(1);
  });
});

describe('fits', () => {
  it('weighted line recovers slope and gives a calibrated CI', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = x.map((v) => 2 * v + 1);
    const fit = weightedLine(
      x,
      y,
      x.map(() => 0.1),
    );
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.se).toBeCloseTo(0.1 / Math.sqrt(17.5), 12);
  });

  it('power law fitted on the values, including points whose noise crosses zero', () => {
    const n = [4, 8, 16, 32, 64, 128];
    const truth = n.map((v) => 3 * v ** -1.5);
    const noisy = truth.map((v, i) => v + (i === 5 ? -0.0012 : 0.0004 * (i % 2 ? 1 : -1)));
    const fit = powerLawFit(
      n,
      noisy,
      n.map(() => 0.001),
    )!;
    expect(Math.abs(fit.exponent - 1.5)).toBeLessThan(3 * fit.se);
    expect(fit.upper - fit.lower).toBeGreaterThan(0);
  });
});
