// The result of a solve: an ndarray shaped (saves, paths, m, m) (scalar SDEs: (saves, paths)) plus
// per-path status, so numerical trouble is visible path by path instead of hidden in NaN; or, with keep
// 'summary', the same record with the summary in place of the array. ndarray gives the shape and
// strides; every reduction over paths is one fused pass that also skips exploded paths (src/summary.ts).
import ndarray from 'ndarray';
import { countStatus, type CovarianceSamples, type NdArray, type StatusCounts } from '../src/results.js';
import { summaryFromMoments, type Summary } from '../src/summary.js';
import { saveTimes, summaryLayout, type PathRecord, type SdeChunk, type SdeJob } from './integrate.js';
import { kernelsInUse } from '../src/kernels/index.js';

/** What both kinds of result hold: the run's shape, save times, per-path status and settings. */
export interface SolutionRecord {
  /** The SDE's name ('covariance', ...) and shape. */
  readonly kind: string;
  readonly shape: SdeJob['shape'];
  readonly m: number;
  readonly paths: number;
  /** Save times. */
  readonly ts: Float64Array;
  /** Per path: 0 finished, 1 exploded, 2 finished after repairs (see PATH_STATUS_NAMES). */
  readonly status: Uint8Array;
  /** Per path: time of explosion, -1 where the path did not explode. */
  readonly explosionTime: Float64Array;
  /** Per path: Euler-Maruyama steps that left the domain and were projected back (always 0 for Ninomiya-Victoir). */
  readonly repairs: Uint32Array;
  /** Per path: most negative eigenvalue (or overshoot) removed by a repair (0 if none). */
  readonly worstRepair: Float64Array;
  readonly counts: StatusCounts & { readonly repairedSteps: number };
  /** What was run, for reports: activation, solver, steps, dt, threshold, seed, stream family, and
   *  `keep` (what the result holds: 'paths' or 'summary'). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** What `solve` returns by default (keep 'paths'): every path's value at every save. */
export interface Solution extends CovarianceSamples, SolutionRecord {
  /** (saves, paths, m, m) for the covariance SDE, (saves, paths) for the scalar ones. */
  readonly values: NdArray<Float64Array>;
}

/** What `solve({ keep: 'summary' })` returns: no values, their summary instead, made block by block
 *  as the paths were integrated; summary(of it) gives it back. */
export interface SummarySolution extends SolutionRecord {
  /** The bits of summary(solve(...)) of the same run with keep 'paths', whatever the thread count. */
  readonly summary: Summary;
}

function solutionRecord(job: SdeJob, paths: number, record: PathRecord, activationName: string): SolutionRecord {
  let repairedSteps = 0;
  for (let p = 0; p < paths; p++) repairedSteps += record.repairs[p];
  return {
    kind: job.kind,
    shape: job.shape,
    m: job.m,
    paths,
    ts: saveTimes(job),
    status: record.status,
    explosionTime: record.explosionTime,
    repairs: record.repairs,
    worstRepair: record.worstRepair,
    counts: { ...countStatus(record.status), repairedSteps },
    settings: {
      activation: job.activation ?? activationName,
      solver: job.solver,
      T: job.t1,
      steps: job.steps,
      dt: job.t1 / job.steps,
      brownianResolution: job.resolution,
      explosionThreshold: Number.isFinite(job.threshold) ? job.threshold : null,
      seed: job.seed,
      streams: job.purpose,
      generator: job.generator,
      keep: job.keep,
      // Which kernels ran (js or wasm): the same bits either way, stated so that a run can be matched.
      kernels: kernelsInUse(),
    },
  };
}

export function assembleSolution(job: SdeJob, paths: number, chunk: SdeChunk, activationName: string): Solution {
  const saves = job.saveSteps.length;
  const shape = job.shape === 'matrix' ? [saves, paths, job.m, job.m] : [saves, paths];
  return { ...solutionRecord(job, paths, chunk, activationName), values: ndarray(chunk.values, shape) };
}

/** The summary-only result from the per-path record and the moments folded over every block in order. */
export function assembleSummarySolution(
  job: SdeJob,
  paths: number,
  record: PathRecord,
  moments: Float64Array,
  activationName: string,
): SummarySolution {
  const base = solutionRecord(job, paths, record, activationName);
  const level = base.settings.explosionThreshold as number | null;
  return { ...base, summary: summaryFromMoments(summaryLayout(job), moments, { items: paths, ts: base.ts, level }) };
}
