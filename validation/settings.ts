// Reading the typed settings of validate and of a comparison point from option values (a JSON config
// or the API caller's object), with the cross-option checks, naming the options. An API caller may give
// the activation and the architecture as values or as their texts, and old option names for one release.
import { apiSettings } from '../src/apiOptions.js';
import { InputError } from '../src/errors.js';
import { givenName, isGiven, readSettings, type OptionSources, type OptionSpec } from '../src/options.js';
import { resolveInitial, type InitialValues } from '../src/initial.js';
import { parseArchitecture, type Architecture } from '../architectures/index.js';
import { POINT_OPTIONS, VALIDATION_OPTIONS, type PointSettings, type ValidationSettings } from './options.js';

/** The settings with V0 resolved (src/initial.ts: inputs, v0, or m, rho0 and x0): v0 always holds the
 *  matrix, and x0, rho0 and m are V0's. Files are the CLI's to read; the API takes rows. */
function withInitial<S extends PointSettings>(
  settings: S,
  values: Readonly<Record<string, unknown>>,
  sources?: OptionSources,
): S {
  const given = (key: string) => (sources ? isGiven(key, sources) : Object.hasOwn(values, key));
  const where = (key: string) => (sources ? givenName(key, sources) : key);
  for (const key of ['v0', 'inputs'] as const) {
    const v = settings[key];
    if (v !== undefined && !Array.isArray(v))
      throw new InputError(
        where(key),
        v.file,
        'names a file: the API takes the rows (the CLI reads .npy, .csv and .json files)',
      );
  }
  const initial = resolveInitial(settings as unknown as InitialValues, given, where);
  return {
    ...settings,
    m: initial.m,
    x0: initial.x0,
    rho0: initial.rho0,
    v0: initial.v0,
    ...(initial.inputs ? { inputs: initial.inputs } : {}),
  };
}

/** Settings read with one table from the CLI's sources, or from an API caller's object made ready by apiSettings. */
export function readApiSettings<T>(
  where: string,
  specs: readonly OptionSpec[],
  values: Readonly<Record<string, unknown>>,
  sources?: OptionSources,
): T {
  return sources
    ? readSettings<T>(specs, values, sources)
    : readSettings<T>(
        specs,
        apiSettings(
          where,
          values,
          specs.map((s) => s.key),
        ),
      );
}

/**
 * An architecture value whose text the grammar cannot parse (a composition with the caller's own block) is
 * kept as the value: the options are read with its place left to the default, and it is put back after.
 */
function withOwnArchitecture<S extends { readonly architecture: string | Architecture }>(
  values: Readonly<Record<string, unknown>>,
  read: (values: Readonly<Record<string, unknown>>) => S,
): S {
  const given = values.architecture as Architecture | undefined;
  if (given === null || typeof given !== 'object' || typeof given.text !== 'string') return read(values);
  try {
    parseArchitecture(given.text, 'architecture');
    return read(values);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const { architecture: _own, ...rest } = values;
    return { ...read(rest), architecture: given };
  }
}

/** Point settings; a plain object is an API caller's options (errors name its keys as written). */
export function readPointSettings(
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): PointSettings {
  return withOwnArchitecture(values, (v) =>
    withInitial(readApiSettings<PointSettings>('readPointSettings', POINT_OPTIONS, v, sources), v, sources),
  );
}

/** Validation settings from plain values (or CLI sources), checked and with defaults. */
export function readValidationSettings(
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): ValidationSettings {
  const settings = withOwnArchitecture(values, (v) =>
    withInitial(readApiSettings<ValidationSettings>('validate', VALIDATION_OPTIONS, v, sources), v, sources),
  );
  const sorted = [...settings.widths].sort((a, b) => a - b);
  if (new Set(sorted).size !== sorted.length)
    throw new InputError(
      sources?.flags?.widths !== undefined ? '--widths' : 'widths',
      settings.widths,
      'must not repeat a width',
    );
  return { ...settings, widths: sorted };
}
