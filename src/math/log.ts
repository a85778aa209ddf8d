// log and log1p from IEEE-exact operations only, so every engine gives the same bits. Algorithm and
// constants after fdlibm 5.3 (Sun Microsystems, 1993: e_log.c, s_log1p.c): x = 2^k (1+f) with
// sqrt(2)/2 < 1+f < sqrt(2), log(1+f) = 2s + s R(s^2), s = f/(2+f), R a degree-14 Remez polynomial
// (|error| < 2^-58.45), and k ln2 added with ln2 split so that k*LN2_HI is exact. Error < 1 ulp.

import { highWord, lowWord, POW2, POW2_ZERO } from './bits.js';

const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const TWO54 = 1.8014398509481984e16; // 2^54
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/** Natural logarithm, within 1 ulp; log(+-0) = -Inf, log(x < 0) = NaN, log(+Inf) = +Inf. */
export function log(x: number): number {
  let hx = highWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | lowWord(x)) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // exact
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  const e = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x *= POW2[POW2_ZERO - e - (i >> 20)]; // x 2^-e or x 2^-(e+1) into [sqrt(2)/2, sqrt(2)): exact
  k += e + (i >> 20);
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    // f far from 0: the half-square form keeps the error below 1 ulp
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
}

/** log(1 + x), within 1 ulp, accurate near 0; log1p(-1) = -Inf, log1p(x < -1) = NaN, log1p(-0) = -0. */
export function log1p(x: number): number {
  return log1pTail(x, 0);
}

/**
 * log(1 + x + tail) for a double-double argument (|tail| below half an ulp of x; 0 gives log1p exactly):
 * the tail joins fdlibm's correction term c/u, so it is added before the one final rounding.
 */
export function log1pTail(x: number, tail: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // x < 0.41422 (every negative x)
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x <= -1 (or NaN with the sign bit)
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) {
      // -0.2929 < x < 0.41422: f = x exactly
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // the rounding error of 1 + x
      c = (c + tail) / u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = tail / u;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u *= POW2[POW2_ZERO - k]; // into [1, sqrt(2)): exact
    } else {
      u *= POW2[POW2_ZERO - k - 1]; // into [sqrt(2)/2, 1)
      k += 1;
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  if (k === 0 && tail !== 0) c = tail / (1 + f); // only the log1pTail callers
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const r = hfsq * (1 - 0.66666666666666666 * f);
    return k === 0 ? f - (r - c) : k * LN2_HI - (r - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  return k === 0 ? f - (hfsq - (s * (hfsq + r) + c)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + c)) - f);
}
