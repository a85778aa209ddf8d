// Small dense m x m products for the attention maths (m a few dozen at most), on flat row-major
// Float64Arrays owned by the caller: no allocation, out never aliases an input.

/** out = a b. */
export function multiply(a: Float64Array, b: Float64Array, m: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += a[i * m + k] * b[k * m + j];
      out[i * m + j] = s;
    }
  }
}

/** out = a b^T. */
export function multiplyTransposed(a: Float64Array, b: Float64Array, m: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += a[i * m + k] * b[j * m + k];
      out[i * m + j] = s;
    }
  }
}

/** out = a v a^T, symmetrised exactly (v symmetric); work holds m*m. */
export function sandwich(a: Float64Array, v: Float64Array, m: number, work: Float64Array, out: Float64Array): void {
  multiply(a, v, m, work);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += work[i * m + k] * a[j * m + k];
      out[i * m + j] = s;
      out[j * m + i] = s;
    }
  }
}

/** out = C v C with C = I - 11^T/m (v symmetric): v_ij - r_i - r_j + g, r the row means, g the grand mean. */
export function doublyCentred(v: Float64Array, m: number, rowMeans: Float64Array, out: Float64Array): void {
  let grand = 0;
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let j = 0; j < m; j++) r += v[i * m + j];
    rowMeans[i] = r / m;
    grand += r;
  }
  grand /= m * m;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) out[i * m + j] = v[i * m + j] - rowMeans[i] - rowMeans[j] + grand;
}
