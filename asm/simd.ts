// exp and acos of math.ts on two lanes at once (f64x2): the branches the two lanes take are computed and
// each lane's own selected, so each lane gets exactly the scalar result (the same operations on the same
// values); test/wasm.test.ts compares them with src/math on edge, mixed-branch and random arguments.

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e0;
const OVERFLOW: f64 = 7.09782712893383973096e2;
const UNDERFLOW: f64 = -7.45133219101941108420e2;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
const P1: f64 = 1.66666666666666019037e-1;
const P2: f64 = -2.77777777770155933842e-3;
const P3: f64 = 6.61375632143793436117e-5;
const P4: f64 = -1.65339022054652515390e-6;
const P5: f64 = 4.13813679705723846039e-8;
const PI: f64 = 3.14159265358979311600e0;
const PIO2_HI: f64 = 1.57079632679489655800e0;
const PIO2_LO: f64 = 6.12323399573676603587e-17;
const PS0: f64 = 1.66666666666666657415e-1;
const PS1: f64 = -3.25565818622400915405e-1;
const PS2: f64 = 2.01212532134862925881e-1;
const PS3: f64 = -4.00555345006794114027e-2;
const PS4: f64 = 7.91534994289814532176e-4;
const PS5: f64 = 3.47933107596021167570e-5;
const QS1: f64 = -2.40339491173441421878e0;
const QS2: f64 = 2.02094576023350569471e0;
const QS3: f64 = -6.88283971605453293030e-1;
const QS4: f64 = 7.70381505559019352791e-2;
// The least |x| whose high word is above 0x3fd62e42 (exp reduces it) and 2^-28 (high word 0x3e300000: below it,
// exp is 1 + x).
const EXP_REDUCE: f64 = 0.3465735912322998;
const EXP_TINY: f64 = 3.725290298461914e-9;
// The least |x| whose high word is above 0x3c600000 (2^-57 (1 + 2^-20)): acos's tiny branch is |x| below it.
const ACOS_TINY: f64 = 6.938893903907228e-18 + 6.617444900424222e-24;

/** The high words (sign, exponent, top mantissa bits) of both lanes, each in both i32 halves of its
 *  lane, so i32x4 comparisons give whole-lane masks (i64x2 shifts are slow in V8's x64 code). */
// @ts-ignore: decorator
@inline function high2(x: v128): v128 {
  return i32x4.shuffle(x, x, 1, 1, 3, 3);
}

// @ts-ignore: decorator
@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}


// Constants as loads from a static table: V8 materialises each v128.const with several instructions at
// every use (TurboFan does not hoist them out of loops), a load is one operand.
const FTABLE = memory.data<f64>([-0.5, -0.5, 0.5, 0.5, INV_LN2, INV_LN2, -1, -1, 1, 1, LN2_HI, LN2_HI, -LN2_LO, -LN2_LO, LN2_LO, LN2_LO, 0, 0, P4, P4, P5, P5, P3, P3, P2, P2, P1, P1, 2, 2, 6755399441055744.0, 6755399441055744.0, TWO_M1000, TWO_M1000, -1021, -1021, Infinity, Infinity, OVERFLOW, OVERFLOW, UNDERFLOW, UNDERFLOW, PS4, PS4, PS5, PS5, PS3, PS3, PS2, PS2, PS1, PS1, PS0, PS0, QS3, QS3, QS4, QS4, QS2, QS2, QS1, QS1, PIO2_HI, PIO2_HI, PIO2_LO, PIO2_LO, PI, PI, PIO2_HI + PIO2_LO, PIO2_HI + PIO2_LO, PI + 2 * PIO2_LO, PI + 2 * PIO2_LO, NaN, NaN, 1e-12, 1e-12, ACOS_TINY, ACOS_TINY, EXP_REDUCE, EXP_REDUCE, EXP_TINY, EXP_TINY]);
const ITABLE = memory.data<i32>([0, 0, 0, 0, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x3fd62e42, 0x3fd62e42, 0x3fd62e42, 0x3fd62e42, 0x3ff0a2b2, 0x3ff0a2b2, 0x3ff0a2b2, 0x3ff0a2b2, 0x3e300000, 0x3e300000, 0x3e300000, 0x3e300000, 0x40862e42, 0x40862e42, 0x40862e42, 0x40862e42, 0x7ff00000, 0x7ff00000, 0x7ff00000, 0x7ff00000, 0x3fe00000, 0x3fe00000, 0x3fe00000, 0x3fe00000, 0x3c600000, 0x3c600000, 0x3c600000, 0x3c600000, 0x3ff00000, 0x3ff00000, 0x3ff00000, 0x3ff00000, 0, -1, 0, -1]);
// Indices into the tables, by constant.
const F_MINUS_HALF = 0;
const F_HALF = 1;
const F_INV_LN2 = 2;
export const F_MINUS_ONE = 3;
export const F_ONE = 4;
const F_LN2_HI = 5;
const F_MINUS_LN2_LO = 6;
const F_LN2_LO = 7;
export const F_ZERO = 8;
const F_P4 = 9;
const F_P5 = 10;
const F_P3 = 11;
const F_P2 = 12;
const F_P1 = 13;
const F_TWO = 14;
const F_MAGIC = 15;
const F_TWO_M1000 = 16;
const F_MIN_K = 17;
const F_INF = 18;
const F_OVERFLOW = 19;
const F_UNDERFLOW = 20;
const F_PS4 = 21;
const F_PS5 = 22;
const F_PS3 = 23;
const F_PS2 = 24;
const F_PS1 = 25;
const F_PS0 = 26;
const F_QS3 = 27;
const F_QS4 = 28;
const F_QS2 = 29;
const F_QS1 = 30;
const F_PIO2_HI = 31;
const F_PIO2_LO = 32;
export const F_PI = 33;
const F_PIO2 = 34;
const F_PI_ROUNDED = 35;
const F_NAN = 36;
export const F_TINY = 37;
const F_ACOS_TINY = 38;
const F_EXP_REDUCE = 39;
const F_EXP_TINY = 40;
export const I_ZERO = 0;
const I_ABS = 1;
const I_H3FD62E42 = 2;
const I_H3FF0A2B2 = 3;
const I_H3E300000 = 4;
const I_H40862E42 = 5;
const I_H7FF00000 = 6;
const I_H3FE00000 = 7;
const I_H3C600000 = 8;
const I_H3FF00000 = 9;
const I_HIGH = 10;

// @ts-ignore: decorator
@inline export function cf(i: i32): v128 {
  return v128.load(FTABLE + (<usize>i << 4));
}
// @ts-ignore: decorator
@inline export function ci(i: i32): v128 {
  return v128.load(ITABLE + (<usize>i << 4));
}

/** e^x on both lanes, each within 1 ulp and equal to math.ts exp(x). */
// @ts-ignore: decorator
@inline export function exp2(x: v128): v128 {
  const ax = f64x2.abs(x);
  // The common case in the kernels: 2^-28 <= |x| <= 0.5 ln2 on both lanes (high words 0x3e300000 to
  // 0x3fd62e42; NaN is neither), no reduction, k = 0.
  if (i64x2.bitmask(v128.and(f64x2.lt(ax, cf(F_EXP_REDUCE)), f64x2.ge(ax, cf(F_EXP_TINY)))) == 3) {
    const t = f64x2.mul(x, x);
    let poly = f64x2.add(cf(F_P4), f64x2.mul(t, cf(F_P5)));
    poly = f64x2.add(cf(F_P3), f64x2.mul(t, poly));
    poly = f64x2.add(cf(F_P2), f64x2.mul(t, poly));
    poly = f64x2.add(cf(F_P1), f64x2.mul(t, poly));
    const c = f64x2.sub(x, f64x2.mul(t, poly));
    return f64x2.sub(cf(F_ONE), f64x2.sub(f64x2.div(f64x2.mul(x, c), f64x2.sub(c, cf(F_TWO))), x));
  }
  const word = high2(x);
  const negative = i32x4.lt_s(word, ci(I_ZERO));
  const hx = v128.and(word, ci(I_ABS));
  // Reduction: k = +-1 for 0.5 ln2 < |x| < 1.5 ln2 (by the high word), else trunc(x / ln2 +- 1/2).
  const reduce = i32x4.gt_s(hx, ci(I_H3FD62E42));
  const tiny = i32x4.lt_s(hx, ci(I_H3E300000));
  const near = i32x4.lt_s(hx, ci(I_H3FF0A2B2));
  const half = v128.bitselect(cf(F_MINUS_HALF), cf(F_HALF), negative);
  const kFar = f64x2.convert_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(f64x2.add(f64x2.mul(cf(F_INV_LN2), x), half)));
  const kNear = v128.bitselect(cf(F_MINUS_ONE), cf(F_ONE), negative);
  const kf = v128.bitselect(kNear, kFar, near);
  const hiNear = v128.bitselect(f64x2.add(x, cf(F_LN2_HI)), f64x2.sub(x, cf(F_LN2_HI)), negative);
  const loNear = v128.bitselect(cf(F_MINUS_LN2_LO), cf(F_LN2_LO), negative);
  const hiFar = f64x2.sub(x, f64x2.mul(kf, cf(F_LN2_HI)));
  const loFar = f64x2.mul(kf, cf(F_LN2_LO));
  const hi = v128.bitselect(v128.bitselect(hiNear, hiFar, near), cf(F_ZERO), reduce);
  const lo = v128.bitselect(v128.bitselect(loNear, loFar, near), cf(F_ZERO), reduce);
  const k = v128.bitselect(kf, cf(F_ZERO), reduce);
  const r = v128.bitselect(f64x2.sub(hi, lo), x, reduce);
  const t = f64x2.mul(r, r);
  // c = x - t (P1 + t (P2 + t (P3 + t (P4 + t P5))))
  let poly = f64x2.add(cf(F_P4), f64x2.mul(t, cf(F_P5)));
  poly = f64x2.add(cf(F_P3), f64x2.mul(t, poly));
  poly = f64x2.add(cf(F_P2), f64x2.mul(t, poly));
  poly = f64x2.add(cf(F_P1), f64x2.mul(t, poly));
  const c = f64x2.sub(r, f64x2.mul(t, poly));
  // One division serves both branches: x c / (2 - c) is exactly -(x c / (c - 2)) (IEEE division and
  // subtraction are symmetric under negation), and lo - (-d) is exactly lo + d.
  const d = f64x2.div(f64x2.mul(r, c), f64x2.sub(c, cf(F_TWO)));
  // k = 0: 1 - (x c / (c - 2) - x)
  const y0 = f64x2.sub(cf(F_ONE), f64x2.sub(d, r));
  // k != 0: y = 1 - ((lo - x c / (2 - c)) - hi), scaled by 2^k on the exponent
  const y = f64x2.sub(cf(F_ONE), f64x2.sub(f64x2.add(lo, d), hi));
  // k as i64 lanes: adding 1.5 2^52 puts the integer k in the low mantissa bits exactly.
  const ki = i64x2.sub(f64x2.add(k, cf(F_MAGIC)), cf(F_MAGIC));
  const normal = i64x2.add(y, i64x2.shl(ki, 52));
  const sub = f64x2.mul(i64x2.add(y, i64x2.shl(i64x2.add(ki, i64x2.splat(1000)), 52)), cf(F_TWO_M1000));
  const scaled = v128.bitselect(normal, sub, f64x2.ge(k, cf(F_MIN_K)));
  const kZero = f64x2.eq(k, cf(F_ZERO));
  let result = v128.bitselect(y0, scaled, kZero);
  // |x| < 2^-28 (no reduction): 1 + x.
  result = v128.bitselect(f64x2.add(cf(F_ONE), x), result, tiny);
  // |x| >= 709.78: overflow, underflow, infinities and NaN.
  const big = i32x4.ge_s(hx, ci(I_H40862E42));
  let special = v128.bitselect(cf(F_INF), result, f64x2.gt(x, cf(F_OVERFLOW)));
  special = v128.bitselect(cf(F_ZERO), special, f64x2.lt(x, cf(F_UNDERFLOW)));
  const nonFinite = i32x4.ge_s(hx, ci(I_H7FF00000));
  const nan = f64x2.ne(x, x);
  const inf = v128.bitselect(cf(F_ZERO), x, negative);
  special = v128.bitselect(v128.bitselect(f64x2.add(x, x), inf, nan), special, nonFinite);
  result = v128.bitselect(special, result, big);
  return result;
}


/** acos's rational part r = p(z) / q(z) (math.ts acos: p = z (PS0 + ... z PS5), q = 1 + z (QS1 + ... z QS4)). */
// @ts-ignore: decorator
@inline function acosRatio2(z: v128): v128 {
  let pp = f64x2.add(cf(F_PS4), f64x2.mul(z, cf(F_PS5)));
  pp = f64x2.add(cf(F_PS3), f64x2.mul(z, pp));
  pp = f64x2.add(cf(F_PS2), f64x2.mul(z, pp));
  pp = f64x2.add(cf(F_PS1), f64x2.mul(z, pp));
  pp = f64x2.add(cf(F_PS0), f64x2.mul(z, pp));
  const p = f64x2.mul(z, pp);
  let qq = f64x2.add(cf(F_QS3), f64x2.mul(z, cf(F_QS4)));
  qq = f64x2.add(cf(F_QS2), f64x2.mul(z, qq));
  qq = f64x2.add(cf(F_QS1), f64x2.mul(z, qq));
  const q = f64x2.add(cf(F_ONE), f64x2.mul(z, qq));
  return f64x2.div(p, q);
}

/** arccos on both lanes, each equal to math.ts acos(x). The kernels' common cases take one branch on both
 *  lanes and get only its operations: 2^-57 < |x| < 1/2 (the polynomial alone) and 1/2 <= x < 1; any other
 *  pair (mixed branches, tiny, +-1, NaN, beyond) goes to acosAny2. */
// @ts-ignore: decorator
@inline export function acos2(x: v128): v128 {
  const ax = f64x2.abs(x);
  // |x| < 1/2 is a high word below 0x3fe00000, |x| >= ACOS_TINY one above 0x3c600000; NaN is neither.
  if (i64x2.bitmask(v128.and(f64x2.lt(ax, cf(F_HALF)), f64x2.ge(ax, cf(F_ACOS_TINY)))) == 3) {
    const r = acosRatio2(f64x2.mul(x, x));
    return f64x2.sub(cf(F_PIO2_HI), f64x2.sub(x, f64x2.sub(cf(F_PIO2_LO), f64x2.mul(x, r))));
  }
  if (i64x2.bitmask(v128.and(f64x2.ge(x, cf(F_HALF)), f64x2.lt(x, cf(F_ONE)))) == 3) {
    const z = f64x2.mul(f64x2.sub(cf(F_ONE), x), cf(F_HALF));
    const s = f64x2.sqrt(z);
    const df = v128.and(s, ci(I_HIGH));
    const c = f64x2.div(f64x2.sub(z, f64x2.mul(df, df)), f64x2.add(s, df));
    const r = acosRatio2(z);
    return f64x2.mul(cf(F_TWO), f64x2.add(df, f64x2.add(f64x2.mul(r, s), c)));
  }
  return acosAny2(x);
}

/** acos2 for any pair: the polynomial once on each lane's own z, the square root and the x > 1/2
 *  correction only where a lane needs them, each lane's branch selected. Out of line: rare in the kernels. */
// @ts-ignore: decorator
@inline function acosAny2(x: v128): v128 {
  const hx = high2(x);
  const ix = v128.and(hx, ci(I_ABS));
  const small = i32x4.lt_s(ix, ci(I_H3FE00000));
  const negative = i32x4.lt_s(hx, ci(I_ZERO));
  // z = x^2 (|x| < 1/2), (1 + x)/2 (x < -1/2), (1 - x)/2 (x > 1/2)
  const zBig = f64x2.mul(v128.bitselect(f64x2.add(cf(F_ONE), x), f64x2.sub(cf(F_ONE), x), negative), cf(F_HALF));
  const z = v128.bitselect(f64x2.mul(x, x), zBig, small);
  const r = acosRatio2(z);
  let result = f64x2.sub(cf(F_PIO2_HI), f64x2.sub(x, f64x2.sub(cf(F_PIO2_LO), f64x2.mul(x, r))));
  if (!i32x4.all_true(small)) {
    const s = f64x2.sqrt(z);
    const resultNeg = f64x2.sub(cf(F_PI), f64x2.mul(cf(F_TWO), f64x2.add(s, f64x2.sub(f64x2.mul(r, s), cf(F_PIO2_LO)))));
    let big = resultNeg;
    if (!i32x4.all_true(v128.or(small, negative))) {
      const df = v128.and(s, ci(I_HIGH));
      const c = f64x2.div(f64x2.sub(z, f64x2.mul(df, df)), f64x2.add(s, df));
      const resultPos = f64x2.mul(cf(F_TWO), f64x2.add(df, f64x2.add(f64x2.mul(r, s), c)));
      big = v128.bitselect(resultNeg, resultPos, negative);
    }
    result = v128.bitselect(result, big, small);
  }
  // |x| < 2^-57: pi/2
  result = v128.bitselect(cf(F_PIO2), result, i32x4.le_s(ix, ci(I_H3C600000)));
  // |x| >= 1: 0 at 1, pi at -1, NaN beyond
  const unit = f64x2.eq(f64x2.abs(x), cf(F_ONE));
  const edge = v128.bitselect(v128.bitselect(cf(F_PI_ROUNDED), cf(F_ZERO), negative), cf(F_NAN), unit);
  return v128.bitselect(edge, result, i32x4.ge_s(ix, ci(I_H3FF00000)));
}

/** The two-lane ports over an array (tests): out[i] = f(in[i]), f 0 = exp2, 1 = acos2; count even. */
export function mathMap2(which: i32, input: usize, out: usize, count: i32): void {
  if (which == 0) {
    for (let i: i32 = 0; i < count; i += 2) v128.store(out + (<usize>i << 3), exp2(v128.load(input + (<usize>i << 3))));
  } else {
    for (let i: i32 = 0; i < count; i += 2) v128.store(out + (<usize>i << 3), acos2(v128.load(input + (<usize>i << 3))));
  }
}
