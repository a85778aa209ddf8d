// The one entry point of the solver: compose an SDE, a solver, a step control, save times, a Brownian
// path and explosion detection, and get back tensors shaped (saves, paths, m, m). It reads only the
// fields of the Sde and Solver values (sde/sde.ts, sde/solvers/solver.ts), never which one they are.
import { InputError, requireInteger, requirePositive } from '../src/errors.js';
import { requireMemory } from '../src/limits.js';
import { requireSeed } from '../src/random/streams.js';
import { runBlocks, runBlocksSync, siblingModule, type FieldLayout } from '../src/blocks.js';
import {
  explosionLevel,
  requireKnownKeys,
  requireThreads,
  refuseThreads,
  withRenamedKeys,
  type OnThisThread,
} from '../src/apiOptions.js';
import {
  brownianSampling,
  constantSteps,
  saveSteps,
  type BrownianSampling,
  type ConstantSteps,
  type ExplosionDetection,
  type SaveAt,
} from './controls.js';
import { integrateRange, SDE_BLOCK, type SdeChunk, type SdeJob } from './integrate.js';
import type { InitialValue, Sde, SdeShape } from './sde.js';
import { assembleSolution, type Solution } from './solution.js';
import { eulerMaruyama, type Solver } from './solvers/index.js';

/** Everything one `solve` composes: the SDE, the solver, the step control, the save times, the Brownian
 *  path and the explosion threshold, each a separate value. `v0` is typed by the SDE's shape. */
export interface SolveOptions<Shape extends SdeShape = SdeShape> {
  sde: Sde<Shape>;
  /** Default eulerMaruyama(); ninomiyaVictoir() keeps V in the PSD cone with weak order 2. */
  solver?: Solver | undefined;
  /** Final time T, the depth-to-width ratio (t0 = 0). */
  T: number;
  /** V0 (m x m PSD, positive diagonal) for the covariance SDE; rho0 in [-1, 1] or X0 > 0 for the 1-D ones. */
  v0: InitialValue<NoInfer<Shape>>;
  /** Default: ceil(100 T) equal steps. */
  stepping?: ConstantSteps | undefined;
  /** Default: t = 0 and t = T (saveAt({ count: 1 })), as the CLI. */
  saveAt?: SaveAt | undefined;
  paths: number;
  /** An integer in [0, 2^53 - 1]. */
  seed: number;
  brownian?: BrownianSampling | undefined;
  /** A path explodes when max_a V^aa exceeds threshold * max_a V0^aa (default 1e4); the 1-D correlation SDE has none. */
  threshold?: number | undefined;
  /** @deprecated An absolute level; use `threshold` (relative to the largest input variance). */
  explosion?: ExplosionDetection | undefined;
  /** Worker threads (1, the default: this thread; solveSync refuses more). Results do not depend on it. */
  threads?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** @deprecated The options under their old names: `t1` is `T`. Accepted for one release with a note. */
export type DeprecatedSolveOptions<Shape extends SdeShape = SdeShape> = Omit<SolveOptions<Shape>, 'T'> & {
  t1: number;
  T?: undefined;
};

/** Every key solve takes (deprecated ones included), for the refusal of unknown keys. */
export const SOLVE_KEYS: readonly string[] = [
  'sde',
  'solver',
  'T',
  'v0',
  'stepping',
  'saveAt',
  'paths',
  'seed',
  'brownian',
  'threshold',
  'threads',
  'onProgress',
];

/** The options under their current names, unknown keys refused (`where` names the calling function). */
export function solveOptions<Shape extends SdeShape>(
  options: SolveOptions<Shape> | DeprecatedSolveOptions<Shape>,
  where = 'solve',
  keys: readonly string[] = SOLVE_KEYS,
): SolveOptions<Shape> {
  if (options == null || typeof options !== 'object') throw new InputError('options', options, 'must be an object');
  requireKnownKeys(where, options, keys);
  return withRenamedKeys(where, options, { t1: 'T' }) as SolveOptions<Shape>;
}

/** Validate options and reduce them to the plain job the kernels (and workers) run. */
export function buildSdeJob(given: SolveOptions | DeprecatedSolveOptions, where = 'solve'): SdeJob {
  const options = solveOptions(given, where);
  const { sde } = options;
  if (!sde || typeof sde.term !== 'function' || typeof sde.checkInitial !== 'function') {
    throw new InputError(
      'sde',
      sde,
      "must be an SDE value (covarianceSde(...), correlationSde(...), diagonalSde(...) or an architecture's sde(...))",
    );
  }
  const solver = options.solver ?? eulerMaruyama();
  if (
    !solver ||
    typeof solver.step !== 'function' ||
    typeof solver.init !== 'function' ||
    typeof solver.name !== 'string'
  ) {
    throw new InputError(
      'solver',
      solver,
      'must be a solver value (eulerMaruyama(), ninomiyaVictoir() or a class implementing Solver)',
    );
  }
  if (options.T === undefined)
    throw new InputError('T', undefined, 'must be given: the final time (the depth-to-width ratio)');
  const t1 = requirePositive('T', options.T);
  const stepping = options.stepping ?? constantSteps(Math.max(1, Math.ceil(t1 * 100)));
  const steps = requireInteger('stepping.steps', stepping?.steps, 1);
  const paths = requireInteger('paths', options.paths, 1);
  const seed = requireSeed('seed', options.seed);
  requireThreads(options.threads);
  const brownian = options.brownian ?? brownianSampling();
  const resolution = brownian.resolution ?? steps;
  if (resolution % steps !== 0)
    throw new InputError('brownian.resolution', resolution, `must be a multiple of stepping.steps (${steps})`);
  const { v0, m, scale } = sde.checkInitial(options.v0, 'v0');
  let threshold: number;
  if (!sde.explodes) {
    const given = options.threshold ?? options.explosion?.threshold;
    if (given !== undefined)
      throw new InputError(
        options.threshold !== undefined ? 'threshold' : 'explosion.threshold',
        given,
        `does not apply to the ${sde.kind} SDE (${sde.description})`,
      );
    threshold = Infinity;
  } else {
    threshold = explosionLevel(where, options.threshold, options.explosion, scale);
  }
  // A solver that cannot run this term (the splitting solver without exact flows) says so here, on the
  // calling thread, as an InputError; from a worker it would arrive as an internal error.
  solver.needsCoins(sde.term(1, v0, m, threshold));
  const saves = saveSteps(options.saveAt ?? DEFAULT_SAVES, t1, steps);
  const out = sde.shape === 'matrix' ? m * m : 1;
  // The saved values, plus each thread's working state of one block (about 10 arrays of a block's packed
  // matrices: README, "Many inputs").
  const working =
    sde.shape === 'matrix' ? 10 * SDE_BLOCK * ((m * (m + 1)) / 2) * 8 * Math.max(1, options.threads ?? 1) : 0;
  requireMemory(
    'paths',
    paths,
    saves.length * paths * out * 8 + paths * 21 + working,
    saves.length * paths * out,
    'the saved values',
  );
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

/** t = 0 and t = T: what solve keeps without saveAt, as the CLI's default --saves 1. */
const DEFAULT_SAVES: SaveAt = { kind: 'save-at', count: 1 };

function layout(job: SdeJob): { [K in keyof SdeChunk]: FieldLayout } {
  const one = { outer: 1, inner: 1 };
  return {
    values: { outer: job.saveSteps.length, inner: job.shape === 'matrix' ? job.m * job.m : 1 },
    status: one,
    explosionTime: one,
    repairs: one,
    worstRepair: one,
  };
}

const KERNEL_MODULE = siblingModule(import.meta.url, 'integrate');

function blockRun(options: SolveOptions, job: SdeJob) {
  const sde = options.sde;
  const solver = options.solver ?? eulerMaruyama();
  return {
    kernel: {
      module: KERNEL_MODULE,
      name: 'integrateRangeByRef',
      run: (j: SdeJob, start: number, count: number) => integrateRange(j, start, count, sde, solver),
    },
    job,
    total: options.paths,
    blockSize: SDE_BLOCK,
    layout: layout(job),
    onProgress: options.onProgress,
  };
}

/** Why a job cannot go to worker threads (undefined: it can). */
function notPortable(job: SdeJob): string | undefined {
  if (!job.sdeRef)
    return 'an SDE without a module reference (a custom activation: its function cannot be sent to a worker)';
  if (!job.solverRef) return `the solver ${job.solver}, which has no module reference (ref) to rebuild it in a worker`;
  return undefined;
}

/** Integrate on this thread (`threads` other than 1 is refused: use `solve`). Without `saveAt` it keeps t = 0 and t = T. */
export function solveSync<Shape extends SdeShape>(
  given: OnThisThread<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>,
): Solution {
  const options = solveOptions(given, 'solveSync');
  refuseThreads('solveSync', options.threads, 'solve');
  const job = buildSdeJob(options, 'solveSync');
  return assembleSolution(
    job,
    options.paths,
    runBlocksSync<SdeJob, SdeChunk>(blockRun(options, job)),
    options.sde.activation.name,
  );
}

/**
 * Integrate, on worker threads when `threads` > 1 (bit-identical to `solveSync`). Without `saveAt` the
 * solution keeps t = 0 and t = T (as `ncsde sde`); `saveAt({ t1: true })` keeps t = T only.
 * @example
 * const sol = await solve({
 *   sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: ninomiyaVictoir(),
 *   stepping: constantSteps(8), T: 1, v0: [[1, 0.5], [0.5, 1]], paths: 100_000, seed: 7,
 * });
 * summary(sol).saves[1].rho; // E rho^ab_T per pair, with SEs
 */
export async function solve<Shape extends SdeShape>(
  given: SolveOptions<Shape> | DeprecatedSolveOptions<Shape>,
): Promise<Solution> {
  const options = solveOptions(given);
  const job = buildSdeJob(options);
  const chunk = await runBlocks<SdeJob, SdeChunk>({
    ...blockRun(options, job),
    threads: options.threads ?? 1,
    notPortable: notPortable(job),
  });
  return assembleSolution(job, options.paths, chunk, options.sde.activation.name);
}
