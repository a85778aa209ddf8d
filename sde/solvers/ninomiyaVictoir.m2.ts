// The splitting step fused for the 2 x 2 covariance term: the noise flows in their coin-chosen order
// unrolled over the lanes, after the drift flow (for a ReLU-like drift, the pair flow for r in the same
// pass: it needs one arccos where the exponential midpoint needed two). The same operations in the same
// order as the generic step composed from the term's flows, so the same bits (test/sde.test.ts). The
// noise body is written out twice: one shared closure measured 15-20% slower.
import type { CovarianceM2 } from './m2.js';
import type { FusedSplitStep, LaneBook } from '../term.js';
import { exp } from '../../src/math/index.js';

export function ninomiyaVictoirM2(term: CovarianceM2): FusedSplitStep {
  return term.pair !== null ? pairStep(term, term.pair) : driftThenNoise(term);
}

/** The drift's own flow over the block, then the unrolled noise flows. */
function driftThenNoise(term: CovarianceM2): FusedSplitStep {
  const { lanes: B, threshold } = term;
  let lastH = NaN;
  let e0 = 1;
  let e1 = 1;
  let rootHalfH = 0;
  let rootH = 0;
  return (
    x: Float64Array,
    tau: number,
    t0: number,
    g: Float64Array,
    coins: Int32Array | null,
    h: number,
    t1: number,
    book: LaneBook,
  ) => {
    term.driftFlow(x, tau, t0, book);
    if (h !== lastH) ({ e0, e1, rootHalfH, rootH } = term.noiseConstants((lastH = h)));
    const alive = book.alive;
    for (let j = 0; j < B; j++) {
      if (!alive[j]) continue;
      const a = x[j];
      const c = x[B + j];
      const b = x[2 * B + j];
      let l00 = Math.sqrt(a);
      let l10 = l00 > 0 ? c / l00 : 0;
      const rest = b - l10 * l10;
      let l11 = rest > 0 ? Math.sqrt(rest) : 0;
      l00 *= e0;
      l10 *= e0;
      l11 *= e1;
      const z00 = exp(rootHalfH * g[j]);
      const z10 = rootH * g[B + j];
      const z11 = exp(rootHalfH * g[2 * B + j]);
      if ((coins![j >> 5] >>> (j & 31)) & 1) {
        l00 *= z00;
        l10 *= z00;
        l10 += z10 * l11;
        l11 *= z11;
      } else {
        l11 *= z11;
        l10 += z10 * l11;
        l00 *= z00;
        l10 *= z00;
      }
      l00 *= e0;
      l10 *= e0;
      l11 *= e1;
      const v00 = l00 * l00;
      const v11 = l10 * l10 + l11 * l11;
      x[j] = v00;
      x[B + j] = l10 * l00;
      x[2 * B + j] = v11;
      if (v00 > threshold || v11 > threshold) book.explode(j, t1);
    }
  };
}

/** ReLU-like: the pair flow and the noise flows in one pass over the lanes. */
function pairStep(term: CovarianceM2, flow: (r: number, tau: number) => number): FusedSplitStep {
  const { lanes: B, threshold } = term;
  let lastH = NaN;
  let e0 = 1;
  let e1 = 1;
  let rootHalfH = 0;
  let rootH = 0;
  return (
    x: Float64Array,
    tau: number,
    _t0: number,
    g: Float64Array,
    coins: Int32Array | null,
    h: number,
    t1: number,
    book: LaneBook,
  ) => {
    if (h !== lastH) ({ e0, e1, rootHalfH, rootH } = term.noiseConstants((lastH = h)));
    const alive = book.alive;
    // The pair flow on the drift clock, as the term's drift flow runs it (1 tau is tau to the bit).
    const tauD = term.driftClock * tau;
    for (let j = 0; j < B; j++) {
      if (!alive[j]) continue;
      const a = x[j];
      const b = x[2 * B + j];
      const scale = Math.sqrt(a * b);
      const c = flow(scale > 0 ? x[B + j] / scale : 0, tauD) * scale;
      let l00 = Math.sqrt(a);
      let l10 = l00 > 0 ? c / l00 : 0;
      const rest = b - l10 * l10;
      let l11 = rest > 0 ? Math.sqrt(rest) : 0;
      l00 *= e0;
      l10 *= e0;
      l11 *= e1;
      const z00 = exp(rootHalfH * g[j]);
      const z10 = rootH * g[B + j];
      const z11 = exp(rootHalfH * g[2 * B + j]);
      if ((coins![j >> 5] >>> (j & 31)) & 1) {
        l00 *= z00;
        l10 *= z00;
        l10 += z10 * l11;
        l11 *= z11;
      } else {
        l11 *= z11;
        l10 += z10 * l11;
        l00 *= z00;
        l10 *= z00;
      }
      l00 *= e0;
      l10 *= e0;
      l11 *= e1;
      const v00 = l00 * l00;
      const v11 = l10 * l10 + l11 * l11;
      x[j] = v00;
      x[B + j] = l10 * l00;
      x[2 * B + j] = v11;
      if (v00 > threshold || v11 > threshold) book.explode(j, t1);
    }
  };
}
