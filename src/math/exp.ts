// exp and expm1 from IEEE-exact operations only (+, -, *, / and bit moves; no Math.* transcendental, no
// fused multiply-add), so every engine and the WebAssembly port give the same bits. Algorithm and constants
// after fdlibm 5.3 (Sun Microsystems, 1993/2004: e_exp.c, s_expm1.c): x = k ln2 + r with ln2 split so that
// k*LN2_HI is exact, a degree-5 Remez rational for r, then 2^k by exponent arithmetic. Error < 1 ulp.

import { highWord, lowWord, POW2, POW2_ZERO } from './bits.js';

const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42 fee00000: 32 bits, so k*LN2_HI is exact for |k| < 2^21
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const INV_LN2 = 1.442695040888963387; // 0x3ff71547 652b82fe
const OVERFLOW = 7.09782712893383973096e2; // 0x40862e42 fefa39ef: largest x with finite exp(x)
const UNDERFLOW = -7.4513321910194110842e2; // 0xc0874910 d52d3051: below, exp(x) rounds to 0
const TWO_M1000 = 9.3326361850321887899e-302; // 2^-1000

// exp: r*(e^r+1)/(e^r-1) ~ 2 + P1 r^2 + ... + P5 r^10, |error| < 2^-59 on [0, 0.5 ln2]
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;

// expm1: coefficients Q_i * 2^i of R1(z) = 1 + Q1 z + ... + Q5 z^5, z = r^2/2, |error| < 2^-61
const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;

// The branch points of fdlibm's high-word tests, as doubles: |x| >= HALF_LN2_UP is its hx > 0x3fd62e42,
// |x| < THREE_HALVES_LN2 its hx < 0x3ff0a2b2, so comparing |x| takes the same branches without reading bits.
const HALF_LN2_UP = 0.3465735912322998; // 0x3fd62e43 00000000
const THREE_HALVES_LN2 = 1.0397205352783203; // 0x3ff0a2b2 00000000
const TWO_M28 = 3.725290298461914e-9; // 2^-28

/** e^x, within 1 ulp; exp(NaN) = NaN, exp(+Inf) = +Inf, exp(-Inf) = 0. */
export function exp(x: number): number {
  // fdlibm's e_exp.c with its high-word range tests written as comparisons (same branches, same bits)
  if (x > OVERFLOW) return Infinity;
  if (x < UNDERFLOW) return 0; // and -Inf
  if (x !== x) return x; // NaN
  const a = x < 0 ? -x : x;
  let k = 0;
  let hi = 0;
  let lo = 0;
  if (a >= HALF_LN2_UP) {
    // |x| > 0.5 ln2: reduce
    if (a < THREE_HALVES_LN2) {
      // |x| < 1.5 ln2: k = +-1
      hi = x < 0 ? x + LN2_HI : x - LN2_HI;
      lo = x < 0 ? -LN2_LO : LN2_LO;
      k = x < 0 ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0; // truncation towards 0, as C's (int)
      hi = x - k * LN2_HI; // exact
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (a < TWO_M28) {
    // |x| < 2^-28: 1 + x is correctly rounded
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  // y 2^k, exact while normal (k = 1024 leaves y < 1: split the factor)
  if (k >= -1021) return k === 1024 ? y * 2 * POW2[POW2_ZERO + 1023] : y * POW2[POW2_ZERO + k];
  // a subnormal result: scale in two steps so the only rounding is the final one
  return y * POW2[POW2_ZERO + k + 1000] * TWO_M1000;
}

/** e^x - 1, within 1 ulp, accurate near 0; expm1(-Inf) = -1, expm1(-0) = -0. */
export function expm1(x: number): number {
  const word = highWord(x);
  const negative = word < 0;
  const hx = word & 0x7fffffff;
  if (hx >= 0x4043687a) {
    // |x| >= 56 ln2
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x; // NaN
        return negative ? -1 : x;
      }
      if (x > OVERFLOW) return Infinity;
    }
    if (negative) return -1; // e^x < 2^-56: -1 is correctly rounded
  }
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    // |x| > 0.5 ln2
    let hi: number;
    let lo: number;
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo; // the rounding error of x, carried as a correction
  } else if (hx < 0x3c900000) {
    // |x| < 2^-54: x itself (keeps -0)
    return x;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  if (k <= -2 || k > 56) {
    // exp(x) - 1 suffices
    // (k = 1024 leaves y < 1, so the result stays finite, as in exp)
    const y = 1 - (e - x);
    return (k === 1024 ? y * 2 * POW2[POW2_ZERO + 1023] : y * POW2[POW2_ZERO + k]) - 1;
  }
  let y: number;
  if (k < 20) {
    y = 1 - POW2[POW2_ZERO - k] - (e - x); // 1 - 2^-k is exact
  } else {
    y = x - (e + POW2[POW2_ZERO - k]);
    y += 1;
  }
  return y * POW2[POW2_ZERO + k];
}
