// The two-token reduction of the shaped attention SDE (architectures/attention/reference.ts, docs/maths.md
// 14.10): the backward-equation reference for P(the token distance blows up by T) is accurate (grids halved,
// the closed long-time limit), its Feller test says when blow-up can happen at all, and the package's
// attention SDE reproduces the reference's P(explode), while references with one noise term off by a
// factor 2 are rejected.
import { describe, expect, it } from 'vitest';
import { shapedRelu } from '../src/activations/index.js';
import { PATH_EXPLODED } from '../src/results.js';
import { brownianSampling, constantSteps, eulerMaruyama, solveSync } from '../sde/index.js';
import { attention } from '../architectures/attention/index.js';
import { tokenDistanceBlowsUp, tokenDistanceCrossing, tokenDistanceLaw } from '../architectures/attention/reference.js';

// gamma = 1, tau0 = 0.5, H = 4 heads, unit variances and correlation 0.3: w0 = 2 (1 - 0.3) = 1.4.
const CASE = { gamma: 1, tau0: 0.5, heads: 4, w0: 1.4, T: 1 };

describe('the two-token distance reference', () => {
  it('is converged in its grids: halving both moves it by less than 1e-6', () => {
    const fine = tokenDistanceCrossing({ ...CASE, cells: 4000, steps: 4000 });
    const base = tokenDistanceCrossing(CASE);
    expect(Math.abs(base - fine)).toBeLessThan(1e-6);
    expect(base).toBeCloseTo(0.167594, 5);
  });

  it('tends to the closed P(ever blows up) as T grows (a = c: 1 - (2/pi) arctan(sqrt(2 s^2 / c) / w0))', () => {
    // H = 4 gamma^2 makes a = c, so the scale function of y = 1/w is 1 / (2 s^2 y^2 + c).
    const law = tokenDistanceLaw(CASE);
    expect(law.a).toBeCloseTo(law.c, 15);
    const ever = 1 - (2 / Math.PI) * Math.atan(Math.sqrt((2 * law.s2) / law.c) / CASE.w0);
    expect(Math.abs(tokenDistanceCrossing({ ...CASE, T: 50, steps: 20000 }) - ever)).toBeLessThan(1e-6);
  });

  it('Feller: blow-up iff H > 2 gamma^2, whatever tau0; a finite level is crossed either way', () => {
    for (const tau0 of [0.3, 1, 5]) {
      expect(tokenDistanceBlowsUp({ gamma: 1, tau0, heads: 2 })).toBe(false);
      expect(tokenDistanceBlowsUp({ gamma: 1, tau0, heads: 3 })).toBe(true);
      expect(tokenDistanceBlowsUp({ gamma: 0.5, tau0, heads: 1 })).toBe(true);
    }
    expect(tokenDistanceCrossing({ ...CASE, heads: 1 })).toBe(0);
    const level = tokenDistanceCrossing({ ...CASE, heads: 1, level: 100 });
    expect(level).toBeGreaterThan(0.01);
    // Blow-up is the limit of the levels.
    expect(Math.abs(tokenDistanceCrossing({ ...CASE, level: 1e6 }) - tokenDistanceCrossing(CASE))).toBeLessThan(1e-5);
  });

  // P(max_a V^aa crosses 1e6 by T) from 8000 Euler-Maruyama paths at 1024 steps per unit time against the
  // reference's P(w blows up by T) = 0.16759 (w <= 4 max V^aa, and a path whose w is finite keeps V finite,
  // so the two events differ only by the time w takes from 4e6 to infinity). SE = sqrt(p (1 - p) / 8000) =
  // 0.0042; tolerance 4 SE (measured 0.16663, z = -0.23; the step bias is about +0.011 at 256
  // steps per unit and below 0.001 at 1024). Power: the references with the attention noise halved (H = 8:
  // 0.2596) or doubled (H = 2: no blow-up at all, 0) are rejected by more than 20 SE (measured z = -22, 40).
  it('the attention SDE reproduces the reference, and rejects a reference with a noise off by 2', () => {
    const paths = 8000;
    const sol = solveSync({
      sde: attention({ gamma: CASE.gamma, tau0: CASE.tau0, heads: CASE.heads }).sde(
        shapedRelu({ cPlus: 0, cMinus: -1 }),
      ),
      solver: eulerMaruyama(),
      T: CASE.T,
      v0: [
        [1, 0.3],
        [0.3, 1],
      ],
      stepping: constantSteps(1024),
      paths,
      seed: 5,
      threshold: 1e6,
      brownian: brownianSampling({ purpose: 'test/attention-two-token' }),
    });
    let k = 0;
    for (let p = 0; p < paths; p++) if (sol.status[p] === PATH_EXPLODED) k++;
    const p = k / paths;
    const z = (ref: number) => (p - ref) / Math.sqrt((p * (1 - p)) / paths);
    expect(Math.abs(z(tokenDistanceCrossing(CASE)))).toBeLessThanOrEqual(4);
    expect(Math.abs(z(tokenDistanceCrossing({ ...CASE, heads: 8 })))).toBeGreaterThan(20);
    expect(Math.abs(z(tokenDistanceCrossing({ ...CASE, heads: 2 })))).toBeGreaterThan(20);
  }, 60_000);
});
