// Exact draws of the cross-Gram P = G^T G' of two independent k x m standard normal matrices in O(m^3)
// instead of O(m^2 k) (docs/maths.md, section 14.2): given G, the columns of P are i.i.d. N(0, G^T G), and
// G^T G ~ Wishart_m(k, I) = T T^T with T Bartlett's lower-triangular factor (T_ii^2 ~ chi^2_{k-i},
// i = 0..m-1, T_ij ~ N(0, 1) below the diagonal, all independent), so P = T Z with Z m x m standard normal.
import { nextNormal, type RandomStream } from '../../src/random/streams.js';
import { log } from '../../src/math/index.js';

/** A Gamma(shape, 1) variate by Marsaglia and Tsang's exact rejection method (shape >= 1). */
function gammaAtLeastOne(rng: RandomStream, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = nextNormal(rng);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng.nextUniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (log(u) < 0.5 * x * x + d * (1 - v + log(v))) return d * v;
  }
}

/** A chi-square variate with k >= 1 degrees of freedom (k = 1: a squared normal; else 2 Gamma(k/2)). */
export function chiSquare(rng: RandomStream, k: number): number {
  if (k === 1) {
    const z = nextNormal(rng);
    return z * z;
  }
  return 2 * gammaAtLeastOne(rng, k / 2);
}

/** P = G^T G' (m x m) for independent k x m standard normal G, G' with k >= m, drawn exactly in O(m^3).
 *  t and z are m x m scratch. */
export function crossGramBartlett(
  rng: RandomStream,
  k: number,
  m: number,
  t: Float64Array,
  z: Float64Array,
  p: Float64Array,
): void {
  t.fill(0, 0, m * m);
  for (let i = 0; i < m; i++) {
    t[i * m + i] = Math.sqrt(chiSquare(rng, k - i));
    for (let j = 0; j < i; j++) t[i * m + j] = nextNormal(rng);
  }
  rng.fillNormals(z, 0, m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let r = 0; r <= i; r++) s += t[i * m + r] * z[r * m + j];
      p[i * m + j] = s;
    }
  }
}
