// summary(result): the field's quantities at every save of an SDE solution or a network sample, so that
// nobody indexes raw ndarrays: E V^ab and E rho^ab per pair (m x m), E log V^aa per input, and explosion
// per input and for any input, each cell in the one layout { estimate, se, lo, hi, n } of src/stats/cells.ts.
// The reduction runs block by block (64 items, the SDE's block) on sufficient statistics (count, mean,
// sum of squared deviations) folded in block order, so that the SDE's summary-only mode (`keep:
// 'summary'`), which folds each block as it is integrated, gives exactly these bits without the tensor.
import { log } from './math/index.js';
import { PATH_EXPLODED, type CovarianceSamples } from './results.js';
import {
  exactCell,
  momentCell,
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

/** What summary() reduces to, per save: the same cells whichever way the items were folded. */
export interface Summary {
  /** Items: SDE paths or networks. */
  readonly items: number;
  readonly m: number;
  readonly side: number;
  readonly saves: readonly SaveSummary[];
}

const OVER_NOTE =
  'means over the paths (networks) that did not explode by the final time; exploded ones are left out (and, for log V, any with V^aa = 0)';

const EXPLOSION_NOTE =
  'P(crossed the level by t) over all paths (networks); a path stops at the first crossing of any input, so per input it is a lower bound when m > 1';

/** Items per block of the reduction: the SDE's block of lanes (sde/integrate.ts SDE_BLOCK; tested equal). */
export const SUMMARY_BLOCK = 64;

/** A result that kept only its summary (`solve({ keep: 'summary' })`): summary() hands it back. */
export interface Summarized {
  readonly summary: Summary;
}

/** What the moments of a summary are laid out over. */
export interface MomentLayout {
  readonly saves: number;
  /** Side of the tables: m (2m for networks with derivatives; 1 for a scalar SDE). */
  readonly side: number;
  /** Inputs whose V^aa the explosion level is read on (the first m of the side). */
  readonly m: number;
  /** A correlation SDE: its value is rho itself (no variance, no log). */
  readonly correlation: boolean;
}

/** Sizes of the moment arrays: E entries of V (the upper triangle; V is symmetric), R pairs a < b for rho,
 *  side inputs for log V; per save n, mean and M2 of each of their C cells, then the explosion counts. */
export function momentSizes(layout: MomentLayout) {
  const { side, m, saves } = layout;
  const entries = (side * (side + 1)) / 2;
  const pairs = (side * (side - 1)) / 2;
  const cells = entries + pairs + side;
  const perSave = 3 * cells + 1 + m;
  return { entries, pairs, cells, perSave, size: 1 + saves * perSave };
}

/** Index of V^ij (i <= j) in the upper triangle, row by row. */
export function upperIndex(i: number, j: number, side: number): number {
  return i * side - (i * (i - 1)) / 2 + (j - i);
}

/** Index of the pair i < j, row by row. */
function pairIndex(i: number, j: number, side: number): number {
  return i * side - (i * (i + 1)) / 2 + (j - i - 1);
}

/** Whether an explosion at `time` happened by the save at t: save times are k T / steps, and a crossing
 *  time within rounding of one belongs to it. */
export function crossedByTime(time: number, t: number): boolean {
  return time <= t * (1 + 1e-12) + 1e-15;
}

/** n, mean and M2 = sum (x - mean)^2 of xs[0..n) into cell c of a save's moments (the operations of meanCell). */
function twoPass(xs: Float64Array, n: number, out: Float64Array, base: number, cells: number, c: number): void {
  out[base + c] = n;
  if (n === 0) return;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  const mean = sum / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) m2 += (xs[i] - mean) * (xs[i] - mean);
  out[base + cells + c] = mean;
  out[base + 2 * cells + c] = m2;
}

/**
 * The moments of one block of `lanes` items into `out` (momentSizes(layout).size): `values` holds, per
 * save and upper-triangle entry, the block's items at stride SUMMARY_BLOCK ((save, entry, lane)); `kept`
 * marks the items that did not explode by the final time; `crossed(s, lane)` says whether an item had
 * exploded by save s; `level` is the absolute explosion level (null: none).
 */
export function blockMoments(
  layout: MomentLayout,
  values: Float64Array,
  lanes: number,
  kept: Uint8Array,
  crossed: (s: number, lane: number) => boolean,
  level: number | null,
  out: Float64Array,
): void {
  const B = SUMMARY_BLOCK;
  const { side, m, correlation } = layout;
  const { entries, pairs, cells, perSave } = momentSizes(layout);
  const xs = new Float64Array(B);
  out.fill(0);
  let keptCount = 0;
  for (let j = 0; j < lanes; j++) keptCount += kept[j];
  out[0] = keptCount;
  for (let s = 0; s < layout.saves; s++) {
    const base = 1 + s * perSave;
    const row = (e: number) => (s * entries + e) * B;
    for (let e = 0; e < entries; e++) {
      const at = row(e);
      let n = 0;
      for (let j = 0; j < lanes; j++) {
        const x = values[at + j];
        if (kept[j] && Number.isFinite(x)) xs[n++] = x;
      }
      twoPass(xs, n, out, base, cells, e);
    }
    if (!correlation) {
      for (let a = 0; a < side; a++) {
        const aa = row(upperIndex(a, a, side));
        for (let b = a + 1; b < side; b++) {
          const ab = row(upperIndex(a, b, side));
          const bb = row(upperIndex(b, b, side));
          let n = 0;
          for (let j = 0; j < lanes; j++) {
            if (!kept[j]) continue;
            const scale = Math.sqrt(values[aa + j] * values[bb + j]);
            const x = scale > 0 ? values[ab + j] / scale : NaN;
            if (Number.isFinite(x)) xs[n++] = x;
          }
          twoPass(xs, n, out, base, cells, entries + pairIndex(a, b, side));
        }
        let n = 0;
        for (let j = 0; j < lanes; j++) {
          const x = kept[j] ? log(values[aa + j]) : NaN;
          if (Number.isFinite(x)) xs[n++] = x;
        }
        twoPass(xs, n, out, base, cells, entries + pairs + a);
      }
    }
    // The path stopped at its first crossing, frozen at the crossing state (or at its last finite state
    // when a step blew up): the inputs over the level there crossed; with none over it, the largest did.
    const counts = base + 3 * cells;
    for (let j = 0; j < lanes; j++) {
      if (!crossed(s, j)) continue;
      out[counts]++;
      let largest = 0;
      let over = false;
      for (let a = 0; a < m; a++) {
        const v = values[row(upperIndex(a, a, side)) + j];
        if (level !== null && v > level) {
          out[counts + 1 + a]++;
          over = true;
        }
        if (v > values[row(upperIndex(largest, largest, side)) + j]) largest = a;
      }
      if (!over) out[counts + 1 + largest]++;
    }
  }
}

/** Fold a block's moments into the running ones (Chan et al.'s pairwise update), in block order. */
export function foldMoments(layout: MomentLayout, acc: Float64Array, part: Float64Array): void {
  const { cells, perSave } = momentSizes(layout);
  acc[0] += part[0];
  for (let s = 0; s < layout.saves; s++) {
    const base = 1 + s * perSave;
    for (let c = 0; c < cells; c++) {
      const nb = part[base + c];
      if (nb === 0) continue;
      const na = acc[base + c];
      const mean = base + cells + c;
      const m2 = base + 2 * cells + c;
      if (na === 0) {
        acc[base + c] = nb;
        acc[mean] = part[mean];
        acc[m2] = part[m2];
        continue;
      }
      const n = na + nb;
      const d = part[mean] - acc[mean];
      acc[base + c] = n;
      acc[mean] += d * (nb / n);
      acc[m2] += part[m2] + d * d * ((na * nb) / n);
    }
    for (let k = base + 3 * cells; k < base + perSave; k++) acc[k] += part[k];
  }
}

/** The summary from folded moments: `items` in all, `ts` (and `layers`) the saves, `level` the absolute
 *  explosion level (null: none). */
export function summaryFromMoments(
  layout: MomentLayout,
  acc: Float64Array,
  about: {
    readonly items: number;
    readonly ts: ArrayLike<number>;
    readonly layers?: ArrayLike<number>;
    readonly level: number | null;
  },
): Summary {
  const { side, m, correlation } = layout;
  const { entries, pairs, cells, perSave } = momentSizes(layout);
  const { items, level } = about;
  const kept = acc[0];
  const saves: SaveSummary[] = [];
  for (let s = 0; s < layout.saves; s++) {
    const base = 1 + s * perSave;
    const cell = (c: number) => momentCell(acc[base + c], acc[base + cells + c], acc[base + 2 * cells + c]);
    const v = Array.from({ length: entries }, (_, e) => cell(e));
    const mean = Array.from({ length: side }, (_, i) =>
      Array.from({ length: side }, (_, j) => v[upperIndex(Math.min(i, j), Math.max(i, j), side)]),
    );
    const rho = Array.from({ length: side }, (_, i) =>
      Array.from({ length: side }, (_, j) => {
        if (correlation) return mean[i][j];
        if (i === j) return exactCell(1, kept);
        return cell(entries + pairIndex(Math.min(i, j), Math.max(i, j), side));
      }),
    );
    const logV = Array.from({ length: side }, (_, a) =>
      correlation ? { missing: 'a correlation SDE has no variance' } : cell(entries + pairs + a),
    );
    const counts = base + 3 * cells;
    saves.push({
      t: about.ts[s],
      ...(about.layers ? { layer: about.layers[s] } : {}),
      mean,
      rho,
      logV,
      explosion: {
        level,
        perInput: Array.from({ length: m }, (_, a) => proportionCell(acc[counts + 1 + a], items)),
        any: proportionCell(acc[counts], items),
        note: EXPLOSION_NOTE,
      },
      averagedOver: { over: 'finished', leftOut: items - kept, note: OVER_NOTE },
    });
  }
  return { items, m, side, saves };
}

/**
 * Per-save, per-pair means with SEs and explosion proportions with Wilson intervals, for a `solve`
 * solution or a `sampleNetworks` sample alike; a summary-only solution (`keep: 'summary'`) gives back
 * the summary it kept, the same bits as this reduction of the full solution.
 * @example
 * const s = summary(await solve({ ... }));
 * s.saves.at(-1).rho[0][1];        // { estimate, se, lo, hi, n }: E rho^01_T
 * s.saves.at(-1).explosion.any;    // P(max_a V^aa crossed by T), Wilson interval
 */
export function summary(result: Summarizable | Summarized): Summary {
  if (!('values' in result)) return result.summary;
  const { values, status } = result;
  const scalar = values.shape.length === 2;
  const layout: MomentLayout = {
    saves: values.shape[0],
    side: scalar ? 1 : values.shape[2],
    m: scalar ? 1 : result.m,
    correlation: result.kind === 'correlation',
  };
  const items = values.shape[1];
  const { entries, size } = momentSizes(layout);
  const data = values.data;
  const [perSave, perItem] = values.stride;
  const perRow = scalar ? 0 : values.stride[2];
  const perCol = scalar ? 0 : values.stride[3];
  const B = SUMMARY_BLOCK;
  const block = new Float64Array(layout.saves * entries * B);
  const kept = new Uint8Array(B);
  const part = new Float64Array(size);
  const acc = new Float64Array(size);
  const crossedBy = crossingTest(result);
  for (let first = 0; first < items; first += B) {
    const lanes = Math.min(B, items - first);
    for (let s = 0; s < layout.saves; s++)
      for (let i = 0, e = 0; i < layout.side; i++)
        for (let j = i; j < layout.side; j++, e++) {
          const at = values.offset + s * perSave + i * perRow + j * perCol;
          const row = (s * entries + e) * B;
          for (let lane = 0; lane < lanes; lane++) block[row + lane] = data[at + (first + lane) * perItem];
        }
    for (let lane = 0; lane < lanes; lane++) kept[lane] = status[first + lane] !== PATH_EXPLODED ? 1 : 0;
    blockMoments(layout, block, lanes, kept, (s, lane) => crossedBy(s, first + lane), levelOf(result), part);
    foldMoments(layout, acc, part);
  }
  return summaryFromMoments(layout, acc, { items, ts: result.ts, layers: result.layers, level: levelOf(result) });
}

/** The absolute explosion level a result records (null: none). */
function levelOf(result: Summarizable): number | null {
  return typeof result.settings.explosionThreshold === 'number' ? result.settings.explosionThreshold : null;
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
  return (s, p) => status[p] === PATH_EXPLODED && (time === undefined || crossedByTime(time[p], ts[s]));
}
