// Reading the typed settings of validate and of a comparison point from option values (a JSON config
// or the API caller's object), with the cross-option checks, naming the options.
import { InputError } from '../src/errors.js';
import { readSettings, type OptionSources } from '../src/options.js';
import { POINT_OPTIONS, VALIDATION_OPTIONS, type PointSettings, type ValidationSettings } from './options.js';

/** Point settings; a plain object is an API caller's options (errors name its keys as written). */
export function readPointSettings(values: Readonly<Record<string, unknown>> = {}, sources?: OptionSources): PointSettings {
  return readSettings<PointSettings>(POINT_OPTIONS, values, sources);
}

/** Validation settings from plain values (or CLI sources), checked and with defaults. */
export function readValidationSettings(values: Readonly<Record<string, unknown>> = {}, sources?: OptionSources): ValidationSettings {
  const settings = readSettings<ValidationSettings>(VALIDATION_OPTIONS, values, sources);
  const sorted = [...settings.widths].sort((a, b) => a - b);
  if (new Set(sorted).size !== sorted.length) throw new InputError(sources?.flags?.widths !== undefined ? '--widths' : 'widths', settings.widths, 'must not repeat a width');
  return { ...settings, widths: sorted };
}
