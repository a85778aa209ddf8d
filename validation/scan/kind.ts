// The scan-kind contract: what a kind of scan point takes (its options and grid axes), how a point's
// activation is named, and how it computes its row. Each kind is one file in validation/scan/kinds/; the
// table is validation/scan/kinds.ts. The scan machinery never asks which kind it runs.
import type { OptionSpec } from '../../src/options.js';
import type { Missing } from '../point.js';
import type { ScanCell, ScanPoint } from './types.js';

/** Writes one point's row: `row` holds the cells, `put` an estimate (value, se, interval) or a Missing
 *  (a null cell with a note saying why). */
export interface RowWriter {
  readonly row: Record<string, ScanCell>;
  readonly notes: string[];
  put(prefix: string, e: { value: number; se?: number; lower?: number; upper?: number } | Missing): void;
}

export interface ScanKindSpec {
  readonly name: string;
  /** One line for --kind's help. */
  readonly description: string;
  /** The options of the kind's points (a scan's base settings are read with these). */
  readonly options: readonly OptionSpec[];
  /** The grid axes that apply. */
  readonly axes: readonly string[];
  /** The names the activation axis takes (a kind with its own pointActivation takes whatever its
   *  `activation` option takes; these are then the usual ones). */
  readonly activationNames: readonly string[];
  /** The point's activation setting from the base's and the point's axis values (null: the shaped
   *  family rule of grid.ts, which applies c+, c-, a and beta). */
  readonly pointActivation: ((base: string, at: Readonly<Record<string, number | string>>) => string) | null;
  /** How report.html draws this kind: the default heatmap columns, the columns over which the closed form
   *  1 - exp(-beta X0) is drawn as level curves, and the legend of rows flagged `disagree`. */
  readonly report: {
    readonly defaultStats: readonly string[];
    readonly closedFormStats?: readonly string[];
    readonly flagged?: { readonly title: string; readonly note: string };
  };
  /** What each column the kind's `run` writes means, one line each (a title first: report.html heads its
   *  maps with it); an estimate's `_se`, `_lo` and `_hi` columns and the machinery's own (index, the axes,
   *  notes) are described by validation/scan/columns.ts. */
  readonly columns: Readonly<Record<string, string>>;
  /** Compute the point's cells into `out`. */
  run(point: ScanPoint, out: RowWriter, options: { threads?: number }): Promise<void>;
}

/** A number cell, or null where not finite (a row never holds NaN). */
export const finiteOr = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;
