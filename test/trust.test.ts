// The pieces issue 25 added to make reports trustworthy: the log-normal moments (calibrated, with power),
// the MOVER difference, the finite-width E rho reference (kappa_n), the Brownian-bridge crossings, the
// uninformative-rate note and the finite-size warnings.
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth } from '../src/activations/index.js';
import { openStream } from '../src/random/streams.js';
import { logNormalMoments, moverDifference, type Interval } from '../src/stats/index.js';
import {
  constantSteps,
  correlationExpectation,
  explosionProbability,
  ninomiyaVictoir,
  saveAt,
  solve,
} from '../sde/index.js';
import { diagonalSde, finiteWidthCorrelation } from '../architectures/index.js';
import { bridgeCrossings } from '../validation/crossing.js';
import { uninformativeRate } from '../validation/widths.js';
import { finiteSizeWarnings, repairWarnings } from '../validation/warnings.js';
import { PATH_EXPLODED } from '../src/results.js';

function gaussian(seed: number, N: number, mu: number, sigma: number): Float64Array {
  const z = new Float64Array(N);
  openStream(seed, 'test/lognormal', 0).fillNormals(z);
  return z.map((x) => mu + sigma * x);
}

const covers = (iv: Interval, x: number) => iv.lower <= x && x <= iv.upper;

describe('log-normal moments from log V', () => {
  it('cover exp(k mu + k^2 s2 / 2), Var and the kurtosis in 95% of 400 samples of 400 (within the binomial 0.1% range)', () => {
    const mu = -1;
    const s2 = 2;
    const truths = {
      m1: Math.exp(mu + s2 / 2),
      m2: Math.exp(2 * mu + 2 * s2),
      variance: Math.exp(2 * mu + s2) * Math.expm1(s2),
      kurtosis: Math.expm1(s2),
    };
    const hits = { m1: 0, m2: 0, variance: 0, kurtosis: 0 };
    for (let r = 0; r < 400; r++) {
      const fit = logNormalMoments(gaussian(r, 400, mu, Math.sqrt(s2)));
      if (covers(fit.moment(1), truths.m1)) hits.m1++;
      if (covers(fit.moment(2), truths.m2)) hits.m2++;
      if (covers(fit.variance, truths.variance)) hits.variance++;
      if (covers(fit.kurtosis, truths.kurtosis)) hits.kurtosis++;
    }
    // Binomial(400, 0.95): 99.8% of counts lie in [366, 393].
    for (const [k, h] of Object.entries(hits)) expect(h, k).toBeGreaterThanOrEqual(366);
    for (const [k, h] of Object.entries(hits)) expect(h, k).toBeLessThanOrEqual(393);
  });

  it('has power: at 4000 paths the interval of E V^2 excludes the value of a 30% longer time (e^2.6 against e^2)', () => {
    // log-scale SD sqrt(4 s2/N + 16 s2^2/(2(N - 1))) = 0.1 against a difference of 0.6: power P(Z > 6 - 1.96) = 0.99997,
    // and 20% longer (0.4, 4 SD): power 0.98, of which 100 seeds show 92 or more with probability 0.999.
    let excluded = 0;
    let excluded20 = 0;
    for (let r = 0; r < 100; r++) {
      const m2 = logNormalMoments(gaussian(1000 + r, 4000, -1, Math.sqrt(2))).moment(2);
      if (!covers(m2, Math.exp(2.6))) excluded++;
      if (!covers(m2, Math.exp(2.4))) excluded20++;
    }
    expect(excluded).toBeGreaterThanOrEqual(99);
    expect(excluded20).toBeGreaterThanOrEqual(92);
  });

  it('divides by the scale: moments of V / x0', () => {
    const logs = gaussian(3, 1000, Math.log(5) - 1, Math.sqrt(2));
    const a = logNormalMoments(logs, { scale: 5 }).moment(2);
    const b = logNormalMoments(logs.map((x) => x - Math.log(5))).moment(2);
    expect(a.value).toBeCloseTo(b.value, 10);
  });
});

describe('MOVER difference', () => {
  it('reduces to the symmetric interval for symmetric inputs and keeps asymmetry otherwise', () => {
    const a: Interval = { value: 2, se: 0.5, lower: 1.02, upper: 2.98, level: 0.95, method: 'normal (CLT)' };
    const b: Interval = { value: 1, se: 0.2, lower: 0.608, upper: 1.392, level: 0.95, method: 'normal (CLT)' };
    const d = moverDifference(a, b);
    expect(d.value).toBe(1);
    expect(d.upper - d.value).toBeCloseTo(1.96 * Math.hypot(0.5, 0.2), 2);
    expect(d.value - d.lower).toBeCloseTo(1.96 * Math.hypot(0.5, 0.2), 2);
    const skew = moverDifference({ ...a, upper: 4 }, b);
    expect(skew.upper - skew.value).toBeGreaterThan(skew.value - skew.lower);
  });
});

describe('the finite-width E rho reference (kappa_n)', () => {
  it('reproduces issue 25: c- = -2, rho0 = 0.5, T = 1, n = 32 .. 512 give 0.677, 0.662, 0.651, 0.643, 0.637 (limit 0.624)', () => {
    const spec = { family: 'relu-like', cPlus: 0, cMinus: -2 } as const;
    const values = [32, 64, 128, 256, 512].map(
      (n) => finiteWidthCorrelation(spec, n, { rho0: 0.5, T: 1 }).value!.value,
    );
    // The three digits.
    [0.677, 0.662, 0.651, 0.643, 0.637].forEach((v, i) => expect(Math.abs(values[i] - v)).toBeLessThan(6e-4));
    const limit = correlationExpectation({ activation: shapedRelu({ cPlus: 0, cMinus: -2 }), rho0: 0.5, T: 1 });
    expect(limit).toBeCloseTo(0.624, 3);
    expect(finiteWidthCorrelation(spec, Infinity, { rho0: 0.5, T: 1 }).value!.value).toBeCloseTo(limit, 10);
    // c+ + c- = 0: no O(n^-1/2) term, kappa_n = kappa (1 + O(1/n)).
    const symmetric = finiteWidthCorrelation({ family: 'relu-like', cPlus: 1, cMinus: -1 }, 64, { rho0: 0.5, T: 1 })
      .value!;
    expect(Math.abs(symmetric.kappaN / symmetric.kappa - 1)).toBeLessThan(0.02);
    expect(finiteWidthCorrelation({ family: 'smooth', f: 'tanh', a: 1 }, 64, { rho0: 0.5, T: 1 }).value).toBeNull();
  });
});

describe('Brownian-bridge crossings between steps', () => {
  it('adds the crossings discrete monitoring misses: 64 steps against the exact P(cross 10 by T = 1) = 0.2486', async () => {
    const activation = shapedSmooth('swish', { a: 1 });
    const sol = await solve({
      sde: diagonalSde(activation),
      solver: ninomiyaVictoir(),
      T: 1,
      v0: 1,
      stepping: constantSteps(64),
      saveAt: saveAt({ count: 64 }),
      paths: 40_000,
      seed: 12,
      threshold: 10,
    });
    const c = bridgeCrossings(sol, 10, 12, 'sde/bridge');
    let plain = 0;
    for (const s of sol.status) if (s === PATH_EXPLODED) plain++;
    let bridged = 0;
    for (const t of c.time) if (t >= 0) bridged++;
    expect(bridged - plain).toBe(c.bridged);
    expect(c.varianceRate).toBeCloseTo(2, 1);
    const exact = explosionProbability({ beta: 0.75, x0: 1, T: 1, threshold: 10 });
    const se = Math.sqrt((exact * (1 - exact)) / sol.paths);
    // Corrected: within 4 SE. The bridge adds ~0.003 (1.4 SE here; 3.3 SE over 240,000 paths, docs/maths.md 7.1).
    expect(Math.abs(bridged / sol.paths - exact)).toBeLessThan(4 * se);
    expect(c.bridged).toBeGreaterThan(0);
    // Same bits again (one stream, path order).
    expect(Array.from(bridgeCrossings(sol, 10, 12, 'sde/bridge').time)).toEqual(Array.from(c.time));
  });

  it('refuses a solution not saved at every step', async () => {
    const sol = await solve({
      sde: diagonalSde(shapedSmooth('swish', { a: 1 })),
      solver: ninomiyaVictoir(),
      T: 1,
      saveAt: saveAt({ t1: true }),
      v0: 1,
      stepping: constantSteps(8),
      paths: 10,
      seed: 1,
      threshold: 10,
    });
    expect(() => bridgeCrossings(sol, 10, 1, 'x')).toThrow(/^solution .*saved at t = 0 and at every step/);
  });
});

describe('warnings and notes', () => {
  it('calls a rate whose interval holds 0, or is wider than the exponent, uninformative', () => {
    const fit = { coefficient: 1, exponent: 1.4, se: 1.97, lower: -6.2, upper: 9.0, level: 0.95, chi2: 1, dof: 2 };
    expect(uninformativeRate(fit)).toMatch(/^uninformative: the 95% interval \[-6.20, 9.00\] holds 0/);
    expect(uninformativeRate({ ...fit, lower: 0.2, upper: 3.2 })).toMatch(/half-width 1.50 exceeds the exponent 1.40/);
    expect(uninformativeRate({ ...fit, lower: 1.0, upper: 1.8 })).toBeUndefined();
    expect(uninformativeRate({ missing: 'x' })).toBeUndefined();
  });

  it('warns of a threshold near a^2 n, of kappa_n where it moves E rho by more than 1.5/n, and of repairs above 3%', () => {
    const smooth = { family: 'smooth', f: 'swish', a: 1 } as const;
    expect(finiteSizeWarnings(smooth, 64, 1, 100).map((w) => w.concerns)).toEqual(['explosion']);
    expect(finiteSizeWarnings(smooth, 256, 1, 10)).toEqual([]);
    expect(finiteSizeWarnings(smooth, 8, 1, 1.5).map((w) => w.concerns)).toEqual(['comparison', 'explosion']);
    const relu2 = { family: 'relu-like', cPlus: 0, cMinus: -2 } as const;
    expect(finiteSizeWarnings(relu2, 64, 1, 1e4, { rho0: 0.5, T: 1 })[0].text).toMatch(
      /kappa_n = 2\.560 .* from 0\.6240 to 0\.6616/,
    );
    expect(finiteSizeWarnings({ family: 'relu-like', cPlus: 0, cMinus: -1 }, 128, 1, 1e4, { rho0: 0.5, T: 1 })).toEqual(
      [],
    );
    expect(repairWarnings({ repaired: 4690 }, 5000, 'euler-maruyama')[0].text).toMatch(
      /repaired 4690 of 5000 .*--solver ninomiya-victoir/,
    );
    expect(repairWarnings({ repaired: 100 }, 5000, 'euler-maruyama')).toEqual([]);
  });
});
