// Small dense symmetric-matrix kernels on flat row-major Float64Arrays (m x m, m up to a few dozen).
// They run once per path-step, so they allocate nothing. ml-matrix is bypassed here: it allocates a
// Matrix per call and costs 40 ms to import, which the root entry cannot afford; it serves the
// Gauss-Hermite rule in validation/ and is the oracle for these kernels in the tests.
import { InputError } from './errors.js';

/** Relative size (to the largest diagonal entry) below which a Cholesky pivot counts as zero. */
export const PSD_PIVOT_TOLERANCE = 1e-12;

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive semi-definite A, so L L^T = A.
 * A zero pivot (|d| <= tol * max diag) gives a zero column instead of failing, as a singular
 * covariance (two equal inputs, correlation 1) is legitimate; the column below it must then vanish
 * too (to sqrt(tol) relative), or A is not PSD. Returns -1 on success, or the index of the first pivot
 * that shows A is not PSD (L is then incomplete). With `clamp`, a matrix known to be PSD up to
 * rounding is factored with every offending pivot taken as zero.
 */
export function choleskyPsd(
  a: Float64Array,
  m: number,
  l: Float64Array,
  tol = PSD_PIVOT_TOLERANCE,
  clamp = false,
): number {
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, a[i * m + i]);
  const unit = scale > 0 ? scale : 1;
  const zero = tol * unit;
  const offZero = Math.sqrt(tol) * unit;
  for (let j = 0; j < m; j++) {
    let d = a[j * m + j];
    for (let k = 0; k < j; k++) d -= l[j * m + k] * l[j * m + k];
    if (!(d > zero)) {
      if (!clamp && (d < -zero || Number.isNaN(d))) return j;
      l[j * m + j] = 0;
      for (let i = j + 1; i < m; i++) {
        let s = a[i * m + j];
        for (let k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
        if (!clamp && !(Math.abs(s) <= offZero)) return j;
        l[i * m + j] = 0;
      }
    } else {
      const root = Math.sqrt(d);
      l[j * m + j] = root;
      const inv = 1 / root;
      for (let i = j + 1; i < m; i++) {
        let s = a[i * m + j];
        for (let k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
        l[i * m + j] = s * inv;
      }
    }
    for (let k = j + 1; k < m; k++) l[j * m + k] = 0;
  }
  return -1;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: values[k] and the k-th
 * column of `vectors` (row-major). `work` must hold m*m entries. Jacobi is exact to rounding for the
 * small m of this package and needs no allocation.
 */
export function symmetricEigen(
  a: Float64Array,
  m: number,
  values: Float64Array,
  vectors: Float64Array,
  work: Float64Array,
): void {
  work.set(a.subarray(0, m * m));
  vectors.fill(0, 0, m * m);
  for (let i = 0; i < m; i++) vectors[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) {
        const x = work[p * m + q] * work[p * m + q];
        total += x;
        if (p !== q) off += x;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = work[p * m + q];
        if (apq === 0) continue;
        const app = work[p * m + p];
        const aqq = work[q * m + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = work[k * m + p];
          const akq = work[k * m + q];
          work[k * m + p] = c * akp - s * akq;
          work[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = work[p * m + k];
          const aqk = work[q * m + k];
          work[p * m + k] = c * apk - s * aqk;
          work[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = vectors[k * m + p];
          const vkq = vectors[k * m + q];
          vectors[k * m + p] = c * vkp - s * vkq;
          vectors[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < m; i++) values[i] = work[i * m + i];
}

/**
 * Nearest (Frobenius) positive semi-definite matrix: negative eigenvalues set to zero. Returns the
 * most negative eigenvalue that was removed (0 when A was already PSD). Scratch: 3 m*m + m entries.
 */
export function projectPsdInPlace(a: Float64Array, m: number, scratch: Float64Array): number {
  const values = scratch.subarray(0, m);
  const vectors = scratch.subarray(m, m + m * m);
  const work = scratch.subarray(m + m * m, m + 2 * m * m);
  symmetricEigen(a, m, values, vectors, work);
  let worst = 0;
  for (let k = 0; k < m; k++) {
    if (values[k] < 0) {
      worst = Math.min(worst, values[k]);
      values[k] = 0;
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += vectors[i * m + k] * values[k] * vectors[j * m + k];
      a[i * m + j] = s;
      a[j * m + i] = s;
    }
    // Rounding in Q diag(values) Q^T can leave -1e-18 on a diagonal that should be exactly 0.
    if (a[i * m + i] < 0) a[i * m + i] = 0;
  }
  return worst;
}

/** A square matrix given as nested rows, a flat row-major array, or an ml-matrix-like object (rows, columns, to1DArray). */
export type MatrixInput =
  | ArrayLike<number>
  | ArrayLike<ArrayLike<number>>
  | { readonly rows: number; readonly columns: number; to1DArray(): number[] };

/** Flatten a square matrix input; errors name the field and the row at fault. */
export function toFlatMatrix(field: string, input: MatrixInput): { data: Float64Array; m: number } {
  const asMatrix = input as { rows?: unknown; columns?: unknown; to1DArray?: unknown };
  if (input != null && typeof asMatrix.to1DArray === 'function' && typeof asMatrix.rows === 'number') {
    const mat = input as { rows: number; columns: number; to1DArray(): number[] };
    if (mat.rows !== mat.columns) throw new InputError(field, `${mat.rows}x${mat.columns}`, 'must be a square matrix');
    return { data: Float64Array.from(mat.to1DArray()), m: mat.rows };
  }
  if (input == null || typeof (input as ArrayLike<unknown>).length !== 'number') {
    throw new InputError(field, input, 'must be a square matrix (array of rows)');
  }
  const rows = input as ArrayLike<unknown>;
  const m = rows.length;
  if (m === 0) throw new InputError(field, input, 'must be a non-empty square matrix');
  if (typeof rows[0] === 'number') {
    const side = Math.round(Math.sqrt(m));
    if (side * side !== m) throw new InputError(field, input, 'flat input must have a square number of entries');
    return { data: Float64Array.from(rows as ArrayLike<number>), m: side };
  }
  const data = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const row = rows[i] as ArrayLike<number>;
    if (row == null || row.length !== m) throw new InputError(`${field}[${i}]`, row, `must be a row of length ${m}`);
    for (let j = 0; j < m; j++) data[i * m + j] = row[j];
  }
  return { data, m };
}

/**
 * Check that V is a valid covariance: finite, symmetric, positive diagonal, positive semi-definite
 * (smallest eigenvalue >= -1e-10 trace, by Jacobi). Throws an InputError naming the entry at fault.
 */
export function validateCovariance(field: string, v: Float64Array, m: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const x = v[i * m + j];
      if (!Number.isFinite(x)) throw new InputError(`${field}[${i}][${j}]`, x, 'must be finite');
    }
  }
  for (let i = 0; i < m; i++) {
    if (!(v[i * m + i] > 0))
      throw new InputError(
        `${field}[${i}][${i}]`,
        v[i * m + i],
        'must be > 0 (a variance; a zero input stays zero at every depth)',
      );
  }
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const a = v[i * m + j];
      const b = v[j * m + i];
      if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) {
        throw new InputError(`${field}[${j}][${i}]`, b, `must equal ${field}[${i}][${j}] = ${a} (symmetric)`);
      }
    }
  }
  const values = new Float64Array(m);
  symmetricEigen(v, m, values, new Float64Array(m * m), new Float64Array(m * m));
  let trace = 0;
  for (let i = 0; i < m; i++) trace += v[i * m + i];
  const smallest = Math.min(...values);
  if (smallest < -1e-10 * trace) {
    throw new InputError(
      field,
      m <= 4 ? Array.from({ length: m }, (_, i) => Array.from(v.subarray(i * m, i * m + m))) : `${m}x${m} matrix`,
      `must be positive semi-definite (smallest eigenvalue ${smallest.toPrecision(4)})`,
    );
  }
}

/** Correlation matrix entries rho^{ab} = V^{ab} / sqrt(V^{aa} V^{bb}), clamped to [-1, 1]. */
export function correlation(v: Float64Array, m: number, a: number, b: number): number {
  const r = v[a * m + b] / Math.sqrt(v[a * m + a] * v[b * m + b]);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
