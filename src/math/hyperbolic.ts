// tanh and atanh from IEEE-exact operations only (through this package's expm1 and log1p), so every engine
// gives the same bits. Structure after fdlibm 5.3 (Sun Microsystems, 1993: s_tanh.c, e_atanh.c); tanh on
// [2^-27, 1) carries expm1 in double-double to stay within 1 ulp (fdlibm's reaches 2 ulp there).

import { highWord, lowWord } from './bits.js';
import { productError } from './exact.js';
import { expm1 } from './exp.js';
import { log1pTail } from './log.js';

const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42 fee00000 (as ./exp.ts)
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
// 1/(n+3)!, n = 0..11: expm1(r) = r + r^2/2 + r^3 S(r) with the series cut where the next term is
// below 2^-62 relative on |r| <= 0.5 ln2
const F3 = 0.16666666666666666;
const F4 = 0.041666666666666664;
const F5 = 0.008333333333333333;
const F6 = 0.001388888888888889;
const F7 = 0.0001984126984126984;
const F8 = 2.48015873015873e-5;
const F9 = 2.7557319223985893e-6;
const F10 = 2.755731922398589e-7;
const F11 = 2.505210838544172e-8;
const F12 = 2.08767569878681e-9;
const F13 = 1.6059043836821613e-10;
const F14 = 1.1470745597729725e-11;

// Taylor coefficients of tanh x = x + T1 x^3 + ... + T10 x^21, T_k = 4^(k+1) (4^(k+1) - 1) B_2(k+1) / (2k+2)!; on
// |x| < 1/4 the omitted tail is below 2^-58.6 |x|
const T1 = -0.3333333333333333;
const T2 = 0.13333333333333333;
const T3 = -0.05396825396825397;
const T4 = 0.021869488536155203;
const T5 = -0.008863235529902197;
const T6 = 0.003592128036572481;
const T7 = -0.0014558343870513183;
const T8 = 0.000590027440945586;
const T9 = -0.00023912911424355248;
const T10 = 9.691537956929451e-5;

/**
 * tanh(a) for 1/4 <= a < 1 as -t/(t+2), t = expm1(-2a), with t carried as a double-double: the
 * quotient's sensitivity 2/(t+2) reaches 1.76, so a t within 1 ulp (fdlibm's route) leaves up to 2 ulp.
 * Here t is good to about 2^-57 relative and the quotient is corrected once, so the error is < 0.63 ulp.
 */
function tanhMiddle(a: number): number {
  const y = -2 * a; // exact
  let k = 0;
  let r = y;
  let c = 0;
  if (y < -0.34657359027997264) {
    // y = k ln2 + r + c, k in {-1, -2, -3}; k*LN2_HI is exact and so is y - k*LN2_HI
    k = (y * INV_LN2 - 0.5) | 0;
    const hi = y - k * LN2_HI;
    const lo = k * LN2_LO;
    r = hi - lo;
    c = hi - r - lo;
  }
  // expm1(r + c) = r + r^2/2 + r^3 S(r) + c (1 + r), the first two terms exact as a double-double
  const sq = r * r;
  const sqError = productError(r, r, sq);
  const half = 0.5 * sq;
  const head = r + half; // |half| <= 0.18 |r|: fast two-sum
  const cubic =
    sq *
    r *
    (F3 +
      r *
        (F4 +
          r *
            (F5 +
              r * (F6 + r * (F7 + r * (F8 + r * (F9 + r * (F10 + r * (F11 + r * (F12 + r * (F13 + r * F14)))))))))));
  const tail = r - head + half + 0.5 * sqError + cubic + (c + c * r);
  let tH = head + tail;
  let tL = head - tH + tail;
  if (k !== 0) {
    // e^y - 1 = (2^k - 1) + 2^k expm1(r + c); 2^k and 2^k - 1 are exact, |2^k - 1| >= |2^k expm1(...)|
    const p = k === -1 ? 0.5 : k === -2 ? 0.25 : 0.125;
    const base = p - 1;
    const scaled = p * tH;
    const s = base + scaled;
    tL = base - s + scaled + p * tL;
    tH = s + tL;
    tL = s - tH + tL;
  }
  // -t / (t + 2) with one correction of the quotient
  const dH = 2 + tH; // |tH| < 0.87: fast two-sum
  const dL = 2 - dH + tH + tL;
  const q = -tH / dH;
  const qd = q * dH;
  const remainder = -tH - qd - productError(q, dH, qd) - tL - q * dL; // -t - q (t + 2), exact to 2^-106
  return q + remainder / dH;
}

/** Hyperbolic tangent, within 1 ulp; tanh(+-Inf) = +-1, tanh(-0) = -0. */
export function tanh(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return x !== x ? x : hx >= 0 ? 1 : -1;
  let z: number;
  if (ix < 0x3e400000) return x; // |x| < 2^-27: tanh x = x (1 - x^2/3 + ...) is x within 1 ulp (keeps -0)
  if (ix < 0x3fd00000) {
    // |x| < 1/4 (shaped activations' usual range): x + x q with q = x^2 T(x^2) <= 0.021, so q's few
    // roundings move the result by < 0.07 ulp and the error stays < 0.57 ulp
    const w = x * x;
    const q =
      w * (T1 + w * (T2 + w * (T3 + w * (T4 + w * (T5 + w * (T6 + w * (T7 + w * (T8 + w * (T9 + w * T10)))))))));
    return x + x * q;
  }
  const a = hx < 0 ? -x : x;
  if (ix < 0x3ff00000) {
    z = tanhMiddle(a);
  } else if (ix < 0x40360000) {
    // 1 <= |x| < 22: 2/(t+2) <= 0.24, so t's error is damped below a quarter ulp of the result
    const t = expm1(2 * a);
    z = 1 - 2 / (t + 2);
  } else {
    z = 1; // |x| >= 22: 1 - tanh|x| < 2^-63
  }
  return hx >= 0 ? z : -z;
}

// log's Remez polynomial (./log.ts): log((1+s)/(1-s)) = 2s + s R(s^2) on |s| <= 0.1716, so there
// atanh(s) = s + s R(s^2)/2
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * Inverse hyperbolic tangent, within 1 ulp; atanh(+-1) = +-Inf, NaN outside [-1, 1], atanh(-0) = -0.
 * |x| <= 0.1716: the log polynomial directly. Beyond: 0.5 log1p(q), q = 2|x|/(1-|x|) carried as a
 * double-double into log1p's final correction (fdlibm rounded q first and reached 1.4 ulp).
 */
export function atanh(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix > 0x3ff00000 || (ix === 0x3ff00000 && lowWord(x) !== 0)) return NaN; // |x| > 1 or NaN
  if (ix === 0x3ff00000) return hx > 0 ? Infinity : -Infinity;
  if (ix < 0x3e300000) return x; // |x| < 2^-28 (keeps -0)
  const a = hx < 0 ? -x : x;
  let t: number;
  if (a <= 0.1715728752538099) {
    // (sqrt(2) - 1)/(sqrt(2) + 1), where s = f/(2+f) ends in log
    const z = a * a;
    const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
    t = a + a * (0.5 * r);
  } else {
    const d = 1 - a;
    const dTail = 1 - d - a; // exact: 1 - a = d + dTail
    const q = (a + a) / d;
    const qd = q * d;
    const qTail = (a + a - qd - productError(q, d, qd) - q * dTail) / d;
    t = 0.5 * log1pTail(q, qTail);
  }
  return hx >= 0 ? t : -t;
}
