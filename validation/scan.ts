// Parameter scans: a grid over the architecture, shaping constants (or beta), the input norm x0, T, n and
// rho0, each point a point of one scan kind (validation, explosion, cumulant: validation/scan/kinds/) at
// the scan's seed (common random numbers across the grid). The jobs live in validation/scan/: grid,
// config, shards, progress, run, merge and csv; this file is their one front door.
export { SCAN_SCHEMA } from './scan/types.js';
export type {
  ScanConfig,
  ScanKind,
  ScanPoint,
  ScanResult,
  ScanRow,
  ScanCell,
  Grid,
  ScanRenderer,
} from './scan/types.js';
export type { RowWriter, ScanKindSpec } from './scan/kind.js';
export { SCAN_KIND_TABLE, SCAN_KIND_NAMES, scanKind, scanKindHelp } from './scan/kinds.js';
export { CUMULANT_POINT_OPTIONS } from './scan/kinds/cumulant.js';
export { AXES, AXIS_KEYS, gridFromFlags, expandGrid } from './scan/grid.js';
export { resolveScan, scanHash } from './scan/config.js';
export { parseShard, shardFromEnvironment, shardStem } from './scan/shards.js';
export type { Shard } from './scan/shards.js';
export { readProgress, progressFiles } from './scan/progress.js';
export { runScan, runScanPoint } from './scan/run.js';
export { mergeScanShards } from './scan/merge.js';
export { scanCsv, readScanResult } from './scan/csv.js';
export { describeScanColumn, scanColumnNames, scanColumns } from './scan/columns.js';

import { SCAN_KIND_NAMES, SCAN_KIND_TABLE } from './scan/kinds.js';
import type { OptionSpec } from '../src/options.js';
/** The scan kinds' names (kept for callers of the former constant). */
export const SCAN_KINDS: readonly string[] = SCAN_KIND_NAMES;
/** The options of each scan kind, from the table. */
export const KIND_OPTIONS: Readonly<Record<string, readonly OptionSpec[]>> = Object.fromEntries(
  SCAN_KIND_NAMES.map((k) => [k, SCAN_KIND_TABLE[k].options]),
);
