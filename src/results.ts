// Result types shared by the solver and the network samplers: per-item status codes and the tensor
// layout (saves or layers, items, side, side) that validation reads from either side alike.
import type { NdArray } from 'ndarray';

export type { NdArray } from 'ndarray';

/** Finished without trouble. */
export const PATH_FINISHED = 0;
/** Crossed the explosion threshold (or blew up inside a step); its state at detection is kept, finite. */
export const PATH_EXPLODED = 1;
/** Finished, but at least one Euler-Maruyama step left the PSD cone (or [-1, 1], or [0, inf)) and was repaired. */
export const PATH_REPAIRED = 2;

/** What happened to a path (or network): ran to the end, crossed the explosion threshold, or had steps projected back into the PSD cone. */
export type PathStatus = 'finished' | 'exploded' | 'repaired';
/** Status names indexed by code. */
export const PATH_STATUS_NAMES: readonly PathStatus[] = ['finished', 'exploded', 'repaired'];

/** How many paths (or networks) ended in each status. */
export interface StatusCounts {
  readonly finished: number;
  readonly exploded: number;
  readonly repaired: number;
}

/** What both sides share: a (saves, items, side, side) tensor, the times of its saves and a status per item. */
export interface CovarianceSamples {
  readonly values: NdArray<Float64Array>;
  readonly ts: Float64Array;
  readonly status: Uint8Array;
}

/** Count items by status code. */
export function countStatus(status: Uint8Array): StatusCounts {
  const tally = [0, 0, 0];
  for (let i = 0; i < status.length; i++) tally[status[i]]++;
  return { finished: tally[PATH_FINISHED], exploded: tally[PATH_EXPLODED], repaired: tally[PATH_REPAIRED] };
}
