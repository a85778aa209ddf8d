// V0 and the input vectors of a command, from one of three sources: --inputs X (P x d: the networks are
// fed those vectors, first layer x -> W x / sqrt(d), and the SDE starts at V0 = X X^T / d), --v0 V (the
// m x m matrix itself), or --m, --rho0, --x0 (equicorrelated). Files are .npy, .csv or .json; a config may
// hold the rows themselves. --m follows from a file. Refusals name the flag or key as written.
import { readFileSync } from 'node:fs';
import { InputError } from '../../src/errors.js';
import { checkRows, gramOfRows, rowsFromFile, type Rows } from '../../src/io/matrix.js';
import { validateCovariance } from '../../src/linalg.js';
import type { OptionSources, RowsValue } from '../../src/options.js';

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

/** V0 (and the input vectors where given) from the command's values; conflicts and bad matrices refused. */
export function initialCovariance(values: Record<string, unknown>, sources: OptionSources, where: (key: string) => string): { v0: Rows; inputs?: Rows } {
  const set = (key: string) => sources.flags?.[key] !== undefined || (sources.config !== undefined && Object.hasOwn(sources.config.values, key));
  const given = (['inputs', 'v0'] as const).filter((key) => values[key] !== undefined);
  // A recorded output carries both: its inputs made its v0, so the inputs stand and v0 must agree with them.
  const recorded = given.length === 2 && sources.flags?.inputs === undefined && sources.flags?.v0 === undefined;
  if (given.length === 2 && !recorded) throw new InputError(where('v0'), describe(values.v0), `conflicts with ${where('inputs')} (the inputs set V0 = X X^T / d); give one of them`);
  if (given.length > 0) {
    for (const key of ['rho0', 'x0']) if (set(key)) throw new InputError(where(key), values[key], `conflicts with ${where(given[0])}, which sets V0 whole; give one of them`);
  }
  let inputs: Rows | undefined;
  let v0: Rows;
  if (values.inputs !== undefined) {
    const field = where('inputs');
    inputs = loadRows(values.inputs as RowsValue, field);
    checkRows(inputs, field);
    v0 = gramOfRows(inputs);
    if (recorded) {
      const stated = loadRows(values.v0 as RowsValue, where('v0'));
      const agrees = stated.length === v0.length && stated.every((row, a) => row.length === v0.length && row.every((x, b) => x === v0[a][b]));
      if (!agrees) throw new InputError(where('v0'), describe(values.v0), `is not X X^T / d of ${where('inputs')}; give one of them`);
    }
  } else if (values.v0 !== undefined) {
    v0 = loadRows(values.v0 as RowsValue, where('v0'));
    const { rows, cols } = checkRows(v0, where('v0'));
    if (rows !== cols) throw new InputError(where('v0'), `${rows} x ${cols}`, 'must be a square matrix');
  } else {
    const m = values.m as number;
    const rho = values.rho0 as number;
    const x0 = values.x0 as number;
    // An equicorrelated matrix is PSD iff rho >= -1/(m-1).
    if (m > 1 && rho < -1 / (m - 1)) throw new InputError(where('rho0'), rho, `makes V0 indefinite for ${m} inputs: it must be >= ${(-1 / (m - 1)).toPrecision(4)} when ${where('m')} is ${m}`);
    return { v0: Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? x0 : x0 * rho))) };
  }
  const field = where(values.inputs !== undefined ? 'inputs' : 'v0');
  if (set('m') && values.m !== v0.length) throw new InputError(where('m'), values.m, `conflicts with ${field}, which holds ${v0.length} inputs; leave --m out (it follows from the file)`);
  // Symmetric, finite, positive variances and PSD (the smallest eigenvalue named), before any computing.
  validateCovariance(values.inputs !== undefined ? `V0 = X X^T / d of ${field}` : field, Float64Array.from(v0.flat()), v0.length);
  return inputs ? { v0, inputs } : { v0 };
}

function describe(value: unknown): string {
  return Array.isArray(value) ? `${value.length} x ${value[0]?.length ?? 0} rows` : String((value as { file?: string })?.file ?? value);
}
