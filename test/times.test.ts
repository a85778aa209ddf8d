// Every function that takes a time T or a threshold honours it: changing either changes the value as the
// exact reference does (issue 25: compareExplosions once returned P(exploded at any time at 1e4) for every
// T under a label that named T). Each check is a z-test at 4 SE against the exact value at two times or
// two thresholds whose exact values lie many SEs apart, so a function that ignored T or the threshold fails.
import { describe, expect, it } from 'vitest';
import { shapedSmooth } from '../src/activations/index.js';
import { normalCdf } from '../src/special.js';
import { sampleNetworks } from '../networks/index.js';
import {
  constantSteps,
  correlationExpectation,
  explosionDetection,
  explosionProbability,
  ninomiyaVictoir,
  saveAt,
  solve,
} from '../sde/index.js';
import { diagonalSde } from '../architectures/index.js';
import { shapedRelu } from '../src/activations/index.js';
import { compareExplosions, isMissing, runPoint } from '../validation/point.js';
import { readPointSettings } from '../validation/settings.js';
import { readExplosionSettings, runExplosionPoint } from '../validation/explosion.js';
import { criterionReport } from '../validation/studies.js';
import { expandGrid, resolveScan, runScanPoint } from '../validation/scan.js';

const Z = 4;
const within = (value: number, se: number, exact: number) =>
  expect(Math.abs(value - exact), `${value} ± ${se} against ${exact}`).toBeLessThan(Z * se);

/** The change between two settings matches the exact change, which is at least 8 SE (so a function that
 *  ignored the setting, changing nothing, fails). */
function tracks(
  a: { value: number; se: number },
  b: { value: number; se: number },
  exactA: number,
  exactB: number,
): void {
  const se = Math.hypot(a.se, b.se);
  expect(Math.abs(exactA - exactB), 'the two settings must be far apart for power').toBeGreaterThan(8 * se);
  expect(
    Math.abs(a.value - b.value - (exactA - exactB)),
    `${a.value} - ${b.value} against ${exactA} - ${exactB}`,
  ).toBeLessThan(Z * se);
}
const binomialSe = (p: { value: number; total: number }) => ({
  value: p.value,
  se: Math.sqrt((p.value * (1 - p.value)) / p.total),
});

/** P(sup_{s <= T} log X_s >= log H) for the GBM dX = sqrt(2) X dB (drift -1, variance 2 in log X). */
function gbmCrossing(x0: number, H: number, T: number): number {
  const a = Math.log(H / x0);
  const s = Math.sqrt(2 * T);
  return normalCdf((-a - T) / s) + (x0 / H) * normalCdf((-a + T) / s);
}

describe('explosionProbability honours T and the threshold', () => {
  it('matches the closed form of the GBM crossing (beta = 0) at two T and two thresholds', () => {
    for (const T of [0.5, 2]) {
      for (const H of [3, 10]) {
        expect(explosionProbability({ beta: 0, x0: 1, T, threshold: H })).toBeCloseTo(gbmCrossing(1, H, T), 4);
      }
    }
    expect(gbmCrossing(1, 3, 2) - gbmCrossing(1, 3, 0.5)).toBeGreaterThan(0.1);
  });
});

describe('compareExplosions honours T and its threshold', () => {
  const activation = shapedSmooth('swish', { a: 1 });
  const T = 2;
  const run = async (threshold: number) => {
    const sde = await solve({
      sde: diagonalSde(activation),
      solver: ninomiyaVictoir(),
      t1: T,
      v0: 1,
      stepping: constantSteps(256),
      saveAt: saveAt({ t1: true }),
      paths: 4000,
      seed: 11,
      explosion: explosionDetection({ threshold }),
    });
    const net = await sampleNetworks({
      activation,
      n: 64,
      depth: 64 * T,
      v0: [[1]],
      samples: 400,
      seed: 11,
      explosion: { threshold },
    });
    return { sde, net };
  };

  it('counts the crossings by each T (SDE against the exact value; networks by layer T n)', async () => {
    const { sde, net } = await run(10);
    const cs = [0.5, 1, 2].map((t) => {
      const c = compareExplosions(net, sde, 10, t);
      // 128 steps per unit: discrete monitoring costs < 0.006 here (docs/maths.md, section 7.1), under 1 SE.
      within(
        c.sde.value,
        Math.sqrt((c.sde.value * (1 - c.sde.value)) / c.sde.total),
        explosionProbability({ beta: 0.75, x0: 1, T: t, threshold: 10 }),
      );
      let k = 0;
      for (let p = 0; p < net.samples; p++)
        if (net.explosionLayer[p] >= 0 && net.explosionLayer[p] <= Math.round(t * 64)) k++;
      expect(c.network.k).toBe(k);
      expect(c.T).toBe(t);
      return c;
    });
    tracks(
      binomialSe(cs[2].sde),
      binomialSe(cs[0].sde),
      explosionProbability({ beta: 0.75, x0: 1, T: 2, threshold: 10 }),
      explosionProbability({ beta: 0.75, x0: 1, T: 0.5, threshold: 10 }),
    );
  });

  it('follows the threshold the runs applied and refuses another, or a T past the runs', async () => {
    const low = await run(5);
    const high = await run(50);
    const a = compareExplosions(low.net, low.sde, 5, 1);
    const b = compareExplosions(high.net, high.sde, 50, 1);
    within(
      a.sde.value,
      Math.sqrt((a.sde.value * (1 - a.sde.value)) / a.sde.total),
      explosionProbability({ beta: 0.75, x0: 1, T: 1, threshold: 5 }),
    );
    within(
      b.sde.value,
      Math.sqrt((b.sde.value * (1 - b.sde.value)) / b.sde.total),
      explosionProbability({ beta: 0.75, x0: 1, T: 1, threshold: 50 }),
    );
    tracks(
      binomialSe(a.sde),
      binomialSe(b.sde),
      explosionProbability({ beta: 0.75, x0: 1, T: 1, threshold: 5 }),
      explosionProbability({ beta: 0.75, x0: 1, T: 1, threshold: 50 }),
    );
    expect(() => compareExplosions(low.net, low.sde, 50, 1)).toThrow(
      /^threshold .*must be the threshold the SDE run applied \(5\)/,
    );
    expect(() => compareExplosions(low.net, low.sde, 5, 3)).toThrow(/^T .*must be in \(0, 2\]/);
  });
});

describe('the explosion point, its scan kind and the criterion report honour T and the threshold', () => {
  it('runExplosionPoint: the SDE (with the bridge) against the exact value at two T and two thresholds', async () => {
    const rs = [];
    for (const [T, threshold] of [
      [0.5, 10],
      [2, 10],
      [1, 4],
      [1, 40],
    ] as const) {
      const r = await runExplosionPoint(
        readExplosionSettings({ T, threshold, paths: 4000, steps: 32, n: 64, samples: 100, seed: 5 }),
      );
      expect(r.exact).toBeCloseTo(explosionProbability({ beta: 0.75, x0: 1, T, threshold }), 3);
      within(r.sde.value, r.sde.se, r.exact);
      rs.push(r);
    }
    tracks(rs[1].sde, rs[0].sde, rs[1].exact, rs[0].exact);
    tracks(rs[2].sde, rs[3].sde, rs[2].exact, rs[3].exact);
  });

  it('the explosion scan kind passes T through to every column', async () => {
    const points = expandGrid(
      resolveScan({
        kind: 'explosion',
        base: { activation: 'swish:1', n: 32, paths: 2000, steps: 32, samples: 50, threshold: 10 },
        grid: { T: [0.5, 2] },
        seed: 2,
      }),
    );
    const rows = [];
    for (const p of points) rows.push(await runScanPoint('explosion', p));
    rows.forEach((row, i) => {
      const T = [0.5, 2][i];
      expect(row.p_exact).toBeCloseTo(explosionProbability({ beta: 0.75, x0: 1, T, threshold: 10 }), 3);
      within(row.p_sde as number, row.p_sde_se as number, row.p_exact as number);
    });
  });

  it('the cumulant scan kind reads T as L = T n: the pooled ratio follows the exact (1 + 5/n)^L - 1 at two T', async () => {
    const points = expandGrid(
      resolveScan({
        kind: 'cumulant',
        base: { activation: 'relu', n: 16, samples: 400 },
        grid: { T: [0.25, 1] },
        seed: 4,
      }),
    );
    const rows = [];
    for (const p of points) rows.push(await runScanPoint('cumulant', p));
    const exact = [0.25, 1].map((T) => (1 + 5 / 16) ** Math.round(T * 16) - 1);
    rows.forEach((row, i) => {
      expect(row.L).toBe(Math.round([0.25, 1][i] * 16));
      expect(row.theory).toBeCloseTo(exact[i], 8);
      within(row.pooled as number, row.pooled_se as number, exact[i]);
    });
    tracks(
      { value: rows[1].pooled as number, se: rows[1].pooled_se as number },
      { value: rows[0].pooled as number, se: rows[0].pooled_se as number },
      exact[1],
      exact[0],
    );
  });

  it('criterionReport: the SDE at the threshold against the exact value at each network T', async () => {
    const r = await criterionReport({
      activations: ['swish'],
      a: [1],
      ts: [0.5, 2],
      paths: 4000,
      n: 64,
      samples: 100,
      networkTs: [0.5, 2],
      threshold: 10,
      seed: 3,
    });
    const row = r.rows[0];
    [0.5, 2].forEach((T, i) => {
      expect(row.exact[i]).toBeCloseTo(explosionProbability({ beta: 0.75, x0: 1, T }), 3);
      expect(row.exactAtThreshold[i]).toBeCloseTo(explosionProbability({ beta: 0.75, x0: 1, T, threshold: 10 }), 3);
      within(row.sde[i].value, row.sde[i].se, row.exact[i]);
      within(row.sdeAtThreshold[i].value, row.sdeAtThreshold[i].se, row.exactAtThreshold[i]);
    });
    tracks(row.sdeAtThreshold[1], row.sdeAtThreshold[0], row.exactAtThreshold[1], row.exactAtThreshold[0]);
  });
});

describe('runPoint honours T and the threshold', () => {
  it('E rho_T on the SDE side and the theory rows follow the PDE at two T', async () => {
    const activation = shapedRelu({ cPlus: 0, cMinus: -1 });
    const means: { value: number; se: number }[] = [];
    const exacts: number[] = [];
    for (const T of [0.25, 2]) {
      const r = await runPoint(readPointSettings({ T, n: 16, paths: 3000, samples: 200, rho0: 0 }), { resamples: 100 });
      const rho = r.comparisons.rho;
      if (isMissing(rho)) throw new Error(rho.missing);
      const exact = correlationExpectation({ activation, rho0: 0, T });
      within(rho.mean.sde.value, rho.mean.sde.se, exact);
      expect(r.theory[0].limit).toBeCloseTo(exact, 4);
      means.push(rho.mean.sde);
      exacts.push(exact);
    }
    tracks(means[0], means[1], exacts[0], exacts[1]);
  });

  it('P(any input crosses the threshold by T) follows the GBM crossing at two thresholds (identical inputs: rho0 = 1)', async () => {
    const values: { value: number; se: number }[] = [];
    const exacts: number[] = [];
    for (const threshold of [3, 30]) {
      const r = await runPoint(
        readPointSettings({ rho0: 1, threshold, T: 1, n: 16, paths: 4000, samples: 100, steps: 256 }),
        { resamples: 100 },
      );
      expect(r.explosion.threshold).toBe(threshold);
      // Monitored at the steps' ends: the continuous crossing of H ~ the discrete crossing of H e^{0.5826 sqrt(2 dt)}
      // (Broadie-Glasserman-Kou; docs/maths.md, section 7.1), to O(dt).
      const shifted = gbmCrossing(1, threshold * Math.exp(0.5826 * Math.sqrt(2 / 256)), 1);
      within(r.explosion.sde.value, Math.sqrt((shifted * (1 - shifted)) / r.explosion.sde.total), shifted);
      values.push(binomialSe(r.explosion.sde));
      exacts.push(shifted);
    }
    tracks(values[0], values[1], exacts[0], exacts[1]);
  });
});
