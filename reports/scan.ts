// The scan report (report.html beside scan.csv and scan.json): a heatmap per statistic over two grid
// axes, small multiples over the other axes, the closed form 1 - exp(-beta X0) drawn as level curves
// over the explosion heatmaps, disagreements of the validation scan marked, and every value with its
// interval in a table. A scan with one varying axis gets line plots instead.
import { InputError } from '../src/errors.js';
import { smoothBeta, SMOOTH_FUNCTIONS, parseActivationSpec } from '../src/activations/index.js';
import {
  AXES,
  describeScanColumn,
  scanColumns,
  scanKind,
  SCAN_KIND_NAMES,
  SCAN_KIND_TABLE,
  type ScanResult,
  type ScanRow,
} from '../validation/scan.js';
import { escapeHtml, fmt, htmlPage, htmlTable } from './page.js';
import { heatmapSpec, renderSvg, seriesSpec, type HeatCell } from './plots.js';
import { exp, expm1, log as ln } from '../src/math/index.js';

/** The statistics drawn by default for each kind of scan. */
export const DEFAULT_STATS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  SCAN_KIND_NAMES.map((k) => [k, SCAN_KIND_TABLE[k].report.defaultStats]),
);

const DIVERGING = new Set([
  'rho_mean_z',
  'logVaa_mean_z',
  'rho_var_z',
  'logVaa_var_z',
  'p_diff',
  'pooled_z',
  'explode_diff',
]);
const LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9];

function axisValues(result: ScanResult): Array<{ key: string; values: Array<number | string> }> {
  return AXES.filter((a) => a.key in result.scan.grid).map((a) => ({
    key: a.key,
    values: [...result.scan.grid[a.key]],
  }));
}

function isLogAxis(key: string, values: ReadonlyArray<number | string>): boolean {
  const nums = values as number[];
  if (!nums.every((v) => typeof v === 'number' && v > 0)) return false;
  return key === 'n' || Math.max(...nums) / Math.min(...nums) >= 10;
}

/** Cell edges: midpoints between neighbouring grid values (geometric on a log axis), extended at the ends. */
function edges(values: readonly number[], log: boolean): Array<[number, number]> {
  const v = [...values].sort((a, b) => a - b);
  const t = (x: number) => (log ? ln(x) : x);
  const u = (x: number) => (log ? exp(x) : x);
  return v.map((x, i) => {
    const left = i > 0 ? (t(v[i - 1]) + t(x)) / 2 : t(x) - (v.length > 1 ? (t(v[1]) - t(v[0])) / 2 : 0.5);
    const right =
      i < v.length - 1
        ? (t(x) + t(v[i + 1])) / 2
        : t(x) + (v.length > 1 ? (t(v[v.length - 1]) - t(v[v.length - 2])) / 2 : 0.5);
    return [u(left), u(right)];
  });
}

/** Level sets of f over a rectangle by marching squares: segments of each level, as two-point curves. */
function levelCurves(
  f: (x: number, y: number) => number,
  xr: [number, number],
  yr: [number, number],
  xLog: boolean,
  yLog: boolean,
): Array<{ label: string; points: Array<{ x: number; y: number }> }> {
  const N = 80;
  const map = (lo: number, hi: number, log: boolean, i: number) =>
    log ? exp(ln(lo) + ((ln(hi) - ln(lo)) * i) / N) : lo + ((hi - lo) * i) / N;
  const xs = Array.from({ length: N + 1 }, (_, i) => map(xr[0], xr[1], xLog, i));
  const ys = Array.from({ length: N + 1 }, (_, j) => map(yr[0], yr[1], yLog, j));
  const out: Array<{ label: string; points: Array<{ x: number; y: number }> }> = [];
  for (const level of LEVELS) {
    // The closed form is monotone in each of beta (a) and X0, so a level set meets each grid row (or,
    // when it does not depend on x, each column) once: the crossings in order trace the curve.
    const alongX: Array<{ x: number; y: number }> = [];
    const alongY: Array<{ x: number; y: number }> = [];
    for (let j = 0; j <= N; j++) {
      for (let i = 0; i < N; i++) {
        const a = f(xs[i], ys[j]) - level;
        const b = f(xs[i + 1], ys[j]) - level;
        if (a * b < 0) alongX.push({ x: xs[i] + ((xs[i + 1] - xs[i]) * a) / (a - b), y: ys[j] });
        const c = f(xs[j], ys[i]) - level;
        const d = f(xs[j], ys[i + 1]) - level;
        if (c * d < 0) alongY.push({ x: xs[j], y: ys[i] + ((ys[i + 1] - ys[i]) * c) / (c - d) });
      }
    }
    const points = alongX.length >= alongY.length ? alongX : alongY;
    if (points.length >= 2) out.push({ label: `${level}`, points });
  }
  return out;
}

/** 1 - exp(-beta X0) as a function of the two plotted axes, when it depends on them; else null. */
function closedForm(
  result: ScanResult,
  xKey: string,
  yKey: string,
  fixed: Readonly<Record<string, number | string>>,
): ((x: number, y: number) => number) | null {
  const base = result.scan.base;
  const valueAt = (key: string, x: number, y: number): number | string | undefined =>
    key === xKey ? x : key === yKey ? y : (fixed[key] ?? (base[key] as number | undefined));
  const uses = [xKey, yKey].some((k) => k === 'beta' || k === 'a' || k === 'x0');
  if (!uses) return null;
  return (x, y) => {
    const name = (valueAt('activation', x, y) as string | undefined) ?? undefined;
    const spec = parseActivationSpec(base.activation as string);
    const f =
      name && name in SMOOTH_FUNCTIONS
        ? SMOOTH_FUNCTIONS[name as keyof typeof SMOOTH_FUNCTIONS]
        : spec.family === 'smooth'
          ? SMOOTH_FUNCTIONS[spec.f]
          : null;
    if (!f) return NaN;
    // The level curves are drawn on a grid that may reach past the scanned values (a <= 0): no activation there.
    const a = (valueAt('a', x, y) as number | undefined) ?? (spec.family === 'smooth' ? spec.a : 1);
    if (!(a > 0)) return NaN;
    const beta =
      xKey === 'beta' || yKey === 'beta' ? (valueAt('beta', x, y) as number) : smoothBeta(f.fpp0, f.fppp0, a);
    const x0 = valueAt('x0', x, y) as number;
    return beta > 0 ? -expm1(-beta * x0) : 0;
  };
}

function cellText(row: ScanRow, key: string): string {
  const v = row[key];
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  const lo = row[`${key}_lo`];
  const hi = row[`${key}_hi`];
  const se = row[`${key}_se`];
  if (typeof lo === 'number' && typeof hi === 'number') return `${fmt(v, 4)} [${fmt(lo, 3)}, ${fmt(hi, 3)}]`;
  if (typeof se === 'number') return `${fmt(v, 4)} ± ${fmt(se, 2)}`;
  return fmt(v, 4);
}

/** Which columns to draw as heatmaps and on which axes (defaults by scan kind). */
export interface ScanReportOptions {
  readonly stats?: readonly string[];
  readonly x?: string;
  readonly y?: string;
}

/** A scan's report page: heatmaps of the chosen columns over two axes (small multiples over the rest) and the table. */
export async function scanHtml(result: ScanResult, options: ScanReportOptions = {}): Promise<string> {
  const kind = result.scan.kind;
  const look = scanKind(kind, 'scan.json: scan.kind').report;
  const stats = options.stats ?? look.defaultStats;
  const columns = new Set(result.rows.flatMap((r) => Object.keys(r)));
  for (const s of stats)
    if (!columns.has(s))
      throw new InputError('--stats', s, `is not a column of this scan (columns: ${[...columns].join(', ')})`);
  const axes = axisValues(result);
  const varying = axes.filter((a) => a.values.length > 1 && a.key !== 'activation');
  for (const [flag, key] of [
    ['--x', options.x],
    ['--y', options.y],
  ] as const) {
    if (key !== undefined && !varying.some((a) => a.key === key))
      throw new InputError(
        flag,
        key,
        `must be a numeric axis with several values (${varying.map((a) => a.key).join(', ') || 'none'})`,
      );
  }
  const xKey = options.x ?? varying.find((a) => a.key !== options.y)?.key;
  const yKey = options.y ?? varying.find((a) => a.key !== xKey)?.key;
  const panels: string[] = [];
  const facetAxes = axes.filter((a) => a.key !== xKey && a.key !== yKey && a.values.length > 1);
  const combos = facetAxes.reduce<Array<Record<string, number | string>>>(
    (acc, a) => acc.flatMap((c) => a.values.map((v) => ({ ...c, [a.key]: v }))),
    [{}],
  );
  if (combos.length > 48)
    throw new InputError(
      '--x',
      xKey,
      `leaves ${combos.length} panels per statistic (more than 48); choose --x and --y among the axes with most values`,
    );
  const matches = (row: ScanRow, fixed: Record<string, number | string>) =>
    Object.entries(fixed).every(([k, v]) => row[k] === v);
  for (const stat of stats) {
    for (const fixed of combos) {
      const rows = result.rows.filter((r) => matches(r, fixed));
      const where = Object.entries(fixed)
        .map(([k, v]) => `${k} = ${v}`)
        .join(', ');
      const title = `${describeScanColumn(kind, stat) ?? stat}${where ? ` (${where})` : ''}`;
      if (xKey && yKey) {
        const xAxis = axes.find((a) => a.key === xKey)!;
        const yAxis = axes.find((a) => a.key === yKey)!;
        const xLog = isLogAxis(xKey, xAxis.values);
        const yLog = isLogAxis(yKey, yAxis.values);
        const xEdges = edges(xAxis.values as number[], xLog);
        const yEdges = edges(yAxis.values as number[], yLog);
        const sortedX = [...(xAxis.values as number[])].sort((a, b) => a - b);
        const sortedY = [...(yAxis.values as number[])].sort((a, b) => a - b);
        const cells: HeatCell[] = rows.map((r) => {
          const xi = sortedX.indexOf(r[xKey] as number);
          const yi = sortedY.indexOf(r[yKey] as number);
          const v = r[stat];
          return {
            x: r[xKey] as number,
            y: r[yKey] as number,
            x0: xEdges[xi][0],
            x1: xEdges[xi][1],
            y0: yEdges[yi][0],
            y1: yEdges[yi][1],
            value: typeof v === 'number' ? v : null,
            flagged: r.disagree === true,
          };
        });
        const form = look.closedFormStats?.includes(stat) ? closedForm(result, xKey, yKey, fixed) : null;
        const curves = form
          ? levelCurves(
              form,
              [xEdges[0][0], xEdges[xEdges.length - 1][1]],
              [yEdges[0][0], yEdges[yEdges.length - 1][1]],
              xLog,
              yLog,
            )
          : undefined;
        const diverging = DIVERGING.has(stat);
        panels.push(
          await renderSvg(
            heatmapSpec({
              title:
                title +
                (look.flagged
                  ? look.flagged.title
                  : curves && curves.length > 0
                    ? ' (dashed: 1 - exp(-beta X0), its T -> infinity limit)'
                    : ''),
              x: { title: xKey, log: xLog },
              y: { title: yKey, log: yLog },
              color: {
                title: stat,
                diverging,
                domain: stat.startsWith('p_') && stat !== 'p_diff' ? [0, 1] : undefined,
              },
              cells,
              curves,
            }),
          ),
        );
      } else if (xKey) {
        panels.push(
          await renderSvg(
            seriesSpec({
              title,
              x: xKey,
              y: stat,
              logX: isLogAxis(xKey, axes.find((a) => a.key === xKey)!.values),
              points: rows.flatMap((r) => {
                const v = r[stat];
                if (typeof v !== 'number') return [];
                const lo = r[`${stat}_lo`];
                const hi = r[`${stat}_hi`];
                const se = r[`${stat}_se`];
                const bars =
                  typeof lo === 'number' && typeof hi === 'number'
                    ? { lo, hi }
                    : typeof se === 'number'
                      ? { lo: v - 1.96 * se, hi: v + 1.96 * se }
                      : {};
                return [{ x: r[xKey] as number, y: v, ...bars, series: String(r.activation ?? stat) }];
              }),
            }),
          ),
        );
      }
    }
  }
  const axisKeys = axes.map((a) => a.key);
  const header = ['index', ...axisKeys, ...stats, 'notes'];
  const body = result.rows.map((r) => [
    String(r.index),
    ...axisKeys.map((k) => cellText(r, k)),
    ...stats.map((s) => cellText(r, s)),
    String(r.notes ?? ''),
  ]);
  const threshold = result.scan.base.threshold;
  const intro =
    `A ${kind} scan of ${result.points} points over ${axes.map((a) => `${a.key} (${a.values.length})`).join(', ')}; seed ${result.scan.seed}, scan hash ${result.hash}, ` +
    `${result.version}. Every point uses the scan's seed (common random numbers across the grid). Intervals: 95%; proportions by Wilson, their difference by Newcombe. ` +
    (typeof threshold === 'number'
      ? `Explosion is V^aa crossing the threshold ${threshold} * x0 (in units of the largest input variance), the same on both sides. `
      : '') +
    (look.flagged?.note ?? '');
  // scan.json describes its columns; one written before it did gets them from this version.
  const described = result.columns ?? scanColumns(kind, result.rows);
  return htmlPage(`Scan: ${kind}`, intro, [
    {
      heading: 'Maps',
      html: panels.length
        ? `<div class="plots">${panels.join('\n')}</div>`
        : `<p>${escapeHtml('No axis has more than one value: see the table.')}</p>`,
    },
    { heading: 'Values', html: htmlTable(header, body) },
    {
      heading: 'Columns (scan.csv, scan.json)',
      html: htmlTable(
        ['column', 'what it holds'],
        Object.entries(described).map(([name, text]) => [name, text]),
      ),
    },
  ]);
}
