// Plots as vega-lite specifications rendered to SVG on the server (vega's headless view), so the
// HTML report is self-contained and opens offline. vega and vega-lite are imported on the first render
// only: nothing else in the package loads them. Each function takes report data, not samples.
import { createHash } from 'node:crypto';
import type { TopLevelSpec } from 'vega-lite';
import type { Histogram, PathBundle } from '../validation/validate.js';
import type { WidthStudy } from '../validation/widths.js';
import { isMissing } from '../validation/point.js';
import { pow } from '../src/math/index.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** A vega-lite (v6) specification as plain JSON. The public type of every plot, so that the package's
 *  .d.ts never pulls in vega-lite's own types (which fail under exactOptionalPropertyTypes); each spec
 *  is still checked against vega-lite's types where it is written, through `plot`. */
export interface PlotSpec {
  readonly $schema: string;
  readonly [key: string]: unknown;
}

function plot(spec: TopLevelSpec): PlotSpec {
  return spec as unknown as PlotSpec;
}

const SIDES = { domain: ['SDE', 'network'], range: ['#1f77b4', '#d62728'] };

let engines: Promise<{ vega: typeof import('vega'); vl: typeof import('vega-lite') }> | null = null;

/**
 * Render a vega-lite spec to an SVG string (loads vega on first use). vega numbers gradient and clip ids
 * with a counter that runs across the process, so the same plot would differ by what was drawn before;
 * ids are renamed from a hash of the spec instead: the same spec gives the same bytes in any process,
 * and different plots inlined in one page keep distinct ids.
 */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  engines ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  const { vega, vl } = await engines;
  const view = new vega.View(vega.parse(vl.compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return stableIds(await view.toSVG(), createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 10));
  } finally {
    view.finalize();
  }
}

function stableIds(svg: string, prefix: string): string {
  const ids = [...new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))];
  let out = svg;
  ids.forEach((id, k) => {
    const fresh = `p${prefix}-${k}`;
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`(\\sid=")${escaped}(")`, 'g'), `$1${fresh}$2`)
      .replace(new RegExp(`(url\\(#|href="#)${escaped}([)"])`, 'g'), `$1${fresh}$2`);
  });
  return out;
}

/** A vega-lite spec of a histogram of one observable, network against SDE. */
export function histogramSpec(h: Histogram, label: string): PlotSpec {
  const values = h.sde.flatMap((d, k) => [
    { x0: h.edges[k], x1: h.edges[k + 1], density: d, side: 'SDE' },
    { x0: h.edges[k], x1: h.edges[k + 1], density: h.network[k], side: 'network' },
  ]);
  return plot({
    $schema: SCHEMA,
    title: `Distribution of ${label} at T`,
    width: 360,
    height: 220,
    data: { values },
    mark: { type: 'rect', opacity: 0.45 },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: label, scale: { zero: false } },
      x2: { field: 'x1' },
      y: { field: 'density', type: 'quantitative', title: 'density', stack: null },
      color: { field: 'side', type: 'nominal', scale: SIDES, title: null },
    },
  });
}

/** A vega-lite QQ plot of network quantiles against SDE quantiles. */
export function qqSpec(qq: ReadonlyArray<{ p: number; network: number; sde: number }>, label: string): PlotSpec {
  const lo = Math.min(...qq.map((q) => Math.min(q.network, q.sde)));
  const hi = Math.max(...qq.map((q) => Math.max(q.network, q.sde)));
  return plot({
    $schema: SCHEMA,
    title: `QQ plot of ${label}: network against SDE`,
    width: 260,
    height: 260,
    layer: [
      {
        data: {
          values: [
            { x: lo, y: lo },
            { x: hi, y: hi },
          ],
        },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: qq.map((q) => ({ sde: q.sde, network: q.network, p: q.p })) },
        mark: { type: 'point', filled: true, size: 18, color: '#d62728' },
        encoding: {
          x: { field: 'sde', type: 'quantitative', title: `SDE quantile of ${label}`, scale: { zero: false } },
          y: { field: 'network', type: 'quantitative', title: `network quantile of ${label}`, scale: { zero: false } },
        },
      },
    ],
  });
}

/**
 * Energy distance against width on a log x axis that spans the widths, a symmetric-log y axis (so
 * distances that are zero or negative within their noise show, with error bars whole) and the fitted
 * power law drawn over the widths.
 */
export function convergenceSpec(study: WidthStudy, label: string): PlotSpec {
  const levels = study.levels.flatMap((l) =>
    isMissing(l.energyDistance)
      ? []
      : [
          {
            n: l.n,
            e: l.energyDistance.value,
            lo: l.energyDistance.value - 2 * l.energyDistance.se,
            hi: l.energyDistance.value + 2 * l.energyDistance.se,
          },
        ],
  );
  const ns = levels.map((l) => l.n);
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  const rate = isMissing(study.rate) ? null : study.rate;
  const curve = rate
    ? Array.from({ length: 40 }, (_, i) => lo * pow(hi / lo, i / 39)).map((n) => ({
        n,
        e: rate.coefficient * pow(n, -rate.exponent),
      }))
    : [];
  // The symlog constant: the typical error bar, so the linear zone holds the noise and above it is logarithmic.
  const constant = Math.max(1e-12, levels.reduce((s, l) => s + (l.hi - l.lo) / 4, 0) / Math.max(1, levels.length));
  const x = {
    field: 'n',
    type: 'quantitative' as const,
    title: 'width n (depth T n)',
    scale: { type: 'log' as const, domain: [lo, hi], nice: false },
  };
  const y = { type: 'quantitative' as const, scale: { type: 'symlog' as const, constant } };
  return plot({
    $schema: SCHEMA,
    title: `Energy distance of ${label}, network at width n against the SDE${rate ? `: ~ n^-${rate.exponent.toFixed(2)} [${rate.lower.toFixed(2)}, ${rate.upper.toFixed(2)}]${study.uninformative ? ' (uninformative)' : ''}` : ''}`,
    width: 360,
    height: 220,
    layer: [
      {
        data: {
          values: [
            { n: lo, zero: 0 },
            { n: hi, zero: 0 },
          ],
        },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x, y: { ...y, field: 'zero' } },
      },
      {
        data: { values: levels },
        mark: { type: 'rule', color: '#d62728' },
        encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
      },
      {
        data: { values: levels },
        mark: { type: 'point', filled: true, color: '#d62728' },
        encoding: { x, y: { ...y, field: 'e', title: 'energy distance (bars: +-2 SE; dashed: 0)' } },
      },
      ...(curve.length
        ? [
            {
              data: { values: curve },
              mark: { type: 'line' as const, color: '#1f77b4' },
              encoding: { x, y: { ...y, field: 'e' } },
            },
          ]
        : []),
    ],
  });
}

/** A vega-lite spec of sample paths of an observable against t, SDE and networks side by side. */
export function pathsSpec(sde: PathBundle, network: PathBundle, label: string): PlotSpec {
  const band = (b: PathBundle, side: string) =>
    b.ts.map((t, k) => ({ t, q10: b.q10[k], q50: b.q50[k], q90: b.q90[k], side }));
  const lines = (b: PathBundle, side: string) =>
    b.examples.flatMap((row, i) => row.map((y, k) => ({ t: b.ts[k], y, path: `${side}-${i}`, side })));
  const x = { field: 't', type: 'quantitative' as const, title: 't = l / n' };
  return plot({
    $schema: SCHEMA,
    title: `Paths of ${label}: examples, median and 10-90% band`,
    width: 420,
    height: 240,
    layer: [
      {
        data: { values: [...band(sde, 'SDE'), ...band(network, 'network')] },
        mark: { type: 'area', opacity: 0.15 },
        encoding: {
          x,
          y: { field: 'q10', type: 'quantitative', title: label },
          y2: { field: 'q90' },
          color: { field: 'side', type: 'nominal', scale: SIDES, title: null },
        },
      },
      {
        data: { values: [...lines(sde, 'SDE'), ...lines(network, 'network')] },
        mark: { type: 'line', opacity: 0.35, strokeWidth: 1 },
        encoding: {
          x,
          y: { field: 'y', type: 'quantitative' },
          detail: { field: 'path' },
          color: { field: 'side', type: 'nominal', scale: SIDES, title: null },
        },
      },
      {
        data: { values: [...band(sde, 'SDE'), ...band(network, 'network')] },
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          x,
          y: { field: 'q50', type: 'quantitative' },
          color: { field: 'side', type: 'nominal', scale: SIDES, title: null },
        },
      },
    ],
  });
}

/**
 * A generic x-y chart with error bars and several series. A log axis is used only when every value and
 * every bar end is positive; otherwise it becomes a symmetric-log axis, so bars are always drawn whole.
 */
export function seriesSpec(options: {
  title: string;
  x: string;
  y: string;
  points: ReadonlyArray<{ x: number; y: number; lo?: number; hi?: number; series: string }>;
  logX?: boolean;
  logY?: boolean;
  /** Which series are joined by lines: all (true, the default), none (false), or the named ones (the
   *  others are drawn as points only). */
  lines?: boolean | readonly string[];
}): PlotSpec {
  const ys = options.points.flatMap((p) => [
    p.y,
    ...(p.lo !== undefined ? [p.lo] : []),
    ...(p.hi !== undefined ? [p.hi] : []),
  ]);
  const xs = options.points.map((p) => p.x);
  const yLog = options.logY && ys.every((v) => v > 0);
  // `zero` only means something on a linear scale (vega warns when it is set on a log one).
  const xScale =
    options.logX && xs.every((v) => v > 0)
      ? { type: 'log' as const, domain: [Math.min(...xs), Math.max(...xs)], nice: false }
      : { type: 'linear' as const, zero: false };
  const yScale = yLog
    ? { type: 'log' as const, domain: [Math.min(...ys), Math.max(...ys)], nice: false }
    : options.logY
      ? { type: 'symlog' as const }
      : { type: 'linear' as const, zero: false };
  const withBars = options.points.filter((p) => p.lo !== undefined && p.hi !== undefined);
  const { color, shape } = seriesStyle(options.points.map((p) => p.series));
  const lined =
    options.lines === false ? [] : options.lines === undefined || options.lines === true ? null : options.lines;
  const linePoints = lined === null ? options.points : options.points.filter((p) => lined.includes(p.series));
  const x = { field: 'x', type: 'quantitative' as const, title: options.x, scale: xScale };
  const y = { field: 'y', type: 'quantitative' as const, title: options.y, scale: yScale };
  return plot({
    $schema: SCHEMA,
    title: options.title,
    width: 420,
    height: 240,
    layer: [
      ...(withBars.length
        ? [
            {
              data: { values: withBars as object[] },
              mark: { type: 'rule' as const },
              encoding: {
                x: { field: 'x', type: 'quantitative' as const, scale: xScale },
                y: { field: 'lo', type: 'quantitative' as const, scale: yScale },
                y2: { field: 'hi' },
                color,
              },
            },
          ]
        : []),
      ...(linePoints.length
        ? [{ data: { values: linePoints as object[] }, mark: { type: 'line' as const }, encoding: { x, y, color } }]
        : []),
      {
        data: { values: options.points as object[] },
        mark: { type: 'point' as const, filled: true },
        encoding: { x, y, color, shape },
      },
    ],
  });
}

/** Distinct colours (tableau10 up to 10 series, category20 beyond) and shapes (8, cycling independently
 *  of the 20 colours, so that up to 40 series differ in colour or shape): series never share a style
 *  just because there are more than 10 of them. */
export function seriesStyle(series: readonly string[]) {
  const domain = [...new Set(series)];
  const scheme = domain.length > 10 ? 'category20' : 'tableau10';
  return {
    color: { field: 'series', type: 'nominal' as const, title: null, scale: { domain, scheme } },
    shape: { field: 'series', type: 'nominal' as const, title: null, scale: { domain, range: SHAPES } },
  };
}

const SHAPES = [
  'circle',
  'square',
  'triangle-up',
  'diamond',
  'cross',
  'triangle-down',
  'triangle-left',
  'triangle-right',
];

/** One heatmap cell: its centre, its edges, its value (null: not computed) and whether it is flagged. */
export interface HeatCell {
  readonly x: number;
  readonly y: number;
  /** Cell edges on each axis (midpoints between grid values, in the axis's scale). */
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly value: number | null;
  /** Mark the cell (the validation scan's disagreements). */
  readonly flagged?: boolean;
}

/** A heatmap over two quantitative axes, with optional level curves and flagged cells drawn on top. */
export function heatmapSpec(options: {
  title: string;
  x: { title: string; log: boolean };
  y: { title: string; log: boolean };
  color: { title: string; domain?: [number, number]; diverging?: boolean };
  cells: readonly HeatCell[];
  curves?: ReadonlyArray<{ label: string; points: ReadonlyArray<{ x: number; y: number }> }>;
}): PlotSpec {
  const xs = options.cells.flatMap((c) => [c.x0, c.x1]);
  const ys = options.cells.flatMap((c) => [c.y0, c.y1]);
  // `zero` only on a linear scale: vega-lite warns (on stderr, once per panel) when a log scale carries it.
  const scaleFor = (log: boolean, values: number[]) =>
    log
      ? { type: 'log' as const, domain: [Math.min(...values), Math.max(...values)], nice: false }
      : { type: 'linear' as const, domain: [Math.min(...values), Math.max(...values)], nice: false, zero: false };
  const xScale = scaleFor(options.x.log, xs);
  const yScale = scaleFor(options.y.log, ys);
  const scheme = options.color.diverging ? 'redblue' : 'viridis';
  const values = options.cells.filter((c) => c.value !== null);
  const empty = options.cells.filter((c) => c.value === null);
  const flagged = options.cells.filter((c) => c.flagged);
  const rect = (data: readonly HeatCell[], mark: object, extra: object = {}) => ({
    data: { values: data as object[] },
    mark,
    encoding: {
      x: { field: 'x0', type: 'quantitative' as const, scale: xScale, title: options.x.title },
      x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative' as const, scale: yScale, title: options.y.title },
      y2: { field: 'y1' },
      ...extra,
    },
  });
  return plot({
    $schema: SCHEMA,
    title: options.title,
    width: 300,
    height: 240,
    layer: [
      rect(
        values,
        { type: 'rect' },
        {
          color: {
            field: 'value',
            type: 'quantitative',
            title: options.color.title,
            scale: {
              scheme,
              ...(options.color.domain ? { domain: options.color.domain } : {}),
              ...(options.color.diverging ? { domainMid: 0 } : {}),
            },
          },
        },
      ),
      ...(empty.length ? [rect(empty, { type: 'rect', fill: '#eee', stroke: '#bbb' })] : []),
      ...(flagged.length
        ? [
            {
              data: { values: flagged.map((c) => ({ x: c.x, y: c.y })) },
              mark: { type: 'point' as const, shape: 'cross', size: 90, color: '#000', strokeWidth: 2 },
              encoding: {
                x: { field: 'x', type: 'quantitative' as const, scale: xScale },
                y: { field: 'y', type: 'quantitative' as const, scale: yScale },
              },
            },
          ]
        : []),
      ...(options.curves ?? []).map((curve) => ({
        data: { values: curve.points.map((p) => ({ ...p, label: curve.label })) },
        mark: { type: 'line' as const, color: '#fff', strokeWidth: 1.5, strokeDash: [5, 3], clip: true },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const, scale: xScale },
          y: { field: 'y', type: 'quantitative' as const, scale: yScale },
        },
      })),
      ...(options.curves ?? []).map((curve) => ({
        data: { values: [{ ...curve.points[Math.floor(curve.points.length / 2)], label: curve.label }] },
        mark: { type: 'text' as const, color: '#fff', fontSize: 10, dy: -6, clip: true },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const, scale: xScale },
          y: { field: 'y', type: 'quantitative' as const, scale: yScale },
          text: { field: 'label' },
        },
      })),
    ],
  } as TopLevelSpec);
}
