// The 256-layer ziggurat of Marsaglia & Tsang (2000) on 32-bit words: the low 8 bits pick the layer
// and the high 24 bits give the signed abscissa, so layer and value use disjoint bits (Doornik's
// critique). Every normal takes exactly one word of its stream; the 0.7% of words that miss their
// layer's rectangle are finished after the fast loop by the rejection sampler, which draws from an
// auxiliary stream. So normal k is a function of word k and of the rejections before it, the same
// however fills are split, and the fast loop has no call in it (an inlined slow path halves its speed).
// The tables and the slow path use src/math's exp and log, so the numbers are the same on every engine.

import { exp, log } from '../math/index.js';

export const LAYERS = 256;
/** Right edge of the base layer and the common area of every layer, for 256 layers. */
export const R = 3.6541528853610088;
const AREA = 0.00492867323399;
const SCALE = 8388608; // 2^23: the signed 24-bit abscissa spans [-2^23, 2^23)

/**
 * |j| < K[i]: the point lies in layer i's inner rectangle. K is the ceiling of the real bound, so the
 * integer comparison accepts exactly the integers the real one does (Marsaglia's floor would send the
 * base layer's last in-rectangle abscissa to the slow path).
 */
export const K = new Int32Array(LAYERS);
/** Abscissa per unit of j. */
export const W = new Float64Array(LAYERS);
/** Density exp(-x^2/2) at each layer's outer edge. */
export const F = new Float64Array(LAYERS);

(function buildTables() {
  let dn = R;
  let tn = R;
  const q = AREA / exp(-0.5 * dn * dn);
  K[0] = Math.ceil((dn / q) * SCALE);
  K[1] = 0;
  W[0] = q / SCALE;
  W[LAYERS - 1] = dn / SCALE;
  F[0] = 1;
  F[LAYERS - 1] = exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * log(AREA / dn + exp(-0.5 * dn * dn)));
    K[i + 1] = Math.ceil((dn / tn) * SCALE);
    tn = dn;
    F[i] = exp(-0.5 * dn * dn);
    W[i] = dn / SCALE;
  }
})();

/** What the slow path needs from a uniform source. */
export interface WordSource {
  nextInt32(): number;
  nextUniform(): number;
}

/** Rejection part of the ziggurat (about 0.7% of draws), entered with the word `u` that missed; further
 *  uniforms come from `rng` (the auxiliary stream). */
export function slowNormal(rng: WordSource, u: number): number {
  for (;;) {
    const layer = u & 255;
    const j = u >> 8;
    const x = j * W[layer];
    if (layer === 0) {
      // The tail beyond R, by Marsaglia's exponential method.
      let a: number;
      let b: number;
      do {
        a = -log(rng.nextUniform()) / R;
        b = -log(rng.nextUniform());
      } while (b + b < a * a);
      return j < 0 ? -R - a : R + a;
    }
    if (F[layer] + rng.nextUniform() * (F[layer - 1] - F[layer]) < exp(-0.5 * x * x)) return x;
    u = rng.nextInt32();
    const next = u >> 8;
    if (Math.abs(next) < K[u & 255]) return next * W[u & 255];
  }
}

/** Normals filled per pass of the fast loop; each pass's rejections are finished before the next. */
export const PASS = 1024;

/** Positions and words that missed their rectangle in one pass of a fill: each generator owns one, so no
 *  two streams share scratch. Plain arrays that grow only on a miss (about 7 per 1024 words), so a
 *  stream that is opened per block of paths allocates next to nothing. */
export interface Rejections {
  readonly index: number[];
  readonly word: number[];
}

export function rejectionScratch(): Rejections {
  return { index: [], word: [] };
}

/** Replace the rejected positions of `out` by the slow path's normals, drawing from `aux`, and empty the list. */
export function finishRejections(out: Float64Array, aux: WordSource, rejected: Rejections): void {
  const { index, word } = rejected;
  for (let i = 0; i < index.length; i++) out[index[i]] = slowNormal(aux, word[i]);
  index.length = 0;
  word.length = 0;
}
