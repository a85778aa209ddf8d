// Reading a user's matrix (input vectors X, P x d, or a covariance V0, m x m) from the bytes of a .npy
// file (NumPy's format, float or integer, C or Fortran order), the text of a .csv (one row a line, an
// optional header line) or a .json (an array of rows). Pure: the caller reads the file; every refusal is
// one InputError naming the field and saying what is wrong.
import { InputError } from '../errors.js';

/** A dense matrix as rows of float64. */
export type Rows = number[][];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** The element readers of the dtypes a user's array may have (little-endian; '|' for single bytes). */
const READERS: Record<string, { size: number; read: (view: DataView, at: number) => number }> = {
  '<f8': { size: 8, read: (v, at) => v.getFloat64(at, true) },
  '<f4': { size: 4, read: (v, at) => v.getFloat32(at, true) },
  '<i8': { size: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  '<i4': { size: 4, read: (v, at) => v.getInt32(at, true) },
  '<i2': { size: 2, read: (v, at) => v.getInt16(at, true) },
  '|i1': { size: 1, read: (v, at) => v.getInt8(at) },
  '|u1': { size: 1, read: (v, at) => v.getUint8(at) },
};

/** A 2-d .npy array as rows (a 1-d array is one column: P inputs of dimension 1). */
export function rowsFromNpy(bytes: Uint8Array, field: string): Rows {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new InputError(field, 'not .npy', 'is not a NumPy .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined)
    throw new InputError(field, header.trim(), 'has a .npy header without descr or shape');
  const reader = READERS[descr === '<f8' || descr === '=f8' ? '<f8' : descr];
  if (!reader)
    throw new InputError(field, descr, `has dtype ${descr}; give float64 (or float32, or little-endian integers)`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.length < 1 || shape.length > 2)
    throw new InputError(field, `shape (${shape.join(', ')})`, 'must be a 2-d array (rows of numbers)');
  const [rows, cols] = shape.length === 2 ? shape : [shape[0], 1];
  const dataStart = start + headerLength;
  if (bytes.length < dataStart + rows * cols * reader.size)
    throw new InputError(field, `${bytes.length} bytes`, `is shorter than its shape (${rows}, ${cols}) says`);
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) =>
      reader.read(view, dataStart + (fortran ? j * rows + i : i * cols + j) * reader.size),
    ),
  );
}

/** CSV text as rows: comma-separated plain numbers, one row a line; a first line that is not numbers is a header. */
export function rowsFromCsv(text: string, field: string): Rows {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const parse = (line: string) => line.split(',').map((cell) => (cell.trim() === '' ? NaN : Number(cell.trim())));
  const body = lines.length > 0 && parse(lines[0]).some(Number.isNaN) ? lines.slice(1) : lines;
  return body.map((line, i) => {
    const row = parse(line);
    const bad = row.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0)
      throw new InputError(
        `${field} line ${i + 1 + lines.length - body.length}`,
        line.split(',')[bad],
        'must be a finite number',
      );
    return row;
  });
}

/** A JSON array of rows. */
export function rowsFromJson(text: string, field: string): Rows {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(field, 'not JSON', `is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!Array.isArray(value) || !value.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number')))
    throw new InputError(field, 'JSON', 'must hold an array of rows of numbers');
  return value as Rows;
}

/** Rows from a file's bytes by its extension (.npy, .csv, .json). */
export function rowsFromFile(name: string, bytes: Uint8Array, field: string): Rows {
  const ext = /\.([A-Za-z]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext === 'npy') return rowsFromNpy(bytes, field);
  if (ext === 'csv') return rowsFromCsv(new TextDecoder().decode(bytes), field);
  if (ext === 'json') return rowsFromJson(new TextDecoder().decode(bytes), field);
  throw new InputError(field, name, 'must be a .npy, .csv or .json file');
}

/** Check that rows form a non-empty matrix of finite numbers with rows of one length. */
export function checkRows(rows: Rows, field: string): { rows: number; cols: number } {
  if (rows.length === 0 || rows[0].length === 0)
    throw new InputError(field, 'empty', 'must hold at least one row and one column');
  const cols = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== cols)
      throw new InputError(`${field} row ${i}`, `${row.length} numbers`, `must have ${cols} numbers like row 0`);
    row.forEach((x, j) => {
      if (!Number.isFinite(x)) throw new InputError(`${field}[${i}][${j}]`, x, 'must be finite');
    });
  });
  return { rows: rows.length, cols };
}

/** The Gram matrix X X^T / d of P input vectors of dimension d (the first layer's V0). */
export function gramOfRows(x: Rows): Rows {
  const p = x.length;
  const d = x[0].length;
  const g: Rows = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[a][k] * x[b][k];
      g[a][b] = g[b][a] = s / d;
    }
  }
  return g;
}
