// One shaped attention block on the token stream z (n x m, row-major: row i holds neuron i of the m
// tokens, so z = X^T and V = z^T z / n), exact in law (docs/maths.md, section 14.2). Given z, the
// columns of Q and K are i.i.d. N(0, V), so per head the logits are S = L P L^T / (tau0 sqrt(n nk)) with
// P = G^T G' (G, G' nk x m standard normals, L L^T = V); given the heads' A_h, the rows of the branch
// H^{-1/2} sum_h A_h X WV_h / sqrt(n) (transposed) are i.i.d. N(0, Mbar), Mbar = H^{-1} sum_h A_h V A_h^T.
// O(m^2 n + H m^3) work per layer (P drawn by Bartlett's decomposition, wishart.ts) and no n x n matrix.
import type { RandomStream } from '../../src/random/streams.js';
import { multiply, multiplyTransposed, sandwich } from '../../src/matrix.js';
import type { AttentionParams } from './params.js';
import { firstOrderAttention, shapedAttention } from './softmax.js';
import { crossGramBartlett } from './wishart.js';

/** Buffers of one attention block for side m and key width nk (one set per sampler, never shared). */
export interface BlockScratch {
  readonly m: number;
  readonly nk: number;
  readonly g: Float64Array;
  readonly gk: Float64Array;
  readonly p: Float64Array;
  readonly s: Float64Array;
  readonly a: Float64Array;
  readonly work: Float64Array;
  readonly av: Float64Array;
  readonly l: Float64Array;
}

export function blockScratch(m: number, nk: number, explicitKeys = false): BlockScratch {
  const mm = m * m;
  // The G, G' buffers are needed only when P is drawn from them (nk < m) or by explicit weights.
  const rows = explicitKeys || nk < m ? nk : 0;
  return {
    m,
    nk,
    g: new Float64Array(rows * m),
    gk: new Float64Array(rows * m),
    p: new Float64Array(mm),
    s: new Float64Array(mm),
    a: new Float64Array(mm),
    work: new Float64Array(mm),
    av: new Float64Array(mm),
    l: new Float64Array(mm),
  };
}

/** P = G^T G' for G, G' (rows x m). */
function crossGram(g: Float64Array, gk: Float64Array, rows: number, m: number, p: Float64Array): void {
  p.fill(0, 0, m * m);
  for (let c = 0; c < rows; c++) {
    const row = c * m;
    for (let a = 0; a < m; a++) {
      const x = g[row + a];
      for (let b = 0; b < m; b++) p[a * m + b] += x * gk[row + b];
    }
  }
}

/**
 * Draw one head's logits given V (its Cholesky factor in lv) into s.s: S = L P L^T / (tau0 sqrt(n nk)),
 * P = G^T G' drawn by Bartlett's decomposition when nk >= m (O(m^3), m^2 + m(m-1)/2 normals and m
 * chi-squares), else from the 2 nk m normals themselves.
 */
export function drawLogits(rng: RandomStream, lv: Float64Array, n: number, tau0: number, s: BlockScratch): void {
  const { m, nk } = s;
  if (nk >= m) {
    // P's exact law in O(m^3) (wishart.ts), whatever nk.
    crossGramBartlett(rng, nk, m, s.work, s.a, s.p);
  } else {
    rng.fillNormals(s.g, 0, nk * m);
    rng.fillNormals(s.gk, 0, nk * m);
    crossGram(s.g, s.gk, nk, m, s.p);
  }
  multiply(lv, s.p, m, s.work);
  multiplyTransposed(s.work, lv, m, s.s);
  const scale = 1 / (tau0 * Math.sqrt(n * nk));
  for (let k = 0; k < m * m; k++) s.s[k] *= scale;
}

/**
 * Mbar = H^{-1} sum_h A_h V A_h^T over freshly drawn heads, given V (lv its Cholesky factor). With `first`,
 * also H^{-1} sum_h (D_h V + V D_h^T), D_h = (1/m) S_h C the softmax's first-order term (mean exactly
 * zero given V: the per-layer tests' control variate).
 */
export function drawMixing(
  rng: RandomStream,
  v: Float64Array,
  lv: Float64Array,
  n: number,
  p: AttentionParams,
  s: BlockScratch,
  mbar: Float64Array,
  first: Float64Array | null = null,
): void {
  const { m } = s;
  const mm = m * m;
  mbar.fill(0, 0, mm);
  if (first !== null) first.fill(0, 0, mm);
  const inv = 1 / p.heads;
  for (let h = 0; h < p.heads; h++) {
    drawLogits(rng, lv, n, p.tau0, s);
    shapedAttention(s.s, m, s.a);
    sandwich(s.a, v, m, s.work, s.av);
    for (let k = 0; k < mm; k++) mbar[k] += inv * s.av[k];
    if (first !== null) {
      firstOrderAttention(s.s, m, s.a);
      multiply(s.a, v, m, s.work);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) first[i * m + j] += inv * (s.work[i * m + j] + s.work[j * m + i]);
    }
  }
}
