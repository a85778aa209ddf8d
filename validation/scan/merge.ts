// Merging shards: every progress file must belong to the same scan (hash), and together they must hold
// every point exactly once; the result is byte-identical to an unsharded run's.
import { InputError } from '../../src/errors.js';
import { prepareOutputDir } from '../../src/files.js';
import { scanColumns } from './columns.js';
import { writeScanOutputs } from './csv.js';
import { readProgress } from './progress.js';
import { sortRows } from './run.js';
import { SCAN_SCHEMA, type ScanResult, type ScanRenderer, type ScanRow } from './types.js';

/**
 * Merge shard progress files into `outDir`/scan.{csv,json} (and rendered files): refused in one line when
 * a point is missing or appears twice, or when files come from different scans.
 */
export async function mergeScanShards(
  files: readonly string[],
  outDir: string,
  options: { field?: string; render?: ScanRenderer } = {},
): Promise<ScanResult> {
  if (files.length === 0)
    throw new InputError('files', files, 'must name at least one shard progress file (scan.shard-i-of-k.jsonl)');
  const parsed = files.map((f) => ({ file: f, ...readProgress(f) }));
  const first = parsed[0];
  for (const p of parsed) {
    if (p.header.hash !== first.header.hash)
      throw new InputError(
        p.file,
        p.header.hash,
        `comes from a different scan than ${first.file} (hash ${first.header.hash})`,
      );
  }
  const rows = new Map<number, ScanRow>();
  const from = new Map<number, string>();
  for (const p of parsed) {
    for (const [index, row] of p.rows) {
      if (rows.has(index))
        throw new InputError(
          p.file,
          index,
          `holds point ${index}, which ${from.get(index)} holds too (the same shard given twice?)`,
        );
      rows.set(index, row);
      from.set(index, p.file);
    }
  }
  const total = first.header.points;
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !rows.has(i));
  if (missing.length) {
    throw new InputError(
      'shards',
      `${missing.length} of ${total}`,
      `miss point${missing.length > 1 ? 's' : ''} ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}; run the remaining shards first`,
    );
  }
  const sorted = sortRows(rows, [...rows.keys()]);
  const result: ScanResult = {
    schema: SCAN_SCHEMA,
    version: first.header.version,
    hash: first.header.hash,
    scan: first.header.scan,
    points: total,
    columns: scanColumns(first.header.scan.kind, sorted),
    rows: sorted,
  };
  // The output directory is touched only once every input has been checked.
  prepareOutputDir(options.field ?? '--out', outDir);
  await writeScanOutputs(outDir, result, options.render);
  return result;
}
