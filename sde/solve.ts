// The one entry point of the solver: compose an SDE, a solver, a step control, save times, Brownian
// sampling and explosion detection, and get back tensors shaped (saves, paths, m, m).
import type { Matrix } from 'ml-matrix';
import { InputError, requireFinite, requireInteger, requirePositive, requireSeed } from '../src/errors.js';
import { toFlatMatrix, validateCovariance } from '../src/linalg.js';
import { requireTransferable, runRanges, type WorkerPool } from '../src/parallel.js';
import {
  constantSteps,
  eulerMaruyama,
  saveSteps,
  type BrownianSampling,
  type ConstantSteps,
  type EulerMaruyama,
  type ExplosionDetection,
  type SaveAt,
} from './controls.js';
import { runSdeChunk, type SdeChunk, type SdeJob } from './kernels.js';
import { assembleSolution, type Solution } from './solution.js';
import type { Sde } from './terms.js';

export type MatrixInput = ArrayLike<number> | ArrayLike<ArrayLike<number>> | Matrix;

export interface SolveOptions {
  sde: Sde;
  solver?: EulerMaruyama;
  /** Final time T (t0 = 0). */
  t1: number;
  /** V0 (m x m PSD, positive diagonal) for the covariance SDE; rho0 in [-1, 1] or X0 > 0 for the 1-D ones. */
  v0: MatrixInput | number;
  stepping?: ConstantSteps;
  saveAt?: SaveAt;
  paths: number;
  seed: number | string;
  brownian?: BrownianSampling;
  explosion?: ExplosionDetection;
  /** Worker threads (1: inline) or a pool to reuse. Results do not depend on it. */
  threads?: number | WorkerPool;
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
  if (solver.kind !== 'euler-maruyama') throw new InputError('solver', solver, 'must be eulerMaruyama()');
  const t1 = requirePositive('t1', options.t1);
  const stepping = options.stepping ?? constantSteps(Math.max(1, Math.ceil(t1 * 100)));
  const steps = requireInteger('stepping.steps', stepping.steps, 1);
  requireInteger('paths', options.paths, 1);
  const seed = requireSeed('seed', options.seed);
  const resolution = options.brownian?.resolution ?? steps;
  if (resolution % steps !== 0) {
    throw new InputError('brownian.resolution', resolution, `must be a multiple of stepping.steps (${steps})`);
  }
  let m = 1;
  let v0: number[];
  let scale: number;
  if (sde.kind === 'covariance') {
    if (typeof options.v0 === 'number') throw new InputError('v0', options.v0, 'must be an m x m covariance matrix for the covariance SDE');
    const flat = toFlatMatrix('v0', options.v0);
    validateCovariance('v0', flat.data, flat.m);
    m = flat.m;
    v0 = Array.from(flat.data);
    scale = Math.max(...v0.filter((_, k) => k % (m + 1) === 0));
  } else {
    const x0 = requireFinite('v0', options.v0 as number);
    if (sde.kind === 'correlation' && (x0 < -1 || x0 > 1)) throw new InputError('v0', x0, 'must be a correlation in [-1, 1]');
    if (sde.kind === 'diagonal' && !(x0 > 0)) throw new InputError('v0', x0, 'must be a variance > 0');
    v0 = [x0];
    scale = Math.abs(x0);
  }
  const threshold = options.explosion?.threshold ?? 1e8 * scale;
  if (threshold <= scale) throw new InputError('explosion.threshold', threshold, `must exceed the initial scale ${scale}`);
  return {
    kind: sde.kind,
    m,
    v0,
    t1,
    steps,
    resolution,
    saveSteps: saveSteps(options.saveAt ?? { kind: 'save-at', t1: true }, t1, steps),
    threshold,
    seed,
  };
}

function solutionBase(options: SolveOptions, job: SdeJob) {
  return {
    kind: job.kind,
    m: job.m,
    paths: options.paths,
    ts: Float64Array.from(job.saveSteps, (k) => (k * job.t1) / job.steps),
    settings: {
      activation: options.sde.activation.spec ?? options.sde.activation.name,
      solver: 'euler-maruyama',
      t1: job.t1,
      steps: job.steps,
      dt: job.t1 / job.steps,
      brownianResolution: job.resolution,
      explosionThreshold: job.threshold,
      seed: job.seed,
    },
  };
}

/** Integrate on this thread. */
export function solveSync(options: SolveOptions): Solution {
  const job = buildSdeJob(options);
  const limit = options.sde.limit;
  const chunk = runSdeChunk(job, limit, 0, options.paths);
  options.onProgress?.(options.paths, options.paths);
  return assembleSolution(solutionBase(options, job), [{ start: 0, count: options.paths, result: chunk }]);
}

/** Integrate, on worker threads when `threads` > 1 (bit-identical to `solveSync`). */
export async function solve(options: SolveOptions): Promise<Solution> {
  const job = buildSdeJob(options);
  const spec = options.sde.activation.spec;
  requireTransferable(spec, options.threads);
  const chunks = await runRanges<SdeChunk>(
    options.paths,
    options.threads,
    (start, count) => runSdeChunk(job, options.sde.limit, start, count),
    (start, count) => ({ type: 'sde', job, activation: spec, start, count }),
    options.onProgress,
  );
  return assembleSolution(solutionBase(options, job), chunks);
}
