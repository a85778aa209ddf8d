// Standard normal variates from an xor4096 stream by a 256-layer ziggurat (Marsaglia & Tsang 2000).
// One 32-bit draw per normal on the fast path (~99% of draws): its low 8 bits pick the layer and its
// high 24 bits give the abscissa, so the layer and the value use disjoint bits (Doornik's critique).
import { Xor4096 } from './rng.js';

const LAYERS = 256;
/** Right edge of the base layer and the common area of every layer, for 256 layers. */
const R = 3.6541528853610088;
const AREA = 0.00492867323399;
const SCALE = 8388608; // 2^23: the signed 24-bit abscissa spans [-2^23, 2^23)

// |j| < K[i]: the point lies inside the layer's inner rectangle. K is the ceiling of the real bound, so
// the int32 comparison accepts exactly the integers the real one does (Marsaglia's floor would send the
// base layer's last in-rectangle abscissa to the tail sampler).
const K = new Int32Array(LAYERS);
const W = new Float64Array(LAYERS); // abscissa per unit of j
const F = new Float64Array(LAYERS); // density exp(-x^2/2) at the layer's outer edge

(function buildTables() {
  let dn = R;
  let tn = R;
  const q = AREA / Math.exp(-0.5 * dn * dn);
  K[0] = Math.ceil((dn / q) * SCALE);
  K[1] = 0;
  W[0] = q / SCALE;
  W[LAYERS - 1] = dn / SCALE;
  F[0] = 1;
  F[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(AREA / dn + Math.exp(-0.5 * dn * dn)));
    K[i + 1] = Math.ceil((dn / tn) * SCALE);
    tn = dn;
    F[i] = Math.exp(-0.5 * dn * dn);
    W[i] = dn / SCALE;
  }
})();

/** Rejection part of the ziggurat, entered with the draw `u` that missed the inner rectangle. */
function slowNormal(rng: Xor4096, u: number): number {
  for (;;) {
    const layer = u & 255;
    const j = u >> 8;
    const x = j * W[layer];
    if (layer === 0) {
      // Tail beyond R by Marsaglia's exponential method.
      let a: number;
      let b: number;
      do {
        a = -Math.log(rng.nextUniform()) / R;
        b = -Math.log(rng.nextUniform());
      } while (b + b < a * a);
      return j < 0 ? -R - a : R + a;
    }
    if (F[layer] + rng.nextUniform() * (F[layer - 1] - F[layer]) < Math.exp(-0.5 * x * x)) return x;
    u = rng.nextInt32();
    const next = u >> 8;
    if (Math.abs(next) < K[u & 255]) return next * W[u & 255];
  }
}

/** One standard normal. Kernels that need many should call `fillNormals`. */
export function nextNormal(rng: Xor4096): number {
  const u = rng.nextInt32();
  const j = u >> 8;
  const layer = u & 255;
  return Math.abs(j) < K[layer] ? j * W[layer] : slowNormal(rng, u);
}

/**
 * Fill out[offset .. offset+count) with standard normals. The xor4096 step is inlined on local
 * copies of the state: this loop is the package's innermost kernel (>1e8 normals/s on one core).
 */
export function fillNormals(rng: Xor4096, out: Float64Array, offset = 0, count = out.length - offset): void {
  const X = rng.x;
  let i = rng.i;
  let w = rng.w;
  const end = offset + count;
  for (let p = offset; p < end; p++) {
    w = (w + 0x61c88647) | 0;
    let v = X[(i + 34) & 127];
    i = (i + 1) & 127;
    let t = X[i];
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v ^= t;
    X[i] = v;
    const u = (v + (w ^ (w >>> 16))) | 0;
    const j = u >> 8;
    const layer = u & 255;
    const sign = j >> 31;
    if (((j ^ sign) - sign) < K[layer]) {
      out[p] = j * W[layer];
    } else {
      rng.i = i;
      rng.w = w;
      out[p] = slowNormal(rng, u);
      i = rng.i;
      w = rng.w;
    }
  }
  rng.i = i;
  rng.w = w;
}
