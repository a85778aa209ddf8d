// The plain data of a scan: its config, its points, its rows and its finished result (also the header of
// every progress file), shared by every job of validation/scan/.
import type { Shard } from './shards.js';

/** The schema tag of scan results. */
export const SCAN_SCHEMA = 'ncsde.scan/2';

/** A scan kind's name: a key of SCAN_KIND_TABLE (validation/scan/kinds.ts). */
export type ScanKind = string;

/** A scan grid: for each axis, its values. */
export type Grid = Readonly<Record<string, readonly (number | string)[]>>;

/** A scan as resolved from config and flags: its hash names it in every shard. */
export interface ScanConfig {
  readonly kind: ScanKind;
  /** Fully resolved base settings of the kind. */
  readonly base: Readonly<Record<string, unknown>>;
  readonly grid: Grid;
  readonly seed: number;
}

/** One grid point: its index, its axis values and its full settings. */
export interface ScanPoint {
  readonly index: number;
  /** The axis values of the point. */
  readonly at: Readonly<Record<string, number | string>>;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** One cell of a scan row (null: not computed; the row's notes say why). */
export type ScanCell = number | string | boolean | null;
/** One scan point's results as flat named cells (a CSV row). */
export type ScanRow = Readonly<Record<string, ScanCell>>;

/** A finished scan: its config and hash, and one flat row per grid point (also written as scan.csv). */
export interface ScanResult {
  readonly schema: typeof SCAN_SCHEMA;
  readonly version: string;
  readonly hash: string;
  readonly scan: ScanConfig;
  readonly points: number;
  /** What each column of the rows (and of scan.csv) holds (validation/scan/columns.ts). */
  readonly columns: Readonly<Record<string, string>>;
  readonly rows: ReadonlyArray<ScanRow>;
}

export interface JsonlHeader {
  readonly schema: typeof SCAN_SCHEMA;
  readonly version: string;
  readonly hash: string;
  readonly scan: ScanConfig;
  readonly points: number;
  readonly shard: Shard;
}

/** Extra files a caller renders from a finished scan (the CLI adds report.html). */
export type ScanRenderer = (result: ScanResult) => Promise<ReadonlyArray<readonly [string, string]>>;
