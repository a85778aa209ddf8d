// The validation report: one SDE-versus-network comparison at T with exact finite-width theory, the
// convergence study in width, and the data behind every plot, as a versioned JSON-ready object
// (schema "ncsde.validation/2"). It holds no clock time, so the same settings give the same bytes.
import { quantileSorted, sorted } from '../src/stats/index.js';
import { PATH_EXPLODED, type CovarianceSamples, type StatusCounts } from '../src/results.js';
import { activationFromSpec } from '../src/activations/index.js';
import { buildNetworkJob } from '../networks/index.js';
import { buildSdeJob, constantSteps, saveAt } from '../sde/index.js';
import type { SampleComparison } from './compare.js';
import type { BatchComparison } from './batch.js';
import { observable, OBSERVABLES, pathObservable, type ObservableName } from './observables.js';
import { pointActivation, pointArchitecture, type ValidationSettings } from './options.js';
import {
  comparePointSteps,
  pointSolver,
  pointV0,
  runPointNetworks,
  runPointSde,
  type ExplosionComparison,
  type Missing,
  type TheoryRow,
} from './point.js';
import { cooperate, pause, type Steps } from '../src/steps.js';
import { readValidationSettings } from './settings.js';
import { widthStudy, type WidthStudy } from './widths.js';
import { reportHeader, type ReportHeader } from './header.js';
import { finiteSizeWarnings, repairWarnings, type Warning } from './warnings.js';
import { requireKnownKeys } from '../src/apiOptions.js';

/** The schema tag of validation reports. */
export const VALIDATION_SCHEMA = 'ncsde.validation/2';

/** Histogram counts of one observable on shared bin edges, network and SDE. */
export interface Histogram {
  readonly edges: number[];
  readonly sde: number[];
  readonly network: number[];
}

/** A few sample paths of an observable on a time grid, for the paths plot. */
export interface PathBundle {
  readonly ts: number[];
  /** A few individual paths (rows) for the plot. */
  readonly examples: number[][];
  /** 10%, 50% and 90% quantiles over the paths not exploded, at each time. */
  readonly q10: number[];
  readonly q50: number[];
  readonly q90: number[];
}

/** The validation report: settings, the point comparison, exact finite-width theory, the width study and path bundles for plots (schema VALIDATION_SCHEMA). */
export interface ValidationReport extends ReportHeader<typeof VALIDATION_SCHEMA, ValidationSettings> {
  /** The solver that ran (settings.solver may be auto). */
  readonly solver: string;
  /** What the report's reader must know before its numbers: choices made for the user, and why. */
  readonly notes: readonly string[];
  /** The architecture's label ("mlp", "resnet(gamma=0.7)"). */
  readonly architecture: string;
  readonly activation: { readonly name: string; readonly beta: number };
  readonly depth: number;
  readonly status: { readonly sde: StatusCounts & { repairedSteps: number }; readonly network: StatusCounts };
  readonly explosion: ExplosionComparison;
  readonly comparisons: Readonly<Record<ObservableName, SampleComparison | Missing>>;
  readonly theory: readonly TheoryRow[];
  readonly widths: readonly WidthStudy[];
  /** Finite-size and numerical conditions, each placed in the report beside the numbers it concerns. */
  readonly warnings: readonly Warning[];
  readonly histograms: Partial<Record<ObservableName, Histogram>>;
  readonly paths: {
    readonly rho: { sde: PathBundle; network: PathBundle };
    readonly logVaa: { sde: PathBundle; network: PathBundle };
  };
  /** With m > 2 inputs: the whole batch, entry by entry (validation/batch.ts). */
  readonly batch?: BatchComparison;
}

/** Densities of both samples on shared bins spanning their pooled 0.5%-99.5% range. */
export function histogram(a: Float64Array, b: Float64Array, bins = 40): { edges: number[]; a: number[]; b: number[] } {
  const pooled = sorted(Float64Array.from([...a, ...b]));
  let lo = quantileSorted(pooled, 0.005);
  let hi = quantileSorted(pooled, 0.995);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const density = (xs: Float64Array) => {
    const counts = new Array<number>(bins).fill(0);
    for (const x of xs) {
      const k = Math.floor((x - lo) / width);
      if (k >= 0 && k < bins) counts[k]++;
    }
    return counts.map((c) => c / (xs.length * width));
  };
  return { edges, a: density(a), b: density(b) };
}

function* pathBundleSteps(samples: CovarianceSamples, name: ObservableName, examples = 8): Steps<PathBundle> {
  const saves = samples.ts.length;
  const perSave: Float64Array[] = [];
  for (let s = 0; s < saves; s++) {
    perSave.push(sorted(observable(samples, name, s).values));
    yield;
  }
  const rows: number[][] = [];
  for (let p = 0; p < samples.status.length && rows.length < examples; p++) {
    if (samples.status[p] === PATH_EXPLODED) continue;
    const row = Array.from({ length: saves }, (_, s) => pathObservable(samples.values, name, s, p));
    if (row.every(Number.isFinite)) rows.push(row);
  }
  const q = (p: number) => perSave.map((s) => (s.length ? quantileSorted(s, p) : 0));
  return { ts: Array.from(samples.ts), examples: rows, q10: q(0.1), q50: q(0.5), q90: q(0.9) };
}

/**
 * Check that every run of a validation fits this machine, before any of them starts: the jobs of the
 * point and of each width are built (which checks memory) without computing anything.
 */
export function planValidation(settings: ValidationSettings): void {
  const activation = activationFromSpec(pointActivation(settings));
  const architecture = pointArchitecture(settings);
  const v0 = pointV0(settings);
  const sde = architecture.sde(activation);
  buildSdeJob({
    sde,
    solver: pointSolver(settings, sde).solver,
    T: settings.T,
    v0,
    stepping: constantSteps(settings.steps),
    saveAt: saveAt({ count: largestDivisor(settings.steps, pathSaves(settings)) }),
    paths: settings.paths,
    seed: settings.seed,
    threshold: settings.threshold,
  });
  for (const n of [settings.n, ...settings.widths]) {
    const depth = Math.max(1, Math.round(settings.T * n));
    buildNetworkJob({
      architecture,
      activation,
      n,
      depth,
      v0,
      samples: settings.samples,
      seed: settings.seed,
      sampler: settings.sampler,
      record: { count: Math.min(pathSaves(settings), depth) },
      threshold: settings.threshold,
    });
  }
}

/** Saves kept for the path plots: 50, fewer where m x m matrices of every path at every save would pass
 *  2^25 numbers (256 MiB) on a side. */
function pathSaves(settings: ValidationSettings): number {
  const m = pointV0(settings).length;
  const most = Math.floor(2 ** 25 / (Math.max(settings.paths, settings.samples) * m * m));
  return Math.max(1, Math.min(50, most));
}

function largestDivisor(steps: number, most: number): number {
  let k = Math.min(most, steps);
  while (k > 1 && steps % k !== 0) k--;
  return k;
}

/** Threads, progress callback and bootstrap resamples of a validation run. */
export interface ValidateOptions {
  threads?: number | undefined;
  onStage?: ((stage: string) => void) | undefined;
}

/**
 * Run a validation; `settings` holds any of the options of VALIDATION_OPTIONS, so {} means the defaults.
 * @example
 * const report = await validate({ n: 64, samples: 2000, widths: [8, 16, 32, 64] });
 * report.comparisons.rho; // means, variances, KS, distances, network against SDE
 */
export async function validate(
  settings: Partial<ValidationSettings> | Readonly<Record<string, unknown>> = {},
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  requireKnownKeys('validate (its second argument)', options, ['threads', 'onStage']);
  const cfg = readValidationSettings(settings as Readonly<Record<string, unknown>>);
  planValidation(cfg);
  options.onStage?.('SDE and networks at T');
  const run = { threads: options.threads, pathSaves: pathSaves(cfg) };
  const activation = activationFromSpec(pointActivation(cfg));
  const sde = await runPointSde(cfg, activation, run);
  const network = await runPointNetworks(cfg, activation, cfg.n, { ...run, factorMoments: true });
  // The statistics run on this thread (bootstraps take a minute at 4e5 paths): in slices, so that a stop
  // request is honoured within a slice, and as a stage of their own, so that the wait is explained.
  options.onStage?.('statistics at T: bootstrap intervals, tests, distances');
  const point = await cooperate(comparePointSteps(cfg, sde, network, run));
  options.onStage?.('convergence in width');
  const widths = await widthStudy(cfg, cfg.widths, {
    threads: options.threads,
    onLevel: (n) => options.onStage?.(`width ${n}`),
  });
  const histograms: Partial<Record<ObservableName, Histogram>> = {};
  for (const name of OBSERVABLES) {
    const a = observable(point.sde, name).values;
    const b = observable(point.network, name).values;
    if (a.length < 2 || b.length < 2) continue;
    const h = histogram(a, b);
    histograms[name] = { edges: h.edges, sde: h.a, network: h.b };
    await pause();
  }
  const bundle = (samples: CovarianceSamples, name: ObservableName) => cooperate(pathBundleSteps(samples, name));
  const paths = {
    rho: { sde: await bundle(point.sde, 'rho'), network: await bundle(point.network, 'rho') },
    logVaa: { sde: await bundle(point.sde, 'logVaa'), network: await bundle(point.network, 'logVaa') },
  };
  const solver = pointSolver(cfg, pointArchitecture(cfg).sde(activationFromSpec(pointActivation(cfg))));
  return {
    ...reportHeader(VALIDATION_SCHEMA, cfg),
    solver: solver.name,
    notes: solver.note ? [solver.note] : [],
    architecture: point.architecture,
    activation: point.activation,
    depth: point.depth,
    status: { sde: point.sde.counts, network: point.network.counts },
    explosion: point.explosion,
    ...(point.batch ? { batch: point.batch } : {}),
    comparisons: point.comparisons,
    theory: point.theory,
    widths,
    warnings: [
      ...finiteSizeWarnings(pointActivation(cfg), cfg.n, cfg.x0, cfg.threshold, { rho0: cfg.rho0, T: cfg.T }),
      ...repairWarnings(point.sde.counts, point.sde.paths, cfg.solver),
    ],
    histograms,
    paths,
  };
}
