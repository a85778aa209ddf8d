// summary(result): the field's quantities at every save of an SDE solution or a network sample, so that
// nobody indexes raw ndarrays: E V^ab and E rho^ab per pair (m x m), E log V^aa per input, and explosion
// per input and for any input, each cell in the one layout { estimate, se, lo, hi, n } of src/stats/cells.ts.
import { log } from './math/index.js';
import { PATH_EXPLODED, type CovarianceSamples } from './results.js';
import {
  exactCell,
  meanCell,
  proportionCell,
  type EstimateCell,
  type MissingCell,
  type ProportionCell,
} from './stats/cells.js';

/** What summary reads: either side's tensor and status, its threshold and when each path exploded. */
export interface Summarizable extends CovarianceSamples {
  readonly settings: Readonly<Record<string, unknown>>;
  /** SDE: the SDE's kind and shape. */
  readonly kind?: string;
  readonly shape?: 'matrix' | 'scalar';
  readonly m: number;
  /** SDE: time of explosion per path (-1: none). */
  readonly explosionTime?: Float64Array;
  /** Networks: layer of explosion per network (-1: none), and the recorded layers. */
  readonly explosionLayer?: Int32Array;
  readonly layers?: Int32Array;
}

/** Which paths a mean averages, and how many it leaves out. */
export interface AveragedOver {
  /** 'finished': the paths (networks) that did not explode by the final time, the event every comparison uses. */
  readonly over: 'finished';
  readonly leftOut: number;
  readonly note: string;
}

/** Explosion by the save's time: per input and for any input, each with its Wilson interval. */
export interface ExplosionSummary {
  /** The absolute level on V^aa (threshold x max_a V0^aa); null where the SDE has none (a correlation). */
  readonly level: number | null;
  /** P(V^aa crossed the level by t), per input a: observed until the path stops at the first crossing of
   *  any input, so for m > 1 a lower bound of the one-input probability (crossings after the stop are not seen). */
  readonly perInput: ReadonlyArray<ProportionCell | MissingCell>;
  /** P(max_a V^aa crossed the level by t): the event `counts.exploded` and every comparison use. */
  readonly any: ProportionCell | MissingCell;
  readonly note: string;
}

/** The estimates at one save. */
export interface SaveSummary {
  readonly t: number;
  /** Networks: the layer. */
  readonly layer?: number;
  /** E V^ab, side x side (with derivatives side = 2m: the dz blocks follow). */
  readonly mean: ReadonlyArray<ReadonlyArray<EstimateCell | MissingCell>>;
  /** E rho^ab = E V^ab / sqrt(V^aa V^bb), the layout of mean (the diagonal is exactly 1). */
  readonly rho: ReadonlyArray<ReadonlyArray<EstimateCell | MissingCell>>;
  /** E log V^aa per entry of the diagonal. */
  readonly logV: ReadonlyArray<EstimateCell | MissingCell>;
  readonly explosion: ExplosionSummary;
  readonly averagedOver: AveragedOver;
}

export interface Summary {
  /** Items: SDE paths or networks. */
  readonly items: number;
  readonly m: number;
  readonly side: number;
  readonly saves: readonly SaveSummary[];
}

const OVER_NOTE =
  'means over the paths (networks) that did not explode by the final time; exploded ones are left out (and, for log V, any with V^aa = 0)';

/**
 * Per-save, per-pair means with SEs and explosion proportions with Wilson intervals, for a `solve`
 * solution or a `sampleNetworks` sample alike.
 * @example
 * const s = summary(await solve({ ... }));
 * s.saves.at(-1).rho[0][1];        // { estimate, se, lo, hi, n }: E rho^01_T
 * s.saves.at(-1).explosion.any;    // P(max_a V^aa crossed by T), Wilson interval
 */
export function summary(result: Summarizable): Summary {
  const { values, status } = result;
  const scalar = values.shape.length === 2;
  const saves = values.shape[0];
  const items = values.shape[1];
  const side = scalar ? 1 : values.shape[2];
  const m = scalar ? 1 : result.m;
  const data = values.data;
  const [perSave, perItem] = values.stride;
  const perRow = scalar ? 0 : values.stride[2];
  const perCol = scalar ? 0 : values.stride[3];
  const at = (s: number, p: number, i: number, j: number) =>
    data[values.offset + s * perSave + p * perItem + i * perRow + j * perCol];
  const kept: number[] = [];
  for (let p = 0; p < items; p++) if (status[p] !== PATH_EXPLODED) kept.push(p);
  const level = typeof result.settings.explosionThreshold === 'number' ? result.settings.explosionThreshold : null;
  const correlation = result.kind === 'correlation';
  const xs = new Float64Array(kept.length);
  const cell = (fill: (p: number) => number): EstimateCell | MissingCell => {
    let n = 0;
    for (const p of kept) {
      const x = fill(p);
      if (Number.isFinite(x)) xs[n++] = x;
    }
    return meanCell(xs.subarray(0, n));
  };
  const crossedBy = crossingTest(result);
  const out: SaveSummary[] = [];
  for (let s = 0; s < saves; s++) {
    const mean = Array.from({ length: side }, (_, i) =>
      Array.from({ length: side }, (_, j) => cell((p) => at(s, p, i, j))),
    );
    const rho = Array.from({ length: side }, (_, i) =>
      Array.from({ length: side }, (_, j) => {
        if (correlation) return mean[i][j];
        if (i === j) return exactCell(1, kept.length);
        return cell((p) => {
          const scale = Math.sqrt(at(s, p, i, i) * at(s, p, j, j));
          return scale > 0 ? at(s, p, i, j) / scale : NaN;
        });
      }),
    );
    const logV = Array.from({ length: side }, (_, a) =>
      correlation ? { missing: 'a correlation SDE has no variance' } : cell((p) => log(at(s, p, a, a))),
    );
    out.push({
      t: result.ts[s],
      ...(result.layers ? { layer: result.layers[s] } : {}),
      mean,
      rho,
      logV,
      explosion: explosionAt(s, result, m, level, crossedBy, at),
      averagedOver: { over: 'finished', leftOut: items - kept.length, note: OVER_NOTE },
    });
  }
  return { items, m, side, saves: out };
}

/** Whether item p had exploded by save s (by its explosion time or layer). */
function crossingTest(result: Summarizable): (s: number, p: number) => boolean {
  const { status, ts } = result;
  if (result.explosionLayer && result.layers) {
    const layers = result.layers;
    const layer = result.explosionLayer;
    return (s, p) => status[p] === PATH_EXPLODED && layer[p] <= layers[s];
  }
  const time = result.explosionTime;
  // Save times are k T / steps; a crossing time within rounding of one belongs to it.
  return (s, p) => status[p] === PATH_EXPLODED && (time === undefined || time[p] <= ts[s] * (1 + 1e-12) + 1e-15);
}

function explosionAt(
  s: number,
  result: Summarizable,
  m: number,
  level: number | null,
  crossedBy: (s: number, p: number) => boolean,
  at: (s: number, p: number, i: number, j: number) => number,
): ExplosionSummary {
  const items = result.status.length;
  const perInput = new Array<number>(m).fill(0);
  let any = 0;
  for (let p = 0; p < items; p++) {
    if (!crossedBy(s, p)) continue;
    any++;
    // The path stopped at its first crossing, frozen at the crossing state (or at its last finite state
    // when a step blew up): the inputs over the level there crossed; with none over it, the largest did.
    let largest = 0;
    let over = false;
    for (let a = 0; a < m; a++) {
      const v = at(s, p, a, a);
      if (level !== null && v > level) {
        perInput[a]++;
        over = true;
      }
      if (v > at(s, p, largest, largest)) largest = a;
    }
    if (!over) perInput[largest]++;
  }
  return {
    level,
    perInput: perInput.map((k) => proportionCell(k, items)),
    any: proportionCell(any, items),
    note: 'P(crossed the level by t) over all paths (networks); a path stops at the first crossing of any input, so per input it is a lower bound when m > 1',
  };
}
