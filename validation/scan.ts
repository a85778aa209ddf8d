// Parameter scans: a grid over shaping constants (or beta), the input norm x0, T, n and rho0, each point
// a validation point, an explosion point or a cumulant point at the scan's seed (common random numbers
// across the grid). Rows are appended to a JSONL file as they finish; a rerun resumes (a torn last line is
// cut and recomputed), a lock keeps out a second writer, shards (index % k) run anywhere (Slurm array
// tasks pick theirs from the environment) and merge, checked by a hash of the scan, into the bytes of an
// unsharded run.
import { activationLabel, parseActivationSpec, smoothScaleForBeta, SMOOTH_NAMES, type ActivationSpec } from '../src/activations/index.js';
import { InputError, OutputError } from '../src/errors.js';
import { acquireLock, prepareOutputDir, writeFileAtomic } from '../src/files.js';
import { parseOptionText, parseOptionValue, readOptions, type OptionSpec } from '../src/options.js';
import { node } from '../src/nodeBuiltins.js';
import { PACKAGE_VERSION } from '../src/version.js';
import { cumulantTheory, measureCumulants } from './cumulants.js';
import { EXPLOSION_OPTIONS, runExplosionPoint, type ExplosionSettings } from './explosion.js';
import { OPTION, POINT_OPTIONS, type PointSettings } from './options.js';
import { isMissing, runPoint, type Missing } from './point.js';
import { CUMULANT_ACTIVATIONS, cumulantActivation, type CumulantActivation } from './studies.js';

// Node's modules through the platform, so that this entry also bundles for a browser (where the
// file-based parts of a scan say they need Node).
const { createHash } = node.crypto;
const { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readdirSync, writeSync } = node.fs;
const { join } = node.path;

/** The schema tag of scan results. */
export const SCAN_SCHEMA = 'ncsde.scan/2';
/** What each scan point can compute. */
export const SCAN_KINDS = ['validation', 'explosion', 'cumulant'] as const;
/** validation (SDE against networks), explosion (P(explode by T)) or cumulant (fourth cumulants). */
export type ScanKind = (typeof SCAN_KINDS)[number];

/** The base options of each kind's points (the cumulant point: an activation at width n and L = round(T n)). */
export const CUMULANT_POINT_OPTIONS: readonly OptionSpec[] = [
  { key: 'activation', kind: { type: 'choice', choices: CUMULANT_ACTIVATIONS }, help: 'activation (shaped-relu is relu:0,-1)', default: 'relu' },
  { ...OPTION.n, default: 32 },
  { ...OPTION.T, help: 'depth-to-width ratio L/n' },
  { ...OPTION.samples, default: 2000 },
  OPTION.seed,
];
/** The options of each scan kind (a scan's base settings are read with these). */
export const KIND_OPTIONS: Readonly<Record<ScanKind, readonly OptionSpec[]>> = {
  validation: POINT_OPTIONS,
  explosion: EXPLOSION_OPTIONS,
  cumulant: CUMULANT_POINT_OPTIONS,
};

/** Grid axes in their fixed order (the last varies fastest), with the option that checks their values. */
export const AXES: readonly OptionSpec[] = [
  { key: 'activation', kind: { type: 'text', pattern: 'activation names' }, help: 'activation names: relu or a smooth name (cumulant scans: linear, relu, tanh, shaped-relu)' },
  { key: 'cPlus', kind: { type: 'number', min: -1e6, max: 1e6 }, help: 'shaped ReLU-like c+' },
  { key: 'cMinus', kind: { type: 'number', min: -1e6, max: 1e6 }, help: 'shaped ReLU-like c-' },
  { key: 'a', kind: { type: 'number', min: 0, max: 1e6, exclusiveMin: true }, help: 'smooth shaping scale a' },
  { key: 'beta', kind: { type: 'number', min: -1e6, max: 1e6 }, help: 'smooth diagonal drift beta (a = sqrt(beta_1 / beta))' },
  OPTION.T,
  OPTION.n,
  OPTION.rho0,
  OPTION.x0,
];
const AXIS_KEYS = AXES.map((a) => a.key);
const KIND_AXES: Readonly<Record<ScanKind, readonly string[]>> = {
  validation: AXIS_KEYS,
  explosion: ['activation', 'a', 'beta', 'T', 'n', 'x0'],
  cumulant: ['activation', 'T', 'n'],
};

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
  readonly rows: ReadonlyArray<ScanRow>;
}

/** Shard i of k: the points with index % k == i. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parse "i/k" (0 <= i < k). */
export function parseShard(text: string, field = '--shard'): Shard {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : null;
  if (!shard || shard.count < 1 || shard.index >= shard.count) throw new InputError(field, text, 'must be i/k with 0 <= i < k, e.g. 0/4');
  return shard;
}

/**
 * The shard an array job assigns to this process: Slurm's SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN)
 * of SLURM_ARRAY_TASK_COUNT, or Kubernetes' JOB_COMPLETION_INDEX of NCSDE_SHARD_COUNT (the Job's
 * completions); null outside an array job.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Shard | null {
  const int = (name: string): number | null => {
    const v = env[name];
    if (v === undefined) return null;
    if (!/^\d+$/.test(v)) throw new InputError(name, v, 'must be a non-negative integer (an array job variable)');
    return Number(v);
  };
  const task = int('SLURM_ARRAY_TASK_ID');
  const count = int('SLURM_ARRAY_TASK_COUNT');
  if (task !== null && count !== null) {
    const index = task - (int('SLURM_ARRAY_TASK_MIN') ?? 0);
    if (index < 0 || index >= count) throw new InputError('SLURM_ARRAY_TASK_ID', task, `must be in [min, min + ${count}) for an array of ${count} tasks`);
    return { index, count };
  }
  const k8s = int('JOB_COMPLETION_INDEX');
  if (k8s !== null) {
    const total = int('NCSDE_SHARD_COUNT');
    if (total === null) throw new InputError('NCSDE_SHARD_COUNT', undefined, "must be set to the Job's completions when JOB_COMPLETION_INDEX is");
    if (k8s >= total) throw new InputError('JOB_COMPLETION_INDEX', k8s, `must be below NCSDE_SHARD_COUNT (${total})`);
    return { index: k8s, count: total };
  }
  return null;
}

/** `--grid key=v1,v2` flags into a grid; an axis named twice is refused, not overwritten. */
export function gridFromFlags(flags: readonly string[]): Record<string, Array<number | string>> {
  const grid: Record<string, Array<number | string>> = Object.create(null);
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = eq > 0 ? flag.slice(0, eq) : '';
    const axis = AXES.find((a) => a.key === key);
    if (!axis) throw new InputError('--grid', flag, `must be axis=v1,v2,... with an axis among ${AXIS_KEYS.join(', ')}`);
    if (key in grid) throw new InputError('--grid', flag, `names the axis ${key} twice; give its values in one --grid`);
    const values = flag.slice(eq + 1).split(',');
    grid[key] = key === 'activation' ? values : values.map((v) => parseOptionText(axis, v, `--grid ${key}`) as number);
  }
  return grid;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the scan (and the package version): shards of one scan, and only they, share it. */
export function scanHash(scan: ScanConfig): string {
  return createHash('sha256').update(canonical({ scan, version: PACKAGE_VERSION })).digest('hex').slice(0, 16);
}

/**
 * Resolve a scan from its config object ({ kind, base, grid, seed }) with the flag overrides the CLI
 * passes: base options, grid axes and the seed, every value checked by the option it sets.
 */
export function resolveScan(config: Readonly<Record<string, unknown>>, source = '', flags: { base?: Readonly<Record<string, string>>; grid?: Grid; kind?: string; seed?: number } = {}): ScanConfig {
  const where = source ? `${source}: ` : '';
  for (const key of Object.keys(config)) if (!['kind', 'base', 'grid', 'seed'].includes(key)) throw new InputError(`${where}${key}`, config[key], 'is not a scan key (keys: kind, base, grid, seed)');
  const kindText = flags.kind ?? config.kind ?? 'validation';
  if (!SCAN_KINDS.includes(kindText as ScanKind)) throw new InputError(flags.kind !== undefined ? '--kind' : `${where}kind`, kindText, `must be one of ${SCAN_KINDS.join(', ')}`);
  const kind = kindText as ScanKind;
  const specs = KIND_OPTIONS[kind].filter((s) => s.key !== 'seed');
  const baseValues = config.base ?? {};
  const base = readOptions(specs, { config: { values: baseValues as Record<string, unknown>, source: source ? `${source}: base` : 'base' }, flags: flags.base });
  const seedSpec = OPTION.seed;
  const seed = (flags.seed ?? (config.seed === undefined ? seedSpec.default : parseOptionValue(seedSpec, config.seed, `${where}seed`))) as number;
  const rawGrid = { ...((config.grid as Record<string, unknown>) ?? {}) };
  for (const key of Object.keys(flags.grid ?? {})) if (key in rawGrid) throw new InputError('--grid', key, `sets the axis ${key} that the config's grid already sets; give it once`);
  Object.assign(rawGrid, flags.grid ?? {});
  const grid: Record<string, Array<number | string>> = {};
  for (const axis of AXES) {
    if (!(axis.key in rawGrid)) continue;
    const field = flags.grid?.[axis.key] !== undefined ? `--grid ${axis.key}` : `${where}grid.${axis.key}`;
    if (!KIND_AXES[kind].includes(axis.key)) throw new InputError(field, rawGrid[axis.key], `is not an axis of a ${kind} scan (axes: ${KIND_AXES[kind].join(', ')})`);
    const values = rawGrid[axis.key];
    if (!Array.isArray(values) || values.length === 0) throw new InputError(field, values, 'must be a non-empty list of values');
    if (new Set(values).size !== values.length) throw new InputError(field, values, 'must not repeat a value');
    grid[axis.key] = values.map((v, i) => {
      if (axis.key === 'activation') {
        const names: readonly string[] = kind === 'cumulant' ? CUMULANT_ACTIVATIONS : kind === 'explosion' ? SMOOTH_NAMES : ['relu', ...SMOOTH_NAMES];
        if (typeof v !== 'string' || !names.includes(v)) throw new InputError(`${field}[${i}]`, v, `must be one of ${names.join(', ')}`);
        return v;
      }
      return parseOptionValue(axis, v, `${field}[${i}]`) as number;
    });
  }
  for (const key of Object.keys(rawGrid)) if (!AXIS_KEYS.includes(key)) throw new InputError(`${where}grid.${key}`, rawGrid[key], `is not an axis (axes: ${AXIS_KEYS.join(', ')})`);
  if (Object.keys(grid).length === 0) throw new InputError('grid', undefined, 'must have at least one axis (--grid axis=v1,v2 or "grid" in the config)');
  if ('a' in grid && 'beta' in grid) throw new InputError('--grid beta', grid.beta, 'conflicts with the axis a (beta sets a = sqrt(beta_1 / beta)); give one of them');
  const scan: ScanConfig = { kind, base, grid, seed };
  expandGrid(scan); // refuses combinations that do not apply, before anything runs
  return scan;
}

/** The activation spec of a point: the base's, with the grid's activation name and constants applied. */
function pointSpec(kind: ScanKind, baseActivation: string, at: Readonly<Record<string, number | string>>): ActivationSpec | string {
  if (kind === 'cumulant') return (at.activation as string) ?? baseActivation;
  const base = parseActivationSpec(baseActivation);
  let spec: ActivationSpec = base;
  const name = at.activation as string | undefined;
  if (name === 'relu') spec = base.family === 'relu-like' ? base : { family: 'relu-like', cPlus: 0, cMinus: -1 };
  else if (name !== undefined) spec = { family: 'smooth', f: name as (typeof SMOOTH_NAMES)[number], a: base.family === 'smooth' ? base.a : 1 };
  for (const key of ['cPlus', 'cMinus'] as const) {
    if (at[key] === undefined) continue;
    if (spec.family !== 'relu-like') throw new InputError(`--grid ${key}`, at[key], `applies to ReLU-like activations, not to ${activationLabel(spec)}`);
    spec = { ...spec, [key]: at[key] as number };
  }
  if (at.a !== undefined) {
    if (spec.family !== 'smooth') throw new InputError('--grid a', at.a, `applies to smooth activations, not to ${activationLabel(spec)}`);
    spec = { ...spec, a: at.a as number };
  }
  if (at.beta !== undefined) {
    if (spec.family !== 'smooth') throw new InputError('--grid beta', at.beta, `applies to smooth activations, not to ${activationLabel(spec)}`);
    spec = { ...spec, a: smoothScaleForBeta(spec.f, at.beta as number, '--grid beta') };
  }
  return spec;
}

/** The grid's points in a fixed order (axes in AXES order, the last varying fastest). */
export function expandGrid(scan: ScanConfig): ScanPoint[] {
  const axes = AXES.filter((a) => a.key in scan.grid).map((a) => a.key);
  const points: ScanPoint[] = [];
  const at: Record<string, number | string> = {};
  const walk = (depth: number) => {
    if (depth === axes.length) {
      const spec = pointSpec(scan.kind, scan.base.activation as string, at);
      const settings: Record<string, unknown> = { ...scan.base, seed: scan.seed, activation: typeof spec === 'string' ? spec : activationLabel(spec) };
      for (const key of ['T', 'n', 'rho0', 'x0']) if (at[key] !== undefined) settings[key] = at[key];
      points.push({ index: points.length, at: { ...at }, settings });
      return;
    }
    for (const value of scan.grid[axes[depth]]) {
      at[axes[depth]] = value;
      walk(depth + 1);
    }
    delete at[axes[depth]];
  };
  walk(0);
  if (points.length > 1e6) throw new InputError('grid', `${points.length} points`, 'must have at most 1e6 points');
  return points;
}

const finiteOr = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** Compute one point's row (flat cells: numbers, strings, booleans or null with a note saying why). */
export async function runScanPoint(kind: ScanKind, point: ScanPoint, options: { threads?: number } = {}): Promise<ScanRow> {
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
  if (kind === 'validation') {
    const s = point.settings as unknown as PointSettings;
    row.activation_spec = s.activation;
    const r = await runPoint(s, { threads: options.threads, resamples: 1000 });
    // An axis value is never overwritten (beta recomputed from a would differ in the last bits).
    row.beta ??= r.activation.beta;
    put('sde_exploded', r.explosion.sde);
    put('net_exploded', r.explosion.network);
    let disagree = Math.abs(r.explosion.difference.z) > 3.29;
    for (const name of ['rho', 'logVaa'] as const) {
      const c = r.comparisons[name];
      if (isMissing(c)) {
        put(`${name}_mean_z`, c);
        continue;
      }
      row[`${name}_net_mean`] = finiteOr(c.mean.network.value);
      row[`${name}_sde_mean`] = finiteOr(c.mean.sde.value);
      put(`${name}_mean_diff`, c.mean.difference);
      row[`${name}_mean_z`] = finiteOr(c.mean.z);
      row[`${name}_var_z`] = finiteOr(c.variance.z);
      row[`${name}_ks`] = c.ks.statistic;
      row[`${name}_ks_p`] = c.ks.pValue;
      put(`${name}_energy`, c.energyDistance);
      // 99.9% two-sided on either z, or KS p below 0.001: a disagreement at the stated level.
      disagree ||= Math.abs(c.mean.z) > 3.29 || Math.abs(c.variance.z) > 3.29 || c.ks.pValue < 1e-3;
    }
    const kurt = r.theory[2];
    row.kurtosis_exact = finiteOr(kurt.exact);
    row.kurtosis_limit = finiteOr(kurt.limit);
    put('kurtosis_net', kurt.network);
    row.kurtosis_net_z = finiteOr(kurt.networkZ);
    row.disagree = disagree;
  } else if (kind === 'explosion') {
    const r = await runExplosionPoint(point.settings as unknown as ExplosionSettings, options);
    row.activation_spec = r.settings.activation;
    row.beta ??= r.criterion.beta;
    row.p_limit = r.criterion.explosionProbability;
    row.p_exact = r.exact;
    put('p_sde', r.sde);
    put('p_net', r.network);
    put('p_diff', r.difference);
    row.p_diff_p = r.difference.pValue;
    put('sde_time', r.sdeTime);
    put('net_time', r.networkTime);
  } else {
    const s = point.settings as { activation: CumulantActivation; n: number; T: number; samples: number; seed: number };
    const activation = cumulantActivation(s.activation);
    const L = Math.max(1, Math.round(s.T * s.n));
    const m = await measureCumulants({ activation, n: s.n, layers: [L], samples: s.samples, seed: s.seed, threads: options.threads, resamples: 1000, streamTag: `point=${point.index}` });
    const theory = cumulantTheory(activation.spec!, activation, s.n, [L]);
    row.L = L;
    row.theory = finiteOr(theory.values[0]);
    row.theory_kind = theory.kind;
    row.limit = finiteOr(theory.limits[0]);
    put('direct', m.output[0]);
    if (m.pooled) {
      put('pooled', m.pooled[0]);
      row.pooled_z = theory.values[0] === null || !(m.pooled[0].se > 0) ? null : finiteOr((m.pooled[0].value - theory.values[0]) / m.pooled[0].se);
    } else notes.push('pooled: no product structure (the layer factors are not i.i.d. for this activation)');
    put('derivative', m.derivative[0]);
  }
  row.notes = notes.join('; ');
  return row;
}

interface JsonlHeader {
  readonly schema: typeof SCAN_SCHEMA;
  readonly version: string;
  readonly hash: string;
  readonly scan: ScanConfig;
  readonly points: number;
  readonly shard: Shard;
}

/** The file stem of a shard's progress file (and lock). */
export function shardStem(shard: Shard): string {
  return shard.count > 1 ? `scan.shard-${shard.index}-of-${shard.count}` : 'scan';
}

/**
 * Read a progress file: the header and every complete row. A last line cut short by a kill is reported
 * (its byte offset) so that the writer can cut it off before appending.
 */
export function readProgress(file: string): { header: JsonlHeader; rows: Map<number, ScanRow>; goodBytes: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, (e as NodeJS.ErrnoException).code ?? String(e), 'cannot be read');
  }
  const firstBreak = text.indexOf('\n');
  let header: JsonlHeader;
  try {
    header = JSON.parse(firstBreak < 0 ? text : text.slice(0, firstBreak)) as JsonlHeader;
  } catch {
    throw new InputError(file, text.slice(0, 40), `is not a scan progress file (its first line is not a ${SCAN_SCHEMA} header)`);
  }
  if (header?.schema !== SCAN_SCHEMA) throw new InputError(file, header?.schema, `is not a ${SCAN_SCHEMA} progress file`);
  const rows = new Map<number, ScanRow>();
  let offset = firstBreak + 1;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break; // torn tail
    try {
      const { index, row } = JSON.parse(text.slice(offset, end)) as { index: number; row: ScanRow };
      if (!rows.has(index)) rows.set(index, row);
    } catch {
      break; // a damaged line: it and what follows are recomputed
    }
    offset = end + 1;
  }
  return { header, rows, goodBytes: Buffer.byteLength(text.slice(0, Math.min(offset, text.length))) };
}

/** Extra files a caller renders from a finished scan (the CLI adds report.html). */
export type ScanRenderer = (result: ScanResult) => Promise<ReadonlyArray<readonly [string, string]>>;

function sortRows(rows: Map<number, ScanRow>, indices: readonly number[]): ScanRow[] {
  return [...indices].sort((a, b) => a - b).map((i) => rows.get(i)!);
}

/** Run a scan (or one shard of it) in `outDir`, resuming from its progress file there. */
export async function runScan(
  scan: ScanConfig,
  options: { outDir: string; field?: string; shard?: Shard; threads?: number; onPoint?: (done: number, total: number) => void; render?: ScanRenderer },
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
    const header: JsonlHeader = { schema: SCAN_SCHEMA, version: PACKAGE_VERSION, hash, scan, points: points.length, shard };
    let done = new Map<number, ScanRow>();
    if (existsSync(file)) {
      const previous = readProgress(file);
      if (previous.header.hash !== hash) throw new OutputError(field, options.outDir, `holds ${shardStem(shard)}.jsonl of a different scan (hash ${previous.header.hash}, this one ${hash}); use another directory`);
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
    const result: ScanResult = { schema: SCAN_SCHEMA, version: PACKAGE_VERSION, hash, scan, points: points.length, rows: sortRows(done, mine.map((p) => p.index)) };
    if (shard.count === 1) await writeScanOutputs(options.outDir, result, options.render);
    return result;
  } finally {
    lock.release();
  }
}

/** The progress files of a directory: scan.jsonl or its shards. */
export function progressFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new InputError(dir, 'missing', 'is not a directory');
  return readdirSync(dir)
    .filter((f) => /^scan(\.shard-\d+-of-\d+)?\.jsonl$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Merge shard progress files into `outDir`/scan.{csv,json} (and rendered files): refused in one line when
 * a point is missing or appears twice, or when files come from different scans.
 */
export async function mergeScanShards(files: readonly string[], outDir: string, options: { field?: string; render?: ScanRenderer } = {}): Promise<ScanResult> {
  if (files.length === 0) throw new InputError('files', files, 'must name at least one shard progress file (scan.shard-i-of-k.jsonl)');
  const parsed = files.map((f) => ({ file: f, ...readProgress(f) }));
  const first = parsed[0];
  for (const p of parsed) {
    if (p.header.hash !== first.header.hash) throw new InputError(p.file, p.header.hash, `comes from a different scan than ${first.file} (hash ${first.header.hash})`);
  }
  const rows = new Map<number, ScanRow>();
  const from = new Map<number, string>();
  for (const p of parsed) {
    for (const [index, row] of p.rows) {
      if (rows.has(index)) throw new InputError(p.file, index, `holds point ${index}, which ${from.get(index)} holds too (the same shard given twice?)`);
      rows.set(index, row);
      from.set(index, p.file);
    }
  }
  const total = first.header.points;
  const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !rows.has(i));
  if (missing.length) {
    throw new InputError('shards', `${missing.length} of ${total}`, `miss point${missing.length > 1 ? 's' : ''} ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}; run the remaining shards first`);
  }
  const result: ScanResult = { schema: SCAN_SCHEMA, version: first.header.version, hash: first.header.hash, scan: first.header.scan, points: total, rows: sortRows(rows, [...rows.keys()]) };
  // The output directory is touched only once every input has been checked.
  prepareOutputDir(options.field ?? '--out', outDir);
  await writeScanOutputs(outDir, result, options.render);
  return result;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The scan's CSV: one column per key in order of first appearance, notes last; a missing value is an empty cell. */
export function scanCsv(result: ScanResult): string {
  const columns: string[] = [];
  for (const row of result.rows) for (const key of Object.keys(row)) if (key !== 'notes' && !columns.includes(key)) columns.push(key);
  if (result.rows.some((row) => 'notes' in row)) columns.push('notes');
  return [columns.join(','), ...result.rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\n') + '\n';
}

async function writeScanOutputs(outDir: string, result: ScanResult, render?: ScanRenderer): Promise<void> {
  const extra = render ? await render(result) : [];
  writeFileAtomic(join(outDir, 'scan.csv'), scanCsv(result));
  writeFileAtomic(join(outDir, 'scan.json'), JSON.stringify(result, null, 1) + '\n');
  for (const [name, content] of extra) writeFileAtomic(join(outDir, name), content);
}

/** The finished result saved in a directory's scan.json (for `scan report`). */
export function readScanResult(dir: string): ScanResult {
  const file = join(dir, 'scan.json');
  if (!existsSync(file)) throw new InputError(dir, 'no scan.json', 'holds no finished scan (run it to the end, or merge its shards, first)');
  let result: ScanResult;
  try {
    result = JSON.parse(readFileSync(file, 'utf8')) as ScanResult;
  } catch (e) {
    throw new InputError(file, (e as Error).message, 'is not valid JSON');
  }
  if (result?.schema !== SCAN_SCHEMA) throw new InputError(file, result?.schema, `is not a ${SCAN_SCHEMA} result`);
  return result;
}
