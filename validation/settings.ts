// Reading the typed settings of validate and of a comparison point from option values (a JSON config
// or the API caller's object), with the cross-option checks, naming the options. An API caller may give
// the activation and the architecture as values or as their texts, and old option names for one release.
import { apiSettings } from '../src/apiOptions.js';
import { InputError } from '../src/errors.js';
import { readSettings, type OptionSources, type OptionSpec } from '../src/options.js';
import { POINT_OPTIONS, VALIDATION_OPTIONS, type PointSettings, type ValidationSettings } from './options.js';

/** Settings read with one table from the CLI's sources, or from an API caller's object made ready by apiSettings. */
export function readApiSettings<T>(where: string, specs: readonly OptionSpec[], values: Readonly<Record<string, unknown>>, sources?: OptionSources): T {
  return sources ? readSettings<T>(specs, values, sources) : readSettings<T>(specs, apiSettings(where, values, specs.map((s) => s.key)));
}

/** Point settings; a plain object is an API caller's options (errors name its keys as written). */
export function readPointSettings(values: Readonly<Record<string, unknown>> = {}, sources?: OptionSources): PointSettings {
  return readApiSettings<PointSettings>('readPointSettings', POINT_OPTIONS, values, sources);
}

/** Validation settings from plain values (or CLI sources), checked and with defaults. */
export function readValidationSettings(values: Readonly<Record<string, unknown>> = {}, sources?: OptionSources): ValidationSettings {
  const settings = readApiSettings<ValidationSettings>('validate', VALIDATION_OPTIONS, values, sources);
  const sorted = [...settings.widths].sort((a, b) => a - b);
  if (new Set(sorted).size !== sorted.length) throw new InputError(sources?.flags?.widths !== undefined ? '--widths' : 'widths', settings.widths, 'must not repeat a width');
  return { ...settings, widths: sorted };
}
