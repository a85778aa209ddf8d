// The options of the validation commands, each stated once (key = config key = long flag, range,
// default, units), and the typed settings they read into. validate, every scan point, criterion and
// cumulants draw their options from these tables.
import { parseActivationSpec, SMOOTH_NAMES, type ActivationSpec } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';
import type { OptionSpec, RowsValue } from '../src/options.js';
import type { NetworkMethod } from '../networks/index.js';
import { AUTO_SOLVER, SOLVER_NAMES, solverHelp, type SolverName } from '../sde/index.js';
import { architectureGrammar, architectureHelp, parseArchitecture, type Architecture } from '../architectures/index.js';

const ACTIVATION_GRAMMAR = 'relu:<c+>,<c-> | tanh|sin|swish|softplus|gelu:<a>';
/** What a network takes: a shaped activation, or an unshaped baseline (no SDE limit). */
export const NETWORK_ACTIVATION_GRAMMAR = `${ACTIVATION_GRAMMAR} | relu|tanh|linear`;

function shapedActivation(value: unknown, field: string): void {
  const spec = parseActivationSpec(value, field);
  if (spec.family === 'unshaped')
    throw new InputError(
      field,
      value,
      'must be a shaped activation (unshaped baselines have no SDE limit): relu:<c+>,<c-> or tanh|sin|swish|softplus|gelu:<a>',
    );
}

/** An architecture value given to the API stands for its --architecture text. */
function architectureText(value: unknown): unknown {
  return value !== null && typeof value === 'object' && typeof (value as Architecture).text === 'string'
    ? (value as Architecture).text
    : value;
}

/** Every option a comparison point can take, keyed by name. */
export const OPTION = {
  architecture: {
    key: 'architecture',
    kind: { type: 'text', pattern: architectureGrammar() },
    help: `architecture (${architectureHelp()})`,
    default: 'mlp',
    check: (value, field) => void parseArchitecture(value, field),
    fromValue: architectureText,
  },
  activation: {
    key: 'activation',
    kind: { type: 'text', pattern: ACTIVATION_GRAMMAR },
    help: 'shaped activation',
    default: 'relu:0,-1',
    check: shapedActivation,
  },
  m: {
    key: 'm',
    kind: { type: 'integer', min: 2, max: 512 },
    help: 'number of inputs (tokens, for attention): V0 equicorrelated from rho0 and x0',
    default: 2,
  },
  rho0: {
    key: 'rho0',
    kind: { type: 'number', min: -1, max: 1 },
    help: 'initial correlation of the two inputs',
    default: 0.5,
  },
  x0: {
    key: 'x0',
    kind: { type: 'number', min: 0, max: 1e6, exclusiveMin: true },
    help: 'input variance: the diagonal of V0',
    default: 1,
  },
  T: {
    key: 'T',
    kind: { type: 'number', min: 0, max: 100, exclusiveMin: true },
    help: "depth-to-width ratio d/n (the SDE's final time)",
    default: 1,
  },
  n: { key: 'n', kind: { type: 'integer', min: 2, max: 100_000 }, help: 'network width', default: 128 },
  widths: {
    key: 'widths',
    kind: { type: 'integers', min: 2, max: 100_000, minItems: 4 },
    help: 'widths of the convergence study (a rate needs at least 4)',
    default: [4, 8, 16, 32, 64, 128],
  },
  paths: { key: 'paths', kind: { type: 'integer', min: 2, max: 1e8 }, help: 'SDE paths', default: 4000 },
  steps: { key: 'steps', kind: { type: 'integer', min: 1, max: 1e6 }, help: 'SDE steps over [0, T]', default: 32 },
  solver: {
    key: 'solver',
    kind: { type: 'choice', choices: [AUTO_SOLVER, ...SOLVER_NAMES] },
    help: `SDE solver (${solverHelp()}; auto: ninomiya-victoir where the SDE has exact sub-flows, which keeps its bias below the Monte Carlo resolution at 32 steps, else euler-maruyama)`,
    default: AUTO_SOLVER,
  },
  samples: { key: 'samples', kind: { type: 'integer', min: 2, max: 1e8 }, help: 'networks sampled', default: 4000 },
  // The samplers are the architecture's own (its table, checked when the networks are built), not a global list.
  sampler: {
    key: 'sampler',
    kind: {
      type: 'text',
      pattern: 'a sampler of the architecture: chain (exact in law) or explicit (every weight drawn)',
    },
    help: "network sampler, from the architecture's own table: chain (exact in law, the default) or explicit (every weight drawn)",
    default: 'chain',
    aliases: ['method'],
  },
  stepsPerUnit: {
    key: 'stepsPerUnit',
    kind: { type: 'integer', min: 1, max: 1e5 },
    help: 'solver steps per unit time',
    aliases: ['stepsPerUnit'],
  },
  threshold: {
    key: 'threshold',
    kind: { type: 'number', min: 1, max: 1e300, exclusiveMin: true },
    help: 'explosion threshold on max V^aa, in units of the largest input variance max_a V0^aa (x0 when V0 is equicorrelated), the same on both sides',
    default: 1e4,
  },
  seed: { key: 'seed', kind: { type: 'seed' }, help: 'seed of every stream', default: 1 },
  inputs: {
    key: 'inputs',
    kind: { type: 'rows', square: false },
    help: 'input vectors, one per row (P x d, .npy/.csv/.json): networks are fed them, the SDE starts at V0 = X X^T / d; sets --m',
  },
  v0: {
    key: 'v0',
    kind: { type: 'rows', square: true },
    help: 'the initial covariance V0 (m x m, symmetric PSD, .npy/.csv/.json; a config may hold the rows); sets --m',
  },
} as const satisfies Record<string, OptionSpec>;

/** The options of one SDE-versus-network comparison (validate, and every point of a validation scan). */
export const POINT_OPTIONS: readonly OptionSpec[] = [
  OPTION.activation,
  OPTION.m,
  OPTION.rho0,
  OPTION.x0,
  OPTION.v0,
  OPTION.inputs,
  OPTION.T,
  OPTION.n,
  OPTION.paths,
  OPTION.steps,
  OPTION.solver,
  OPTION.samples,
  OPTION.sampler,
  OPTION.threshold,
  OPTION.architecture,
  OPTION.seed,
];
/** validate: a point and the widths of its convergence study. */
export const VALIDATION_OPTIONS: readonly OptionSpec[] = [...POINT_OPTIONS.slice(0, -1), OPTION.widths, OPTION.seed];

/** The settings of one comparison point, as read from the options. */
export interface PointSettings {
  /** As the user wrote it ('mlp', 'resnet:0.7'); pointArchitecture gives the value. */
  /** As the user wrote it ('mlp', 'resnet:0.7'), or an Architecture value whose text the grammar does not
   *  know (a composition with a block of the caller's own: it runs on the calling thread). */
  readonly architecture: string | Architecture;
  readonly activation: string;
  /** Number of inputs (the side of V0). */
  readonly m: number;
  readonly rho0: number;
  readonly x0: number;
  readonly T: number;
  readonly n: number;
  readonly paths: number;
  readonly steps: number;
  readonly solver: SolverName;
  readonly samples: number;
  readonly sampler: NetworkMethod;
  /** In units of the largest input variance max_a V0^aa (x0 when V0 is equicorrelated). */
  readonly threshold: number;
  readonly seed: number;
  /** V0 itself (m x m), instead of x0 and rho0; the API takes rows (the CLI reads --v0 files into rows). */
  readonly v0?: RowsValue;
  /** Input vectors (P x d): the networks are fed them and V0 = X X^T / d. */
  readonly inputs?: RowsValue;
}

export interface ValidationSettings extends PointSettings {
  readonly widths: readonly number[];
}

/** The activation of a point as a spec (the settings keep the string the user wrote). */
export function pointActivation(settings: Pick<PointSettings, 'activation'>): ActivationSpec {
  return parseActivationSpec(settings.activation, 'activation');
}

/** The architecture of a point as a value. */
export function pointArchitecture(settings: Pick<PointSettings, 'architecture'>): Architecture {
  const given = settings.architecture;
  if (given !== undefined && typeof given === 'object') return given;
  return parseArchitecture(given ?? 'mlp', 'architecture');
}

/** The smooth activations the explosion criterion applies to. */
export const CRITERION_ACTIVATIONS = SMOOTH_NAMES;
