// The collapse study (validation/collapse.ts): one row per (gamma, tau0, H), one cell per T, the same
// numbers for any thread count (independent streams per side and per architecture), the mean token
// correlation of simple matrices, and finite networks that agree with the attention SDE (and not with the
// SDE of a wrong tau0).
import { describe, expect, it } from 'vitest';
import { isMissing } from '../validation/point.js';
import {
  collapseReport,
  collapseWarnings,
  meanTokenCorrelation,
  runCollapsePoint,
  sdeExplosionLayers,
  type CollapseSide,
} from '../validation/collapse.js';
import { shapedRelu } from '../src/activations/index.js';
import { PATH_EXPLODED } from '../src/results.js';
import { proportionDifference, wilson } from '../src/stats/index.js';
import { constantSteps, eulerMaruyama, solve } from '../sde/index.js';
import { attention } from '../architectures/attention/index.js';
import { architectureFromSpec } from '../architectures/index.js';

/** The mean token correlation of one side, which must be there. */
function correlationOf(side: CollapseSide): { value: number; se: number } {
  if (isMissing(side.correlation)) throw new Error(`no correlation: ${side.correlation.missing}`);
  return side.correlation;
}

/** z of the difference of two independent means with CLT standard errors. */
function z(a: { value: number; se: number }, b: { value: number; se: number }): number {
  return (a.value - b.value) / Math.hypot(a.se, b.se);
}

describe('the collapse study', () => {
  it('mean token correlation: identity 0, all-equal tokens 1, a zero-norm token counts as collapsed', () => {
    expect(meanTokenCorrelation([1, 0, 0, 0, 1, 0, 0, 0, 1], 3)).toBe(0);
    expect(meanTokenCorrelation([2, 2, 2, 2], 2)).toBeCloseTo(1, 15);
    expect(meanTokenCorrelation([1, 0.5, 0.5, 0.25], 2)).toBeCloseTo(1, 15);
    expect(meanTokenCorrelation([1, 0, 0, 0], 2)).toBe(1);
  });

  it('SDE explosion layers: the first layer time above the level, or the first at or after a blow-up', () => {
    // Two paths, m = 1, layers 1..3 (n = 4: times 0.25, 0.5, 0.75), values saved per layer then path.
    const values = [2, 1, 5, 1, 3, 1];
    // Path 0 is above 4 at layer 2 only; path 1 never is, but blew up at t = 0.6 (frozen below the level).
    expect(Array.from(sdeExplosionLayers(values, [0, PATH_EXPLODED], [-1, 0.6], 2, 1, 3, 4, 4))).toEqual([2, 3]);
    // A crossing between layer times that is gone by the next one is not seen, as by a network.
    expect(Array.from(sdeExplosionLayers([1, 1, 1], [0], [-1], 1, 1, 3, 4, 4))).toEqual([-1]);
    expect(Array.from(sdeExplosionLayers([1, Number.NaN, 1], [0], [-1], 1, 1, 3, 4, 4))).toEqual([2]);
  });

  it('warnings where the threshold passes tau0 sqrt(n) / 2 or tau0 sqrt(steps per unit) / 2; none without tau0', () => {
    const a = attention({ gamma: 1, tau0: 1 });
    expect(collapseWarnings(a, { n: 64, stepsPerUnit: 256, threshold: 4 })).toEqual([]);
    expect(collapseWarnings(a, { n: 64, stepsPerUnit: 256, threshold: 5 }).map((w) => w.text)).toEqual([
      expect.stringMatching(/above tau0 sqrt\(n\) \/ 2 = 4\.00/),
    ]);
    // Steps per unit are rounded up to a multiple of n: 100 -> 128 at n = 64, so the bound is sqrt(128) / 2.
    const both = collapseWarnings(a, { n: 64, stepsPerUnit: 100, threshold: 6 }).map((w) => w.text);
    expect(both).toHaveLength(2);
    expect(both[1]).toMatch(/tau0 sqrt\(steps per unit\) \/ 2 = 5\.66/);
    expect(
      collapseWarnings(architectureFromSpec({ kind: 'resnet', gamma: 0.5 }, 'a'), {
        n: 8,
        stepsPerUnit: 8,
        threshold: 100,
      }),
    ).toEqual([]);
  });

  it('grid shape, ranges, and the same report on 1 and 2 threads', async () => {
    const settings = { gamma: [1], tau0: [0.7], heads: [1, 2], T: [0.25, 0.5], paths: 300, samples: 40, n: 16, m: 3 };
    const one = await collapseReport(settings, { threads: 1 });
    const two = await collapseReport(settings, { threads: 2 });
    expect(JSON.stringify(two.rows)).toBe(JSON.stringify(one.rows));
    expect(one.rows.map((r) => r.label)).toEqual([
      'attention(gamma=1, tau0=0.7, H=1)',
      'attention(gamma=1, tau0=0.7, H=2)',
    ]);
    for (const row of one.rows) {
      expect(row.cells.map((c) => c.T)).toEqual([0.25, 0.5]);
      for (const c of row.cells) {
        for (const side of [c.sde, c.network]) {
          expect(side.exploded.value).toBeGreaterThanOrEqual(0);
          expect(side.exploded.value).toBeLessThanOrEqual(1);
          if (!('missing' in side.correlation)) expect(Math.abs(side.correlation.value)).toBeLessThanOrEqual(1);
        }
      }
      // Explosion by T can only grow with T (the same paths, read later).
      expect(row.cells[1].sde.exploded.k).toBeGreaterThanOrEqual(row.cells[0].sde.exploded.k);
      expect(row.cells[1].network.exploded.k).toBeGreaterThanOrEqual(row.cells[0].network.exploded.k);
    }
  });

  it('the transformer runs with its activation; bad settings are refused naming the option', async () => {
    const r = await collapseReport(
      {
        blocks: 'transformer',
        activation: 'relu:0,-1',
        gamma: [0.7],
        tau0: [1],
        heads: [1],
        T: [0.25],
        paths: 100,
        samples: 20,
        n: 16,
        m: 2,
      },
      { threads: 1 },
    );
    expect(r.rows[0].label).toBe('transformer(gamma=0.7, tau0=1, H=1)');
    await expect(collapseReport({ tau0: [0] })).rejects.toThrow(/tau0/);
  });

  // Networks of width 32 against the attention SDE at T = 1 (gamma = 1, tau0 = 1, one head, 3 tokens,
  // the default threshold 4): E[mean token correlation | not exploded by T] from 1600 networks and 4000 SDE
  // paths, with CLT standard errors (about 0.013 and 0.008). The two sides use independent streams, so the
  // difference has SE = hypot(se_net, se_sde), and |z| <= 4 is the tolerance (a false alarm at a correct
  // law has probability 6e-5; measured z = -0.05). Power: the SDE of a wrong tau0 (0.5, twice as sharp a
  // softmax) moves the SDE's mean from 0.26 to 0.34, and the same networks must then be rejected, |z| > 4
  // (measured 5.2). The finite-width bias grows as tau0 falls (at tau0 = 0.5, n = 32 it is about 3 SE),
  // so the agreement is tested at tau0 = 1.
  it('finite networks agree with the attention SDE within 4 standard errors, and are rejected against a wrong tau0', async () => {
    const base = { T: 1, m: 3, rho0: 0.3, n: 32, stepsPerUnit: 256, seed: 1 };
    const right = await runCollapsePoint(
      { ...base, architecture: 'attention:1,1', paths: 4000, samples: 1600 },
      { threads: 2 },
    );
    const wrong = await runCollapsePoint(
      { ...base, architecture: 'attention:1,0.5', paths: 4000, samples: 2 },
      { threads: 2 },
    );
    const networks = correlationOf(right.network);
    expect(networks.se).toBeLessThan(0.015);
    expect(Math.abs(z(networks, correlationOf(right.sde)))).toBeLessThanOrEqual(4);
    expect(Math.abs(z(networks, correlationOf(wrong.sde)))).toBeGreaterThan(4);
  }, 120_000);

  // P(explode by T) on both sides at a threshold both resolve (3, below tau0 sqrt(n) = 5.7 and tau0
  // sqrt(steps per unit) = 16; docs/maths.md, 14.9): m = 3, gamma = tau0 = 1, one head, n = 32, T = 1, 8000
  // networks and 8000 SDE paths. The study reads the SDE at the networks' layer times t = l / n, as the
  // networks are read; the pooled two-sample z of the difference must be |z| <= 4 (measured: SDE 0.4470,
  // networks 0.4458, z = -0.16; SE of the difference 0.0079). Power: the SDE read at every Euler-Maruyama
  // step (256 per unit time, the study's reading before it matched the networks') also counts crossings
  // between layers: 0.5084 here (0.5124 on the study's own streams), and the same networks must reject it,
  // |z| > 4 (measured z = -7.9; the study before the change gave z = -8.4 and fails the first check).
  it('P(explode by T): networks agree with the SDE read at their layers, and reject the SDE read at every step', async () => {
    const settings = {
      architecture: 'attention:1,1',
      T: 1,
      m: 3,
      rho0: 0.3,
      n: 32,
      stepsPerUnit: 256,
      threshold: 3,
      paths: 8000,
      samples: 8000,
      seed: 1,
    };
    const cell = await runCollapsePoint(settings, { threads: 2 });
    expect(Math.abs(cell.explodedDifference.z)).toBeLessThanOrEqual(4);
    const everyStep = await solve({
      sde: attention({ gamma: 1, tau0: 1 }).sde(shapedRelu({ cPlus: 0, cMinus: -1 })),
      solver: eulerMaruyama(),
      T: 1,
      v0: [
        [1, 0.3, 0.3],
        [0.3, 1, 0.3],
        [0.3, 0.3, 1],
      ],
      stepping: constantSteps(256),
      paths: 8000,
      seed: 1,
      threshold: 3,
      threads: 2,
    });
    let k = 0;
    for (let p = 0; p < everyStep.paths; p++) if (everyStep.status[p] === PATH_EXPLODED) k++;
    expect(Math.abs(proportionDifference(cell.network.exploded, wilson(k, everyStep.paths)).z)).toBeGreaterThan(4);
  }, 120_000);
});
