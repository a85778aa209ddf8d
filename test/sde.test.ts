import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, unshaped } from '../src/activations/index.js';
import { meanEstimate, ksTwoSample, varianceEstimate, zScore } from '../src/stats.js';
import {
  brownianSampling,
  constantSteps,
  convergenceStudy,
  correlationSde,
  covarianceSde,
  diagonalSde,
  explosionDetection,
  saveAt,
  solve,
  solveSync,
  PATH_EXPLODED,
} from '../sde/index.js';

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const V0 = [
  [1, 0.5],
  [0.5, 1],
];

function column(sol: { values: { get(...i: number[]): number }; paths: number }, save: number, f: (get: (i: number, j: number) => number) => number) {
  return Float64Array.from({ length: sol.paths }, (_, p) => f((i, j) => sol.values.get(save, p, i, j)));
}

describe('covariance SDE, ReLU-like', () => {
  const T = 1;
  const steps = 500;
  const sol = solveSync({ sde: covarianceSde(relu), t1: T, v0: V0, stepping: constantSteps(steps), paths: 10_000, seed: 1 });

  it('returns (saves, paths, m, m) with every path finished and no repairs at dt = 0.002', () => {
    expect(sol.values.shape).toEqual([1, 10_000, 2, 2]);
    expect(sol.counts).toEqual({ finished: 10_000, exploded: 0, repaired: 0, repairedSteps: 0 });
    expect(sol.values.data.every(Number.isFinite)).toBe(true);
  });

  it('log V^aa_T has mean log V0 - T and variance 2T', () => {
    const logs = column(sol, 0, (g) => Math.log(g(0, 0)));
    // Euler's own bias: per step log(1 + sigma Z), sigma^2 = 2 dt, has mean -dt - 3 dt^2 - ... and variance
    // 2 dt + 10 dt^2 + ...; over `steps` steps that is -3 T dt and +10 T dt for mean and variance.
    const dt = T / steps;
    const m = meanEstimate(logs);
    expect(Math.abs(m.value - (0 - T))).toBeLessThan(4 * m.se + 3 * T * dt);
    const v = varianceEstimate(logs);
    expect(Math.abs(v.value - 2 * T)).toBeLessThan(4 * v.se + 10 * T * dt);
  });

  it('matches the 1-D correlation SDE in law (two-sample KS, mean within 4 SE)', () => {
    const rhoMatrix = column(sol, 0, (g) => g(0, 1) / Math.sqrt(g(0, 0) * g(1, 1)));
    const oneD = solveSync({ sde: correlationSde(relu), t1: T, v0: 0.5, stepping: constantSteps(steps), paths: 10_000, seed: 2 });
    const rho1 = oneD.values.data;
    expect(ksTwoSample(rhoMatrix, rho1).pValue).toBeGreaterThan(1e-3);
    expect(Math.abs(zScore(meanEstimate(rhoMatrix), meanEstimate(rho1)))).toBeLessThan(4);
  });

  it('keeps E[V^ab_T] = V0^ab when c+ = c- (zero drift: V is a martingale)', () => {
    const flat = shapedRelu({ cPlus: 1, cMinus: 1 });
    const s = solveSync({ sde: covarianceSde(flat), t1: 1, v0: V0, stepping: constantSteps(50), paths: 20_000, seed: 3 });
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 1],
    ]) {
      const e = meanEstimate(column(s, 0, (g) => g(i, j)));
      expect(Math.abs(e.value - V0[i][j])).toBeLessThan(4 * e.se);
    }
  });

  it('measures strong order about 1/2 and weak order about 1', () => {
    const study = convergenceStudy({
      sde: covarianceSde(relu),
      v0: V0,
      t1: 0.5,
      stepsList: [4, 8, 16, 32],
      referenceSteps: 256,
      paths: 6000,
      seed: 4,
    });
    // Orders are slopes of log error on log dt; their SE is propagated from the per-level SEs. The
    // extra 0.1 allows for the pre-asymptotic range of these coarse steps.
    expect(Math.abs(study.strongOrder.value - 0.5)).toBeLessThan(4 * study.strongOrder.se + 0.1);
    expect(Math.abs(study.weakOrder.value - 1)).toBeLessThan(4 * study.weakOrder.se + 0.1);
    expect(study.levels[0].strongError.value).toBeGreaterThan(study.levels[3].strongError.value);
  });
});

describe('covariance SDE, smooth tanh', () => {
  it('E[V^aa_T] matches a fine-step reference of the diagonal SDE', () => {
    const tanh = shapedSmooth('tanh', { a: 1 }); // beta = -2
    const T = 1;
    const matrix = solveSync({ sde: covarianceSde(tanh), t1: T, v0: [[1, 0.3], [0.3, 1]], stepping: constantSteps(100), paths: 10_000, seed: 5 });
    const diag = meanEstimate(column(matrix, 0, (g) => g(0, 0)));
    const fine = solveSync({ sde: diagonalSde(tanh), t1: T, v0: 1, stepping: constantSteps(4000), paths: 20_000, seed: 6 });
    const reference = meanEstimate(fine.values.data);
    // Euler's weak bias at dt = 0.01, measured on the 1-D SDE with the same Brownian paths as the fine run.
    const coarse = solveSync({
      sde: diagonalSde(tanh),
      t1: T,
      v0: 1,
      stepping: constantSteps(100),
      brownian: brownianSampling({ resolution: 4000 }),
      paths: 20_000,
      seed: 6,
    });
    const bias = Math.abs(meanEstimate(coarse.values.data).value - reference.value);
    expect(bias).toBeLessThan(0.02);
    expect(Math.abs(diag.value - reference.value)).toBeLessThan(4 * Math.hypot(diag.se, reference.se) + bias);
    expect(reference.value).toBeLessThan(0.75); // beta < 0 pulls the norm down
  });
});

describe('explosion and PSD repair', () => {
  it('stops exploding paths, records the time, and never returns NaN or Infinity', () => {
    const swish = shapedSmooth('swish', { a: 0.5 }); // beta = 3
    const s = solveSync({
      sde: covarianceSde(swish),
      t1: 2,
      v0: [[1, 0.2], [0.2, 1]],
      stepping: constantSteps(400),
      saveAt: saveAt({ count: 4 }),
      paths: 400,
      seed: 7,
      explosion: explosionDetection({ threshold: 1e6 }),
    });
    expect(s.counts.exploded).toBeGreaterThan(100);
    expect(s.values.data.every(Number.isFinite)).toBe(true);
    for (let p = 0; p < s.paths; p++) {
      if (s.status[p] === PATH_EXPLODED) {
        expect(s.explosionTime[p]).toBeGreaterThan(0);
        expect(s.explosionTime[p]).toBeLessThanOrEqual(2);
        expect(Math.max(s.values.get(4, p, 0, 0), s.values.get(4, p, 1, 1))).toBeGreaterThan(1e6);
      } else {
        expect(s.explosionTime[p]).toBe(-1);
      }
    }
  });

  it('counts steps that leave the PSD cone at coarse dt and returns PSD matrices', () => {
    const s = solveSync({ sde: covarianceSde(relu), t1: 2, v0: V0, stepping: constantSteps(4), paths: 2000, seed: 8 });
    expect(s.counts.repaired).toBeGreaterThan(0);
    expect(s.counts.repairedSteps).toBeGreaterThanOrEqual(s.counts.repaired);
    for (let p = 0; p < s.paths; p++) {
      const a = s.values.get(0, p, 0, 0);
      const b = s.values.get(0, p, 1, 1);
      const c = s.values.get(0, p, 0, 1);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a * b - c * c).toBeGreaterThanOrEqual(-1e-12 * (1 + a * b));
      if (s.repairs[p] > 0) expect(s.worstRepair[p]).toBeLessThan(0);
    }
  });
});

describe('reproducibility', () => {
  const options = { sde: covarianceSde(relu), t1: 1, v0: V0, stepping: constantSteps(20), saveAt: saveAt({ count: 2 }), seed: 'repro' } as const;

  it('is bit-identical across thread counts', async () => {
    const one = solveSync({ ...options, paths: 300 });
    const three = await solve({ ...options, paths: 300, threads: 3 });
    expect(Array.from(three.values.data)).toEqual(Array.from(one.values.data));
    expect(Array.from(three.status)).toEqual(Array.from(one.status));
  });

  it('gives each path the same numbers whatever the number of paths', () => {
    const small = solveSync({ ...options, paths: 10 });
    const large = solveSync({ ...options, paths: 100 });
    for (let s = 0; s < 3; s++) for (let p = 0; p < 10; p++) expect(large.values.get(s, p, 0, 1)).toBe(small.values.get(s, p, 0, 1));
  });

  it('saves t = 0 as V0 and equally spaced times', () => {
    const s = solveSync({ ...options, paths: 5 });
    expect(Array.from(s.ts)).toEqual([0, 0.5, 1]);
    expect(s.values.get(0, 3, 0, 1)).toBe(0.5);
  });
});

describe('input validation', () => {
  const base = { sde: covarianceSde(relu), t1: 1, v0: V0, paths: 10, seed: 1 };
  it('names the field and the value', () => {
    expect(() => solveSync({ ...base, t1: -1 })).toThrow(/t1 must be > 0 \(got -1\)/);
    expect(() => solveSync({ ...base, t1: NaN })).toThrow(/t1 must be a finite number \(got NaN\)/);
    expect(() => solveSync({ ...base, paths: 0 })).toThrow(/paths must be an integer >= 1 \(got 0\)/);
    expect(() => constantSteps(0)).toThrow(/stepping.steps must be an integer >= 1/);
    expect(() => solveSync({ ...base, v0: [[1, 2], [2, 1]] })).toThrow(/v0 must be positive semi-definite/);
    expect(() => solveSync({ ...base, v0: [[1, 0.1], [0.2, 1]] })).toThrow(/v0\[1\]\[0\]/);
    expect(() => solveSync({ ...base, v0: [[-1, 0], [0, 1]] })).toThrow(/v0\[0\]\[0\] must be > 0/);
    expect(() => solveSync({ ...base, saveAt: saveAt({ ts: [0.333] }), stepping: constantSteps(10) })).toThrow(/saveAt.ts\[0\]/);
    expect(() => solveSync({ ...base, brownian: brownianSampling({ resolution: 15 }), stepping: constantSteps(10) })).toThrow(/brownian.resolution/);
    expect(() => solveSync({ ...base, sde: correlationSde(relu), v0: 1.5 })).toThrow(/v0 must be a correlation/);
    expect(() => covarianceSde(unshaped('relu'))).toThrow(/activation has no Neural Covariance SDE limit.*relu\(unshaped/);
    expect(() => correlationSde(shapedSmooth('tanh', { a: 1 }))).toThrow(/correlation SDE/);
  });
});

describe('specialised m = 2 kernel', () => {
  it('is bit-identical to the generic m x m kernel, through explosions and PSD repairs', async () => {
    const { buildSdeJob } = await import('../sde/solve.js');
    const { runSdeChunk } = await import('../sde/kernels.js');
    const cases = [
      { sde: covarianceSde(relu), t1: 1, v0: V0, stepping: constantSteps(50), saveAt: saveAt({ count: 5 }), paths: 200, seed: 1 },
      { sde: covarianceSde(relu), t1: 2, v0: V0, stepping: constantSteps(4), paths: 500, seed: 2 },
      { sde: covarianceSde(shapedSmooth('swish', { a: 0.5 })), t1: 2, v0: [[1, 0.9], [0.9, 1]], stepping: constantSteps(100), paths: 200, seed: 3, explosion: explosionDetection({ threshold: 1e5 }) },
      { sde: covarianceSde(relu), t1: 1, v0: [[1, 1], [1, 1]], stepping: constantSteps(10), brownian: brownianSampling({ resolution: 40 }), paths: 100, seed: 4 },
    ];
    for (const options of cases) {
      const job = buildSdeJob(options);
      const fast = runSdeChunk(job, options.sde.limit, 0, options.paths);
      const generic = runSdeChunk(job, options.sde.limit, 0, options.paths, true);
      expect(Array.from(fast.values)).toEqual(Array.from(generic.values));
      expect(Array.from(fast.status)).toEqual(Array.from(generic.status));
      expect(Array.from(fast.repairs)).toEqual(Array.from(generic.repairs));
      expect(Array.from(fast.explosionTime)).toEqual(Array.from(generic.explosionTime));
    }
  });
});

describe('memory', () => {
  it('a 1e5-path solve that saves only t1 holds O(paths m^2), not per-step state for all paths', () => {
    const before = process.memoryUsage().arrayBuffers;
    const s = solveSync({ sde: covarianceSde(relu), t1: 1, v0: V0, stepping: constantSteps(40), paths: 100_000, seed: 9 });
    const grown = process.memoryUsage().arrayBuffers - before;
    // The result is 1e5 x 4 doubles (3.2 MB) plus per-path status arrays (~2 MB); per-step state for
    // every path would be 40 times the result (128 MB).
    expect(s.values.data.length).toBe(400_000);
    expect(grown).toBeLessThan(16 * 2 ** 20);
  });
});
