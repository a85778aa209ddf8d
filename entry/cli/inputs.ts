// V0 and the input vectors of a command, from one of three sources: --inputs X (P x d: the networks are
// fed those vectors, first layer x -> W x / sqrt(d), and the SDE starts at V0 = X X^T / d), --v0 V (the
// m x m matrix itself), or --m, --rho0, --x0 (equicorrelated). Files are .npy, .csv or .json; a config may
// hold the rows themselves. --m follows from a file. Refusals name the flag or key as written.
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/errors.js';
import { rowsFromFile, type Rows } from '../../src/io/matrix.js';
import { resolveInitial, type Initial, type InitialValues } from '../../src/initial.js';
import { isGiven, type OptionSources, type RowsValue } from '../../src/options.js';

/** Rows of a rows option: read its file (relative to the working directory) or take the config's rows. */
function loadRows(value: RowsValue, field: string): Rows {
  if (Array.isArray(value)) return value;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(value.file);
  } catch (e) {
    throw new InputError(field, value.file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return rowsFromFile(value.file, bytes, field);
}

/** The rows options of a command's values with their files read (in place of the { file } values). */
export function loadInputFiles(
  values: Record<string, unknown>,
  where: (key: string) => string,
): Record<string, unknown> {
  const out = { ...values };
  for (const key of ['v0', 'inputs'])
    if (out[key] !== undefined) out[key] = loadRows(out[key] as RowsValue, where(key));
  return out;
}

/** V0 (and the input vectors where given) from the command's values, by the one rule of src/initial.ts. */
export function initialCovariance(
  values: Record<string, unknown>,
  sources: OptionSources,
  where: (key: string) => string,
): Initial {
  const loaded = loadInputFiles(values, where);
  return resolveInitial(loaded as InitialValues, (key) => isGiven(key, sources), where);
}
