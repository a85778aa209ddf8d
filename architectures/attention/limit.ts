// The covariance SDE of shaped attention and of the shaped Transformer as per-lane maths (docs/maths.md,
// section 14): dV = b(V) dt + G(V) dB with
//   b   = (gamma^2 / tau0^2) [ (d u^T + u d^T) / (2m) + V |C V C|_F^2 / m^2 ]  (+ gamma^2 b_mlp(V))
//   G dB = s_v L S L^T  +  c (Z + Z^T),  Z = L N L^T C V,   c = gamma^2 / (m tau0 sqrt(H)),
// d = diag V, u = V delta, delta = diag(C V C) - tr(C V C)/m, C = I - 11^T/m, L L^T = V, S the package's
// symmetric noise (sqrt(2) g on the diagonal), N an m x m matrix of N(0, 1), s_v^2 = s^2 (attention) or
// 2 s^2 (transformer: two residual blocks per layer), s^2 = gamma^2 (2 - gamma^2).
import type { AttentionParams } from './params.js';
import { valueNoiseClock } from './params.js';
import { doublyCentred, multiply, multiplyTransposed } from './dense.js';

/** A drift of the MLP block (the activation's b(V)), for the transformer. */
export type MatrixDrift = (v: Float64Array, m: number, out: Float64Array) => void;

/** The per-lane maths of a covariance SDE over one m x m V, ready for a generic matrix term. */
export interface CovarianceMaths {
  /** Standard normals per step for side m: m(m+1)/2 for the value noise, then m^2 for the attention's. */
  noise(m: number): number;
  /** b(V) into out (m x m). */
  drift(v: Float64Array, m: number, out: Float64Array): void;
  /** G(V) sqrt(h) g into out (m x m, symmetric); l is V's Cholesky factor, g holds noise(m) normals. */
  diffusion(v: Float64Array, m: number, l: Float64Array, g: Float64Array, rootH: number, out: Float64Array): void;
}

/** The blocks of one layer: attention alone, or attention then a shaped residual MLP block. */
export type AttentionBlocks = { readonly kind: 'attention' } | { readonly kind: 'transformer'; readonly mlpDrift: MatrixDrift };

/** Noise count for side m: the symmetric value noise then the attention's m x m matrix. */
export function attentionNoiseCount(m: number): number {
  return (m * (m + 1)) / 2 + m * m;
}

interface Scratch {
  m: number;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  centred: Float64Array;
  rows: Float64Array;
  delta: Float64Array;
}

function scratchFor(s: Scratch | null, m: number): Scratch {
  if (s !== null && s.m === m) return s;
  const mm = m * m;
  return { m, a: new Float64Array(mm), b: new Float64Array(mm), c: new Float64Array(mm), centred: new Float64Array(mm), rows: new Float64Array(m), delta: new Float64Array(m) };
}

/** The attention drift b_att(V) into out (scale gamma^2 / tau0^2 applied); s is scratch for side m. */
function attentionDriftInto(v: Float64Array, m: number, scale: number, s: Scratch, out: Float64Array): void {
  doublyCentred(v, m, s.rows, s.centred);
  let trace = 0;
  let frob = 0;
  for (let i = 0; i < m; i++) trace += s.centred[i * m + i];
  for (let k = 0; k < m * m; k++) frob += s.centred[k] * s.centred[k];
  for (let i = 0; i < m; i++) s.delta[i] = s.centred[i * m + i] - trace / m;
  // u = V delta, kept in s.rows (the row means are no longer needed).
  for (let i = 0; i < m; i++) {
    let acc = 0;
    for (let j = 0; j < m; j++) acc += v[i * m + j] * s.delta[j];
    s.rows[i] = acc;
  }
  const outer = scale / (2 * m);
  const gram = (scale * frob) / (m * m);
  for (let i = 0; i < m; i++) {
    const di = v[i * m + i];
    for (let j = 0; j < m; j++) out[i * m + j] = outer * (di * s.rows[j] + s.rows[i] * v[j * m + j]) + gram * v[i * m + j];
  }
}

/** The limit of shaped attention (blocks.kind 'attention') or of the shaped Transformer, as lane maths. */
export function attentionMaths(p: AttentionParams, blocks: AttentionBlocks): CovarianceMaths {
  const g2 = p.gamma * p.gamma;
  const driftScale = g2 / (p.tau0 * p.tau0);
  const valueScale = Math.sqrt((blocks.kind === 'transformer' ? 2 : 1) * valueNoiseClock(p.gamma));
  const mlpDrift = blocks.kind === 'transformer' ? blocks.mlpDrift : null;
  let scratch: Scratch | null = null;
  return {
    noise: attentionNoiseCount,
    drift(v, m, out) {
      const s = (scratch = scratchFor(scratch, m));
      attentionDriftInto(v, m, driftScale, s, out);
      if (mlpDrift !== null) {
        mlpDrift(v, m, s.a);
        for (let k = 0; k < m * m; k++) out[k] += g2 * s.a[k];
      }
    },
    diffusion(v, m, l, g, rootH, out) {
      const s = (scratch = scratchFor(scratch, m));
      // Value noise: L S L^T with S symmetric, packed lower triangle at a(a+1)/2 + b, sqrt(2) g on the diagonal.
      const { a, b, c } = s;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j <= i; j++) {
          const x = g[(i * (i + 1)) / 2 + j];
          a[i * m + j] = i === j ? Math.SQRT2 * x : x;
          a[j * m + i] = a[i * m + j];
        }
      }
      multiply(l, a, m, b);
      multiplyTransposed(b, l, m, a); // a = L S L^T
      // Attention noise: Z = L N L^T (C V); (C V)_ij = V_ij - mean_k V_kj.
      const off = (m * (m + 1)) / 2;
      for (let k = 0; k < m * m; k++) c[k] = g[off + k];
      multiply(l, c, m, b);
      multiplyTransposed(b, l, m, c); // c = L N L^T
      for (let j = 0; j < m; j++) {
        let mean = 0;
        for (let k = 0; k < m; k++) mean += v[k * m + j];
        mean /= m;
        for (let i = 0; i < m; i++) b[i * m + j] = v[i * m + j] - mean;
      }
      multiply(c, b, m, s.centred); // Z
      const att = (g2 / (m * p.tau0 * Math.sqrt(p.heads))) * rootH;
      const val = valueScale * rootH;
      const z = s.centred;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < m; j++) out[i * m + j] = val * a[i * m + j] + att * (z[i * m + j] + z[j * m + i]);
      }
    },
  };
}

/**
 * The limit's instantaneous covariance Cov(dV_ab, dV_ce) / dt as a flat m^4 array (index ((a m + b) m + c) m + e):
 *   s_v^2 (V_ac V_be + V_ae V_bc) + gamma^4 / (H m^2 tau0^2) (V_ac W_be + V_ae W_bc + V_bc W_ae + V_be W_ac),
 * W = V C V C V. The tests' and the documentation's closed form; the diffusion above realises it.
 */
export function diffusionCovariance(v: Float64Array, m: number, p: AttentionParams, blocks: AttentionBlocks['kind']): Float64Array {
  const s = scratchFor(null, m);
  const valueVar = (blocks === 'transformer' ? 2 : 1) * valueNoiseClock(p.gamma);
  const attVar = (p.gamma ** 4) / (p.heads * m * m * p.tau0 * p.tau0);
  // W = V C V C V = V (C V C) V.
  doublyCentred(v, m, s.rows, s.centred);
  multiply(v, s.centred, m, s.a);
  multiply(s.a, v, m, s.b);
  const w = s.b;
  const out = new Float64Array(m ** 4);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      for (let c = 0; c < m; c++) {
        for (let e = 0; e < m; e++) {
          const V = (i: number, j: number) => v[i * m + j];
          const W = (i: number, j: number) => w[i * m + j];
          out[((a * m + b) * m + c) * m + e] =
            valueVar * (V(a, c) * V(b, e) + V(a, e) * V(b, c)) + attVar * (V(a, c) * W(b, e) + V(a, e) * W(b, c) + V(b, c) * W(a, e) + V(b, e) * W(a, c));
        }
      }
    }
  }
  return out;
}

/** The attention drift alone (no MLP block), allocating: for tests, documentation and references. */
export function attentionDrift(v: Float64Array, m: number, p: Pick<AttentionParams, 'gamma' | 'tau0'>): Float64Array {
  const out = new Float64Array(m * m);
  attentionDriftInto(v, m, (p.gamma * p.gamma) / (p.tau0 * p.tau0), scratchFor(null, m), out);
  return out;
}
