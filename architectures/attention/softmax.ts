// The shaped attention matrix A = I + softmax_rows(S) - 11^T/m and its first-order part (1/m) S C,
// C = I - 11^T/m (docs/maths.md, section 14.1). Rows of A - I sum to zero at every order in S, so the
// centring is exact, not approximate. Pure functions on caller-owned m x m buffers.
import { exp } from '../../src/math/index.js';

/** out = I + softmax_rows(s) - 11^T/m; the row maximum is subtracted first, so large logits do not overflow. */
export function shapedAttention(s: Float64Array, m: number, out: Float64Array): void {
  const centre = 1 / m;
  for (let i = 0; i < m; i++) {
    const row = i * m;
    let max = -Infinity;
    for (let j = 0; j < m; j++) if (s[row + j] > max) max = s[row + j];
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const e = exp(s[row + j] - max);
      out[row + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < m; j++) out[row + j] = out[row + j] * inv - centre;
    out[row + i] += 1;
  }
}

/** out = (1/m) S C: the softmax's first-order term, row i being (s_ij - mean_k s_ik) / m. */
export function firstOrderAttention(s: Float64Array, m: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * m;
    let mean = 0;
    for (let j = 0; j < m; j++) mean += s[row + j];
    mean /= m;
    for (let j = 0; j < m; j++) out[row + j] = (s[row + j] - mean) / m;
  }
}
