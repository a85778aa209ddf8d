// A finished scan's files: scan.csv (one column per key in order of first appearance, notes last),
// scan.json, and what a renderer adds; and reading scan.json back.
import { node } from '../../src/nodeBuiltins.js';
import { InputError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/files.js';
import { scanColumnNames, scanColumns } from './columns.js';
import { SCAN_SCHEMA, type ScanRenderer, type ScanResult } from './types.js';
// Node modules through the platform, so that the ./validation entry bundles for a browser.
const { existsSync, readFileSync } = node.fs;
const { join } = node.path;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The scan's CSV: one column per key in order of first appearance, notes last; a missing value is an empty cell. */
export function scanCsv(result: Pick<ScanResult, 'rows'>): string {
  const columns = scanColumnNames(result.rows);
  return (
    [columns.join(','), ...result.rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\n') + '\n'
  );
}

export async function writeScanOutputs(outDir: string, result: ScanResult, render?: ScanRenderer): Promise<void> {
  const extra = render ? await render(result) : [];
  writeFileAtomic(join(outDir, 'scan.csv'), scanCsv(result));
  writeFileAtomic(join(outDir, 'scan.json'), JSON.stringify(result, null, 1) + '\n');
  for (const [name, content] of extra) writeFileAtomic(join(outDir, name), content);
}

/** The finished result saved in a directory's scan.json (for `scan report`). */
export function readScanResult(dir: string): ScanResult {
  const file = join(dir, 'scan.json');
  if (!existsSync(file))
    throw new InputError(dir, 'no scan.json', 'holds no finished scan (run it to the end, or merge its shards, first)');
  let result: ScanResult;
  try {
    result = JSON.parse(readFileSync(file, 'utf8')) as ScanResult;
  } catch (e) {
    throw new InputError(file, (e as Error).message, 'is not valid JSON');
  }
  if (result?.schema !== SCAN_SCHEMA) throw new InputError(file, result?.schema, `is not a ${SCAN_SCHEMA} result`);
  // A scan written before scan.json described its columns.
  return result.columns ? result : { ...result, columns: scanColumns(result.scan.kind, result.rows) };
}
