// The rank-collapse and explosion study of shaped attention and the Transformer (docs/maths.md, 14.9):
// over gamma, tau0 and heads, the token correlation, P(collapse) and P(explode by T) from the SDE and from
// networks, on one threshold tested at the same layer times, with intervals and resolution warnings.
import { parseActivation, type Activation } from '../src/activations/index.js';
import type { OptionSpec } from '../src/options.js';
import { readSettings, type OptionSources } from '../src/options.js';
import { PURPOSES } from '../src/random/streams.js';
import { PATH_EXPLODED } from '../src/results.js';
import {
  meanEstimate,
  normalInterval,
  proportionDifference,
  wilson,
  type Interval,
  type Proportion,
  type ProportionDifference,
} from '../src/stats/index.js';
import { normalCdf } from '../src/special.js';
import { sampleNetworks } from '../networks/index.js';
import { constantSteps, eulerMaruyama, brownianSampling, saveAt, solve } from '../sde/index.js';
import { architectureFromSpec, type Architecture } from '../architectures/index.js';
import { pointArchitecture } from './options.js';
import { OPTION } from './options.js';
import { isMissing, type Missing } from './point.js';
import { hypot } from '../src/math/index.js';
import { reportHeader, type ReportHeader } from './header.js';
import type { Warning } from './warnings.js';

/** The schema tag of collapse reports. */
export const COLLAPSE_SCHEMA = 'ncsde.collapse/1';

/** The options of the collapse study (`ncsde collapse`), each with its range and default. */
export const COLLAPSE_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'blocks',
    kind: { type: 'choice', choices: ['attention', 'transformer'] },
    help: 'layers: shaped attention alone, or attention then the shaped residual MLP block',
    default: 'attention',
  },
  {
    key: 'gamma',
    kind: { type: 'numbers', min: 0, max: 1, exclusiveMin: true, minItems: 1 },
    help: 'residual branch weights gamma in (0, 1]',
    default: [0.5, 1],
    aliases: ['gammas'],
  },
  {
    key: 'tau0',
    kind: { type: 'numbers', min: 0, max: 1e6, exclusiveMin: true, minItems: 1 },
    help: 'temperatures tau0 (logits Q K^T / (tau0 sqrt(n nk)))',
    default: [0.5, 1, 2],
    aliases: ['tau0s'],
  },
  {
    key: 'heads',
    kind: { type: 'integers', min: 1, max: 4096, minItems: 1 },
    help: 'numbers of heads H',
    default: [1, 4],
  },
  { ...OPTION.activation, help: 'shaped activation of the transformer MLP block (ignored for attention alone)' },
  { key: 'm', kind: { type: 'integer', min: 2, max: 16 }, help: 'number of tokens', default: 4 },
  { ...OPTION.rho0, help: 'initial correlation of every token pair (unit variances)', default: 0.3 },
  {
    key: 'T',
    kind: { type: 'numbers', min: 0, max: 100, exclusiveMin: true, minItems: 1 },
    help: 'depth-to-width ratios T = depth / n at which the observables are read',
    default: [0.25, 0.5, 1, 2],
    aliases: ['ts'],
  },
  { ...OPTION.paths, default: 2000 },
  {
    ...OPTION.stepsPerUnit,
    help: 'Euler-Maruyama steps per unit time, rounded up to a multiple of n so that every layer time is a step; they resolve thresholds below tau0 sqrt(steps per unit) / 2 (warned above)',
    default: 256,
  },
  { ...OPTION.n, default: 64, help: 'network width (nk = n)' },
  { ...OPTION.samples, default: 400 },
  {
    ...OPTION.threshold,
    default: 4,
    help: 'explosion threshold on max V^aa (the input variances are 1), tested at the layers t = l/n on both sides; comparable while below tau0 sqrt(n) / 2 (warned above)',
  },
  {
    key: 'level',
    kind: { type: 'number', min: 0, max: 1, exclusiveMin: true },
    help: 'collapse level: P(mean token correlation > level)',
    default: 0.99,
  },
  OPTION.seed,
];

/** The settings of the collapse study, as read from its options. */
export interface CollapseSettings {
  readonly blocks: 'attention' | 'transformer';
  readonly gamma: readonly number[];
  readonly tau0: readonly number[];
  readonly heads: readonly number[];
  readonly activation: string;
  readonly m: number;
  readonly rho0: number;
  readonly T: readonly number[];
  readonly paths: number;
  readonly stepsPerUnit: number;
  readonly n: number;
  readonly samples: number;
  readonly threshold: number;
  readonly level: number;
  readonly seed: number;
}

/** One side (SDE or networks) at one T. */
export interface CollapseSide {
  /** E[mean token correlation at T | not exploded by T] (CLT interval). */
  readonly correlation: Interval | Missing;
  /** P(mean token correlation > level | not exploded by T) (Wilson). */
  readonly collapsed: Proportion | Missing;
  /** P(explode by T) (Wilson). */
  readonly exploded: Proportion;
}

/** One T of one grid cell: both sides and their differences. */
export interface CollapseCell {
  readonly T: number;
  readonly sde: CollapseSide;
  readonly network: CollapseSide;
  /** networks - SDE: the correlation's difference with its z-test p-value, and Newcombe differences. */
  readonly correlationDifference: { readonly value: number; readonly se: number; readonly pValue: number } | Missing;
  readonly collapsedDifference: ProportionDifference | Missing;
  readonly explodedDifference: ProportionDifference;
}

/** One (gamma, tau0, H) of the grid. */
export interface CollapseRow {
  readonly gamma: number;
  readonly tau0: number;
  readonly heads: number;
  readonly label: string;
  readonly cells: readonly CollapseCell[];
  /** Where the threshold is beyond what the networks or the SDE's steps resolve (collapseWarnings). */
  readonly warnings: readonly Warning[];
}

/** The collapse study: per (gamma, tau0, H) and T, SDE against networks. */
export interface CollapseReport extends ReportHeader<typeof COLLAPSE_SCHEMA, CollapseSettings> {
  readonly rows: readonly CollapseRow[];
}

/** Collapse settings from plain values (or CLI sources), checked and with defaults. */
export function readCollapseSettings(
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): CollapseSettings {
  return readSettings<CollapseSettings>(COLLAPSE_OPTIONS, values, sources);
}

/** The mean over pairs a < b of V_ab / sqrt(V_aa V_bb), each clamped to [-1, 1] (a zero norm counts as 1). */
export function meanTokenCorrelation(v: ArrayLike<number>, m: number, offset = 0): number {
  let sum = 0;
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const scale = Math.sqrt(v[offset + a * m + a] * v[offset + b * m + b]);
      const r = scale > 0 ? v[offset + a * m + b] / scale : 1;
      sum += r > 1 ? 1 : r < -1 ? -1 : r;
    }
  }
  return sum / ((m * (m - 1)) / 2);
}

/** Observables at one T from per-path final correlations and whether each path exploded by T. */
function side(correlations: Float64Array, exploded: Uint8Array, level: number): CollapseSide {
  const kept: number[] = [];
  let k = 0;
  for (let p = 0; p < correlations.length; p++) {
    if (exploded[p]) continue;
    kept.push(correlations[p]);
    if (correlations[p] > level) k++;
  }
  const explodedCount = correlations.length - kept.length;
  const none = { missing: 'every path exploded by T' };
  return {
    correlation: kept.length >= 2 ? normalInterval(meanEstimate(kept)) : none,
    collapsed: kept.length >= 1 ? wilson(k, kept.length) : none,
    exploded: wilson(explodedCount, correlations.length),
  };
}

function compare(
  sde: CollapseSide,
  network: CollapseSide,
): Pick<CollapseCell, 'correlationDifference' | 'collapsedDifference' | 'explodedDifference'> {
  let correlationDifference: CollapseCell['correlationDifference'] = { missing: 'a side has no unexploded path' };
  if (!isMissing(sde.correlation) && !isMissing(network.correlation)) {
    const value = network.correlation.value - sde.correlation.value;
    const se = hypot(network.correlation.se, sde.correlation.se);
    correlationDifference = { value, se, pValue: se > 0 ? 2 * normalCdf(-Math.abs(value / se)) : 1 };
  }
  const collapsedDifference =
    !isMissing(sde.collapsed) && !isMissing(network.collapsed)
      ? proportionDifference(network.collapsed, sde.collapsed)
      : { missing: 'a side has no unexploded path' };
  return {
    correlationDifference,
    collapsedDifference,
    explodedDifference: proportionDifference(network.exploded, sde.exploded),
  };
}

/** What one architecture's cells need of the settings. */
type CellSettings = Pick<
  CollapseSettings,
  'm' | 'rho0' | 'paths' | 'stepsPerUnit' | 'n' | 'samples' | 'threshold' | 'level' | 'seed'
>;

/**
 * How far above the study's threshold the SDE runs before it stops a path: between two layer times a path
 * may cross the threshold and come back (docs/maths.md, 14.9), so only a level this much higher, reached
 * by a path blowing up, stops it early; such a path counts as exploded from the next layer time on.
 */
export const SDE_STOP_FACTOR = 1e4;

/**
 * Per SDE path, the first layer l (time l / n) at which max_a V^aa exceeds `level`, or at which the path
 * had already stopped by blowing up (status exploded, explosion time <= l / n); -1 where neither. `values`
 * holds the path at every layer time 1..depth (save k - 1 is layer k).
 */
export function sdeExplosionLayers(
  values: ArrayLike<number>,
  status: ArrayLike<number>,
  explosionTime: ArrayLike<number>,
  paths: number,
  m: number,
  depth: number,
  n: number,
  level: number,
): Int32Array {
  const out = new Int32Array(paths).fill(-1);
  const mm = m * m;
  for (let p = 0; p < paths; p++) {
    for (let l = 1; l <= depth && out[p] < 0; l++) {
      if (status[p] === PATH_EXPLODED && explosionTime[p] <= l / n + 1e-12) {
        out[p] = l;
        break;
      }
      const at = ((l - 1) * paths + p) * mm;
      for (let a = 0; a < m; a++) {
        if (!(values[at + a * m + a] <= level)) {
          out[p] = l;
          break;
        }
      }
    }
  }
  return out;
}

/**
 * SDE and networks of one architecture at the times ts (increasing): one solve and one network run. Both
 * sides read T at layer round(T n), time round(T n) / n, and test the threshold at the same times, the
 * layers l / n: a network has nothing between its layers, and P(max V^aa crosses a level) depends on how
 * often it is looked at (docs/maths.md, 14.9). The SDE's steps per unit time are rounded up to a multiple
 * of n so that every layer time is a step.
 */
async function collapseCells(
  architecture: Architecture,
  activation: Activation,
  s: CellSettings,
  ts: readonly number[],
  threads?: number,
): Promise<CollapseCell[]> {
  const m = s.m;
  const v0 = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => (a === b ? 1 : s.rho0)));
  const layers = ts.map((t) => Math.max(1, Math.round(t * s.n)));
  const depth = layers[layers.length - 1];
  const perLayer = Math.max(1, Math.ceil(s.stepsPerUnit / s.n));
  const tag = `${architecture.label}/${activation.name}`;
  const sol = await solve({
    sde: architecture.sde(activation),
    solver: eulerMaruyama(),
    T: depth / s.n,
    v0,
    stepping: constantSteps(depth * perLayer),
    saveAt: saveAt({ ts: Array.from({ length: depth }, (_, k) => (k + 1) / s.n) }),
    paths: s.paths,
    seed: s.seed,
    brownian: brownianSampling({ purpose: `${PURPOSES.sde}/collapse/${tag}` }),
    threshold: s.threshold * SDE_STOP_FACTOR,
    threads: threads,
  });
  // Both thresholds are relative to the largest input variance, 1 here (unit variances).
  const sdeLayer = sdeExplosionLayers(
    sol.values.data as Float64Array,
    sol.status,
    sol.explosionTime,
    sol.paths,
    m,
    depth,
    s.n,
    s.threshold,
  );
  const net = await sampleNetworks({
    architecture,
    activation,
    n: s.n,
    depth,
    v0,
    samples: s.samples,
    seed: s.seed,
    record: { layers },
    threshold: s.threshold,
    streams: { purpose: `${PURPOSES.network}/collapse/${tag}` },
    threads: threads,
  });
  return ts.map((t, i): CollapseCell => {
    const sdeCorr = new Float64Array(sol.paths);
    const sdeExploded = new Uint8Array(sol.paths);
    for (let p = 0; p < sol.paths; p++) {
      sdeExploded[p] = sdeLayer[p] > 0 && sdeLayer[p] <= layers[i] ? 1 : 0;
      sdeCorr[p] = meanTokenCorrelation(sol.values.data as Float64Array, m, ((layers[i] - 1) * sol.paths + p) * m * m);
    }
    const netCorr = new Float64Array(net.samples);
    const netExploded = new Uint8Array(net.samples);
    // The network record i is layer layers[i] (record 0 would be the input when asked; here it is not).
    const record = net.layers.indexOf(layers[i]);
    for (let p = 0; p < net.samples; p++) {
      netExploded[p] = net.status[p] === PATH_EXPLODED && net.explosionLayer[p] <= layers[i] ? 1 : 0;
      netCorr[p] = meanTokenCorrelation(net.values.data as Float64Array, m, (record * net.samples + p) * m * m);
    }
    const a = side(sdeCorr, sdeExploded, s.level);
    const b = side(netCorr, netExploded, s.level);
    return { T: t, sde: a, network: b, ...compare(a, b) };
  });
}

/**
 * Where P(explode by T) at this threshold is not a comparison of the limit (docs/maths.md, 14.9): the
 * logits are of size V / (tau0 sqrt(N)) for N = n (a network layer) or N = steps per unit time (an
 * Euler-Maruyama step), and the limit keeps only their second order. Networks that reach a threshold above
 * tau0 sqrt(n) / 2 have left that regime (their P(explode) differs at O((threshold / (tau0 sqrt(n)))^2));
 * above tau0 sqrt(steps per unit) / 2 Euler-Maruyama's relative step is O(1) there and it blows paths up
 * that the limit does not. Architectures without a temperature get none. The threshold is in units of the
 * largest input variance, 1 here.
 */
export function collapseWarnings(
  architecture: Architecture,
  s: Pick<CollapseSettings, 'n' | 'stepsPerUnit' | 'threshold'>,
): Warning[] {
  const tau0 = architecture.spec.tau0;
  if (typeof tau0 !== 'number') return [];
  const out: Warning[] = [];
  const net = (tau0 * Math.sqrt(s.n)) / 2;
  if (s.threshold > net)
    out.push({
      concerns: 'explosion',
      text: `Warning: the threshold ${s.threshold} is above tau0 sqrt(n) / 2 = ${net.toPrecision(3)}: the networks' logits V / (tau0 sqrt(n)) are O(1) before it, where the finite softmax leaves the limit, so their P(explode) need not match the SDE's. Lower --threshold or raise --n.`,
    });
  const sde = (tau0 * Math.sqrt(Math.max(1, Math.ceil(s.stepsPerUnit / s.n)) * s.n)) / 2;
  if (s.threshold > sde)
    out.push({
      concerns: 'explosion',
      text: `Warning: the threshold ${s.threshold} is above tau0 sqrt(steps per unit) / 2 = ${sde.toPrecision(3)}: Euler-Maruyama's relative step is O(1) before it and blows up paths the limit does not, so the SDE's P(explode) is too high. Lower --threshold or raise --steps-per-unit.`,
    });
  return out;
}

/**
 * The collapse study: per (gamma, tau0, H), the token correlation and explosion against T from the SDE and
 * from networks of width n.
 * @example
 * const report = await collapseReport({ gamma: [1], tau0: [1], heads: [1], T: [0.5, 1], paths: 1000, samples: 200 });
 */
export async function collapseReport(
  settings: Readonly<Record<string, unknown>> | CollapseSettings = {},
  options: { threads?: number; onRow?: (label: string) => void } = {},
): Promise<CollapseReport> {
  const s = readCollapseSettings(settings as Readonly<Record<string, unknown>>);
  const activation = parseActivation(s.activation, 'activation');
  const ts = [...s.T].sort((x, y) => x - y);
  const rows: CollapseRow[] = [];
  for (const gamma of s.gamma) {
    for (const tau0 of s.tau0) {
      for (const heads of s.heads) {
        const architecture = architectureFromSpec({ kind: s.blocks, gamma, tau0, heads }, 'blocks');
        const cells = await collapseCells(architecture, activation, s, ts, options.threads);
        rows.push({
          gamma,
          tau0,
          heads,
          label: architecture.label,
          cells,
          warnings: collapseWarnings(architecture, s),
        });
        options.onRow?.(architecture.label);
      }
    }
  }
  return { ...reportHeader(COLLAPSE_SCHEMA, s), rows };
}

/** The options of one collapse point (`ncsde scan --kind collapse`): any architecture, one T. */
export const COLLAPSE_POINT_OPTIONS: readonly OptionSpec[] = [
  { ...OPTION.architecture, default: 'attention:1,1' },
  OPTION.activation,
  ...COLLAPSE_OPTIONS.filter((o) => ['m', 'rho0'].includes(o.key)),
  { ...OPTION.T, default: 1 },
  ...COLLAPSE_OPTIONS.filter((o) =>
    ['paths', 'stepsPerUnit', 'n', 'samples', 'threshold', 'level', 'seed'].includes(o.key),
  ),
];

/** The settings of one collapse point. */
export interface CollapsePointSettings extends CellSettings {
  readonly architecture: string;
  readonly activation: string;
  readonly T: number;
}

/** One point of a collapse scan: the architecture's cell at T. */
export async function runCollapsePoint(
  settings: Readonly<Record<string, unknown>>,
  options: { threads?: number } = {},
): Promise<CollapseCell & { readonly label: string; readonly warnings: readonly Warning[] }> {
  const s = readSettings<CollapsePointSettings>(COLLAPSE_POINT_OPTIONS, settings);
  const architecture = pointArchitecture(s);
  const [cell] = await collapseCells(
    architecture,
    parseActivation(s.activation, 'activation'),
    s,
    [s.T],
    options.threads,
  );
  return { ...cell, label: architecture.label, warnings: collapseWarnings(architecture, s) };
}
