// Plots as vega-lite specifications rendered to SVG on the server (vega's headless view), so the
// HTML report is self-contained and opens offline. Each function takes report data, not samples.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { WidthStudy } from './widths.js';
import type { Histogram, PathBundle } from './validate.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SIDES = { domain: ['SDE', 'network'], range: ['#1f77b4', '#d62728'] };

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function histogramSpec(h: Histogram, label: string): TopLevelSpec {
  const values = h.sde.flatMap((d, k) => [
    { x0: h.edges[k], x1: h.edges[k + 1], density: d, side: 'SDE' },
    { x0: h.edges[k], x1: h.edges[k + 1], density: h.network[k], side: 'network' },
  ]);
  return {
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
  };
}

export function qqSpec(qq: ReadonlyArray<{ p: number; a: number; b: number }>, label: string): TopLevelSpec {
  const lo = Math.min(...qq.map((q) => Math.min(q.a, q.b)));
  const hi = Math.max(...qq.map((q) => Math.max(q.a, q.b)));
  return {
    $schema: SCHEMA,
    title: `QQ plot of ${label}: network against SDE`,
    width: 260,
    height: 260,
    layer: [
      {
        data: { values: [{ x: lo, y: lo }, { x: hi, y: hi }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: qq.map((q) => ({ sde: q.b, network: q.a, p: q.p })) },
        mark: { type: 'point', filled: true, size: 18, color: '#d62728' },
        encoding: {
          x: { field: 'sde', type: 'quantitative', title: `SDE quantile of ${label}`, scale: { zero: false } },
          y: { field: 'network', type: 'quantitative', title: `network quantile of ${label}`, scale: { zero: false } },
        },
      },
    ],
  };
}

export function convergenceSpec(study: WidthStudy, label: string): TopLevelSpec {
  const values = study.levels.map((l) => ({
    n: l.n,
    w1: l.wasserstein1.value,
    // On a log axis a bar reaching 0 would stretch the scale to nothing; floor it at a fifth of the value.
    lo: Math.max(l.wasserstein1.value / 5, l.wasserstein1.value - 2 * l.wasserstein1.se),
    hi: l.wasserstein1.value + 2 * l.wasserstein1.se,
  }));
  const ns = study.levels.map((l) => l.n);
  return {
    $schema: SCHEMA,
    title: `W1(${label}) between network at width n and SDE${study.rate ? `, rate ${study.rate.value.toFixed(2)} ± ${study.rate.se.toFixed(2)}` : ''}`,
    width: 360,
    height: 220,
    layer: [
      {
        data: { values: [{ n: Math.min(...ns), floor: study.noiseFloor }, { n: Math.max(...ns), floor: study.noiseFloor }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'n', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'floor', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'rule', color: '#d62728' },
        encoding: { x: { field: 'n', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'lo', type: 'quantitative', scale: { type: 'log' } }, y2: { field: 'hi' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: true, color: '#d62728' },
        encoding: {
          x: { field: 'n', type: 'quantitative', title: 'width n (depth T n)', scale: { type: 'log' } },
          y: { field: 'w1', type: 'quantitative', title: 'W1 distance (dashed: Monte Carlo floor)', scale: { type: 'log' } },
        },
      },
    ],
  };
}

export function pathsSpec(sde: PathBundle, network: PathBundle, label: string): TopLevelSpec {
  const band = (b: PathBundle, side: string) => b.ts.map((t, k) => ({ t, q10: b.q10[k], q50: b.q50[k], q90: b.q90[k], side }));
  const lines = (b: PathBundle, side: string) => b.examples.flatMap((row, i) => row.map((y, k) => ({ t: b.ts[k], y, path: `${side}-${i}`, side })));
  const x = { field: 't', type: 'quantitative' as const, title: 't = l / n' };
  return {
    $schema: SCHEMA,
    title: `Paths of ${label}: examples, median and 10-90% band`,
    width: 420,
    height: 240,
    layer: [
      {
        data: { values: [...band(sde, 'SDE'), ...band(network, 'network')] },
        mark: { type: 'area', opacity: 0.15 },
        encoding: { x, y: { field: 'q10', type: 'quantitative', title: label }, y2: { field: 'q90' }, color: { field: 'side', type: 'nominal', scale: SIDES, title: null } },
      },
      {
        data: { values: [...lines(sde, 'SDE'), ...lines(network, 'network')] },
        mark: { type: 'line', opacity: 0.35, strokeWidth: 1 },
        encoding: { x, y: { field: 'y', type: 'quantitative' }, detail: { field: 'path' }, color: { field: 'side', type: 'nominal', scale: SIDES, title: null } },
      },
      {
        data: { values: [...band(sde, 'SDE'), ...band(network, 'network')] },
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: { x, y: { field: 'q50', type: 'quantitative' }, color: { field: 'side', type: 'nominal', scale: SIDES, title: null } },
      },
    ],
  };
}

/** A generic x-y chart with optional error bars and several series, for the other reports. */
export function seriesSpec(options: {
  title: string;
  x: string;
  y: string;
  points: ReadonlyArray<{ x: number; y: number; lo?: number; hi?: number; series: string }>;
  logX?: boolean;
  logY?: boolean;
  lines?: boolean;
}): TopLevelSpec {
  // `zero` only means something on a linear scale (vega warns when it is set on a log one).
  const xs = options.logX ? { type: 'log' as const } : { type: 'linear' as const, zero: false };
  const ys = options.logY ? { type: 'log' as const } : { type: 'linear' as const, zero: false };
  const withBars = options.points.filter((p) => p.lo !== undefined && p.hi !== undefined);
  return {
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
                x: { field: 'x', type: 'quantitative' as const, scale: xs },
                y: { field: 'lo', type: 'quantitative' as const, scale: ys },
                y2: { field: 'hi' },
                color: { field: 'series', type: 'nominal' as const, title: null },
              },
            },
          ]
        : []),
      {
        data: { values: options.points as object[] },
        mark: { type: options.lines === false ? ('point' as const) : ('line' as const), point: options.lines !== false },
        encoding: {
          x: { field: 'x', type: 'quantitative' as const, title: options.x, scale: xs },
          y: { field: 'y', type: 'quantitative' as const, title: options.y, scale: ys },
          color: { field: 'series', type: 'nominal' as const, title: null },
        },
      },
    ],
  } as TopLevelSpec;
}
