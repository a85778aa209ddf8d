// A solver written outside the package runs through `solve`: here the stochastic Heun scheme for the
// Stratonovich form, built only from the maths a Term exposes (drift, correction, diffusion, settle), with
// no change to src/, sde/ or entry/. It must show weak order 1 against the exact PDE reference, and the
// same scheme without the Ito-Stratonovich correction (a wrong law) must fail that check.
import { describe, expect, it } from 'vitest';
import { shapedRelu } from '../src/activations/index.js';
import {
  constantSteps,
  convergenceStudy,
  correlationExpectation,
  eulerMaruyama,
  ninomiyaVictoir,
  saveAt,
  solve,
  solveSync,
  type LaneBook,
  type Solver,
  type SolverState,
  type Term,
} from '../entry/index.js';
import { correlationSde, covarianceSde } from '../architectures/index.js';

interface HeunState extends SolverState {
  readonly previous: Float64Array;
  readonly predictor: Float64Array;
  readonly f0: Float64Array;
  readonly f1: Float64Array;
  readonly c: Float64Array;
  readonly g0: Float64Array;
  readonly g1: Float64Array;
}

/** Stochastic Heun on dX = f(X) dt + G(X) o dB, f = b - (1/2) sum_k (G_k . grad) G_k (the Stratonovich drift):
 *  X~ = X + f(X) h + G(X) dW, X' = X + (f(X) + f(X~)) h / 2 + (G(X) + G(X~)) dW / 2. */
class StochasticHeun implements Solver<HeunState> {
  readonly name = 'heun';
  readonly weakOrder = 1;
  readonly strongOrder = 0.5;
  readonly description = 'stochastic Heun (Stratonovich), written in a test';
  constructor(private readonly stratonovich = true) {}

  needsCoins(): boolean {
    return false;
  }

  init(term: Term, book: LaneBook): HeunState {
    const size = term.dimension * book.lanes;
    const x = new Float64Array(size);
    term.initialise(x);
    const buf = () => new Float64Array(size);
    return { x, previous: buf(), predictor: buf(), f0: buf(), f1: buf(), c: buf(), g0: buf(), g1: buf() };
  }

  private drift(term: Term, x: Float64Array, out: Float64Array, c: Float64Array, book: LaneBook): void {
    term.drift(x, out, book);
    if (!this.stratonovich) return;
    term.correction(x, c, book);
    for (let i = 0; i < out.length; i++) out[i] -= c[i];
  }

  step(
    term: Term,
    s: HeunState,
    g: Float64Array,
    _coins: Int32Array | null,
    t: number,
    h: number,
    book: LaneBook,
  ): void {
    const { x, previous, predictor, f0, f1, c, g0, g1 } = s;
    this.drift(term, x, f0, c, book);
    term.diffusion(x, g, h, g0, book);
    for (let i = 0; i < x.length; i++) predictor[i] = x[i] + h * f0[i] + g0[i];
    this.drift(term, predictor, f1, c, book);
    term.diffusion(predictor, g, h, g1, book);
    previous.set(x);
    for (let i = 0; i < x.length; i++) x[i] += 0.5 * h * (f0[i] + f1[i]) + 0.5 * (g0[i] + g1[i]);
    term.settle(x, previous, t + h, book);
  }

  observe(_term: Term, s: HeunState, out: Float64Array): void {
    out.set(s.x);
  }

  finish(): void {}
}

const activation = shapedRelu({ cPlus: 0.3, cMinus: -0.8 });
const rho0 = 0.5;
const T = 1.5;
// The truth: E rho_T by the Kolmogorov backward PDE (about 1e-7, far below the Monte Carlo SEs here).
const exact = correlationExpectation({ activation, rho0, T });
const study = (solver: Solver) =>
  convergenceStudy({
    sde: correlationSde(activation),
    solver,
    v0: rho0,
    T: T,
    stepsList: [4, 8, 16, 32],
    referenceSteps: 64,
    paths: 100_000,
    seed: 21,
    observable: (v) => v[0],
    exact,
  });

describe('a solver written outside the package', () => {
  it('runs through solve on one thread; with threads it needs a ref, and the error says so', async () => {
    const heun = new StochasticHeun();
    const sol = solveSync({
      sde: correlationSde(activation),
      solver: heun,
      T: T,
      saveAt: saveAt({ t1: true }),
      v0: rho0,
      stepping: constantSteps(8),
      paths: 256,
      seed: 1,
    });
    expect(sol.settings.solver).toBe('heun');
    expect(sol.counts.finished + sol.counts.exploded + sol.counts.repaired).toBe(256);
    await expect(
      solve({
        sde: correlationSde(activation),
        solver: heun,
        T: T,
        saveAt: saveAt({ t1: true }),
        v0: rho0,
        paths: 256,
        seed: 1,
        threads: 2,
      }),
    ).rejects.toThrow(/^threads must be 1 for the solver heun, which has no module reference/);
    // On the matrix term too: the predictor stage gets the diffusion at its own state (the term refactors it).
    const m = solveSync({
      sde: covarianceSde(activation),
      solver: heun,
      T: 1,
      saveAt: saveAt({ t1: true }),
      v0: [
        [1, 0.5],
        [0.5, 1],
      ],
      stepping: constantSteps(16),
      paths: 128,
      seed: 2,
    });
    expect(m.values.shape).toEqual([1, 128, 2, 2]);
  });

  it('stochastic Heun shows weak order 1 on E rho_T against the PDE (95% CI of the WLS slope over 4..32 steps, SEs from 1e5 paths, widened by 0.15 for the pre-asymptotic range, holds 1 and not 2)', () => {
    const s = study(new StochasticHeun());
    expect(s.weakOrder).not.toBeNull();
    // Each level's bias must be resolved: |bias| > 3 SE, or the slope is noise.
    for (const level of s.levels) expect(Math.abs(level.weakError.value)).toBeGreaterThan(3 * level.weakError.se);
    expect(s.weakOrder!.lower - 0.15).toBeLessThan(1);
    expect(s.weakOrder!.upper + 0.15).toBeGreaterThan(1);
    expect(s.weakOrder!.upper).toBeLessThan(2);
  });

  it('power: Heun without the Ito-Stratonovich correction solves another SDE, and its bias does not vanish', () => {
    const s = study(new StochasticHeun(false));
    const finest = s.levels[s.levels.length - 1].weakError;
    // The wrong law keeps an O(1) bias (about -0.22 here, against SEs near 0.0016): at 32 steps it is
    // still far outside the Monte Carlo error and has not shrunk by half from 4 steps.
    expect(Math.abs(finest.value)).toBeGreaterThan(10 * finest.se);
    expect(Math.abs(finest.value)).toBeGreaterThan(0.5 * Math.abs(s.levels[0].weakError.value));
  });
});

describe('drift and noise clocks (the time change an architecture such as the shaped ResNet uses)', () => {
  // gamma^2 = 0.5: drift on clock 0.5, noise on clock s^2 = gamma^2 (2 - gamma^2) = 0.75.
  const clocks = { driftClock: 0.5, noiseClock: 0.75 };
  const relu = shapedRelu({ cPlus: 0, cMinus: -1 });

  it('the correlation SDE on clocks matches its PDE on the same clocks, for both solvers at 64 steps (within 4 SE + a bias allowance of 2e-3); the MLP clocks differ by > 10 SE', () => {
    const exact = correlationExpectation({ activation: relu, rho0: 0.5, T: 1, clocks });
    const mlpExact = correlationExpectation({ activation: relu, rho0: 0.5, T: 1 });
    expect(Math.abs(exact - mlpExact)).toBeGreaterThan(0.01);
    for (const solver of [ninomiyaVictoir(), eulerMaruyama()]) {
      const sol = solveSync({
        sde: correlationSde(relu, clocks),
        solver,
        T: 1,
        saveAt: saveAt({ t1: true }),
        v0: 0.5,
        stepping: constantSteps(64),
        paths: 100_000,
        seed: 31,
      });
      const xs = sol.values.data;
      let sum = 0;
      let sum2 = 0;
      for (const x of xs) {
        sum += x;
        sum2 += x * x;
      }
      const mean = sum / xs.length;
      const se = Math.sqrt((sum2 / xs.length - mean * mean) / (xs.length - 1));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * se + 2e-3);
      expect(Math.abs(mean - mlpExact)).toBeGreaterThan(10 * se);
    }
  });

  it('the covariance term on clocks: the splitting solver gives E rho_T of the clocked PDE (m = 2, 64 steps, within 4 SE + 2e-3)', () => {
    const exact = correlationExpectation({ activation: relu, rho0: 0.5, T: 1, clocks });
    const sol = solveSync({
      sde: covarianceSde(relu, clocks),
      solver: ninomiyaVictoir(),
      T: 1,
      saveAt: saveAt({ t1: true }),
      v0: [
        [1, 0.5],
        [0.5, 1],
      ],
      stepping: constantSteps(64),
      paths: 50_000,
      seed: 32,
    });
    const rho = Array.from(
      { length: sol.paths },
      (_, p) => sol.values.get(0, p, 0, 1) / Math.sqrt(sol.values.get(0, p, 0, 0) * sol.values.get(0, p, 1, 1)),
    );
    const mean = rho.reduce((a, b) => a + b, 0) / rho.length;
    const se = Math.sqrt(rho.reduce((a, b) => a + (b - mean) ** 2, 0) / (rho.length - 1) / rho.length);
    expect(Math.abs(mean - exact)).toBeLessThan(4 * se + 2e-3);
  });
});

describe('saveAt.t1 does what it says', () => {
  const base = {
    sde: correlationSde(shapedRelu({ cPlus: 0, cMinus: -1 })),
    T: 1,
    saveAt: saveAt({ t1: true }),
    v0: 0.5,
    stepping: constantSteps(8),
    paths: 64,
    seed: 3,
  };
  it('adds the final time to ts when asked, and only then', () => {
    expect(Array.from(solveSync({ ...base, saveAt: saveAt({ ts: [0, 0.5], t1: true }) }).ts)).toEqual([0, 0.5, 1]);
    expect(Array.from(solveSync({ ...base, saveAt: saveAt({ ts: [0, 0.5] }) }).ts)).toEqual([0, 0.5]);
    expect(Array.from(solveSync({ ...base, saveAt: saveAt({ ts: [0, 1], t1: true }) }).ts)).toEqual([0, 1]);
  });
  it('refuses t1: false where nothing else is saved or where count ends at t1 anyway', () => {
    expect(() => saveAt({ t1: false })).toThrow(/^saveAt\.t1 leaves nothing to save/);
    expect(() => saveAt({ count: 4, t1: false })).toThrow(/^saveAt\.t1 conflicts with saveAt\.count/);
    expect(() => saveAt({ ts: [0.5], count: 4 })).toThrow(/^saveAt\.count conflicts with saveAt\.ts/);
  });
});
