// The limit terms of shaped attention (docs/maths.md, section 14) as functions of V, which the attention
// block (architectures/blocks/shapedAttention.ts) offers as its drift and noise parts; with the residual
// rule (section 17) they make section 14.5's SDE dV = b(V) dt + G(V) dB with
//   b   = (gamma^2 / tau0^2) [ (d u^T + u d^T) / (2m) + V |C V C|_F^2 / m^2 ]  (+ gamma^2 b_mlp(V))
//   G dB = s_v L S L^T  +  c (Z + Z^T),  Z = L N L^T C V,   c = gamma^2 / (m tau0 sqrt(H)),
// d = diag V, u = V delta, delta = diag(C V C) - tr(C V C)/m, C = I - 11^T/m, L L^T = V, S the package's
// symmetric noise (sqrt(2) g on the diagonal), N an m x m matrix of N(0, 1), s_v^2 = s^2 (attention) or
// 2 s^2 (transformer: two residual blocks per layer), s^2 = gamma^2 (2 - gamma^2).
import type { AttentionParams } from './params.js';
import { doublyCentred, multiply, multiplyTransposed } from '../../src/matrix.js';

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
  return {
    m,
    a: new Float64Array(mm),
    b: new Float64Array(mm),
    c: new Float64Array(mm),
    centred: new Float64Array(mm),
    rows: new Float64Array(m),
    delta: new Float64Array(m),
  };
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
    for (let j = 0; j < m; j++)
      out[i * m + j] = outer * (di * s.rows[j] + s.rows[i] * v[j * m + j]) + gram * v[i * m + j];
  }
}

/** s_att (Z + Z^T), Z = L N L^T C V, N the m x m normals g[offset...]: the attention noise's realisation
 *  with coefficient `coefficient` (section 14.5: gamma^2 / (m tau0 sqrt(H)) sqrt(h)). */
function attentionNoiseInto(
  v: Float64Array,
  m: number,
  l: Float64Array,
  g: Float64Array,
  offset: number,
  coefficient: number,
  s: Scratch,
  out: Float64Array,
  add: boolean,
): void {
  const { b, c } = s;
  for (let k = 0; k < m * m; k++) c[k] = g[offset + k];
  multiply(l, c, m, b);
  multiplyTransposed(b, l, m, c); // c = L N L^T
  for (let j = 0; j < m; j++) {
    let mean = 0;
    for (let k = 0; k < m; k++) mean += v[k * m + j];
    mean /= m;
    for (let i = 0; i < m; i++) b[i * m + j] = v[i * m + j] - mean;
  }
  multiply(c, b, m, s.centred); // Z
  const z = s.centred;
  if (add)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) out[i * m + j] += coefficient * (z[i * m + j] + z[j * m + i]);
  else
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) out[i * m + j] = coefficient * (z[i * m + j] + z[j * m + i]);
}

/**
 * The shaped attention block's own limit terms at unit residual weight (docs/maths.md, sections 14.5 and
 * 17): the drift b_A = b_att / gamma^2 and the attention noise Sigma_A / H = Sigma_att / (gamma^4 H), each
 * on a clock (residual(attention, gamma) puts them on gamma^2 and gamma^4). Scratch is per value.
 */
export function attentionTerms(
  tau0: number,
  heads: number,
): {
  drift(v: Float64Array, m: number, clock: number, out: Float64Array): void;
  noise(
    v: Float64Array,
    m: number,
    l: Float64Array,
    g: Float64Array,
    offset: number,
    clock: number,
    rootH: number,
    out: Float64Array,
    add: boolean,
  ): void;
} {
  let scratch: Scratch | null = null;
  return {
    drift(v, m, clock, out) {
      attentionDriftInto(v, m, clock / (tau0 * tau0), (scratch = scratchFor(scratch, m)), out);
    },
    noise(v, m, l, g, offset, clock, rootH, out, add) {
      // sqrt(clock) is gamma^2 exactly for clock = gamma^4 (sqrt of a rounded square is exact in binary).
      attentionNoiseInto(
        v,
        m,
        l,
        g,
        offset,
        (Math.sqrt(clock) / (m * tau0 * Math.sqrt(heads))) * rootH,
        (scratch = scratchFor(scratch, m)),
        out,
        add,
      );
    },
  };
}

/**
 * Adds clock / (H m^2 tau0^2) (V_ac W_be + V_ae W_bc + V_bc W_ae + V_be W_ac), W = V C V C V, into out (the
 * flat m^4 array at ((a m + b) m + c) m + e): the attention noise's covariance Sigma_A / H on its clock
 * (clock gamma^4: section 14.5's Sigma_att / H). The tests' and checkBlock's closed form.
 */
export function addAttentionCovariance(
  v: Float64Array,
  m: number,
  tau0: number,
  heads: number,
  clock: number,
  out: Float64Array,
): void {
  const s = scratchFor(null, m);
  const attVar = clock / (heads * m * m * tau0 * tau0);
  doublyCentred(v, m, s.rows, s.centred);
  multiply(v, s.centred, m, s.a);
  multiply(s.a, v, m, s.b);
  const w = s.b;
  const V = (i: number, j: number) => v[i * m + j];
  const W = (i: number, j: number) => w[i * m + j];
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      for (let c = 0; c < m; c++) {
        for (let e = 0; e < m; e++) {
          out[((a * m + b) * m + c) * m + e] +=
            attVar * (V(a, c) * W(b, e) + V(a, e) * W(b, c) + V(b, c) * W(a, e) + V(b, e) * W(a, c));
        }
      }
    }
  }
}

/** The attention drift alone (no MLP block), allocating: for tests, documentation and references. */
export function attentionDrift(v: Float64Array, m: number, p: Pick<AttentionParams, 'gamma' | 'tau0'>): Float64Array {
  const out = new Float64Array(m * m);
  attentionDriftInto(v, m, (p.gamma * p.gamma) / (p.tau0 * p.tau0), scratchFor(null, m), out);
  return out;
}
