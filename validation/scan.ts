// Parameter scans: a grid over shaping constants, T, n and rho0, each point one SDE-versus-network
// comparison (runPoint) with the scan's seed, so a row equals a single run with that seed. Rows are
// appended to a JSONL file as they finish (resumable), points can be split into shards (index % k),
// and shard files merge into exactly the result of one unsharded run.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../src/errors.js';
import type { WorkerPool } from '../src/parallel.js';
import { PACKAGE_VERSION } from '../src/version.js';
import { parseConfig, scanSchema, type PointConfig, type ScanConfig, type ShapedActivationSpec } from './config.js';
import { pointRow, runPoint, type PointRow } from './point.js';

export const SCAN_SCHEMA = 'ncsde.scan/1';

export interface ScanPoint {
  readonly index: number;
  readonly config: PointConfig;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parse "i/k" (0 <= i < k). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : null;
  if (!shard || shard.count < 1 || shard.index >= shard.count) throw new InputError('--shard', text, 'must be i/k with 0 <= i < k, e.g. 0/4');
  return shard;
}

/** The grid's points in a fixed order: activation, cPlus, cMinus, a, T, n, rho0 (last varies fastest). */
export function expandGrid(scan: ScanConfig): ScanPoint[] {
  const base = scan.base;
  const g = scan.grid;
  const baseName = base.activation.family === 'relu-like' ? 'relu' : base.activation.f;
  const axes = {
    activation: g.activation ?? [baseName],
    cPlus: g.cPlus ?? [base.activation.family === 'relu-like' ? base.activation.cPlus : 0],
    cMinus: g.cMinus ?? [base.activation.family === 'relu-like' ? base.activation.cMinus : -1],
    a: g.a ?? [base.activation.family === 'smooth' ? base.activation.a : 1],
    T: g.T ?? [base.T],
    n: g.n ?? [base.n],
    rho0: g.rho0 ?? [base.rho0],
  };
  const points: ScanPoint[] = [];
  for (const name of axes.activation)
    for (const cPlus of axes.cPlus)
      for (const cMinus of axes.cMinus)
        for (const a of axes.a)
          for (const T of axes.T)
            for (const n of axes.n)
              for (const rho0 of axes.rho0) {
                // Constants that do not apply to this activation (a for ReLU, c+- for smooth) repeat the
                // point; they are kept so that the grid is a plain product and indices are predictable.
                const activation: ShapedActivationSpec = name === 'relu' ? { family: 'relu-like', cPlus, cMinus } : { family: 'smooth', f: name, a };
                points.push({ index: points.length, config: { ...base, activation, T, n, rho0, seed: scan.seed } });
              }
  return points;
}

interface ScanHeader {
  schema: typeof SCAN_SCHEMA;
  version: string;
  scan: ScanConfig;
  points: number;
}

export interface ScanResult {
  readonly schema: typeof SCAN_SCHEMA;
  readonly scan: ScanConfig;
  readonly points: number;
  readonly rows: Array<{ index: number } & PointRow>;
}

function shardName(shard?: Shard): string {
  return shard && shard.count > 1 ? `scan.shard-${shard.index}-of-${shard.count}` : 'scan';
}

function readJsonl(file: string): { header: ScanHeader; rows: Map<number, PointRow> } {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw new InputError(file, '', 'is empty: not a scan file');
  const header = JSON.parse(lines[0]) as ScanHeader;
  if (header.schema !== SCAN_SCHEMA) throw new InputError(file, header.schema, `is not a ${SCAN_SCHEMA} file`);
  const rows = new Map<number, PointRow>();
  for (const line of lines.slice(1)) {
    try {
      const { index, row } = JSON.parse(line) as { index: number; row: PointRow };
      rows.set(index, row);
    } catch {
      // A line cut short by an interrupted run is dropped; its point is recomputed on resume.
    }
  }
  return { header, rows };
}

/** Run a scan (or one shard of it) into `outDir`, resuming from an existing JSONL file there. */
export async function runScan(
  config: unknown,
  options: { outDir: string; shard?: Shard; threads?: number | WorkerPool; onPoint?: (done: number, total: number) => void },
): Promise<ScanResult> {
  const scan = parseConfig(scanSchema, config);
  const points = expandGrid(scan);
  const shard = options.shard ?? { index: 0, count: 1 };
  const mine = points.filter((p) => p.index % shard.count === shard.index);
  mkdirSync(options.outDir, { recursive: true });
  const stem = join(options.outDir, shardName(shard));
  const jsonl = `${stem}.jsonl`;
  const header: ScanHeader = { schema: SCAN_SCHEMA, version: PACKAGE_VERSION, scan, points: points.length };
  let done = new Map<number, PointRow>();
  if (existsSync(jsonl)) {
    const previous = readJsonl(jsonl);
    if (JSON.stringify(previous.header.scan) !== JSON.stringify(scan)) {
      throw new InputError('--out', options.outDir, `holds ${jsonl} from a different scan config; use another --out directory`);
    }
    done = previous.rows;
  } else {
    writeFileSync(jsonl, JSON.stringify(header) + '\n');
  }
  let finished = mine.filter((p) => done.has(p.index)).length;
  options.onPoint?.(finished, mine.length);
  for (const point of mine) {
    if (done.has(point.index)) continue;
    const row = pointRow(await runPoint(point.config, { threads: options.threads }));
    appendFileSync(jsonl, JSON.stringify({ index: point.index, row }) + '\n');
    done.set(point.index, row);
    options.onPoint?.(++finished, mine.length);
  }
  const result = collect(scan, points.length, [done], mine.map((p) => p.index));
  writeOutputs(stem, result);
  return result;
}

function collect(scan: ScanConfig, total: number, sources: Array<Map<number, PointRow>>, expected: number[]): ScanResult {
  const merged = new Map<number, PointRow>();
  for (const rows of sources) for (const [index, row] of rows) merged.set(index, row);
  const missing = expected.filter((i) => !merged.has(i));
  if (missing.length) throw new InputError('scan', missing.slice(0, 10), `is missing ${missing.length} point(s); run the remaining shards`);
  return {
    schema: SCAN_SCHEMA,
    scan,
    points: total,
    rows: expected.sort((a, b) => a - b).map((index) => ({ index, ...merged.get(index)! })),
  };
}

/** Merge shard JSONL files of one scan into `outDir`/scan.{csv,json}: identical to an unsharded run. */
export function mergeScanShards(files: readonly string[], outDir: string): ScanResult {
  if (files.length === 0) throw new InputError('files', files, 'must name at least one shard .jsonl file');
  const parsed = files.map(readJsonl);
  const scanText = JSON.stringify(parsed[0].header.scan);
  parsed.forEach((p, k) => {
    if (JSON.stringify(p.header.scan) !== scanText) throw new InputError(files[k], '', `comes from a different scan config than ${files[0]}`);
  });
  const total = parsed[0].header.points;
  const result = collect(parsed[0].header.scan, total, parsed.map((p) => p.rows), Array.from({ length: total }, (_, i) => i));
  mkdirSync(outDir, { recursive: true });
  writeOutputs(join(outDir, 'scan'), result);
  return result;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function scanCsv(result: ScanResult): string {
  const columns = Object.keys(result.rows[0] ?? { index: 0 });
  return [columns.join(','), ...result.rows.map((row) => columns.map((c) => csvCell((row as Record<string, unknown>)[c])).join(','))].join('\n') + '\n';
}

function writeOutputs(stem: string, result: ScanResult): void {
  writeFileSync(`${stem}.csv`, scanCsv(result));
  writeFileSync(`${stem}.json`, JSON.stringify(result, null, 1) + '\n');
}

/** `--grid key=v1,v2` flags into a grid object (numbers, or activation names). */
export function gridFromFlags(flags: readonly string[]): Record<string, Array<number | string>> {
  const grid: Record<string, Array<number | string>> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new InputError('--grid', flag, 'must look like key=v1,v2,... (e.g. cMinus=-1,-0.5,0)');
    const key = flag.slice(0, eq);
    const values = flag.slice(eq + 1).split(',').map((v) => v.trim());
    grid[key] = key === 'activation' ? values : values.map((v) => (v === '' || Number.isNaN(Number(v)) ? (v as unknown as number) : Number(v)));
  }
  return grid;
}
