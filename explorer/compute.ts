// What the explorer computes for one state, in stages that each end in a message the page can draw:
// the SDE side (its JSON summary, densities, fan chart), the networks (the same, with densities on
// common bins), the calibrated comparison (runPoint's statistics), and the fourth cumulant against L/n
// with its theory. Only the package's public API; runs in the compute worker (and in Node for tests).
import { activationFromSpec, InputError, parseActivationSpec, type CovarianceSamples } from '../entry/index.js';
import {
  comparePoint,
  cumulantTheory,
  histogram,
  isMissing,
  measureCumulants,
  observable,
  quantileSorted,
  runPointNetworks,
  runPointSde,
  pointArchitecture,
  pointV0,
  type Interval,
  type Missing,
  type ObservableName,
  type PointSettings,
  NETWORK_OPTIONS,
  readOptions,
  recordedSettings,
  RESULT_KEYS,
  SDE_OPTIONS,
} from '../entry/validation.js';
import { networkSummary, sdeSummary } from '../entry/summaries.js';
import { cliFlags, PATH_SAVES, readState, type StateTexts } from './state.js';
import { referencesOf } from '../entry/index.js';

export type Side = 'SDE' | 'network';
export const DENSITY_OBSERVABLES: readonly ObservableName[] = ['rho', 'logVaa'];
const FAN_PROBABILITIES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface DensityRow {
  readonly observable: ObservableName;
  readonly side: Side;
  readonly x: number;
  readonly density: number;
}
export interface FanRow {
  readonly observable: ObservableName;
  readonly side: Side;
  readonly t: number;
  readonly q05: number;
  readonly q25: number;
  readonly q50: number;
  readonly q75: number;
  readonly q95: number;
}
/** One line of the numbers table: a quantity with each side's estimate and what it is compared with. */
export interface TableRow {
  readonly quantity: string;
  readonly network: Interval | Missing;
  readonly sde: Interval | Missing;
  /** A closed form, a test result or a difference interval, as text. */
  readonly reference: string;
}
export interface CumulantRow {
  readonly ratio: number;
  readonly layer: number;
  readonly measured: Interval;
  readonly pooled: Interval | null;
  readonly theory: number | null;
  readonly limit: number | null;
}

export type StageMessage =
  | {
      readonly stage: 'sde';
      readonly beta: number;
      readonly everScale: { readonly value: number | null; readonly reason?: string };
      readonly sde: ReturnType<typeof sdeSummary>;
      readonly fan: FanRow[];
      readonly density: DensityRow[];
    }
  | {
      readonly stage: 'network';
      readonly network: ReturnType<typeof networkSummary>;
      readonly fan: FanRow[];
      readonly density: DensityRow[];
    }
  | { readonly stage: 'point'; readonly table: TableRow[] }
  | {
      readonly stage: 'cumulants';
      readonly kind: string;
      readonly rows: CumulantRow[];
      readonly curve: Array<{ ratio: number; theory: number | null; limit: number | null }>;
    };

export const STAGES = ['sde', 'network', 'point', 'cumulants'] as const;

/** Path-steps below which the SDE side runs on the compute worker's own thread (some 30 ms of work). */
export const SMALL_SDE_WORK = 2 ** 19;

/** Quantile bands of each density observable at each save, over the paths `observable` keeps. */
export function fanRows(samples: CovarianceSamples, side: Side): FanRow[] {
  const rows: FanRow[] = [];
  for (const name of DENSITY_OBSERVABLES) {
    for (let s = 0; s < samples.ts.length; s++) {
      const xs = observable(samples, name, s).values.sort();
      if (xs.length === 0) continue;
      const [q05, q25, q50, q75, q95] = FAN_PROBABILITIES.map((p) => quantileSorted(xs, p));
      rows.push({ observable: name, side, t: samples.ts[s], q05, q25, q50, q75, q95 });
    }
  }
  return rows;
}

function densities(sde: CovarianceSamples, network: CovarianceSamples | null): DensityRow[] {
  const rows: DensityRow[] = [];
  for (const name of DENSITY_OBSERVABLES) {
    const a = observable(sde, name).values;
    const b = network ? observable(network, name).values : a;
    if (a.length < 2 || b.length < 2) continue;
    const h = histogram(a, b);
    const mid = (i: number) => (h.edges[i] + h.edges[i + 1]) / 2;
    h.a.forEach((density, i) => rows.push({ observable: name, side: 'SDE', x: mid(i), density }));
    if (network) h.b.forEach((density, i) => rows.push({ observable: name, side: 'network', x: mid(i), density }));
  }
  return rows;
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(4));

/** Layers of the cumulant panel: eight depths up to T n (distinct, at least 1). */
export function cumulantLayers(settings: PointSettings): number[] {
  const top = Math.max(1, Math.round(settings.T * settings.n));
  return [...new Set(Array.from({ length: 8 }, (_, k) => Math.max(1, Math.round((top * (k + 1)) / 8))))];
}

/**
 * Compute every stage for a state, calling `post` as each is done and waiting for it (the page draws a
 * stage before the next starts, so drawing never competes with the kernels for cores). `threads` run
 * the block kernels (bit-identical for any count). Throws the package's InputError for a bad state.
 */
export async function computeStages(
  texts: StateTexts,
  options: { threads: number; post: (message: StageMessage) => void | Promise<void> },
): Promise<void> {
  const { settings } = readState(texts);
  const spec = parseActivationSpec(settings.activation, 'activation');
  const activation = activationFromSpec(spec);
  const architecture = pointArchitecture(settings);
  const run = { threads: options.threads, pathSaves: PATH_SAVES };
  // The results' settings, read from the copied commands' flags through the CLI's tables (so they are what those commands print).
  const flags = cliFlags(settings);
  const v0 = pointV0(settings);
  const record = (specs: typeof SDE_OPTIONS, f: Record<string, string>) =>
    recordedSettings({ ...readOptions(specs, { flags: f }), architecture: architecture.text }, RESULT_KEYS(specs), {
      v0,
    });
  const records = { sde: record(SDE_OPTIONS, flags.sde), network: record(NETWORK_OPTIONS, flags.network) };
  // A small SDE run is done inline before kernel workers could even start (the numbers do not depend on it).
  const sdeThreads = settings.paths * settings.steps < SMALL_SDE_WORK ? 1 : options.threads;
  const sde = await runPointSde(settings, activation, { ...run, threads: sdeThreads });
  await options.post({
    stage: 'sde',
    beta: activation.limit?.beta ?? 0,
    everScale: referencesOf(architecture).explosionEverScale(),
    sde: sdeSummary(
      sde,
      { architecture: architecture.label, sde: architecture.sde(activation).description },
      records.sde,
    ),
    fan: fanRows(sde, 'SDE'),
    density: densities(sde, null),
  });
  const network = await runPointNetworks(settings, activation, settings.n, { ...run, factorMoments: true });
  await options.post({
    stage: 'network',
    network: networkSummary(network, records.network),
    fan: fanRows(network, 'network'),
    density: densities(sde, network),
  });
  const point = comparePoint(settings, sde, network, run);
  const table: TableRow[] = [];
  const e = point.explosion;
  table.push({
    quantity: `P(explode by T): ${e.event}`,
    network: e.network,
    sde: e.sde,
    reference: `difference [${fmt(e.difference.lower)}, ${fmt(e.difference.upper)}] (Newcombe)`,
  });
  for (const [name, c] of Object.entries(point.comparisons)) {
    if (isMissing(c)) {
      table.push({ quantity: `mean ${name}`, network: c, sde: c, reference: '' });
      continue;
    }
    table.push({
      quantity: `mean ${name}`,
      network: c.mean.network,
      sde: c.mean.sde,
      reference: `difference [${fmt(c.mean.difference.lower)}, ${fmt(c.mean.difference.upper)}]; KS p = ${fmt(c.ks.pValue)}`,
    });
  }
  for (const r of point.theory) {
    const ref = [
      r.exact !== null ? `${r.note ? 'width-n reference' : 'exact'} ${fmt(r.exact)}` : '',
      r.limit !== null ? `limit ${fmt(r.limit)}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    table.push({ quantity: r.quantity, network: r.network, sde: r.sde, reference: ref || 'no closed form' });
  }
  await options.post({ stage: 'point', table });
  const layers = cumulantLayers(settings);
  // The page's architecture on both sides: its networks and its own theory (null with a reason where it has
  // none). An architecture whose networks carry no input directions (attention) has no derivative panel data.
  let measured: Awaited<ReturnType<typeof measureCumulants>>;
  try {
    measured = await measureCumulants({
      architecture,
      activation,
      n: settings.n,
      layers,
      samples: settings.samples,
      seed: settings.seed,
      threads: options.threads,
      streamTag: 'explorer-cumulants',
    });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    await options.post({
      stage: 'cumulants',
      kind: `not available for ${architecture.label}: ${e.message}`,
      rows: [],
      curve: [],
    });
    return;
  }
  const theory = cumulantTheory(spec, activation, settings.n, layers, referencesOf(architecture));
  const all = Array.from({ length: layers[layers.length - 1] }, (_, i) => i + 1);
  const curve = cumulantTheory(spec, activation, settings.n, all, referencesOf(architecture));
  await options.post({
    stage: 'cumulants',
    kind: theory.kind,
    rows: layers.map((layer, i) => ({
      ratio: layer / settings.n,
      layer,
      measured: measured.output[i],
      pooled: measured.pooled?.[i] ?? null,
      theory: theory.values[i],
      limit: theory.limits[i],
    })),
    curve: all.map((l, i) => ({ ratio: l / settings.n, theory: curve.values[i], limit: curve.limits[i] })),
  });
}
