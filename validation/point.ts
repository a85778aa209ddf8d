// One SDE-versus-network comparison at T: integrate the SDE, sample networks of width n and depth T n
// from the same V0 on independent streams, apply one explosion threshold (in units of V) to both, and
// compare observables on the same event (not exploded by T), with the exact finite-width values next
// to the limits. validate and every point of a validation scan run this.
import { activationFromSpec, type Activation } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';
import { openStream, PURPOSES } from '../src/random/streams.js';
import { PATH_EXPLODED } from '../src/results.js';
import {
  bcaBootstrapSteps,
  logNormalMoments,
  moverDifference,
  proportionDifference,
  wilson,
  zFor,
  type Interval,
  type Proportion,
  type ProportionDifference,
} from '../src/stats/index.js';
import { sampleNetworks, type NetworkSample } from '../networks/index.js';
import { constantSteps, saveAt, solve, solverForSde, brownianSampling, type Sde, type Solution } from '../sde/index.js';
import { compareSampleSteps, type SampleComparison } from './compare.js';
import { HEAVY_TAILED, INTERVAL_CAVEATS, observable, OBSERVABLES, type ObservableName } from './observables.js';
import { pointActivation, pointArchitecture, type PointSettings } from './options.js';
import { readPointSettings } from './settings.js';
import { requireKnownKeys } from '../src/apiOptions.js';
import { gramOfRows } from '../src/io/matrix.js';
import { compareBatchSteps, type BatchComparison } from './batch.js';
import { cooperate, drain, type Steps } from '../src/steps.js';
import { pooledEstimates, widthCorrelationReference } from './theory.js';
import type { Architecture } from '../architectures/index.js';
import { referencesOf } from '../architectures/index.js';

/** A row that could not be computed says why instead of holding NaN. */
export interface Missing {
  readonly missing: string;
}

/** Explosion by T on both sides: Wilson intervals per side and the Newcombe interval of the difference. */
export interface ExplosionComparison {
  /** The event both sides are compared on. */
  readonly event: string;
  /** On max_a V^aa, absolute. */
  readonly threshold: number;
  readonly T: number;
  readonly network: Proportion;
  readonly sde: Proportion;
  readonly difference: ProportionDifference;
}

/** One theory row of a point: the exact finite-width value, the limit and the network's estimate in SE units. */
export interface TheoryRow {
  readonly quantity: string;
  /** Exact at width n, depth L (null: no closed form). */
  readonly exact: number | null;
  /** The depth-and-width limit at T (null: none known). */
  readonly limit: number | null;
  readonly network: Interval | Missing;
  /** (network - exact) / network SE. */
  readonly networkZ: number | null;
  readonly sde: Interval | Missing;
  /** (sde - limit) / sde SE. */
  readonly sdeZ: number | null;
  /** What the 'exact' column is where it is not an exact value (E rho: the PDE at the finite-width kappa_n). */
  readonly note?: string;
}

/** One SDE-versus-network comparison: explosion proportions, observable comparisons and theory rows, with the settings that made them. */
export interface PointResult {
  readonly settings: PointSettings;
  /** The architecture's label ("mlp", "resnet(gamma=0.7)"). */
  readonly architecture: string;
  readonly activation: { readonly name: string; readonly beta: number };
  readonly depth: number;
  readonly sde: Solution;
  readonly network: NetworkSample;
  readonly explosion: ExplosionComparison;
  readonly comparisons: Readonly<Record<ObservableName, SampleComparison | Missing>>;
  readonly theory: readonly TheoryRow[];
  /** With m > 2 inputs: every pair's E rho^ab and every input's E log V^aa, networks against the SDE (the comparisons above are of inputs 0 and 1). */
  readonly batch?: BatchComparison;
}

/** Whether a result cell is a `Missing` (a value that could not be computed, with the reason). */
export function isMissing(x: unknown): x is Missing {
  return typeof x === 'object' && x !== null && 'missing' in x;
}

/** V0 of a point: X X^T / d of its inputs, its v0, or x0 [[1, rho0], [rho0, 1]]. */
export function pointV0(settings: Pick<PointSettings, 'x0' | 'rho0' | 'v0' | 'inputs'>): number[][] {
  if (settings.v0 !== undefined) return settings.v0 as number[][];
  if (settings.inputs !== undefined) return gramOfRows(settings.inputs as number[][]);
  const { x0, rho0 } = settings;
  return [
    [x0, x0 * rho0],
    [x0 * rho0, x0],
  ];
}

/** The unit of a point's explosion threshold: the largest input variance max_a V0^aa. */
export function pointScale(settings: Pick<PointSettings, 'x0' | 'rho0' | 'v0' | 'inputs'>): number {
  const v0 = pointV0(settings);
  return Math.max(...v0.map((row, a) => row[a]));
}

/** Thread count, bootstrap resamples and the stream tag of a comparison point. */
export interface PointRunOptions {
  threads?: number | undefined;
  /** Intermediate saves for path plots (0: final time only). Saves never change the final values. */
  pathSaves?: number | undefined;
  /** Qualifies the stream families, so that several runs at one seed stay independent ('width=64'). */
  streamTag?: string | undefined;
  /** Bootstrap resamples per interval (default 2000). */
  resamples?: number | undefined;
}

function tagged(purpose: string, tag?: string): string {
  return tag ? `${purpose}/${tag}` : purpose;
}

/** The solver of a point: its settings' name, or auto's choice for the point's SDE (with the note of why). */
export function pointSolver(settings: PointSettings, sde: Sde): ReturnType<typeof solverForSde> {
  return solverForSde(settings.solver, sde, pointV0(settings));
}

/** The SDE side of a point (also the reference of each width level). */
export function runPointSde(
  settings: PointSettings,
  activation: Activation,
  options: PointRunOptions = {},
): Promise<Solution> {
  const architecture = pointArchitecture(settings);
  const steps = settings.steps;
  let saves = Math.min(options.pathSaves ?? 0, steps);
  while (saves > 0 && steps % saves !== 0) saves--;
  const sde = architecture.sde(activation);
  return solve({
    sde,
    solver: pointSolver(settings, sde).solver,
    T: settings.T,
    v0: pointV0(settings),
    stepping: constantSteps(steps),
    saveAt: saves > 0 ? saveAt({ count: saves }) : saveAt({ t1: true }),
    paths: settings.paths,
    seed: settings.seed,
    brownian: brownianSampling({ purpose: tagged(PURPOSES.sde, options.streamTag) }),
    threshold: settings.threshold,
    threads: options.threads,
  });
}

/** The network side of a point at width n (depth round(T n)). */
export function runPointNetworks(
  settings: PointSettings,
  activation: Activation,
  n: number,
  options: PointRunOptions & { factorMoments?: boolean } = {},
): Promise<NetworkSample> {
  const depth = Math.max(1, Math.round(settings.T * n));
  const saves = Math.min(options.pathSaves ?? 0, depth);
  return sampleNetworks({
    architecture: pointArchitecture(settings),
    activation,
    n,
    depth,
    ...(settings.inputs !== undefined ? { inputs: settings.inputs as number[][] } : { v0: pointV0(settings) }),
    samples: settings.samples,
    seed: settings.seed,
    sampler: settings.sampler,
    record: saves > 0 ? { count: saves } : undefined,
    threshold: settings.threshold,
    factorMoments: options.factorMoments,
    streams: { purpose: tagged(PURPOSES.network, options.streamTag) },
    threads: options.threads,
  });
}

/** The absolute explosion threshold a run applied (Infinity: none), as its settings record it. */
function recordedThreshold(samples: { settings: Readonly<Record<string, unknown>> }): number {
  const t = samples.settings.explosionThreshold;
  return typeof t === 'number' ? t : Infinity;
}

/**
 * P(exploded by T) on both sides: the fraction of SDE paths whose crossing time is at most T and of
 * networks whose crossing layer is at most round(T n), with Wilson intervals and the Newcombe interval of
 * the difference. `threshold` (absolute, on max_a V^aa) must be the one both runs applied: a run stops a
 * path at its own threshold, so crossings of another one were never observed. T must not pass either
 * run's final time.
 */
export function compareExplosions(
  network: NetworkSample,
  sde: Solution,
  threshold: number,
  T: number,
): ExplosionComparison {
  const sdeEnd = sde.ts.length ? sde.ts[sde.ts.length - 1] : 0;
  const netEnd = network.depth / network.n;
  if (!(T > 0) || T > Math.min(sdeEnd, netEnd) * (1 + 1e-12))
    throw new InputError(
      'T',
      T,
      `must be in (0, ${Math.min(sdeEnd, netEnd)}], the final time both runs reached (SDE ${sdeEnd}, networks ${netEnd})`,
    );
  for (const [side, run] of [
    ['SDE', recordedThreshold(sde)],
    ['networks', recordedThreshold(network)],
  ] as const) {
    if (!(Math.abs(threshold - run) <= 1e-12 * run) && threshold !== run)
      throw new InputError(
        'threshold',
        threshold,
        `must be the threshold the ${side} run applied (${run}): a run stops each path at its own threshold, so crossings of another were not observed; rerun with this threshold`,
      );
  }
  const layer = Math.round(T * network.n);
  let kNet = 0;
  for (let p = 0; p < network.samples; p++)
    if (network.status[p] === PATH_EXPLODED && network.explosionLayer[p] <= layer) kNet++;
  let kSde = 0;
  for (let p = 0; p < sde.paths; p++)
    if (sde.status[p] === PATH_EXPLODED && sde.explosionTime[p] <= T * (1 + 1e-12)) kSde++;
  const net = wilson(kNet, network.samples);
  const s = wilson(kSde, sde.paths);
  return {
    event: `max over inputs of V^aa crossed ${threshold} by T = ${T} (networks: at a layer up to ${layer} = T n; SDE: within a step, monitored at the steps' ends between the drift's exact flows)`,
    threshold,
    T,
    network: net,
    sde: s,
    difference: proportionDifference(net, s),
  };
}

/** The options of a point as an API caller may give them: any of POINT_OPTIONS, the activation and the
 *  architecture as values or texts (readPointSettings reads them). */
export type PointInput = Partial<Omit<PointSettings, 'activation' | 'architecture'>> & {
  activation?: string | Activation;
  architecture?: string | Architecture;
  [key: string]: unknown;
};

const RUN_KEYS = ['threads', 'pathSaves', 'streamTag', 'resamples'];

/**
 * Compare the SDE and finite networks at one point: independent streams per side, one explosion
 * threshold for both, comparisons on the event 'not exploded by T'. `settings` is any of POINT_OPTIONS
 * ({} means the defaults), read by readPointSettings: unknown keys are refused.
 * @example
 * const r = await runPoint({ architecture: 'resnet:0.5', activation: 'relu:0,-1', T: 1, n: 64 });
 * r.comparisons.rho; // means, variances, KS, distances
 */
export async function runPoint(
  settings: PointInput | PointSettings = {},
  options: PointRunOptions = {},
): Promise<PointResult> {
  requireKnownKeys('runPoint (its second argument)', options, RUN_KEYS);
  return runPointWith(readPointSettings(settings as Readonly<Record<string, unknown>>), options);
}

/** runPoint on settings already read (validate's, a scan point's). */
export async function runPointWith(settings: PointSettings, options: PointRunOptions = {}): Promise<PointResult> {
  const activation = activationFromSpec(pointActivation(settings));
  const sde = await runPointSde(settings, activation, options);
  const network = await runPointNetworks(settings, activation, settings.n, { ...options, factorMoments: true });
  // The statistics run on this thread: in slices, so that a stop request is honoured while they run.
  return cooperate(comparePointSteps(settings, sde, network, options));
}

/** The comparisons and theory rows of a point from its two sides (as runPoint ran them; the explorer
 *  shows each side as soon as it is done and then calls this). */
export function comparePoint(
  settings: PointSettings,
  sde: Solution,
  network: NetworkSample,
  options: PointRunOptions = {},
): PointResult {
  return drain(comparePointSteps(settings, sde, network, options));
}

/** comparePoint as steps that may pause (src/steps.ts): between bootstrap resamples, tests and entries. */
export function* comparePointSteps(
  settings: PointSettings,
  sde: Solution,
  network: NetworkSample,
  options: PointRunOptions = {},
): Steps<PointResult> {
  const spec = pointActivation(settings);
  const activation = activationFromSpec(spec);
  const architecture = pointArchitecture(settings);
  const depth = Math.max(1, Math.round(settings.T * settings.n));
  const threshold = settings.threshold * pointScale(settings);
  const comparisons = {} as Record<ObservableName, SampleComparison | Missing>;
  for (const name of OBSERVABLES) {
    const a = observable(network, name);
    const b = observable(sde, name);
    if (a.values.length < 3 || b.values.length < 3) {
      comparisons[name] = {
        missing: `fewer than 3 paths left on a side (network ${a.values.length}, SDE ${b.values.length}) after explosions`,
      };
      continue;
    }
    const c = yield* compareSampleSteps(a.values, b.values, {
      heavyTailed: HEAVY_TAILED.has(name),
      seed: settings.seed,
      label: `${options.streamTag ?? 'point'}/${name}`,
      resamples: options.resamples,
    });
    comparisons[name] = INTERVAL_CAVEATS[name] ? { ...c, caveat: INTERVAL_CAVEATS[name] } : c;
  }
  const vaa = comparisons.Vaa;
  if (!isMissing(vaa)) comparisons.Vaa = structuredVaa(vaa, settings, architecture, activation, network, sde, depth);
  const explosion = compareExplosions(network, sde, threshold, settings.T);
  const theory = yield* theoryRowSteps(settings, architecture, spec, depth, network, sde, comparisons, options);
  const batch = sde.values.shape[2] > 2 ? yield* compareBatchSteps(network, sde) : undefined;
  return {
    settings,
    architecture: architecture.label,
    activation: { name: activation.name, beta: activation.limit?.beta ?? 0 },
    depth,
    sde,
    network,
    explosion,
    comparisons,
    theory,
    ...(batch ? { batch } : {}),
  };
}

const scaled = (e: Interval, by: number): Interval => ({
  ...e,
  value: e.value * by,
  se: e.se * by,
  lower: e.lower * by,
  upper: e.upper * by,
});
/** (estimate - target) / SE, or null where either is missing. */
const zOf = (e: Interval | Missing, target: number | null) =>
  isMissing(e) || target === null || !(e.se > 0) ? null : (e.value - target) / e.se;

/**
 * The mean and variance of V^aa from the structure where it exists: the networks' pooled i.i.d. layer
 * factors (piecewise-linear layers), the SDE's Gaussian log V^aa (ReLU-like shaping). The sample moments
 * of V^aa are dominated by rare paths, and their bootstrap intervals covered 60-90% of replicate seeds
 * (npm run calibrate); these cover 95%. The difference of the two sides is the MOVER interval.
 */
function structuredVaa(
  c: SampleComparison,
  settings: PointSettings,
  architecture: Architecture,
  activation: Activation,
  network: NetworkSample,
  sde: Solution,
  depth: number,
): SampleComparison {
  const x0 = settings.x0;
  const pooled = pooledEstimates(network.factors, network.status, depth);
  const logs = observable(sde, 'logVaa').values;
  const fit =
    referencesOf(architecture).logDiagonal(activation, { x0, T: settings.T }).value !== null && logs.length >= 3
      ? logNormalMoments(logs, { scale: x0 })
      : null;
  if (!pooled && !fit) return c;
  const side = (stat: 'mean' | 'variance') => {
    const network = pooled ? scaled(pooled[stat], stat === 'mean' ? x0 : x0 * x0) : c[stat].network;
    const sdeSide = fit
      ? scaled(stat === 'mean' ? fit.moment(1) : fit.variance, stat === 'mean' ? x0 : x0 * x0)
      : c[stat].sde;
    const difference = moverDifference(network, sdeSide);
    return { network, sde: sdeSide, difference, z: difference.value / difference.se };
  };
  const mean = side('mean');
  return {
    ...c,
    mean,
    variance: side('variance'),
    detectable: { ...c.detectable, meanDifference: (zFor(0.95) + zFor(0.6)) * mean.difference.se },
  };
}

function* theoryRowSteps(
  settings: PointSettings,
  architecture: Architecture,
  spec: ReturnType<typeof pointActivation>,
  depth: number,
  network: NetworkSample,
  sde: Solution,
  comparisons: Record<ObservableName, SampleComparison | Missing>,
  options: PointRunOptions,
): Steps<TheoryRow[]> {
  const theory = referencesOf(architecture).finiteMoments(spec, { n: settings.n, depth, T: settings.T });
  // The theory rows are of the first input: its variance is their unit.
  const x0 = pointV0(settings)[0][0];
  const activation = activationFromSpec(spec);
  const pooled = pooledEstimates(network.factors, network.status, depth);
  const vaa = comparisons.Vaa;
  const z = zOf;
  const scale = (e: Interval, by: number): Interval => scaled(e, 1 / by);
  const noClosedForm = { missing: 'no finite-width closed form for this activation' };
  const rows: TheoryRow[] = [correlationRow(settings, architecture, spec, activation, comparisons.rho)];
  // The SDE side: where log V^aa_T is exactly Gaussian (ReLU-like shaping) the moments of V come from
  // the mean and variance of log V (the sample moments of V are dominated by rare paths and their
  // bootstrap intervals under-cover); otherwise BCa intervals straight from the paths.
  const logNormal = referencesOf(architecture).logDiagonal(activation, { x0, T: settings.T }).value !== null;
  const logs = observable(sde, 'logVaa').values;
  const fit = logNormal && logs.length >= 3 ? logNormalMoments(logs, { scale: x0 }) : null;
  const sdeMoments = yield* (function* () {
    if (fit) return { mean: fit.moment(1), second: fit.moment(2), kurtosis: fit.kurtosis };
    const v = observable(sde, 'Vaa').values;
    if (v.length < 3) return null;
    const boot = yield* bcaBootstrapSteps(
      [[v, v.map((x) => x * x)]],
      { second: (m) => m[0][1] / (x0 * x0), kurtosis: (m) => m[0][1] / (m[0][0] * m[0][0]) - 1 },
      {
        rng: openStream(settings.seed, `${PURPOSES.bootstrap}/${options.streamTag ?? 'point'}/sde-moments`, 0),
        resamples: options.resamples,
      },
    );
    return { mean: isMissing(vaa) ? null : scale(vaa.mean.sde, x0), second: boot.second, kurtosis: boot.kurtosis };
  })();
  const mean = referencesOf(architecture).meanDiagonal(spec);
  const meanExact = mean.exact;
  const networkMean: Interval | Missing = pooled ? pooled.mean : isMissing(vaa) ? vaa : scale(vaa.mean.network, x0);
  const sdeMean: Interval | Missing =
    sdeMoments?.mean ?? (isMissing(vaa) ? vaa : { missing: 'fewer than 3 SDE paths left after explosions' });
  rows.push({
    quantity: 'E[V^aa] / x0',
    exact: meanExact,
    limit: mean.limit,
    network: networkMean,
    networkZ: z(networkMean, meanExact),
    sde: sdeMean,
    sdeZ: z(sdeMean, mean.limit),
  });
  if (theory.secondMoment.exact === null && theory.secondMoment.limit === null) {
    rows.push({
      quantity: 'E[(V^aa)^2] / x0^2',
      exact: null,
      limit: null,
      network: noClosedForm,
      networkZ: null,
      sde: noClosedForm,
      sdeZ: null,
    });
    rows.push({
      quantity: 'Var(V^aa) / E[V^aa]^2 (logit kurtosis)',
      exact: null,
      limit: null,
      network: noClosedForm,
      networkZ: null,
      sde: noClosedForm,
      sdeZ: null,
    });
    return rows;
  }
  const netSecond: Interval | Missing = pooled
    ? pooled.secondMoment
    : { missing: 'no layer factors (explosions left fewer than 2 networks)' };
  const netKurtosis: Interval | Missing = pooled ? pooled.kurtosis : netSecond;
  const sdeSecond: Interval | Missing = sdeMoments
    ? sdeMoments.second
    : { missing: 'fewer than 3 SDE paths left after explosions' };
  const sdeKurt: Interval | Missing = sdeMoments ? sdeMoments.kurtosis : sdeSecond;
  rows.push({
    quantity: 'E[(V^aa)^2] / x0^2',
    exact: theory.secondMoment.exact,
    limit: theory.secondMoment.limit,
    network: netSecond,
    networkZ: z(netSecond, theory.secondMoment.exact),
    sde: sdeSecond,
    sdeZ: z(sdeSecond, theory.secondMoment.limit),
  });
  rows.push({
    quantity: 'Var(V^aa) / E[V^aa]^2 (logit kurtosis)',
    exact: theory.kurtosis.exact,
    limit: theory.kurtosis.limit,
    network: netKurtosis,
    networkZ: z(netKurtosis, theory.kurtosis.exact),
    sde: sdeKurt,
    sdeZ: z(sdeKurt, theory.kurtosis.limit),
  });
  return rows;
}

/**
 * E rho^ab_T: the limit from the correlation PDE, and for the shaped ReLU-like MLP what width n predicts
 * (docs/maths.md, section 5.1), which the networks are compared with: at c+ + c- != 0 networks sit
 * O(n^-1/2) from the limit.
 */
function correlationRow(
  settings: PointSettings,
  architecture: Architecture,
  spec: ReturnType<typeof pointActivation>,
  activation: Activation,
  rho: SampleComparison | Missing,
): TheoryRow {
  // 2000 cells and 1000 steps: within about 1e-5 of the converged PDE (docs/maths.md, section 8; 1.1e-5 at
  // rho0 = 0.9, T = 0.25 with half these grids), far below any Monte Carlo SE a report shows.
  const limit = referencesOf(architecture).correlationExpectation(activation, {
    rho0: settings.rho0,
    T: settings.T,
    cells: 2000,
    steps: 1000,
  }).value;
  // kappa_n is derived for the MLP's own layer map (docs/maths.md, section 5.1): where an architecture declares it has that map.
  const width = referencesOf(architecture).layerRecursion
    ? widthCorrelationReference(spec, settings.n, settings.rho0, settings.T)
    : null;
  const exact = width?.value ?? null;
  const network: Interval | Missing = isMissing(rho) ? rho : rho.mean.network;
  const sdeSide: Interval | Missing = isMissing(rho) ? rho : rho.mean.sde;
  const z = zOf;
  const note = !width
    ? `no finite-width reference for ${spec.family === 'relu-like' ? architecture.label : `${spec.family} activations`}`
    : width.basis === 'kappa_n'
      ? `width-n reference: the correlation PDE at kappa_n = ${width.kappaN.toPrecision(4)} (limit kappa = ${width.kappa}), which carries the O(n^-1/2) term; the O(1/n) remainder, measured -0.3/n to -0.5/n at rho0 = 0.5, T = 1 (docs/maths.md, section 5.1), is not in it`
      : `width-n reference: the limit, since kappa_n = ${width.kappaN.toPrecision(4)} (limit kappa = ${width.kappa}) would move E rho by less than the O(1/n) remainder 1.5/n (docs/maths.md, section 5.1)`;
  return {
    quantity: 'E[rho^ab]',
    exact,
    limit,
    network,
    networkZ: z(network, exact),
    sde: sdeSide,
    sdeZ: z(sdeSide, limit),
    note,
  };
}
