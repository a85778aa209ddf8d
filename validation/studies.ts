// The two study reports beyond validate: the explosion criterion across the smooth catalog and shaping
// scales (P(explode by T) from the split SDE, the exact Kolmogorov value, finite networks, and the median
// norm on the vanishing side), and the fourth cumulants against L/n for several widths.
import {
  parseActivation,
  parseActivationSpec,
  shapedSmooth,
  type Activation,
  type ActivationSpec,
} from '../src/activations/index.js';
import { InputError } from '../src/errors.js';
import { deprecated, readSettings, type OptionSources, type OptionSpec } from '../src/options.js';
import { PURPOSES } from '../src/random/streams.js';
import { PATH_EXPLODED } from '../src/results.js';
import { median, wilson, type Proportion } from '../src/stats/index.js';
import { sampleNetworks } from '../networks/index.js';
import { brownianSampling, constantSteps, ninomiyaVictoir, saveAt, solve } from '../sde/index.js';
import type { Architecture, Reference } from '../architectures/index.js';
import { cumulantTheory, measureCumulants, type CumulantMeasurement, type CumulantTheory } from './cumulants.js';
import { criterion, type Criterion } from './explosion.js';
import { CRITERION_ACTIVATIONS, NETWORK_ACTIVATION_GRAMMAR, OPTION, pointArchitecture } from './options.js';
import type { Missing } from './point.js';
import { reportHeader, type ReportHeader } from './header.js';
import { bridgeCrossings } from './crossing.js';
import { finiteSizeWarnings, type Warning } from './warnings.js';
import { referencesOf } from '../architectures/index.js';

/** The schema tag of criterion reports. */
export const CRITERION_SCHEMA = 'ncsde.criterion/2';
/** The schema tag of cumulant reports. */
export const CUMULANT_SCHEMA = 'ncsde.cumulants/2';

/** The options of the criterion study (`ncsde criterion --report`), each with its range and default. */
export const CRITERION_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'activations',
    kind: { type: 'choices', choices: CRITERION_ACTIVATIONS, minItems: 1 },
    help: 'smooth activations',
    default: [...CRITERION_ACTIVATIONS],
  },
  {
    key: 'a',
    kind: { type: 'numbers', min: 0, max: 1e3, exclusiveMin: true, minItems: 1 },
    help: 'shaping scales a',
    default: [0.75, 1, 1.5],
  },
  OPTION.x0,
  {
    key: 'T',
    kind: { type: 'numbers', min: 0, max: 100, exclusiveMin: true, minItems: 1 },
    help: 'depth-to-width ratios T at which P(explode by T) is read',
    default: [0.5, 1, 2, 4, 8],
    aliases: ['ts'],
  },
  { ...OPTION.paths, default: 4000 },
  { ...OPTION.stepsPerUnit, help: 'split-scheme steps per unit time', default: 64 },
  { ...OPTION.n, default: 256, help: 'network width of the network comparison' },
  { ...OPTION.samples, default: 1000 },
  {
    key: 'networkT',
    kind: { type: 'numbers', min: 0, max: 100, exclusiveMin: true, minItems: 1 },
    help: 'depth-to-width ratios T of the network comparison',
    default: [0.5, 1],
    aliases: ['networkTs'],
  },
  {
    ...OPTION.threshold,
    default: 10,
    help: 'threshold of the network comparison, in units of x0 (well above 1/beta, well below a^2 n)',
  },
  OPTION.architecture,
  OPTION.seed,
];

/** The settings of the criterion study, as read from its options. */
export interface CriterionSettings {
  readonly architecture: string;
  readonly activations: readonly (typeof CRITERION_ACTIVATIONS)[number][];
  readonly a: readonly number[];
  readonly x0: number;
  readonly T: readonly number[];
  readonly paths: number;
  readonly stepsPerUnit: number;
  readonly n: number;
  readonly samples: number;
  readonly networkT: readonly number[];
  readonly threshold: number;
  readonly seed: number;
}

/** What the criterion measures of one activation: beta, the regime and P(explode ever), P(explode by each
 *  T) exactly and from the SDE, and networks against the SDE and the exact value at a threshold. */
export interface CriterionMeasurement {
  readonly criterion: Criterion;
  /** P(explode by t) exactly (Kolmogorov backward equation), for each t of T. */
  readonly exact: readonly number[];
  /** P(explode by t) from the split SDE (true blow-up, no threshold). */
  readonly sde: readonly Proportion[];
  /** Median of X_t over all paths (exploded ones above any value); a row that cannot have one says why. */
  readonly medians: ReadonlyArray<number | Missing>;
  /** Networks and SDE crossing threshold * x0 by each of networkTs, with the exact value. */
  readonly network: readonly Proportion[];
  readonly sdeAtThreshold: readonly Proportion[];
  readonly exactAtThreshold: readonly number[];
}

/** One activation and scale of the criterion study. */
export interface CriterionRow extends CriterionMeasurement {
  readonly f: string;
  readonly a: number;
}

/** The criterion study: per activation and scale, beta, regime and P(explode by T) exactly, from the SDE and from networks. */
export interface CriterionReport extends ReportHeader<typeof CRITERION_SCHEMA, CriterionSettings> {
  readonly rows: readonly CriterionRow[];
}

/** Criterion settings from plain values (or CLI sources), checked and with defaults. */
export function readCriterionSettings(
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): CriterionSettings {
  return readSettings<CriterionSettings>(CRITERION_OPTIONS, values, sources);
}

/** The settings one activation of the criterion is measured with (the study's, less its catalogue). */
export type CriterionRunSettings = Omit<CriterionSettings, 'activations' | 'a'>;

/** The options of one point of the criterion (`ncsde criterion --activation ...`): one shaped activation
 *  and the study's other options, with the same defaults, so that a point is its row of the study. */
export const CRITERION_POINT_OPTIONS: readonly OptionSpec[] = [
  {
    ...OPTION.activation,
    default: undefined,
    help: 'the shaped activation of the point: its beta, regime, P(explode ever) and P(explode by T)',
  },
  ...CRITERION_OPTIONS.filter((o) => o.key !== 'activations' && o.key !== 'a'),
];

/** The settings of one point of the criterion, as read from its options. */
export interface CriterionPointSettings extends CriterionRunSettings {
  readonly activation: string;
}

/** Criterion point settings from plain values (or CLI sources), checked and with defaults; the
 *  activation is required. */
export function readCriterionPointSettings(
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): CriterionPointSettings {
  const s = readSettings<CriterionPointSettings>(CRITERION_POINT_OPTIONS, values, sources);
  if (s.activation === undefined)
    throw new InputError('activation', undefined, 'is required: the shaped activation of the point (e.g. swish:1)');
  // The activation first in the record, as the flags' order has it.
  const { activation, ...rest } = s;
  return { activation, ...rest };
}

/** Refuse, before anything runs, an architecture the criterion cannot measure: it needs the diagonal SDE
 *  and the exact explosion references. */
export function planCriterion(settings: Pick<CriterionSettings, 'architecture' | 'x0'>, activation: Activation): void {
  const architecture = pointArchitecture(settings);
  if (!architecture.diagonalSde)
    throw new InputError('architecture', settings.architecture, 'has no diagonal SDE: the criterion needs one');
  const ever = referencesOf(architecture).explosionEver(activation, { x0: settings.x0 });
  if (ever.value === null)
    throw new InputError('architecture', settings.architecture, `has no exact P(explode ever): ${ever.reason}`);
}

/**
 * P(cross threshold by each t) from one split-scheme run, saved at every step. With `bridge`, crossings
 * inside a step are added by the Brownian bridge (validation/crossing.ts): without it a threshold the
 * paths can reach is under-counted by O(sqrt(dt)) (0.2457 against the exact 0.2486 at 64 steps per unit,
 * 240,000 paths); blow-up itself (threshold 1e12 X0) is caught by the exact drift flow and needs none.
 * `relative` is in units of x0, as every threshold of the package.
 */
async function sdeCrossing(
  architecture: Architecture,
  activation: Activation,
  s: CriterionRunSettings,
  ts: readonly number[],
  relative: number,
  bridge: boolean,
  threads?: number,
) {
  const threshold = relative * s.x0;
  const tMax = Math.max(...ts);
  const steps = Math.ceil(tMax * s.stepsPerUnit);
  if (!architecture.diagonalSde)
    throw new InputError('architecture', s.architecture, 'has no diagonal SDE: the criterion study needs one');
  const purpose = `${PURPOSES.sde}/${activation.name}/${threshold}`;
  const sol = await solve({
    sde: architecture.diagonalSde(activation),
    solver: ninomiyaVictoir(),
    T: tMax,
    v0: s.x0,
    stepping: constantSteps(steps),
    saveAt: saveAt({ count: steps }),
    paths: s.paths,
    seed: s.seed,
    brownian: brownianSampling({ purpose }),
    threshold: relative,
    threads,
  });
  const time = bridge
    ? bridgeCrossings(sol, threshold, s.seed, `${purpose}/bridge`).time
    : Float64Array.from(sol.explosionTime, (t, p) => (sol.status[p] === PATH_EXPLODED ? t : -1));
  const crossed = (p: number, t: number) => time[p] >= 0 && time[p] <= t + 1e-12;
  const probabilities = ts.map((t) => {
    let k = 0;
    for (let p = 0; p < sol.paths; p++) if (crossed(p, t)) k++;
    return wilson(k, sol.paths);
  });
  const medians = ts.map((t): number | Missing => {
    const save = Math.round((t / tMax) * steps);
    const xs = Array.from({ length: sol.paths }, (_, p) => (crossed(p, t) ? Infinity : sol.values.get(save, p)));
    const m = median(xs);
    return Number.isFinite(m) ? m : { missing: 'over half the paths exploded' };
  });
  return { probabilities, medians };
}

/**
 * The explosion criterion over the smooth catalogue: beta, the regime, and P(explode by T) from the SDE,
 * from finite networks and exactly, with Wilson/Newcombe intervals.
 * @example
 * const report = await criterionReport({ activations: ['tanh', 'swish'], T: [1, 2], paths: 20_000 });
 */
export async function criterionReport(
  settings: Readonly<Record<string, unknown>> | CriterionSettings = {},
  options: { threads?: number; onRow?: (label: string) => void } = {},
): Promise<CriterionReport> {
  const s = readCriterionSettings(settings as Readonly<Record<string, unknown>>);
  const rows: CriterionRow[] = [];
  for (const f of s.activations) {
    for (const a of s.a) {
      const activation = shapedSmooth(f, { a });
      planCriterion(s, activation);
      rows.push({ f, a, ...(await measureCriterion(activation, s, options.threads)) });
      options.onRow?.(`${f} a=${a}`);
    }
  }
  return { ...reportHeader(CRITERION_SCHEMA, s), rows };
}

/** The schema tag of a criterion point. */
export const CRITERION_POINT_SCHEMA = 'ncsde.criterion-point/2';

/** One point of the criterion: the activation's beta, regime and P(explode ever) (the architecture by its
 *  label), and what its row of the study measures, with the settings that made it. */
export interface CriterionPoint
  extends ReportHeader<typeof CRITERION_POINT_SCHEMA, CriterionPointSettings>,
    Criterion,
    Omit<CriterionMeasurement, 'criterion'> {
  readonly architecture: string;
  /** Finite-size conditions under which the networks need not match the SDE (validation/warnings.ts). */
  readonly warnings: readonly Warning[];
}

/**
 * One activation through the criterion: beta, the regime, P(explode ever), and P(explode by each T)
 * exactly and from the SDE (Wilson intervals) with the median of X_T, and networks of width n against the
 * SDE and the exact value crossing the threshold by each network T. The same numbers as its row of
 * criterionReport at the same settings.
 * @example
 * const p = await criterionPoint({ activation: 'swish:1', T: [1, 2] });
 * p.exact[0]; // P(explode by T = 1), exactly; p.sde[0] the SDE's, with its interval
 */
export async function criterionPoint(
  settings: Readonly<Record<string, unknown>> | CriterionPointSettings,
  options: { threads?: number | undefined } = {},
): Promise<CriterionPoint> {
  const s = readCriterionPointSettings(settings as Readonly<Record<string, unknown>>);
  const activation = parseActivation(s.activation, 'activation');
  planCriterion(s, activation);
  const { criterion: c, ...measured } = await measureCriterion(activation, s, options.threads);
  return {
    ...reportHeader(CRITERION_POINT_SCHEMA, s),
    architecture: pointArchitecture(s).label,
    ...c,
    ...measured,
    warnings: finiteSizeWarnings(parseActivationSpec(s.activation), s.n, s.x0, s.threshold),
  };
}

/** What the criterion measures of one activation (a row of the study, a point). */
async function measureCriterion(
  activation: Activation,
  s: CriterionRunSettings,
  threads: number | undefined,
): Promise<CriterionMeasurement> {
  const architecture = pointArchitecture(s);
  const exactly = (r: Reference<number>) => {
    if (r.value === null)
      throw new InputError('architecture', s.architecture, `has no exact P(explode by T): ${r.reason}`);
    return r.value;
  };
  const c = criterion(activation, s.x0, architecture);
  // "Explosion" on the SDE side is blow-up itself: far above any value a finite run reaches.
  const blowUp = await sdeCrossing(architecture, activation, s, s.T, 1e12, false, threads);
  const atThreshold = await sdeCrossing(architecture, activation, s, s.networkT, s.threshold, true, threads);
  const n = s.n;
  const net = await sampleNetworks({
    architecture,
    activation,
    n,
    depth: Math.max(1, Math.round(Math.max(...s.networkT) * n)),
    v0: [[s.x0]],
    samples: s.samples,
    seed: s.seed,
    threshold: s.threshold,
    streams: { purpose: `${PURPOSES.network}/${activation.name}` },
    threads,
  });
  const network = s.networkT.map((t) => {
    const layer = Math.round(t * n);
    let k = 0;
    for (let p = 0; p < net.samples; p++) if (net.status[p] === PATH_EXPLODED && net.explosionLayer[p] <= layer) k++;
    return wilson(k, net.samples);
  });
  return {
    criterion: c,
    exact: s.T.map((t) =>
      exactly(
        referencesOf(architecture).explosionProbability(activation, { x0: s.x0, T: t, cells: 2000, steps: 1000 }),
      ),
    ),
    sde: blowUp.probabilities,
    medians: blowUp.medians,
    network,
    sdeAtThreshold: atThreshold.probabilities,
    exactAtThreshold: s.networkT.map((t) =>
      exactly(
        referencesOf(architecture).explosionProbability(activation, {
          x0: s.x0,
          T: t,
          threshold: s.threshold,
          cells: 2000,
          steps: 1000,
        }),
      ),
    ),
  };
}

/** The cumulant report's default activations: the unshaped baselines and the shaped ReLU relu:0,-1. */
export const CUMULANT_ACTIVATIONS = ['linear', 'relu', 'tanh', 'relu:0,-1'] as const;
/** An activation of the cumulant study: a text of the network activation grammar (shaped, or an unshaped
 *  baseline: relu, tanh, linear), as --activation takes it everywhere. */
export type CumulantActivation = string;

/** The study's own names from before it took the activation grammar, kept one release with a note. */
const OLD_CUMULANT_NAMES: Readonly<Record<string, string>> = { 'shaped-relu': 'relu:0,-1' };

/** A cumulant activation's text in the grammar: an old name becomes its text, said once as deprecated. */
export function cumulantActivationText(text: string): string {
  if (!Object.hasOwn(OLD_CUMULANT_NAMES, text)) return text;
  deprecated(`the activation name ${text}`, OLD_CUMULANT_NAMES[text]);
  return OLD_CUMULANT_NAMES[text];
}

/** Check a cumulant activation's text (the grammar, or an old name). */
export function checkCumulantActivation(value: unknown, field: string): void {
  if (typeof value === 'string' && Object.hasOwn(OLD_CUMULANT_NAMES, value)) return;
  parseActivationSpec(value, field);
}

/** The activation of a cumulant text (relu:0,-1 shaped; relu, tanh, linear the unshaped baselines). */
export function cumulantActivation(text: CumulantActivation): Activation {
  return parseActivation(cumulantActivationText(text), 'activation');
}

/** The options of the cumulant study (`ncsde cumulants`), each with its range and default. */
export const CUMULANT_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'activations',
    kind: { type: 'texts', pattern: NETWORK_ACTIVATION_GRAMMAR, minItems: 1 },
    help: 'activations, as --activation takes them: shaped (relu:0,-1, tanh:1, ...) or the unshaped baselines relu, tanh, linear',
    default: [...CUMULANT_ACTIVATIONS],
    check: (value, field) => (value as unknown[]).forEach((text) => checkCumulantActivation(text, field)),
  },
  {
    key: 'widths',
    kind: { type: 'integers', min: 4, max: 100_000, minItems: 1 },
    help: 'widths n',
    default: [32, 64, 128],
  },
  {
    key: 'T',
    kind: { type: 'numbers', min: 0, max: 4, exclusiveMin: true, minItems: 1 },
    help: 'depth-to-width ratios T = L/n',
    default: [0.0625, 0.125, 0.25, 0.5, 1],
    aliases: ['ratios'],
  },
  { ...OPTION.samples, default: 4000 },
  OPTION.architecture,
  OPTION.seed,
];

/** The settings of the cumulant study, as read from its options. */
export interface CumulantSettings {
  readonly architecture: string;
  readonly activations: readonly CumulantActivation[];
  readonly widths: readonly number[];
  readonly T: readonly number[];
  readonly samples: number;
  readonly seed: number;
}

/** One activation, width and depth of the cumulant study. */
export interface CumulantRow extends Omit<CumulantMeasurement, 'exploded'> {
  readonly activation: CumulantActivation;
  readonly theory: CumulantTheory;
}

/** The cumulant study: per activation, width and L/n, measurements beside exact or leading-order theory and the limit. */
export interface CumulantReport extends ReportHeader<typeof CUMULANT_SCHEMA, CumulantSettings> {
  readonly rows: readonly CumulantRow[];
}

/** Cumulant settings from plain values (or CLI sources), checked and with defaults. */
export function readCumulantSettings(
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): CumulantSettings {
  const s = readSettings<CumulantSettings>(CUMULANT_OPTIONS, values, sources);
  const activations = s.activations.map(cumulantActivationText);
  if (new Set(activations).size !== activations.length)
    throw new InputError('activations', s.activations, 'must not repeat an activation (shaped-relu is relu:0,-1)');
  return { ...s, activations };
}

/**
 * Fourth cumulants of outputs and input derivatives against L/n, with the exact (1 + k/n)^L - 1 where it
 * holds, the leading-order recursion otherwise, and calibrated intervals.
 */
export async function cumulantReport(
  settings: Readonly<Record<string, unknown>> | CumulantSettings = {},
  options: { threads?: number; onRow?: (label: string) => void } = {},
): Promise<CumulantReport> {
  const s = readCumulantSettings(settings as Readonly<Record<string, unknown>>);
  const architecture = pointArchitecture(s);
  const rows: CumulantRow[] = [];
  for (const name of s.activations) {
    const activation = cumulantActivation(name);
    for (const n of s.widths) {
      const layers = [...new Set(s.T.map((r) => Math.max(1, Math.round(r * n))))].sort((a, b) => a - b);
      const m = await measureCumulants({
        architecture,
        activation,
        n,
        layers,
        samples: s.samples,
        seed: s.seed,
        streamTag: `${name}/n=${n}`,
        threads: options.threads,
      });
      rows.push({
        activation: name,
        n,
        layers,
        T: m.T,
        output: m.output,
        pooled: m.pooled,
        derivative: m.derivative,
        derivativePooled: m.derivativePooled,
        theory: cumulantTheory(activation.spec as ActivationSpec, activation, n, layers, referencesOf(architecture)),
      });
      options.onRow?.(`${name} n=${n}`);
    }
  }
  return { ...reportHeader(CUMULANT_SCHEMA, s), rows };
}
