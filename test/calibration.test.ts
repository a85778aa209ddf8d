import { describe, expect, it } from 'vitest';
import { shapedRelu, unshaped } from '../src/activations/index.js';
import { PATH_EXPLODED } from '../src/results.js';
import { openStream } from '../src/random/streams.js';
import { bcaBootstraps, wilson } from '../src/stats/index.js';
import { sampleNetworksSync } from '../networks/index.js';
import {
  constantSteps,
  saveAt,
  explosionDetection,
  explosionProbability,
  ninomiyaVictoir,
  solveSync,
} from '../sde/index.js';
import { covarianceSde, diagonalSde } from '../architectures/index.js';
import { shapedSmooth } from '../src/activations/index.js';
import { measureCumulants } from '../validation/cumulants.js';
import { momentTheory, pooledEstimates } from '../validation/theory.js';
import { calibrate, describeCalibration, SCALE, type Calibration } from './helpers/calibration.js';

function expectCalibrated(c: Calibration): void {
  const text = describeCalibration(c);
  // `npm run calibrate` prints what it measured; the test suite stays quiet.
  if (SCALE > 1) console.info(`${expect.getState().currentTestName}: ${text}`);
  expect(c.covered, text).toBeGreaterThanOrEqual(c.coverageRange[0]);
  expect(c.covered, text).toBeLessThanOrEqual(c.coverageRange[1]);
  expect(c.ratio, text).toBeGreaterThan(c.ratioRange[0]);
  expect(c.ratio, text).toBeLessThan(c.ratioRange[1]);
  expect(c.biasZ, text).toBeLessThan(4);
}

describe('calibration over replicate seeds (95% intervals; exact binomial and chi-square bounds at 0.1%)', () => {
  const spec = { family: 'relu-like', cPlus: 0, cMinus: -1 } as const;
  const shaped = shapedRelu(spec);
  const theory = momentTheory(spec, 32, 32, 1);

  it('shaped ReLU at n = 32, L = 32: pooled E[V_L^2] / V0^2 covers the exact (1 + k/n)^L', async () => {
    const c = await calibrate(80, theory.secondMoment.exact!, (r) => {
      const s = sampleNetworksSync({
        activation: shaped,
        n: 32,
        depth: 32,
        v0: [[1]],
        samples: 500,
        seed: 1000 + r,
        factorMoments: true,
      });
      return pooledEstimates(s.factors, s.status, 32)!.secondMoment;
    });
    expectCalibrated(c);
  });

  it('shaped ReLU at n = 32, L = 32: pooled kurtosis ratio covers the exact 6.72 (the direct estimator gave 5.75, z = -3.8)', async () => {
    const c = await calibrate(80, theory.kurtosis.exact!, (r) => {
      const s = sampleNetworksSync({
        activation: shaped,
        n: 32,
        depth: 32,
        v0: [[1]],
        samples: 500,
        seed: 2000 + r,
        factorMoments: true,
      });
      return pooledEstimates(s.factors, s.status, 32)!.kurtosis;
    });
    expectCalibrated(c);
  });

  it("unshaped ReLU at n = 32, L = 32: the cumulant measurement's pooled ratio covers the exact (1 + 5/n)^L - 1 = 103.1", async () => {
    const exact = (1 + 5 / 32) ** 32 - 1;
    const c = await calibrate(
      40,
      exact,
      async (r) =>
        (
          await measureCumulants({
            activation: unshaped('relu'),
            n: 32,
            layers: [32],
            samples: 1000,
            seed: 3000 + r,
            resamples: 200,
          })
        ).pooled![0],
    );
    expectCalibrated(c);
  });

  it('unshaped ReLU at n = 32, L = 32: the pooled derivative ratio (factors psi_l, docs/maths.md section 12) covers the same exact 103.1', async () => {
    const exact = (1 + 5 / 32) ** 32 - 1;
    const c = await calibrate(
      40,
      exact,
      async (r) =>
        (
          await measureCumulants({
            activation: unshaped('relu'),
            n: 32,
            layers: [32],
            samples: 1000,
            seed: 6000 + r,
            resamples: 200,
          })
        ).derivativePooled![0],
    );
    expectCalibrated(c);
  });

  it('P(explode by T = 1) at beta = 0.75, X0 = 1: split-scheme Wilson intervals cover the exact 0.200858', async () => {
    const activation = shapedSmooth('swish', { a: 1 });
    const exact = explosionProbability({ beta: 0.75, x0: 1, T: 1 });
    expect(exact).toBeCloseTo(0.200858, 5);
    const c = await calibrate(80, exact, (r) => {
      const s = solveSync({
        sde: diagonalSde(activation),
        solver: ninomiyaVictoir(),
        T: 1,
        saveAt: saveAt({ t1: true }),
        v0: 1,
        stepping: constantSteps(32),
        paths: 2000,
        seed: 4000 + r,
        explosion: explosionDetection({ threshold: 1e12 }),
      });
      let k = 0;
      for (const st of s.status) if (st === PATH_EXPLODED) k++;
      return wilson(k, s.paths);
    });
    expectCalibrated(c);
  });

  it("the SDE's E[V^aa_T] (log-normal tails, sigma^2 = 2T): BCa intervals cover V0", async () => {
    const c = await calibrate(60, 1, (r) => {
      const s = solveSync({
        sde: covarianceSde(shaped),
        solver: ninomiyaVictoir(),
        T: 1,
        saveAt: saveAt({ t1: true }),
        v0: [
          [1, 0.5],
          [0.5, 1],
        ],
        stepping: constantSteps(4),
        paths: 2000,
        seed: 5000 + r,
      });
      const v = Float64Array.from({ length: s.paths }, (_, p) => s.values.get(0, p, 0, 0));
      return bcaBootstraps(
        [[v]],
        { mean: (m) => m[0][0] },
        { rng: openStream(5000 + r, 'bootstrap/calibration', 0), resamples: 1000 },
      ).mean;
    });
    expectCalibrated(c);
  });
});
