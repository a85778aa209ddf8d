// `--out FILE.npy` and `--out FILE.npz` for `ncsde sde` and `ncsde network`: the format follows the
// extension (checked with the output path, before computing), and the arrays are written atomically.
// .npy holds the values tensor alone; .npz adds times, status, explosion times and the settings as JSON.
import { existsSync, statSync } from 'node:fs';
import { InputError, LimitError } from '../../src/errors.js';
import { prepareOutputFile, writeFileAtomic } from '../../src/files.js';
import { npyChunks, npyText, type NpyArray } from '../../src/io/npy.js';
import { NPZ_MAX_BYTES, npzChunks } from '../../src/io/npz.js';
import type { NdArray } from '../../src/results.js';

export type OutputFormat = 'json' | 'npy' | 'npz';

/** The format an --out path asks for by its extension; '-' (stdout) is JSON, anything else is refused. */
export function outputFormat(path: string | undefined): OutputFormat {
  if (path === undefined || path === '-') return 'json';
  const match = /\.(json|npy|npz)$/i.exec(path);
  if (!match)
    throw new InputError(
      '--out',
      path,
      'must end in .json (the summary), .npy (the values) or .npz (values, times, status and settings)',
    );
  return match[1].toLowerCase() as OutputFormat;
}

/** Refuse, before computing, an .npz whose values alone would pass the 4 GiB a zip without ZIP64 holds. */
export function checkArchiveSize(format: OutputFormat, valueCount: number, field: string, value: unknown): void {
  // The other members are a few bytes per path; half a GiB of room covers them at any size allowed.
  if (format === 'npz' && valueCount * 8 > NPZ_MAX_BYTES - 2 ** 29) {
    throw new LimitError(
      field,
      value,
      `gives ${valueCount} values, more than an .npz (a zip without ZIP64, 4 GiB) holds; write --out FILE.npy instead`,
    );
  }
}

/** The values tensor as float64 of its shape (saves or records, paths, side, side). */
export function valuesArray(values: NdArray<Float64Array>): NpyArray {
  const count = values.shape.reduce((a, b) => a * b, 1);
  return { dtype: 'f8', shape: values.shape, data: values.data.subarray(values.offset, values.offset + count) };
}

/** Write the values alone (.npy) or the named arrays and the settings JSON (.npz), atomically. */
export function writeArrays(
  path: string,
  format: 'npy' | 'npz',
  arrays: { values: NpyArray } & Record<string, NpyArray>,
  settings: unknown,
): void {
  const chunks =
    format === 'npy' ? npyChunks(arrays.values) : npzChunks({ ...arrays, settings: npyText(JSON.stringify(settings)) });
  writeFileAtomic(path, chunks);
}

/** Check an --out path before computing: a directory in the way is named as such, then the extension (before anything is created), then writability. */
export function prepareOutput(path: string | undefined): OutputFormat {
  if (path === undefined || path === '-') return 'json';
  if (!(existsSync(path) && statSync(path).isDirectory())) outputFormat(path);
  prepareOutputFile('--out', path);
  return outputFormat(path);
}
