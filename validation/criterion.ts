// The if-and-only-if condition for norm explosion (SPEC.md section 4). For a smooth shaped activation
// the diagonal solves dX = beta X^2 dt + sqrt(2) X dB; it explodes in finite time with probability
// 1 - exp(-beta X0) > 0 iff beta > 0, and vanishes (X_t -> 0) otherwise. Three estimates of
// P(explosion by T): the SDE solver, the exact functional P(beta int_0^T e^{-s + sqrt2 B_s} ds > 1/X0)
// simulated directly, and finite networks crossing the same threshold.
import type { Activation } from '../src/activations/index.js';
import { InputError, requireInteger, requirePositive, requireSeed } from '../src/errors.js';
import { fillNormals } from '../src/gaussian.js';
import type { WorkerPool } from '../src/parallel.js';
import { uniformStream } from '../src/rng.js';
import { median, wilsonInterval } from '../src/stats.js';
import { sampleNetworks } from '../networks/index.js';
import { constantSteps, diagonalSde, explosionDetection, saveAt, solve, PATH_EXPLODED } from '../sde/index.js';

export type Regime = 'explodes' | 'vanishes' | 'critical';

export interface Criterion {
  readonly activation: string;
  readonly beta: number;
  /** beta > 0: explodes with positive probability; beta < 0: vanishes; beta = 0: critical (GBM, vanishes). */
  readonly regime: Regime;
  readonly x0: number;
  /** P(explodes ever) = 1 - exp(-beta X0) for beta > 0, else 0. */
  readonly explosionProbability: number;
}

export function criterion(activation: Activation, x0 = 1): Criterion {
  if (!activation.limit) throw new InputError('activation', activation.name, 'has no SDE limit (unshaped); the criterion applies to shaped activations');
  requirePositive('x0', x0);
  const beta = activation.limit.beta;
  return {
    activation: activation.name,
    beta,
    regime: beta > 0 ? 'explodes' : beta < 0 ? 'vanishes' : 'critical',
    x0,
    explosionProbability: beta > 0 ? -Math.expm1(-beta * x0) : 0,
  };
}

export interface Proportion {
  readonly k: number;
  readonly total: number;
  readonly p: number;
  /** 95% Wilson interval. */
  readonly lower: number;
  readonly upper: number;
}

export function proportion(k: number, total: number): Proportion {
  const w = wilsonInterval(k, total);
  return { k, total, p: w.p, lower: w.lower, upper: w.upper };
}

/**
 * The reference: P(beta int_0^T exp(-s + sqrt2 B_s) ds > 1/X0), with Y = 1/X solving a linear SDE
 * (SPEC.md section 4). B is sampled exactly on a grid of `stepsPerUnit` steps per unit time and the
 * integral taken by the trapezoid rule; one estimate per entry of `ts` from the same paths.
 */
export function referenceExplosionProbability(options: {
  beta: number;
  x0: number;
  ts: readonly number[];
  paths: number;
  seed: number | string;
  stepsPerUnit?: number;
}): Proportion[] {
  const { beta, x0 } = options;
  requireInteger('paths', options.paths, 1);
  requireSeed('seed', options.seed);
  const perUnit = options.stepsPerUnit ?? 1000;
  const tMax = Math.max(...options.ts);
  const steps = Math.ceil(tMax * perUnit);
  const dt = tMax / steps;
  const marks = options.ts.map((t) => Math.round(t / dt));
  const counts = new Array<number>(options.ts.length).fill(0);
  if (beta <= 0) return counts.map((k) => proportion(k, options.paths));
  const target = 1 / (beta * x0);
  const z = new Float64Array(steps);
  const sd = Math.sqrt(2 * dt);
  for (let p = 0; p < options.paths; p++) {
    fillNormals(uniformStream(`${options.seed}/reference`, p), z);
    let exponent = 0;
    let f = 1;
    let integral = 0;
    let hit = steps + 1;
    for (let k = 1; k <= steps; k++) {
      exponent += -dt + sd * z[k - 1];
      const g = Math.exp(exponent);
      integral += 0.5 * (f + g) * dt;
      f = g;
      if (integral > target) {
        hit = k;
        break;
      }
    }
    marks.forEach((mk, i) => {
      if (hit <= mk) counts[i]++;
    });
  }
  return counts.map((k) => proportion(k, options.paths));
}

/** P(the SDE's diagonal crosses `threshold` by each t in ts), with the solver's explosion detection. */
export async function sdeExplosionProbability(options: {
  activation: Activation;
  x0: number;
  ts: readonly number[];
  threshold: number;
  paths: number;
  seed: number | string;
  stepsPerUnit?: number;
  threads?: number | WorkerPool;
}): Promise<{ probabilities: Proportion[]; medians: number[] }> {
  const tMax = Math.max(...options.ts);
  const perUnit = options.stepsPerUnit ?? 1000;
  const steps = Math.ceil(tMax * perUnit);
  const dt = tMax / steps;
  const ts = options.ts.map((t) => Math.round(t / dt) * dt);
  const sol = await solve({
    sde: diagonalSde(options.activation),
    t1: tMax,
    v0: options.x0,
    stepping: constantSteps(steps),
    saveAt: saveAt({ ts }),
    paths: options.paths,
    seed: options.seed,
    explosion: explosionDetection({ threshold: options.threshold }),
    threads: options.threads,
  });
  const probabilities = ts.map((t) => {
    let k = 0;
    for (let p = 0; p < sol.paths; p++) if (sol.status[p] === PATH_EXPLODED && sol.explosionTime[p] <= t + 1e-12) k++;
    return proportion(k, sol.paths);
  });
  // Median of X_t over all paths (exploded ones count as above any finite value).
  const medians = ts.map((_, s) => {
    const xs = Array.from({ length: sol.paths }, (_, p) => (sol.status[p] === PATH_EXPLODED && sol.explosionTime[p] <= ts[s] + 1e-12 ? Number.MAX_VALUE : sol.values.get(s, p)));
    return median(xs);
  });
  return { probabilities, medians };
}

/** P(V^aa_l of a width-n network crosses `threshold` by layer round(t n)), one input with V0 = x0. */
export async function networkExplosionProbability(options: {
  activation: Activation;
  x0: number;
  n: number;
  ts: readonly number[];
  threshold: number;
  samples: number;
  seed: number | string;
  threads?: number | WorkerPool;
}): Promise<Proportion[]> {
  const depth = Math.max(1, Math.round(Math.max(...options.ts) * options.n));
  const sample = await sampleNetworks({
    activation: options.activation,
    n: options.n,
    depth,
    v0: [[options.x0]],
    samples: options.samples,
    seed: options.seed,
    explosion: { threshold: options.threshold },
    threads: options.threads,
  });
  return options.ts.map((t) => {
    const layer = Math.round(t * options.n);
    let k = 0;
    for (let p = 0; p < sample.samples; p++) if (sample.status[p] === PATH_EXPLODED && sample.explosionLayer[p] <= layer) k++;
    return proportion(k, sample.samples);
  });
}

/** Do two proportions agree? |p1 - p2| <= z sqrt(se1^2 + se2^2), binomial SEs (z = 3.29: 99.9%). */
export function proportionsAgree(a: Proportion, b: Proportion, z = 3.29): boolean {
  const se = Math.sqrt((a.p * (1 - a.p)) / a.total + (b.p * (1 - b.p)) / b.total);
  return Math.abs(a.p - b.p) <= z * Math.max(se, 1 / Math.min(a.total, b.total));
}
