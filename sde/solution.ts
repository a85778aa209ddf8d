// The result of a solve: ndarray tensors shaped (saves, paths, m, m) (scalar SDEs: (saves, paths))
// plus per-path status, so numerical trouble is visible path by path instead of hidden in NaN.
import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import { PATH_EXPLODED, PATH_FINISHED, PATH_REPAIRED, type SdeChunk } from './kernels.js';

export type PathStatus = 'finished' | 'exploded' | 'repaired';
export const PATH_STATUS_NAMES: readonly PathStatus[] = ['finished', 'exploded', 'repaired'];

export interface Solution {
  readonly kind: 'covariance' | 'correlation' | 'diagonal';
  readonly m: number;
  readonly paths: number;
  /** Save times. */
  readonly ts: Float64Array;
  /** (saves, paths, m, m) for the covariance SDE, (saves, paths) for the scalar ones. */
  readonly values: NdArray<Float64Array>;
  /** Per path: 0 finished, 1 exploded, 2 finished after PSD repairs (see PATH_STATUS_NAMES). */
  readonly status: Uint8Array;
  /** Per path: time of explosion, -1 where the path did not explode. */
  readonly explosionTime: Float64Array;
  /** Per path: number of steps that left the PSD cone and were projected back. */
  readonly repairs: Uint32Array;
  /** Per path: most negative eigenvalue removed by a repair (0 if none). */
  readonly worstRepair: Float64Array;
  readonly counts: { finished: number; exploded: number; repaired: number; repairedSteps: number };
  readonly settings: Readonly<Record<string, unknown>>;
}

export function assembleSolution(
  base: Pick<Solution, 'kind' | 'm' | 'paths' | 'ts' | 'settings'>,
  chunks: ReadonlyArray<{ start: number; count: number; result: SdeChunk }>,
): Solution {
  const { m, paths } = base;
  const mm = m * m;
  const saves = base.ts.length;
  // One chunk covering every path (a single-threaded run) is used as it is, without a copy.
  const whole = chunks.length === 1 && chunks[0].start === 0 && chunks[0].count === paths ? chunks[0].result : null;
  const values = whole ? whole.values : new Float64Array(saves * paths * mm);
  const status = whole ? whole.status : new Uint8Array(paths);
  const explosionTime = whole ? whole.explosionTime : new Float64Array(paths);
  const repairs = whole ? whole.repairs : new Uint32Array(paths);
  const worstRepair = whole ? whole.worstRepair : new Float64Array(paths);
  for (const { start, count, result } of whole ? [] : chunks) {
    for (let s = 0; s < saves; s++) {
      values.set(result.values.subarray(s * count * mm, (s + 1) * count * mm), (s * paths + start) * mm);
    }
    status.set(result.status, start);
    explosionTime.set(result.explosionTime, start);
    repairs.set(result.repairs, start);
    worstRepair.set(result.worstRepair, start);
  }
  let repairedSteps = 0;
  const tally = [0, 0, 0];
  for (let p = 0; p < paths; p++) {
    tally[status[p]]++;
    repairedSteps += repairs[p];
  }
  const shape = base.kind === 'covariance' ? [saves, paths, m, m] : [saves, paths];
  return {
    ...base,
    values: ndarray(values, shape),
    status,
    explosionTime,
    repairs,
    worstRepair,
    counts: { finished: tally[PATH_FINISHED], exploded: tally[PATH_EXPLODED], repaired: tally[PATH_REPAIRED], repairedSteps },
  };
}
