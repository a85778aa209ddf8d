// The one entry point of the solver: compose an SDE, a solver, a step control, save times, a Brownian
// path and explosion detection, and get back tensors shaped (saves, paths, m, m).
import { InputError, requireFinite, requireInteger, requirePositive } from '../src/errors.js';
import { requireMemory } from '../src/limits.js';
import { toFlatMatrix, validateCovariance, type MatrixInput } from '../src/linalg.js';
import { requireSeed } from '../src/random/streams.js';
import { runBlocks, siblingModule, type FieldLayout } from '../src/blocks.js';
import { brownianSampling, constantSteps, DEFAULT_THRESHOLD_FACTOR, saveSteps, type BrownianSampling, type ConstantSteps, type ExplosionDetection, type SaveAt } from './controls.js';
import { integrateRange, SDE_BLOCK, type SdeChunk, type SdeJob } from './integrate.js';
import { assembleSolution, type Solution } from './solution.js';
import { eulerMaruyama, SOLVER_NAMES, type Solver } from './solvers/index.js';
import type { Sde } from './terms/index.js';

/** Everything one `solve` composes: the SDE, the solver, the step control, the save times, the Brownian path and explosion detection, each a separate value. */
export interface SolveOptions {
  sde: Sde;
  /** Default eulerMaruyama(); ninomiyaVictoir() keeps V in the PSD cone with weak order 2. */
  solver?: Solver;
  /** Final time T (t0 = 0). */
  t1: number;
  /** V0 (m x m PSD, positive diagonal) for the covariance SDE; rho0 in [-1, 1] or X0 > 0 for the 1-D ones. */
  v0: MatrixInput | number;
  /** Default: ceil(100 t1) equal steps. */
  stepping?: ConstantSteps;
  saveAt?: SaveAt;
  paths: number;
  /** An integer in [0, 2^53 - 1]. */
  seed: number;
  brownian?: BrownianSampling;
  explosion?: ExplosionDetection;
  /** Worker threads (1, the default: this thread). Results do not depend on it. */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Validate options and reduce them to the plain job the kernels (and workers) run. */
export function buildSdeJob(options: SolveOptions): SdeJob {
  if (options == null || typeof options !== 'object') throw new InputError('options', options, 'must be an object');
  const { sde } = options;
  if (!sde || (sde.kind !== 'covariance' && sde.kind !== 'correlation' && sde.kind !== 'diagonal')) {
    throw new InputError('sde', sde, 'must be covarianceSde(...), correlationSde(...) or diagonalSde(...)');
  }
  const solver = options.solver ?? eulerMaruyama();
  if (!solver || !SOLVER_NAMES.includes(solver.name)) throw new InputError('solver', solver, `must be a solver value: ${SOLVER_NAMES.join(', ')}`);
  const t1 = requirePositive('t1', options.t1);
  const stepping = options.stepping ?? constantSteps(Math.max(1, Math.ceil(t1 * 100)));
  const steps = requireInteger('stepping.steps', stepping?.steps, 1);
  const paths = requireInteger('paths', options.paths, 1);
  const seed = requireSeed('seed', options.seed);
  const brownian = options.brownian ?? brownianSampling();
  const resolution = brownian.resolution ?? steps;
  if (resolution % steps !== 0) throw new InputError('brownian.resolution', resolution, `must be a multiple of stepping.steps (${steps})`);
  let m = 1;
  let v0: number[];
  let scale: number;
  if (sde.kind === 'covariance') {
    if (typeof options.v0 === 'number') throw new InputError('v0', options.v0, 'must be an m x m covariance matrix for the covariance SDE');
    const flat = toFlatMatrix('v0', options.v0);
    if (flat.m > 64) throw new InputError('v0', `${flat.m}x${flat.m} matrix`, 'must have m <= 64 inputs (the step costs O(m^3) per path)');
    validateCovariance('v0', flat.data, flat.m);
    m = flat.m;
    v0 = Array.from(flat.data);
    scale = Math.max(...v0.filter((_, k) => k % (m + 1) === 0));
  } else {
    const x0 = requireFinite('v0', options.v0);
    if (sde.kind === 'correlation' && (x0 < -1 || x0 > 1)) throw new InputError('v0', x0, 'must be a correlation in [-1, 1]');
    if (sde.kind === 'diagonal' && !(x0 > 0)) throw new InputError('v0', x0, 'must be a variance > 0');
    v0 = [x0];
    scale = x0;
  }
  let threshold: number;
  if (sde.kind === 'correlation') {
    // A correlation lives in [-1, 1]: there is nothing to explode.
    if (options.explosion?.threshold !== undefined) throw new InputError('explosion.threshold', options.explosion.threshold, 'does not apply to the correlation SDE (rho stays in [-1, 1])');
    threshold = Infinity;
  } else {
    threshold = options.explosion?.threshold ?? DEFAULT_THRESHOLD_FACTOR * scale;
    if (!(threshold > scale)) throw new InputError('explosion.threshold', threshold, `must exceed the largest initial variance ${scale}`);
  }
  const saves = saveSteps(options.saveAt ?? { kind: 'save-at', t1: true }, t1, steps);
  const out = sde.kind === 'covariance' ? m * m : 1;
  requireMemory('paths', paths, saves.length * paths * out * 8 + paths * 21, saves.length * paths * out, 'the saved values');
  return {
    kind: sde.kind,
    activation: sde.activation.spec,
    solver: solver.name,
    m,
    v0,
    t1,
    steps,
    resolution,
    saveSteps: saves,
    threshold,
    seed,
    purpose: brownian.purpose,
    generator: brownian.generator,
  };
}

function layout(job: SdeJob): { [K in keyof SdeChunk]: FieldLayout } {
  const one = { outer: 1, inner: 1 };
  return { values: { outer: job.saveSteps.length, inner: job.kind === 'covariance' ? job.m * job.m : 1 }, status: one, explosionTime: one, repairs: one, worstRepair: one };
}

const KERNEL_MODULE = siblingModule(import.meta.url, 'integrate');

/** Integrate on this thread. */
export function solveSync(options: SolveOptions): Solution {
  const job = buildSdeJob(options);
  const chunk = integrateRange(job, 0, options.paths, options.sde.limit);
  options.onProgress?.(options.paths, options.paths);
  return assembleSolution(job, options.paths, chunk, options.sde.activation.name);
}

/**
 * Integrate, on worker threads when `threads` > 1 (bit-identical to `solveSync`).
 * @example
 * const sol = await solve({
 *   sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: ninomiyaVictoir(),
 *   stepping: constantSteps(8), t1: 1, v0: [[1, 0.5], [0.5, 1]], paths: 100_000, seed: 7,
 * });
 * sol.values.shape; // [1, 100000, 2, 2]
 */
export async function solve(options: SolveOptions): Promise<Solution> {
  const job = buildSdeJob(options);
  const threads = options.threads ?? 1;
  const limit = options.sde.limit;
  const chunk = await runBlocks<SdeJob, SdeChunk>({
    kernel: { module: KERNEL_MODULE, name: 'integrateRange', run: (j, start, count) => integrateRange(j, start, count, limit) },
    job,
    total: options.paths,
    blockSize: SDE_BLOCK,
    layout: layout(job),
    threads,
    portable: job.activation !== null,
    onProgress: options.onProgress,
  });
  return assembleSolution(job, options.paths, chunk, options.sde.activation.name);
}
