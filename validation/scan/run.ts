// Running a scan (or one shard): each point's row from its kind (validation/scan/kinds.ts), appended to
// the progress file as it finishes, resumed after a kill, under a lock that keeps out a second writer.
import { node } from '../../src/nodeBuiltins.js';
import { OutputError } from '../../src/errors.js';
import { acquireLock, prepareOutputDir, writeFileAtomic } from '../../src/files.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { scanHash } from './config.js';
import { scanColumns } from './columns.js';
import { writeScanOutputs } from './csv.js';
import { AXES, expandGrid } from './grid.js';
import { finiteOr } from './kind.js';
import { scanKind } from './kinds.js';
import { isMissing, type Missing } from '../point.js';
import { readProgress } from './progress.js';
import { shardStem, type Shard } from './shards.js';
import {
  SCAN_SCHEMA,
  type JsonlHeader,
  type ScanCell,
  type ScanConfig,
  type ScanKind,
  type ScanPoint,
  type ScanRenderer,
  type ScanResult,
  type ScanRow,
} from './types.js';
// Node modules through the platform, so that the ./validation entry bundles for a browser.
const { closeSync, existsSync, ftruncateSync, openSync, writeSync } = node.fs;
const { join } = node.path;

export function sortRows(rows: Map<number, ScanRow>, indices: readonly number[]): ScanRow[] {
  return [...indices].sort((a, b) => a - b).map((i) => rows.get(i)!);
}

/** Compute one point's row (flat cells: numbers, strings, booleans or null with a note saying why). */
export async function runScanPoint(
  kind: ScanKind,
  point: ScanPoint,
  options: { threads?: number } = {},
): Promise<ScanRow> {
  const row: Record<string, ScanCell> = { index: point.index };
  for (const axis of AXES) if (point.at[axis.key] !== undefined) row[axis.key] = point.at[axis.key];
  const notes: string[] = [];
  const put = (prefix: string, e: { value: number; se?: number; lower?: number; upper?: number } | Missing) => {
    if (isMissing(e)) {
      row[prefix] = null;
      notes.push(`${prefix}: ${e.missing}`);
      return;
    }
    row[prefix] = finiteOr(e.value);
    if (e.se !== undefined) row[`${prefix}_se`] = finiteOr(e.se);
    if (e.lower !== undefined) row[`${prefix}_lo`] = finiteOr(e.lower);
    if (e.upper !== undefined) row[`${prefix}_hi`] = finiteOr(e.upper);
  };
  await scanKind(kind).run(point, { row, notes, put }, options);
  row.notes = notes.join('; ');
  return row;
}

/** Run a scan (or one shard of it) in `outDir`, resuming from its progress file there. */
export async function runScan(
  scan: ScanConfig,
  options: {
    outDir: string;
    field?: string;
    shard?: Shard;
    threads?: number;
    onPoint?: (done: number, total: number) => void;
    render?: ScanRenderer;
  },
): Promise<ScanResult> {
  const field = options.field ?? 'outDir';
  prepareOutputDir(field, options.outDir);
  const points = expandGrid(scan);
  const shard = options.shard ?? { index: 0, count: 1 };
  const mine = points.filter((p) => p.index % shard.count === shard.index);
  const hash = scanHash(scan);
  const stem = join(options.outDir, shardStem(shard));
  const lock = acquireLock(field, `${stem}.lock`, 'another scan');
  try {
    const file = `${stem}.jsonl`;
    const header: JsonlHeader = {
      schema: SCAN_SCHEMA,
      version: PACKAGE_VERSION,
      hash,
      scan,
      points: points.length,
      shard,
    };
    let done = new Map<number, ScanRow>();
    if (existsSync(file)) {
      const previous = readProgress(file);
      if (previous.header.hash !== hash)
        throw new OutputError(
          field,
          options.outDir,
          `holds ${shardStem(shard)}.jsonl of a different scan (hash ${previous.header.hash}, this one ${hash}); use another directory`,
        );
      done = previous.rows;
      const fd = openSync(file, 'r+');
      ftruncateSync(fd, previous.goodBytes);
      closeSync(fd);
    } else writeFileAtomic(file, JSON.stringify(header) + '\n');
    let finished = mine.filter((p) => done.has(p.index)).length;
    options.onPoint?.(finished, mine.length);
    const fd = openSync(file, 'a');
    try {
      for (const point of mine) {
        if (done.has(point.index)) continue;
        const row = await runScanPoint(scan.kind, point, { threads: options.threads });
        // One write per line, so a kill leaves at most a torn last line, which a resume cuts off.
        writeSync(fd, JSON.stringify({ index: point.index, row }) + '\n');
        done.set(point.index, row);
        options.onPoint?.(++finished, mine.length);
      }
    } finally {
      closeSync(fd);
    }
    const rows = sortRows(
      done,
      mine.map((p) => p.index),
    );
    const result: ScanResult = {
      schema: SCAN_SCHEMA,
      version: PACKAGE_VERSION,
      hash,
      scan,
      points: points.length,
      columns: scanColumns(scan.kind, rows),
      rows,
    };
    if (shard.count === 1) await writeScanOutputs(options.outDir, result, options.render);
    return result;
  } finally {
    lock.release();
  }
}
