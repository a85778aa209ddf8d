// The explorer's charts as vega-lite specifications (pure data in, spec out): densities of rho_T and
// log V^aa with the SDE against networks, fan charts of paths over t, the explosion phase diagram with
// the closed form P(explode ever) = 1 - exp(-beta X0) as level curves, and the fourth cumulant
// against L/n with its theory.
import type { TopLevelSpec } from 'vega-lite';
import { math } from '../entry/index.js';
import type { CumulantRow, DensityRow, FanRow } from './compute.js';

const { expm1, log1p } = math;

const WIDTH = 360;
const HEIGHT = 220;
const SIDE_COLOURS = { domain: ['SDE', 'network'], range: ['#1f5fa8', '#d1495b'] };
const LABELS: Record<string, string> = { rho: 'ρ_T (correlation at T)', logVaa: 'log V^aa_T' };

export function densitySpec(rows: readonly DensityRow[], observable: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Density of ${LABELS[observable]}: SDE against networks`,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows.filter((r) => r.observable === observable) as unknown as object[] },
    mark: { type: 'line', interpolate: 'step' },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: LABELS[observable], scale: { zero: false } },
      y: { field: 'density', type: 'quantitative', title: 'density' },
      color: { field: 'side', type: 'nominal', scale: SIDE_COLOURS, title: null },
    },
  };
}

export function fanSpec(rows: readonly FanRow[], observable: string): TopLevelSpec {
  const x = { field: 't', type: 'quantitative' as const, title: 't = depth / width' };
  const colour = { field: 'side', type: 'nominal' as const, scale: SIDE_COLOURS, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Paths of ${LABELS[observable]} over t: median, 50% and 90% bands`,
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows.filter((r) => r.observable === observable) as unknown as object[] },
    layer: [
      {
        mark: { type: 'area', opacity: 0.15 },
        encoding: {
          x,
          y: { field: 'q05', type: 'quantitative', title: LABELS[observable], scale: { zero: false } },
          y2: { field: 'q95' },
          color: colour,
        },
      },
      {
        mark: { type: 'area', opacity: 0.3 },
        encoding: { x, y: { field: 'q25', type: 'quantitative' }, y2: { field: 'q75' }, color: colour },
      },
      {
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'q50', type: 'quantitative' }, color: colour },
      },
    ],
  };
}

const LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9];

/** beta against X0: curves 1 - exp(-k beta X0) = p (k the architecture's scale, 1 for the MLP; no curves
 *  where it has no closed form, with its reason), the vanishing half-plane, and this activation at x0. */
export function phaseSpec(
  beta: number,
  x0: number,
  measured: { sde?: number; network?: number },
  scale: { readonly value: number | null; readonly reason?: string } = { value: 1 },
): TopLevelSpec {
  const k = scale.value;
  const xMax = Math.max(2, 2 * x0);
  const yMax = Math.max(2, 1.5 * beta + 0.5);
  const yMin = Math.min(-0.5, beta - 0.5);
  const curves: object[] = [];
  for (const p of k === null ? [] : LEVELS) {
    for (let i = 1; i <= 60; i++) {
      const X0 = (xMax * i) / 60;
      const b = -log1p(-p) / (k! * X0);
      if (b <= yMax) curves.push({ X0, beta: b, level: `P = ${p}` });
    }
  }
  const ever =
    k === null
      ? `P(explode ever): no closed form (${scale.reason})`
      : `P(explode ever) = ${(beta > 0 ? -expm1(-k * beta * x0) : 0).toFixed(3)}`;
  const form = k === null ? 'no closed form' : k === 1 ? '1 − exp(−β X0)' : `1 − exp(−${+k.toPrecision(4)} β X0)`;
  const text = [
    ever,
    measured.sde !== undefined ? `SDE by T: ${measured.sde.toFixed(3)}` : '',
    measured.network !== undefined ? `networks by T: ${measured.network.toFixed(3)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Explosion phase diagram: P(explode ever) = ${form}`, subtitle: text },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: [{ x: 0, x2: xMax, y: yMin, y2: 0 }] },
        mark: { type: 'rect', color: '#e8eef6' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative' },
          y2: { field: 'y2' },
        },
      },
      {
        data: { values: curves },
        mark: { type: 'line', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'X0', type: 'quantitative', title: 'X0 (input variance)', scale: { domain: [0, xMax] } },
          y: { field: 'beta', type: 'quantitative', title: 'β (drift coefficient)', scale: { domain: [yMin, yMax] } },
          color: { field: 'level', type: 'ordinal', title: 'level curves', scale: { scheme: 'oranges' } },
        },
      },
      {
        data: { values: [{ X0: x0, beta, label: `this activation: β = ${beta.toFixed(3)}` }] },
        mark: { type: 'point', filled: true, size: 90, color: 'black' },
        encoding: {
          x: { field: 'X0', type: 'quantitative' },
          y: { field: 'beta', type: 'quantitative' },
          tooltip: { field: 'label' },
        },
      },
      {
        data: { values: [{ x: xMax * 0.98, y: yMin + 0.1, t: 'β < 0: vanishes' }] },
        mark: { type: 'text', align: 'right', baseline: 'bottom', color: '#555' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          text: { field: 't' },
        },
      },
    ],
  };
}

export function cumulantSpec(
  rows: readonly CumulantRow[],
  curve: ReadonlyArray<{ ratio: number; theory: number | null; limit: number | null }>,
  kind: string,
): TopLevelSpec {
  const measured = rows
    .filter((r) => Number.isFinite(r.measured.value))
    .map((r) => ({ ratio: r.ratio, value: r.measured.value, lower: r.measured.lower, upper: r.measured.upper }));
  const lines = [
    ...curve
      .filter((c) => c.theory !== null)
      .map((c) => ({ ratio: c.ratio, value: c.theory, curve: `finite width (${kind})` })),
    ...curve
      .filter((c) => c.limit !== null)
      .map((c) => ({ ratio: c.ratio, value: c.limit, curve: 'SDE limit e^{2T} − 1' })),
  ];
  const x = { field: 'ratio', type: 'quantitative' as const, title: 'L / n' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // With no rows the subtitle says why (an architecture without the measurement).
    title: rows.length
      ? 'Fourth cumulant κ4 / (3 κ2²) of the output against L / n'
      : { text: 'Fourth cumulant κ4 / (3 κ2²) of the output against L / n', subtitle: kind },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line' },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'κ4 / (3 κ2²)' },
          strokeDash: { field: 'curve', type: 'nominal', title: 'theory' },
          color: { value: '#333' },
        },
      },
      {
        data: { values: measured },
        mark: { type: 'rule', color: '#d1495b' },
        encoding: { x, y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } },
      },
      {
        data: { values: measured },
        mark: { type: 'point', filled: true, color: '#d1495b' },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative' },
          tooltip: [{ field: 'value' }, { field: 'lower' }, { field: 'upper' }],
        },
      },
    ],
  };
}
