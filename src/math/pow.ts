// pow from IEEE-exact operations only, so every engine gives the same bits. Algorithm and constants after
// fdlibm 5.3 (Sun Microsystems, 2004: e_pow.c): log2|x| = t1 + t2 in simulated extra precision (t1 with
// 29 trailing zero bits), y log2|x| = n + y' with the products split so they are exact, then
// 2^n exp(y' ln2). Error < 1 ulp; exact for integer powers of integers that are representable.
// Special values follow ECMAScript's Math.pow (which differs from C's pow: pow(+-1, +-Inf) and pow(1, NaN)
// are NaN); an odd integer y > 2^31 keeps the sign of a negative x (fdlibm returned +Inf/+0 there).

import { highWord, lowWord, withHighWord, clearLowWord, fromWords } from './bits.js';

const DP_H = 5.84962487220764160156e-1; // 0x3fe2b803 40000000: log2(1.5) head
const DP_L = 1.35003920212974897128e-8; // 0x3e4cfdeb 43cfd006: log2(1.5) tail
const TWO53 = 9007199254740992;
// (3/2)(log(x) - 2s - (2/3) s^3) as a polynomial in s^2
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;
// exp's rational on [0, 0.5 ln2] (as ./exp.ts)
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const LG2 = 6.93147180559945286227e-1; // 0x3fe62e42 fefa39ef
const LG2_H = 6.93147182464599609375e-1; // 0x3fe62e43 00000000
const LG2_L = -1.90465429995776804525e-9; // 0xbe205c61 0ca86c39
const OVT = 8.0085662595372944372e-17; // -(1024 - log2(overflow threshold + 0.5 ulp))
const CP = 9.61796693925975554329e-1; // 2/(3 ln2)
const CP_H = 9.61796700954437255859e-1; // 0x3feec709 e0000000: CP to 24 bits
const CP_L = -7.02846165095275826516e-9; // CP - CP_H
const IVLN2 = 1.442695040888963387; // 1/ln2
const IVLN2_H = 1.44269502162933349609; // 0x3ff71547 60000000: 1/ln2 to 24 bits
const IVLN2_L = 1.92596299112661746887e-8; // 1/ln2 - IVLN2_H

/** z 2^n for z near 1 and -1080 < n < 1025, rounded once (subnormal results included). */
function scale(z: number, n: number): number {
  if (n >= -1022) return z * fromWords((n + 1023) << 20, 0);
  return z * fromWords((n + 60 + 1023) << 20, 0) * fromWords((1023 - 60) << 20, 0);
}

/** x^y with ECMAScript Math.pow's special values, within 1 ulp. */
export function pow(x: number, y: number): number {
  const hx = highWord(x);
  const lx = lowWord(x);
  const hy = highWord(y);
  const ly = lowWord(y);
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;
  if ((iy | ly) === 0) return 1; // x^+-0 = 1, even for NaN
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0))
    return NaN;

  // yisint: 0 y not an integer, 1 odd integer, 2 even integer (only needed for x < 0)
  let yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000)
      yisint = 2; // |y| >= 2^53
    else if (iy >= 0x3ff00000) {
      const k = (iy >> 20) - 1023;
      if (k > 20) {
        const j = ly >>> (52 - k);
        if ((j << (52 - k)) >>> 0 === ly) yisint = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - k);
        if (j << (20 - k) === iy) yisint = 2 - (j & 1);
      }
    }
  }

  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y = +-Inf
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // (+-1)^+-Inf (ECMAScript)
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // |x| > 1
      return hy < 0 ? -y : 0; // |x| < 1
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x; // y = +-1
    if (hy === 0x40000000) return x * x; // y = 2
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x); // y = 0.5, x >= +0: sqrt is IEEE-exact
  }

  let ax = hx < 0 ? -x : x;
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x = +-0, +-Inf, +-1
    let z = ax;
    if (hy < 0) z = 1 / z;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) === 0)
        z = NaN; // (-1)^non-integer
      else if (yisint === 1) z = -z;
    }
    return z;
  }
  if (hx < 0 && yisint === 0) return NaN; // negative^non-integer

  const sign = hx < 0 && yisint === 1 ? -1 : 1;
  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2^31
    if (iy > 0x43f00000) {
      // |y| > 2^64: over- or underflows
      if (ix <= 0x3fefffff) return hy < 0 ? sign * Infinity : sign * 0;
      if (ix >= 0x3ff00000) return hy > 0 ? sign * Infinity : sign * 0;
    }
    if (ix < 0x3fefffff) return hy < 0 ? sign * Infinity : sign * 0;
    if (ix > 0x3ff00000) return hy > 0 ? sign * Infinity : sign * 0;
    // |1 - x| <= 2^-20: log(x) by x - x^2/2 + x^3/3 - x^4/4
    const t = ax - 1; // exact, <= 33 significant bits
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    // IVLN2_H has 24 significant bits, so only t's top 21 bits make an exact product (fdlibm multiplied
    // all of t, losing up to 3 bits: 5e-14 relative error at x = 1 + 2.2e-7, y = 2.5e9)
    const tH = clearLowWord(t);
    const u = IVLN2_H * tH;
    const v = (t - tH) * IVLN2_H + t * IVLN2_L - w * IVLN2;
    t1 = clearLowWord(u + v);
    t2 = v - (t1 - u);
  } else {
    let n = 0;
    if (ix < 0x00100000) {
      // subnormal x
      ax *= TWO53;
      n -= 53;
      ix = highWord(ax);
    }
    n += (ix >> 20) - 1023;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000; // normalised to [1, 2)
    let k: number;
    if (j <= 0x3988e)
      k = 0; // |x| < sqrt(3/2)
    else if (j < 0xbb67a)
      k = 1; // |x| < sqrt(3)
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = withHighWord(ax, ix);
    const bp = k === 0 ? 1 : 1.5;
    const dpH = k === 0 ? 0 : DP_H;
    const dpL = k === 0 ? 0 : DP_L;
    // s = sH + sL = (x - bp)/(x + bp) in extra precision
    let u = ax - bp;
    let v = 1 / (ax + bp);
    const s = u * v;
    const sH = clearLowWord(s);
    let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0); // ax + bp, high part
    let tL = ax - (tH - bp);
    const sL = v * (u - sH * tH - sH * tL);
    // log(ax)
    let s2 = s * s;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + s);
    s2 = sH * sH;
    tH = clearLowWord(3 + s2 + r);
    tL = r - (tH - 3 - s2);
    // u + v = s (1 + ...)
    u = sH * tH;
    v = sL * tH + tL * s;
    // 2/(3 ln2) (s + ...)
    const pH = clearLowWord(u + v);
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + dpL;
    // log2(ax) = n + dpH + zH + zL
    const t = n;
    t1 = clearLowWord(zH + zL + dpH + t);
    t2 = zL - (t1 - t - dpH - zH);
  }

  // (y1 + y2)(t1 + t2) with y1 the top 21 bits of y, so y1 t1 is exact
  const y1 = clearLowWord(y);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  const j = highWord(z);
  const i = lowWord(z);
  if (j >= 0x40900000) {
    // z >= 1024
    if (((j - 0x40900000) | i) !== 0) return sign * Infinity;
    if (pL + OVT > z - pH) return sign * Infinity;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z <= -1075
    if (((j - (0xc090cc00 | 0)) | i) !== 0) return sign * 0;
    if (pL <= z - pH) return sign * 0;
  }
  // 2^(pH + pL): split off the nearest integer n
  const ai = j & 0x7fffffff;
  let k = (ai >> 20) - 1023;
  let n = 0;
  if (ai > 0x3fe00000) {
    // |z| > 0.5
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 1023;
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  let t = clearLowWord(pL + pH);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  t = z * z;
  const c = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const r = (z * c) / (c - 2) - (w + z * w);
  z = 1 - (r - z);
  const hz = highWord(z) + (n << 20);
  z = hz >> 20 <= 0 ? scale(z, n) : withHighWord(z, hz);
  return sign * z;
}
