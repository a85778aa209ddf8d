// The option tables of `ncsde sde` and `ncsde network`, and the record a result keeps of the options that
// made it. Browser-safe: the explorer builds its results' settings from the same tables, so the page's
// window.ncsdeResults equal what the copied commands print.
import { parseActivationSpec } from '../src/activations/index.js';
import type { OptionSpec } from '../src/options.js';
import { kernelsInUse } from '../src/kernels/index.js';
import { GENERATORS } from '../src/random/streams.js';
import { PACKAGE_VERSION } from '../src/version.js';
import { NETWORK_ACTIVATION_GRAMMAR, OPTION } from '../validation/options.js';
import { MAX_INPUTS } from '../src/limits.js';
import { KEEP_CHOICES } from '../sde/index.js';

const shared = {
  m: {
    key: 'm',
    kind: { type: 'integer', min: 1, max: MAX_INPUTS },
    help: 'number of inputs (equicorrelated V0 from --rho0 and --x0)',
    default: 2,
  },
  threshold: {
    ...OPTION.threshold,
    help: 'explosion threshold on max V^aa, in units of the largest input variance, the same rule as the other side',
  },
  generator: {
    key: 'generator',
    kind: { type: 'choice', choices: GENERATORS },
    help: 'uniform source (xor4096: seedrandom-compatible)',
    default: 'xoshiro128++',
  },
  values: { key: 'values', kind: { type: 'boolean' }, help: 'include every path (network) in the output' },
} as const satisfies Record<string, OptionSpec>;

export const SDE_OPTIONS: readonly OptionSpec[] = [
  OPTION.activation,
  shared.m,
  { ...OPTION.rho0, help: 'initial correlation of every pair of inputs' },
  OPTION.x0,
  OPTION.v0,
  OPTION.inputs,
  OPTION.T,
  { ...OPTION.steps, default: 100 },
  {
    ...OPTION.solver,
    help: 'solver: euler-maruyama (the default), the splitting scheme ninomiya-victoir that stays in the PSD cone, or auto (the splitting scheme where the SDE has exact sub-flows)',
    default: 'euler-maruyama',
  },
  {
    key: 'extrapolate',
    kind: { type: 'boolean' },
    help: 'Talay-Tubaro: final-time means from N and 2N steps on one Brownian path',
  },
  {
    key: 'saves',
    kind: { type: 'integer', min: 1, max: 1e6 },
    help: 'equally spaced save times after t = 0 (a divisor of --steps)',
    default: 1,
  },
  { ...OPTION.paths, default: 1000 },
  shared.threshold,
  shared.generator,
  OPTION.architecture,
  OPTION.seed,
  shared.values,
  {
    key: 'keep',
    kind: { type: 'choice', choices: KEEP_CHOICES },
    help: "what the run keeps: paths (every path's m x m matrix at every save, for --values, .npy and .npz) or summary (only the JSON summary, the same numbers, in memory that does not grow with paths x saves x m^2)",
    default: 'paths',
  },
];

export const NETWORK_OPTIONS: readonly OptionSpec[] = [
  {
    ...OPTION.activation,
    kind: { type: 'text', pattern: NETWORK_ACTIVATION_GRAMMAR },
    help: 'activation (shaped, or an unshaped baseline)',
    check: (v, f) => void parseActivationSpec(v, f),
  },
  shared.m,
  { ...OPTION.rho0, help: 'input correlation of every pair' },
  OPTION.x0,
  OPTION.v0,
  OPTION.inputs,
  { key: 'n', kind: { type: 'integer', min: 1, max: 1 << 20 }, help: 'width', default: 128 },
  {
    key: 'T',
    kind: { type: 'number', min: 0, max: 1e4, exclusiveMin: true },
    help: 'depth-to-width ratio: depth = round(T n) (default 1 unless --depth)',
    aliases: ['ratio'],
  },
  { key: 'depth', kind: { type: 'integer', min: 1, max: 1e7 }, help: 'depth (instead of --T)' },
  OPTION.sampler,
  { ...OPTION.samples, default: 1000 },
  {
    key: 'record',
    kind: { type: 'integer', min: 1, max: 1e6 },
    help: 'layers recorded: the inputs (layer 0) and k equally spaced layers up to the depth, as --saves keeps t = 0 and k saves (the API: record: k)',
    default: 1,
  },
  { key: 'outputs', kind: { type: 'integer', min: 1, max: 65536 }, help: 'output logits per network', default: 1 },
  shared.threshold,
  shared.generator,
  OPTION.architecture,
  OPTION.seed,
  shared.values,
];

/** What a result records of how it was made: the options that determined its numbers, as a later
 *  `--config` of the output takes them back (V0 whole, the architecture and activation as texts), and
 *  the kernels and package version that ran (the kernels give the same bits either way). */
export function recordedSettings(
  values: Record<string, unknown>,
  keys: readonly string[],
  initial: { v0: number[][]; inputs?: number[][] },
): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of keys)
    if (values[key] !== undefined && !['m', 'rho0', 'x0', 'v0', 'inputs'].includes(key)) settings[key] = values[key];
  return {
    ...settings,
    v0: initial.v0,
    ...(initial.inputs ? { inputs: initial.inputs } : {}),
    kernels: kernelsInUse(),
    version: PACKAGE_VERSION,
  };
}

/** The keys of a table that determine a result's numbers (not where it goes or how many threads ran it). */
export const RESULT_KEYS = (specs: readonly OptionSpec[]) =>
  specs.map((s) => s.key).filter((k) => !['values'].includes(k));
