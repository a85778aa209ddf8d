// Norm explosion and vanishing, the if-and-only-if criterion (docs/maths.md, section 4): each diagonal
// solves dX = beta X^2 dt + sqrt(2) X dB, which explodes in finite time with probability 1 - exp(-beta X0)
// iff beta > 0 and vanishes otherwise. An explosion point sets P(X crosses the threshold by T) from the
// SDE (the split scheme) and from finite networks beside its exact value (Kolmogorov backward equation)
// and the closed form for T -> infinity, with mean explosion times.
import { activationFromSpec, parseActivation, type Activation } from '../src/activations/index.js';
import { InputError, requirePositive } from '../src/errors.js';
import type { OptionSources } from '../src/options.js';
import { requireKnownKeys } from '../src/apiOptions.js';
import { readApiSettings } from './settings.js';
import { PURPOSES } from '../src/random/streams.js';
import { PATH_EXPLODED } from '../src/results.js';
import {
  meanEstimate,
  proportionDifference,
  wilson,
  type Estimate,
  type Proportion,
  type ProportionDifference,
} from '../src/stats/index.js';
import { sampleNetworks } from '../networks/index.js';
import { brownianSampling, constantSteps, saveAt, solve, solverForSde, type SolverName } from '../sde/index.js';
import { mlp, toArchitecture, type Architecture } from '../architectures/index.js';
import { OPTION, pointActivation, pointArchitecture } from './options.js';
import type { Missing } from './point.js';
import { bridgeCrossings } from './crossing.js';
import { finiteSizeWarnings, type Warning } from './warnings.js';
import { referencesOf } from '../architectures/index.js';

/** What beta implies: finite-time explosion with positive probability (beta > 0), vanishing (beta < 0), or critical. */
export type Regime = 'explodes' | 'vanishes' | 'critical';

/** The explosion criterion of one smooth activation: beta, the regime and P(explode ever) = 1 - exp(-beta X0). */
export interface Criterion {
  readonly activation: string;
  readonly beta: number;
  /** beta > 0: explodes with positive probability; beta < 0: vanishes; beta = 0: critical (GBM, vanishes). */
  readonly regime: Regime;
  readonly x0: number;
  /** P(explodes ever) = 1 - exp(-beta X0) for beta > 0, else 0. */
  readonly explosionProbability: number;
}

/**
 * beta, the regime and P(explode ever) of a shaped activation from an input variance x0.
 * @example
 * criterion(shapedSmooth('swish', { a: 1 }), 1); // { beta: 0.75, regime: 'explodes', explosionProbability: 0.5276... }
 */
export function criterion(
  given: Activation | string,
  x0 = 1,
  architectureGiven: Architecture | string = mlp(),
): Criterion {
  const activation = typeof given === 'string' ? parseActivation(given, 'activation') : given;
  const architecture = toArchitecture(architectureGiven);
  if (!activation.limit)
    throw new InputError(
      'activation',
      activation.name,
      'has no SDE limit (unshaped); the criterion applies to shaped activations',
    );
  requirePositive('x0', x0);
  const beta = activation.limit.beta;
  const ever = referencesOf(architecture).explosionEver(activation, { x0 });
  if (ever.value === null)
    throw new InputError('architecture', architecture.text, `has no exact P(explode ever): ${ever.reason}`);
  return {
    activation: activation.name,
    beta,
    regime: beta > 0 ? 'explodes' : beta < 0 ? 'vanishes' : 'critical',
    x0,
    explosionProbability: ever.value,
  };
}

/** The options of an explosion point (the explosion scan's base, and each row of the criterion report). */
export const EXPLOSION_OPTIONS = [
  { ...OPTION.activation, default: 'swish:1' },
  OPTION.x0,
  OPTION.T,
  { ...OPTION.n, default: 256 },
  { ...OPTION.paths, default: 20_000 },
  {
    ...OPTION.steps,
    default: 64,
    help: 'SDE steps over [0, T] (the split scheme is within 1e-3 of the exact probability from 16)',
  },
  OPTION.solver,
  { ...OPTION.samples, default: 2000 },
  {
    ...OPTION.threshold,
    help: 'explosion threshold on V^aa, in units of x0 (the input variance), the same for SDE and networks',
  },
  OPTION.architecture,
  OPTION.seed,
] as const;

/** The settings of one explosion point, as read from EXPLOSION_OPTIONS. */
export interface ExplosionSettings {
  readonly architecture: string;
  readonly activation: string;
  readonly x0: number;
  readonly T: number;
  readonly n: number;
  readonly paths: number;
  readonly steps: number;
  readonly solver: SolverName;
  readonly samples: number;
  readonly threshold: number;
  readonly seed: number;
}

/** Explosion-point settings from plain values (or CLI sources), checked and with defaults. */
export function readExplosionSettings(
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): ExplosionSettings {
  return readApiSettings<ExplosionSettings>('readExplosionSettings', EXPLOSION_OPTIONS, values, sources);
}

/** One explosion point: P(cross the threshold by T) exactly, from the SDE and from networks, with mean crossing times. */
export interface ExplosionPoint {
  readonly settings: ExplosionSettings;
  readonly criterion: Criterion;
  /** The absolute threshold (threshold * x0). */
  readonly threshold: number;
  /** P(X crosses the threshold by T), exactly (Kolmogorov backward equation). */
  readonly exact: number;
  /** Split scheme, with the crossings between steps added by the Brownian bridge (validation/crossing.ts). */
  readonly sde: Proportion;
  /** SDE paths counted as crossed inside a step (they ended every step below the threshold). */
  readonly sdeBridged: number;
  readonly network: Proportion;
  /** network - SDE. */
  readonly difference: ProportionDifference;
  /** Mean crossing time of the paths (networks: layer / n) that crossed by T. */
  readonly sdeTime: Estimate | Missing;
  readonly networkTime: Estimate | Missing;
  /** Finite-size conditions under which the networks need not match the SDE (validation/warnings.ts). */
  readonly warnings: readonly Warning[];
}

function meanTime(times: number[]): Estimate | Missing {
  return times.length >= 2
    ? meanEstimate(times)
    : { missing: `${times.length} path${times.length === 1 ? '' : 's'} crossed by T` };
}

function exactOrThrow(ref: { value: number | null; reason?: string }, architecture: string): number {
  if (ref.value === null)
    throw new InputError('architecture', architecture, `has no exact P(explode by T): ${ref.reason}`);
  return ref.value;
}

/** One explosion point: the diagonal SDE and one-input networks crossing threshold * x0 by T. */
export async function runExplosionPoint(
  given: ExplosionSettings | Readonly<Record<string, unknown>> = {},
  options: { threads?: number | undefined } = {},
): Promise<ExplosionPoint> {
  requireKnownKeys('runExplosionPoint (its second argument)', options, ['threads']);
  return runExplosionPointWith(readExplosionSettings(given as Readonly<Record<string, unknown>>), options);
}

/** runExplosionPoint on settings already read (a scan point's). */
export async function runExplosionPointWith(
  settings: ExplosionSettings,
  options: { threads?: number | undefined } = {},
): Promise<ExplosionPoint> {
  const activation = activationFromSpec(pointActivation(settings));
  const architecture = pointArchitecture(settings);
  const crit = criterion(activation, settings.x0, architecture);
  const threshold = settings.threshold * settings.x0;
  if (!architecture.diagonalSde)
    throw new InputError('architecture', settings.architecture, 'has no diagonal SDE: an explosion point needs one');
  const sol = await solve({
    sde: architecture.diagonalSde(activation),
    solver: solverForSde(settings.solver, architecture.diagonalSde(activation), settings.x0).solver,
    T: settings.T,
    v0: settings.x0,
    stepping: constantSteps(settings.steps),
    // Every step saved: the bridge correction needs each step's end values.
    saveAt: saveAt({ count: settings.steps }),
    paths: settings.paths,
    seed: settings.seed,
    brownian: brownianSampling({ purpose: PURPOSES.sde }),
    threshold: settings.threshold,
    threads: options.threads,
  });
  const depth = Math.max(1, Math.round(settings.T * settings.n));
  const net = await sampleNetworks({
    architecture,
    activation,
    n: settings.n,
    depth,
    v0: [[settings.x0]],
    samples: settings.samples,
    seed: settings.seed,
    threshold: settings.threshold,
    streams: { purpose: PURPOSES.network },
    threads: options.threads,
  });
  const crossings = bridgeCrossings(sol, threshold, settings.seed, `${PURPOSES.sde}/bridge`);
  const sdeTimes: number[] = [];
  for (let p = 0; p < sol.paths; p++) if (crossings.time[p] >= 0) sdeTimes.push(crossings.time[p]);
  const netTimes: number[] = [];
  for (let p = 0; p < net.samples; p++)
    if (net.status[p] === PATH_EXPLODED) netTimes.push(net.explosionLayer[p] / settings.n);
  const sde = wilson(sdeTimes.length, sol.paths);
  const network = wilson(netTimes.length, net.samples);
  return {
    settings,
    criterion: crit,
    threshold,
    // 2000 cells and 1000 steps: within 4e-7 of a grid 8 times finer at five (T, threshold, x0, beta)
    // points, at a quarter of the 4000 x 2000 grid's cost (the criterion report's grid).
    exact: exactOrThrow(
      referencesOf(architecture).explosionProbability(activation, {
        x0: settings.x0,
        T: settings.T,
        threshold: settings.threshold,
        cells: 2000,
        steps: 1000,
      }),
      settings.architecture,
    ),
    sde,
    network,
    difference: proportionDifference(network, sde),
    sdeBridged: crossings.bridged,
    sdeTime: meanTime(sdeTimes),
    networkTime: meanTime(netTimes),
    warnings: finiteSizeWarnings(pointActivation(settings), settings.n, settings.x0, settings.threshold),
  };
}
