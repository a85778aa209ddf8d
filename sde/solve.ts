// The one entry point of the solver: compose an SDE, a solver, a step control, save times, a Brownian
// path and explosion detection, and get back tensors shaped (saves, paths, m, m), or with keep 'summary'
// only their summary, folded block by block in block order (the same bits on any number of threads).
// It reads only the fields of the Sde and Solver values (sde/sde.ts, sde/solvers/solver.ts).
import { InputError, requireInteger, requirePositive } from '../src/errors.js';
import { requireMemory } from '../src/limits.js';
import { platform } from '../src/platform.js';
import { requireSeed } from '../src/random/streams.js';
import { foldMoments, momentSizes } from '../src/summary.js';
import { blockRanges, runBlocks, runBlocksSync, siblingModule, type FieldLayout } from '../src/blocks.js';
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
import {
  integrateRange,
  KEEP_CHOICES,
  SDE_BLOCK,
  summarizeRange,
  summaryLayout,
  type Keep,
  type PathRecord,
  type SdeChunk,
  type SdeJob,
  type SdeSummaryChunk,
} from './integrate.js';
import type { InitialValue, Sde, SdeShape } from './sde.js';
import { assembleSolution, assembleSummarySolution, type Solution, type SummarySolution } from './solution.js';
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

/** What solve and solveSync take besides the integration's options. */
export interface KeepOption {
  /** What the result holds: 'paths' (the default), every path's value at every save; 'summary', only
   *  summary(result) of that (the same bits), made block by block without the (saves, paths, m, m) array,
   *  so that memory no longer grows with paths x saves x m^2 (README, "Memory"). */
  keep?: Keep | undefined;
}

/** Options that keep only the summary. */
export type KeepSummary<T> = T extends unknown ? T & { keep: 'summary' } : never;
/** Options that keep every path (keep absent or 'paths'). */
export type KeepPaths<T> = T extends unknown ? T & { keep?: 'paths' | undefined } : never;
/** Options with either keep. */
export type WithKeep<T> = T extends unknown ? T & KeepOption : never;

/** @deprecated The options under their old names: `t1` is `T`. Accepted for one release with a note. */
export type DeprecatedSolveOptions<Shape extends SdeShape = SdeShape> = Omit<SolveOptions<Shape>, 'T'> & {
  t1: number;
  T?: undefined;
};

/** Every key of the integration itself (deprecated ones included), for the refusal of unknown keys; solve
 *  and solveSync also take `keep` (KEEP_KEYS), which the callers that need every path (weakExpectations) refuse. */
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

/** The keys of solve and solveSync: the integration's and `keep`. */
const KEEP_KEYS: readonly string[] = [...SOLVE_KEYS, 'keep'];

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
export function buildSdeJob(given: WithKeep<SolveOptions | DeprecatedSolveOptions>, where = 'solve'): SdeJob {
  const options: SolveOptions & KeepOption = solveOptions(given, where, KEEP_KEYS);
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
  const keep = options.keep ?? 'paths';
  if (!KEEP_CHOICES.includes(keep))
    throw new InputError('keep', keep, `must be one of ${KEEP_CHOICES.join(', ')} (what the result holds)`);
  const threads = Math.max(1, options.threads ?? 1);
  const side = sde.shape === 'matrix' ? m : 1;
  // Each thread's working state of one block (about 10 arrays of a block's packed matrices), and the
  // per-path record (status, explosion time, repairs, worst repair: 21 bytes): README, "Memory".
  const working = sde.shape === 'matrix' ? 10 * SDE_BLOCK * ((m * (m + 1)) / 2) * 8 * threads : 0;
  const record = paths * 21;
  if (keep === 'paths') {
    requireMemory(
      'paths',
      paths,
      saves.length * paths * side * side * 8 + record + working,
      saves.length * paths * side * side,
      'the saved values',
    );
  } else {
    const plan = summaryPlan({ saveSteps: saves, shape: sde.shape, m, kind: sde.kind }, paths, threads);
    requireMemory(
      'saveAt.count',
      options.saveAt?.count ?? saves.length,
      plan.bytes + record + working,
      plan.elements,
      "the summary's block buffers (saves x 64 x m(m+1)/2 numbers a thread), moments and cells",
    );
  }
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
    keep,
  };
}

/** Bytes of block moments a summary task returns at most (more blocks to a task where they are small). */
const TASK_MOMENTS_BYTES = 8 * 2 ** 20;
/** Bytes a summary table cell { estimate, se, lo, hi, n } takes in memory (116 measured on Node 20 at m = 128). */
export const SUMMARY_CELL_BYTES = 120;

/**
 * What keep 'summary' holds besides the per-path record and the block state: per thread one block's
 * saves (saves x 64 x E numbers, E = m(m+1)/2); the running moments and one wave of tasks' moments
 * (`blocksPerTask` blocks' a thread, a task being at most a quarter of a thread's share and
 * TASK_MOMENTS_BYTES); and the summary's cells (2 m^2 + m a save). `elements` is the largest single array.
 */
export function summaryPlan(
  job: Pick<SdeJob, 'saveSteps' | 'shape' | 'm' | 'kind'>,
  paths: number,
  threads: number,
): { bytes: number; elements: number; blocksPerTask: number } {
  const layout = summaryLayout(job as SdeJob);
  const { entries, size } = momentSizes(layout);
  const blocks = Math.ceil(paths / SDE_BLOCK);
  const blocksPerTask = Math.max(
    1,
    Math.min(Math.ceil(blocks / (4 * threads)), Math.floor(TASK_MOMENTS_BYTES / (size * 8))),
  );
  const buffer = layout.saves * entries * SDE_BLOCK;
  const moments = size * (1 + threads * blocksPerTask);
  const cells = layout.saves * (2 * layout.side * layout.side + layout.side);
  return {
    bytes: (threads * buffer + moments) * 8 + cells * SUMMARY_CELL_BYTES,
    elements: Math.max(buffer, size * blocksPerTask),
    blocksPerTask,
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

/** Integrate on this thread (`threads` other than 1 is refused: use `solve`). Without `saveAt` it keeps t = 0
 *  and t = T; with `keep: 'summary'` only the summary (a SummarySolution). */
export function solveSync<Shape extends SdeShape>(
  given: OnThisThread<KeepSummary<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>>,
): SummarySolution;
export function solveSync<Shape extends SdeShape>(
  given: OnThisThread<KeepPaths<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>>,
): Solution;
export function solveSync<Shape extends SdeShape>(
  given: OnThisThread<WithKeep<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>>,
): Solution | SummarySolution;
export function solveSync<Shape extends SdeShape>(
  given: OnThisThread<WithKeep<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>>,
): Solution | SummarySolution {
  const options: SolveOptions & KeepOption = solveOptions(given, 'solveSync', KEEP_KEYS);
  refuseThreads('solveSync', options.threads, 'solve');
  const job = buildSdeJob(options, 'solveSync');
  if (job.keep === 'summary') return summarizeHere(options, job);
  return assembleSolution(
    job,
    options.paths,
    runBlocksSync<SdeJob, SdeChunk>(blockRun(options, job)),
    options.sde.activation.name,
  );
}

/**
 * Integrate, on worker threads when `threads` > 1 (bit-identical to `solveSync`). Without `saveAt` the
 * solution keeps t = 0 and t = T (as `ncsde sde`); `saveAt({ t1: true })` keeps t = T only. With
 * `keep: 'summary'` the result holds summary(solution) instead of the values, the same bits, in memory
 * that does not grow with paths x saves x m^2.
 * @example
 * const sol = await solve({
 *   sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })), solver: ninomiyaVictoir(),
 *   stepping: constantSteps(8), T: 1, v0: [[1, 0.5], [0.5, 1]], paths: 100_000, seed: 7,
 * });
 * summary(sol).saves[1].rho; // E rho^ab_T per pair, with SEs
 */
export async function solve<Shape extends SdeShape>(
  given: KeepSummary<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>,
): Promise<SummarySolution>;
export async function solve<Shape extends SdeShape>(
  given: KeepPaths<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>,
): Promise<Solution>;
export async function solve<Shape extends SdeShape>(
  given: WithKeep<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>,
): Promise<Solution | SummarySolution>;
export async function solve<Shape extends SdeShape>(
  given: WithKeep<SolveOptions<Shape> | DeprecatedSolveOptions<Shape>>,
): Promise<Solution | SummarySolution> {
  const options: SolveOptions & KeepOption = solveOptions(given, 'solve', KEEP_KEYS);
  const job = buildSdeJob(options);
  if (job.keep === 'summary') return summarize(options, job);
  const chunk = await runBlocks<SdeJob, SdeChunk>({
    ...blockRun(options, job),
    threads: options.threads ?? 1,
    notPortable: notPortable(job),
  });
  return assembleSolution(job, options.paths, chunk, options.sde.activation.name);
}

/** Ranges a watched run is cut into (progress moves once per range), as src/blocks.ts's. */
const WATCHED_RANGES = 20;

/** Copy a range's per-path record into the run's at `start`. */
function placeRecord(into: PathRecord, from: PathRecord, start: number): void {
  into.status.set(from.status, start);
  into.explosionTime.set(from.explosionTime, start);
  into.repairs.set(from.repairs, start);
  into.worstRepair.set(from.worstRepair, start);
}

function emptyRecord(paths: number): PathRecord {
  return {
    status: new Uint8Array(paths),
    explosionTime: new Float64Array(paths),
    repairs: new Uint32Array(paths),
    worstRepair: new Float64Array(paths),
  };
}

/** keep 'summary' on this thread: each block's moments folded as soon as the block is integrated. */
function summarizeHere(options: SolveOptions, job: SdeJob): SummarySolution {
  const layout = summaryLayout(job);
  const moments = new Float64Array(momentSizes(layout).size);
  const record = emptyRecord(options.paths);
  const solver = options.solver ?? eulerMaruyama();
  const pieces = options.onProgress ? WATCHED_RANGES : 1;
  for (const [start, count] of blockRanges(options.paths, SDE_BLOCK, pieces)) {
    const chunk = summarizeRange(job, start, count, options.sde, solver, (part) => foldMoments(layout, moments, part));
    placeRecord(record, chunk, start);
    options.onProgress?.(start + count, options.paths);
  }
  return assembleSummarySolution(job, options.paths, record, moments, options.sde.activation.name);
}

/**
 * keep 'summary' on worker threads: tasks of whole blocks run in waves of `threads`; each task returns
 * its blocks' moments, folded here in block order, so the numbers are those of summarizeHere whatever
 * the thread count, and at most one wave of moments is held.
 */
async function summarize(options: SolveOptions, job: SdeJob): Promise<SummarySolution> {
  const threads = options.threads ?? 1;
  const why = notPortable(job);
  if (threads !== 1 && why !== undefined) throw new InputError('threads', threads, `must be 1 for ${why}`);
  if (threads === 1 && (why !== undefined || !platform().oneThreadOnWorker)) return summarizeHere(options, job);
  const { paths } = options;
  const layout = summaryLayout(job);
  const { size } = momentSizes(layout);
  const moments = new Float64Array(size);
  const record = emptyRecord(paths);
  const blocks = Math.ceil(paths / SDE_BLOCK);
  const pieces = Math.max(threads * 4, options.onProgress ? WATCHED_RANGES : 1);
  const perTask = Math.min(Math.ceil(blocks / pieces), summaryPlan(job, paths, threads).blocksPerTask);
  const ranges: Array<[number, number]> = [];
  for (let b = 0; b < blocks; b += perTask)
    ranges.push([b * SDE_BLOCK, Math.min(perTask * SDE_BLOCK, paths - b * SDE_BLOCK)]);
  let done = 0;
  for (let first = 0; first < ranges.length; first += threads) {
    const wave = ranges.slice(first, first + threads);
    const results = await platform().runTasks(
      threads,
      wave.map(([start, count]) => ({ module: KERNEL_MODULE, name: 'summarizeRangeByRef', args: [job, start, count] })),
      (i) => {
        done += wave[i][1];
        options.onProgress?.(done, paths);
      },
    );
    wave.forEach(([start], i) => {
      const chunk = results[i] as SdeSummaryChunk;
      for (let at = 0; at < chunk.partials.length; at += size)
        foldMoments(layout, moments, chunk.partials.subarray(at, at + size));
      placeRecord(record, chunk, start);
    });
  }
  return assembleSummarySolution(job, paths, record, moments, options.sde.activation.name);
}
