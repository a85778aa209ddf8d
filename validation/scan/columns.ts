// What every column of a scan's rows means, said once: the machinery's own (index, the grid axes, notes),
// each kind's (ScanKindSpec.columns), and the columns an estimate adds (_se, _lo, _hi). scan.json carries
// them beside the rows and report.html shows them, so a CSV read years later still says what it holds.
import { AXES } from './grid.js';
import { scanKind } from './kinds.js';
import type { ScanRow } from './types.js';

/** The columns an estimate `x` adds beside it, and what they are of it. */
const ESTIMATE_PARTS: ReadonlyArray<readonly [string, string]> = [
  ['_se', 'standard error of'],
  ['_lo', 'lower end of the 95% interval of'],
  ['_hi', 'upper end of the 95% interval of'],
];

/** A scan's columns in the order of scan.csv: by first appearance, notes last. */
export function scanColumnNames(rows: ReadonlyArray<ScanRow>): string[] {
  const columns: string[] = [];
  for (const row of rows)
    for (const key of Object.keys(row)) if (key !== 'notes' && !columns.includes(key)) columns.push(key);
  if (rows.some((row) => 'notes' in row)) columns.push('notes');
  return columns;
}

/** What column `name` of a scan of `kind` holds, or undefined where nothing describes it. */
export function describeScanColumn(kind: string, name: string): string | undefined {
  if (name === 'index') return "the point's index in the grid (axes in a fixed order, the last varying fastest)";
  if (name === 'notes')
    return 'why a cell is empty, and the finite-size conditions under which networks need not match the SDE';
  const own = scanKind(kind).columns;
  if (Object.hasOwn(own, name)) return own[name];
  const axis = AXES.find((a) => a.key === name);
  if (axis) return `grid axis: ${axis.help}`;
  for (const [suffix, what] of ESTIMATE_PARTS) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    if (Object.hasOwn(own, base)) return `${what} ${base}`;
  }
  return undefined;
}

/** Every column of a scan's rows with what it holds (scan.json's `columns`); a column nothing describes
 *  says so, and test/scan.test.ts keeps every kind's columns described. */
export function scanColumns(kind: string, rows: ReadonlyArray<ScanRow>): Record<string, string> {
  return Object.fromEntries(
    scanColumnNames(rows).map((name) => [name, describeScanColumn(kind, name) ?? 'not described (please report it)']),
  );
}
