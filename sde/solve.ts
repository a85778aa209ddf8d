// The one entry point of the solver: compose an SDE, a solver, a step control, save times, a Brownian
// path and explosion detection, and get back tensors shaped (saves, paths, m, m). It reads only the
// fields of the Sde and Solver values (sde/sde.ts, sde/solvers/solver.ts), never which one they are.
import { InputError, requireInteger, requirePositive } from '../src/errors.js';
import { requireMemory } from '../src/limits.js';
import type { MatrixInput } from '../src/linalg.js';
import { requireSeed } from '../src/random/streams.js';
import { runBlocks, runBlocksSync, siblingModule, type FieldLayout } from '../src/blocks.js';
import { brownianSampling, constantSteps, DEFAULT_THRESHOLD_FACTOR, saveSteps, type BrownianSampling, type ConstantSteps, type ExplosionDetection, type SaveAt } from './controls.js';
import { integrateRange, SDE_BLOCK, type SdeChunk, type SdeJob } from './integrate.js';
import type { Sde } from './sde.js';
import { assembleSolution, type Solution } from './solution.js';
import { eulerMaruyama, type Solver } from './solvers/index.js';

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
  if (!sde || typeof sde.term !== 'function' || typeof sde.checkInitial !== 'function') {
    throw new InputError('sde', sde, 'must be an SDE value (covarianceSde(...), correlationSde(...), diagonalSde(...) or an architecture\'s sde(...))');
  }
  const solver = options.solver ?? eulerMaruyama();
  if (!solver || typeof solver.step !== 'function' || typeof solver.init !== 'function' || typeof solver.name !== 'string') {
    throw new InputError('solver', solver, 'must be a solver value (eulerMaruyama(), ninomiyaVictoir() or a class implementing Solver)');
  }
  const t1 = requirePositive('t1', options.t1);
  const stepping = options.stepping ?? constantSteps(Math.max(1, Math.ceil(t1 * 100)));
  const steps = requireInteger('stepping.steps', stepping?.steps, 1);
  const paths = requireInteger('paths', options.paths, 1);
  const seed = requireSeed('seed', options.seed);
  const brownian = options.brownian ?? brownianSampling();
  const resolution = brownian.resolution ?? steps;
  if (resolution % steps !== 0) throw new InputError('brownian.resolution', resolution, `must be a multiple of stepping.steps (${steps})`);
  const { v0, m, scale } = sde.checkInitial(options.v0, 'v0');
  let threshold: number;
  if (!sde.explodes) {
    if (options.explosion?.threshold !== undefined) throw new InputError('explosion.threshold', options.explosion.threshold, `does not apply to the ${sde.kind} SDE (${sde.description})`);
    threshold = Infinity;
  } else {
    threshold = options.explosion?.threshold ?? DEFAULT_THRESHOLD_FACTOR * scale;
    if (!(threshold > scale)) throw new InputError('explosion.threshold', threshold, `must exceed the largest initial variance ${scale}`);
  }
  // A solver that cannot run this term (the splitting solver without exact flows) says so here, on the
  // calling thread, as an InputError; from a worker it would arrive as an internal error.
  solver.needsCoins(sde.term(1, v0, m, threshold));
  const saves = saveSteps(options.saveAt ?? { kind: 'save-at', t1: true }, t1, steps);
  const out = sde.shape === 'matrix' ? m * m : 1;
  // The saved values, plus each thread's working state of one block (about 10 arrays of a block's packed
  // matrices: README, "Many inputs").
  const working = sde.shape === 'matrix' ? 10 * SDE_BLOCK * ((m * (m + 1)) / 2) * 8 * Math.max(1, options.threads ?? 1) : 0;
  requireMemory('paths', paths, saves.length * paths * out * 8 + paths * 21 + working, saves.length * paths * out, 'the saved values');
  return {
    kind: sde.kind,
    shape: sde.shape,
    activation: sde.activation.spec,
    sdeRef: sde.ref,
    solverRef: solver.ref ?? null,
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
  return { values: { outer: job.saveSteps.length, inner: job.shape === 'matrix' ? job.m * job.m : 1 }, status: one, explosionTime: one, repairs: one, worstRepair: one };
}

const KERNEL_MODULE = siblingModule(import.meta.url, 'integrate');

function blockRun(options: SolveOptions, job: SdeJob) {
  const sde = options.sde;
  const solver = options.solver ?? eulerMaruyama();
  return {
    kernel: { module: KERNEL_MODULE, name: 'integrateRangeByRef', run: (j: SdeJob, start: number, count: number) => integrateRange(j, start, count, sde, solver) },
    job,
    total: options.paths,
    blockSize: SDE_BLOCK,
    layout: layout(job),
    onProgress: options.onProgress,
  };
}

/** Why a job cannot go to worker threads (undefined: it can). */
function notPortable(job: SdeJob): string | undefined {
  if (!job.sdeRef) return 'an SDE without a module reference (a custom activation: its function cannot be sent to a worker)';
  if (!job.solverRef) return `the solver ${job.solver}, which has no module reference (ref) to rebuild it in a worker`;
  return undefined;
}

/** Integrate on this thread. */
export function solveSync(options: SolveOptions): Solution {
  const job = buildSdeJob(options);
  return assembleSolution(job, options.paths, runBlocksSync<SdeJob, SdeChunk>(blockRun(options, job)), options.sde.activation.name);
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
  const chunk = await runBlocks<SdeJob, SdeChunk>({ ...blockRun(options, job), threads: options.threads ?? 1, notPortable: notPortable(job) });
  return assembleSolution(job, options.paths, chunk, options.sde.activation.name);
}
