// A block's limit as arithmetic (docs/maths.md, section 17): the Wishart noise Sigma(V) that every fresh
// block's output carries, the merge of parts shared by several blocks (their clocks add), the per-lane
// maths the generic matrix term integrates, and the drift and noise covariance that checkBlock and the
// tests compare with finite layers.
import { multiply, multiplyTransposed } from '../../src/matrix.js';
import type { CovarianceMaths } from '../../sde/index.js';
import type { BlockLimit, Clocked, DriftPart, NoisePart } from './block.js';

/** L S L^T with S the package's symmetric noise from g[offset...] (sqrt(2) g on the diagonal), times
 *  coefficient, into out: the Wishart noise's realisation (section 3). */
export function wishartNoiseInto(
  m: number,
  l: Float64Array,
  g: Float64Array,
  offset: number,
  coefficient: number,
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  add = false,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const x = g[offset + (i * (i + 1)) / 2 + j];
      a[i * m + j] = i === j ? Math.SQRT2 * x : x;
      a[j * m + i] = a[i * m + j];
    }
  }
  multiply(l, a, m, b);
  multiplyTransposed(b, l, m, a); // a = L S L^T
  if (add) for (let k = 0; k < m * m; k++) out[k] += coefficient * a[k];
  else for (let k = 0; k < m * m; k++) out[k] = coefficient * a[k];
}

/** Adds clock (V_ac V_be + V_ae V_bc) into out (m^4): the Wishart noise Sigma(V) on its clock (section 3). */
export function addWishartCovariance(v: Float64Array, m: number, clock: number, out: Float64Array): void {
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      for (let c = 0; c < m; c++) {
        for (let e = 0; e < m; e++)
          out[((a * m + b) * m + c) * m + e] += clock * (v[a * m + c] * v[b * m + e] + v[a * m + e] * v[b * m + c]);
      }
    }
  }
}

/** The Wishart noise Sigma(V)_{ab,ce} = V_ac V_be + V_ae V_bc (section 3): one value, so that the parts of
 *  several blocks merge and the MLP-form check finds it by identity. Its scratch is per side m. */
export const WISHART: NoisePart = (() => {
  let a = new Float64Array(0);
  let b = new Float64Array(0);
  return {
    name: 'the Wishart noise Sigma(V)',
    count: (m: number) => (m * (m + 1)) / 2,
    draw(_v, m, l, g, offset, clock, rootH, out, add) {
      if (a.length !== m * m) [a, b] = [new Float64Array(m * m), new Float64Array(m * m)];
      wishartNoiseInto(m, l, g, offset, Math.sqrt(clock) * rootH, a, b, out, add);
    },
    covariance: (v, m, clock, out) => addWishartCovariance(v, m, clock, out),
  };
})();

/** The same part twice (by identity, or by an equal `key`) becomes one part whose clock is the sum, at
 *  the place of its first occurrence. */
export function mergeParts<P extends { readonly key?: string }>(parts: ReadonlyArray<Clocked<P>>): Array<Clocked<P>> {
  const out: Array<Clocked<P>> = [];
  for (const p of parts) {
    const at = out.findIndex((q) => q.part === p.part || (p.part.key !== undefined && q.part.key === p.part.key));
    if (at < 0) out.push(p);
    else out[at] = { clock: out[at].clock + p.clock, part: out[at].part };
  }
  return out;
}

/** The clock of the Wishart noise in a limit (0 where it has none). */
export function wishartClock(limit: BlockLimit): number {
  return limit.noises.find((p) => p.part === WISHART)?.clock ?? 0;
}

/** The generic matrix term's maths of a limit: b = sum clock_i b_i, G dB = sum_j sqrt(clock_j) G_j dB_j
 *  with each part's normals in turn. Fresh scratch per call (one per term). */
export function limitMaths(limit: BlockLimit): CovarianceMaths {
  const drifts = limit.drifts.map((d) => d.part);
  const driftClocks = limit.drifts.map((d) => d.clock);
  const noises = limit.noises.map((p) => p.part);
  const noiseClocks = limit.noises.map((p) => p.clock);
  let tmp = new Float64Array(0);
  // Plain loops, no closures: these run per lane and step.
  return {
    noise(m) {
      let k = 0;
      for (const p of noises) k += p.count(m);
      return k;
    },
    drift(v, m, out) {
      const mm = m * m;
      if (drifts.length === 0) out.fill(0, 0, mm);
      if (tmp.length !== mm) tmp = new Float64Array(mm);
      for (let i = 0; i < drifts.length; i++) {
        // The first part writes out; the others are added (the order of the parts is the composition's).
        if (i === 0) drifts[0].into(v, m, driftClocks[0], out);
        else {
          drifts[i].into(v, m, driftClocks[i], tmp);
          for (let k = 0; k < mm; k++) out[k] += tmp[k];
        }
      }
    },
    diffusion(v, m, l, g, rootH, out) {
      const mm = m * m;
      if (noises.length === 0) out.fill(0, 0, mm);
      if (tmp.length !== mm) tmp = new Float64Array(mm);
      let offset = 0;
      // The first part writes out, the others add to it: out = x_1 + x_2 + ... in order.
      for (let i = 0; i < noises.length; i++) {
        noises[i].draw(v, m, l, g, offset, noiseClocks[i], rootH, out, i > 0);
        offset += noises[i].count(m);
      }
    },
  };
}

/** b(V) of a limit, allocating (m x m). */
export function limitDrift(limit: BlockLimit, v: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  limitMaths(limit).drift(v, m, out);
  return out;
}

/** N(V) of a limit, allocating: the m^4 array Cov(dV_ab, dV_ce) / dt at ((a m + b) m + c) m + e. */
export function limitCovariance(limit: BlockLimit, v: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m ** 4);
  for (const { clock, part } of limit.noises) part.covariance(v, m, clock, out);
  return out;
}

/** Parts scaled: drifts by dc, noises by nc (a residual's gamma^2 and gamma^4, a parallel's w^2 and w^4). */
export function scaleParts(limit: BlockLimit, dc: number, nc: number): BlockLimit {
  return {
    drifts: limit.drifts.map((d) => ({ clock: dc * d.clock, part: d.part })),
    noises: limit.noises.map((p) => ({ clock: nc * p.clock, part: p.part })),
  };
}

export type { DriftPart, NoisePart };
