// The grid of a scan: its axes (in a fixed order, the last varying fastest), the --grid flag grammar, and
// the expansion into points whose settings are the base with the axis values applied (the activation
// built from its name and constants, the architecture from its text).
import {
  activationLabel,
  parseActivationSpec,
  smoothScaleForBeta,
  type SMOOTH_NAMES,
  type ActivationSpec,
} from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import { parseOptionText, splitTexts, type OptionSpec } from '../../src/options.js';
import { architectureAxes, architectureWithAxes } from '../../architectures/index.js';
import { OPTION } from '../options.js';
import { scanKind } from './kinds.js';
import type { ScanConfig, ScanPoint } from './types.js';

/** Grid axes in their fixed order (the last varies fastest), with the option that checks their values. */
export const AXES: readonly OptionSpec[] = [
  {
    key: 'activation',
    kind: { type: 'text', pattern: 'activation names' },
    help: 'activation names: relu or a smooth name (cumulant scans: activation texts, relu:0,-1, tanh:1, relu, tanh, linear)',
  },
  { key: 'cPlus', kind: { type: 'number', min: -1e6, max: 1e6 }, help: 'shaped ReLU-like c+' },
  { key: 'cMinus', kind: { type: 'number', min: -1e6, max: 1e6 }, help: 'shaped ReLU-like c-' },
  { key: 'a', kind: { type: 'number', min: 0, max: 1e6, exclusiveMin: true }, help: 'smooth shaping scale a' },
  {
    key: 'beta',
    kind: { type: 'number', min: -1e6, max: 1e6 },
    help: 'smooth diagonal drift beta (a = sqrt(beta_1 / beta))',
  },
  OPTION.T,
  OPTION.n,
  OPTION.rho0,
  OPTION.x0,
  OPTION.architecture,
  // The architectures' own parameters (resnet: gamma), from the architecture table.
  ...architectureAxes().map((a) => a.axis),
];
/** The axes an architecture owns: they apply wherever the architecture axis does. */
export const ARCHITECTURE_AXIS_KEYS: readonly string[] = architectureAxes().map((a) => a.axis.key);
/** The axis names, in order. */
export const AXIS_KEYS = AXES.map((a) => a.key);

/** `--grid key=v1,v2` flags into a grid; an axis named twice is refused, not overwritten. */
export function gridFromFlags(flags: readonly string[]): Record<string, Array<number | string>> {
  const grid: Record<string, Array<number | string>> = Object.create(null);
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = eq > 0 ? flag.slice(0, eq) : '';
    const axis = AXES.find((a) => a.key === key);
    if (!axis)
      throw new InputError('--grid', flag, `must be axis=v1,v2,... with an axis among ${AXIS_KEYS.join(', ')}`);
    if (key in grid) throw new InputError('--grid', flag, `names the axis ${key} twice; give its values in one --grid`);
    // Activation texts may hold commas before numbers (relu:0,-1); names never do.
    const values = key === 'activation' ? splitTexts(flag.slice(eq + 1)) : flag.slice(eq + 1).split(',');
    grid[key] =
      axis.kind.type === 'text' ? values : values.map((v) => parseOptionText(axis, v, `--grid ${key}`) as number);
  }
  return grid;
}

/** The activation spec of a point: the base's, with the grid's activation name and constants applied. */
function pointSpec(baseActivation: string, at: Readonly<Record<string, number | string>>): ActivationSpec {
  const base = parseActivationSpec(baseActivation);
  let spec: ActivationSpec = base;
  const name = at.activation as string | undefined;
  if (name === 'relu') spec = base.family === 'relu-like' ? base : { family: 'relu-like', cPlus: 0, cMinus: -1 };
  else if (name !== undefined)
    spec = { family: 'smooth', f: name as (typeof SMOOTH_NAMES)[number], a: base.family === 'smooth' ? base.a : 1 };
  for (const key of ['cPlus', 'cMinus'] as const) {
    if (at[key] === undefined) continue;
    if (spec.family !== 'relu-like')
      throw new InputError(
        `--grid ${key}`,
        at[key],
        `applies to ReLU-like activations, not to ${activationLabel(spec)}`,
      );
    spec = { ...spec, [key]: at[key] as number };
  }
  if (at.a !== undefined) {
    if (spec.family !== 'smooth')
      throw new InputError('--grid a', at.a, `applies to smooth activations, not to ${activationLabel(spec)}`);
    spec = { ...spec, a: at.a as number };
  }
  if (at.beta !== undefined) {
    if (spec.family !== 'smooth')
      throw new InputError('--grid beta', at.beta, `applies to smooth activations, not to ${activationLabel(spec)}`);
    spec = { ...spec, a: smoothScaleForBeta(spec.f, at.beta as number, '--grid beta') };
  }
  return spec;
}

/** The grid's points in a fixed order (axes in AXES order, the last varying fastest). */
export function expandGrid(scan: ScanConfig): ScanPoint[] {
  const axes = AXES.filter((a) => a.key in scan.grid).map((a) => a.key);
  const points: ScanPoint[] = [];
  const at: Record<string, number | string> = {};
  const walk = (depth: number) => {
    if (depth === axes.length) {
      const own = scanKind(scan.kind).pointActivation;
      const activation = own
        ? own(scan.base.activation as string, at)
        : activationLabel(pointSpec(scan.base.activation as string, at));
      const settings: Record<string, unknown> = { ...scan.base, seed: scan.seed, activation };
      for (const key of ['architecture', 'T', 'n', 'rho0', 'x0']) if (at[key] !== undefined) settings[key] = at[key];
      const parameters = Object.fromEntries(
        ARCHITECTURE_AXIS_KEYS.filter((k) => at[k] !== undefined).map((k) => [k, at[k] as number]),
      );
      settings.architecture = architectureWithAxes((settings.architecture as string | undefined) ?? 'mlp', parameters);
      points.push({ index: points.length, at: { ...at }, settings });
      return;
    }
    for (const value of scan.grid[axes[depth]]) {
      at[axes[depth]] = value;
      walk(depth + 1);
    }
    delete at[axes[depth]];
  };
  walk(0);
  if (points.length > 1e6) throw new InputError('grid', `${points.length} points`, 'must have at most 1e6 points');
  return points;
}
