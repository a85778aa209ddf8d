// The result of a solve: an ndarray shaped (saves, paths, m, m) (scalar SDEs: (saves, paths)) plus
// per-path status, so numerical trouble is visible path by path instead of hidden in NaN. ndarray gives
// the shape and strides; ndarray-ops is not used (and no longer a dependency): every reduction over paths
// here is one fused pass over the flat buffer that also skips exploded paths, which its generic ops cannot.
import ndarray from 'ndarray';
import { countStatus, type CovarianceSamples, type NdArray, type StatusCounts } from '../src/results.js';
import type { SdeChunk, SdeJob } from './integrate.js';
import { kernelsInUse } from '../src/kernels/index.js';

export interface Solution extends CovarianceSamples {
  /** The SDE's name ('covariance', ...) and shape. */
  readonly kind: string;
  readonly shape: SdeJob['shape'];
  readonly m: number;
  readonly paths: number;
  /** Save times. */
  readonly ts: Float64Array;
  /** (saves, paths, m, m) for the covariance SDE, (saves, paths) for the scalar ones. */
  readonly values: NdArray<Float64Array>;
  /** Per path: 0 finished, 1 exploded, 2 finished after repairs (see PATH_STATUS_NAMES). */
  readonly status: Uint8Array;
  /** Per path: time of explosion, -1 where the path did not explode. */
  readonly explosionTime: Float64Array;
  /** Per path: Euler-Maruyama steps that left the domain and were projected back (always 0 for Ninomiya-Victoir). */
  readonly repairs: Uint32Array;
  /** Per path: most negative eigenvalue (or overshoot) removed by a repair (0 if none). */
  readonly worstRepair: Float64Array;
  readonly counts: StatusCounts & { readonly repairedSteps: number };
  /** What was run, for reports: activation, solver, steps, dt, threshold, seed, stream family. */
  readonly settings: Readonly<Record<string, unknown>>;
}

export function assembleSolution(job: SdeJob, paths: number, chunk: SdeChunk, activationName: string): Solution {
  let repairedSteps = 0;
  for (let p = 0; p < paths; p++) repairedSteps += chunk.repairs[p];
  const saves = job.saveSteps.length;
  const shape = job.shape === 'matrix' ? [saves, paths, job.m, job.m] : [saves, paths];
  return {
    kind: job.kind,
    shape: job.shape,
    m: job.m,
    paths,
    ts: Float64Array.from(job.saveSteps, (k) => (k * job.t1) / job.steps),
    values: ndarray(chunk.values, shape),
    status: chunk.status,
    explosionTime: chunk.explosionTime,
    repairs: chunk.repairs,
    worstRepair: chunk.worstRepair,
    counts: { ...countStatus(chunk.status), repairedSteps },
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
      // Which kernels ran (js or wasm): the same bits either way, stated so that a run can be matched.
      kernels: kernelsInUse(),
    },
  };
}
