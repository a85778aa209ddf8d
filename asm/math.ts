// exp and acos of src/math (exp.ts, acos.ts: fdlibm 5.3 from IEEE-exact operations and sqrt), ported line
// for line, so the kernels' transcendentals give the bits the TypeScript reference gives on any engine.
// Word access is i64 reinterpretation here (src/math/bits.ts uses a typed-array pun: the same bits).

// @ts-ignore: decorator
@inline function highWord(x: f64): i32 {
  return <i32>(reinterpret<i64>(x) >> 32);
}
// @ts-ignore: decorator
@inline function lowWord(x: f64): u32 {
  return <u32>reinterpret<i64>(x);
}
// @ts-ignore: decorator
@inline function withHighWord(x: f64, hi: i32): f64 {
  return reinterpret<f64>((reinterpret<i64>(x) & 0xffffffff) | (<i64>hi << 32));
}
// @ts-ignore: decorator
@inline function clearLowWord(x: f64): f64 {
  return reinterpret<f64>(reinterpret<i64>(x) & 0xffffffff00000000);
}

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

/** e^x, within 1 ulp (src/math/exp.ts). */
export function exp(x: f64): f64 {
  const word = highWord(x);
  const negative = word < 0;
  const hx = word & 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <i32>lowWord(x)) != 0) return x + x;
      return negative ? 0 : x;
    }
    if (x > OVERFLOW) return Infinity;
    if (x < UNDERFLOW) return 0;
  }
  let k: i32 = 0;
  let hi: f64 = 0;
  let lo: f64 = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = <i32>(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - <f64>k * LN2_HI;
      lo = <f64>k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) return withHighWord(y, highWord(y) + (k << 20));
  return withHighWord(y, highWord(y) + ((k + 1000) << 20)) * TWO_M1000;
}

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

/** arccos in [0, pi], within 1 ulp; NaN outside [-1, 1] (src/math/acos.ts). */
export function acos(x: f64): f64 {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) {
    if (((ix - 0x3ff00000) | <i32>lowWord(x)) == 0) return hx > 0 ? 0 : PI + 2 * PIO2_LO;
    return NaN;
  }
  if (ix < 0x3fe00000) {
    if (ix <= 0x3c600000) return PIO2_HI + PIO2_LO;
    const z = x * x;
    const p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    const q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    const r = p / q;
    return PIO2_HI - (x - (PIO2_LO - x * r));
  }
  if (hx < 0) {
    const z = (1 + x) * 0.5;
    const p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    const q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    const s = sqrt<f64>(z);
    const r = p / q;
    const w = r * s - PIO2_LO;
    return PI - 2 * (s + w);
  }
  const z = (1 - x) * 0.5;
  const s = sqrt<f64>(z);
  const df = clearLowWord(s);
  const c = (z - df * df) / (s + df);
  const p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
  const q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
  const r = p / q;
  const w = r * s + c;
  return 2 * (df + w);
}

/** The ports over an array (the tests' comparison with src/math): out[i] = f(in[i]), f 0 = exp, 1 = acos, 2 = log. */
export function mathMap(which: i32, input: usize, out: usize, count: i32): void {
  if (which == 0) {
    for (let i: i32 = 0; i < count; i++) store<f64>(out + (<usize>i << 3), exp(load<f64>(input + (<usize>i << 3))));
  } else if (which == 2) {
    for (let i: i32 = 0; i < count; i++) store<f64>(out + (<usize>i << 3), log(load<f64>(input + (<usize>i << 3))));
  } else {
    for (let i: i32 = 0; i < count; i++) store<f64>(out + (<usize>i << 3), acos(load<f64>(input + (<usize>i << 3))));
  }
}

const TWO54: f64 = 1.8014398509481984e16;
const LG1: f64 = 6.666666666666735130e-1;
const LG2: f64 = 3.999999999940941908e-1;
const LG3: f64 = 2.857142874366239149e-1;
const LG4: f64 = 2.222219843214978396e-1;
const LG5: f64 = 1.818357216161805012e-1;
const LG6: f64 = 1.531383769920937332e-1;
const LG7: f64 = 1.479819860511658591e-1;

/** Natural logarithm, within 1 ulp (src/math/log.ts). The reference's exact scaling by a table power of
 *  two becomes setting the exponent field, which is the same exact result. */
export function log(x: f64): f64 {
  let hx = highWord(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | <i32>lowWord(x)) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  const e = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // x 2^-(e + i/2^20): the mantissa kept, the exponent set to 0 or -1
  x = reinterpret<f64>((reinterpret<i64>(x) & 0x000fffffffffffff) | (<i64>(1023 - (i >> 20)) << 52));
  k += e + (i >> 20);
  const f = x - 1;
  const kf = <f64>k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) return k == 0 ? 0 : kf * LN2_HI + kf * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - r : kf * LN2_HI - (r - kf * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + r)) : kf * LN2_HI - (hfsq - (s * (hfsq + r) + kf * LN2_LO) - f);
  }
  return k == 0 ? f - s * (f - r) : kf * LN2_HI - (s * (f - r) - kf * LN2_LO - f);
}
