// sin and cos from IEEE-exact operations only, so every engine gives the same bits. Structure and
// constants after fdlibm 5.3 (Sun Microsystems, 1993: s_sin.c, s_cos.c, k_sin.c, k_cos.c, e_rem_pio2.c):
// x = n pi/2 + y0 + y1 by Cody-Waite reduction with pi/2 split into 33-bit pieces (exact products for
// |x| <= 2^19 pi/2; beyond, the exact BigInt reduction of ./reduce.ts), then degree-13/14 Remez polynomials
// on [-pi/4, pi/4]. The cosine kernel's 1 - x^2/2 is compensated as in FreeBSD's k_cos.c. Error < 1 ulp.

import { highWord } from './bits.js';
import { reduceLarge } from './reduce.js';

const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.0875723212981748279e-9;
const C6 = -1.13596475577881948265e-11;

const INV_PIO2 = 6.36619772367581382433e-1; // 0x3fe45f30 6dc9c883
const PIO2_1 = 1.57079632673412561417; // 0x3ff921fb 54400000: first 33 bits of pi/2
const PIO2_1T = 6.07710050650619224932e-11; // pi/2 - PIO2_1
const PIO2_2 = 6.0771005063039659766e-11; // 0x3dd0b461 1a600000: next 33 bits
const PIO2_2T = 2.02226624879595063154e-21; // pi/2 - (PIO2_1 + PIO2_2)
const PIO2_3 = 2.0222662487111664558e-21; // 0x3ba3198a 2e000000: next 33 bits
const PIO2_3T = 8.47842766036889956997e-32; // pi/2 - (PIO2_1 + PIO2_2 + PIO2_3)
/** High words of n pi/2, n = 1..32: an argument with one of these may lose bits to cancellation. */
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb, 0x402c463a,
  0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb, 0x403ab41b, 0x403c463a,
  0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c, 0x4043a28c, 0x40446b9c, 0x404534ac,
  0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
];

/** sin(x + y) for |x| <= pi/4, y the tail of x (below half an ulp of x); `tail` false when y = 0. */
function kernelSin(x: number, y: number, tail: boolean): number {
  if ((highWord(x) & 0x7fffffff) < 0x3e400000) return x; // |x| < 2^-27 (keeps -0)
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (!tail) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

/** cos(x + y) for |x| <= pi/4, y the tail of x. */
function kernelCos(x: number, y: number): number {
  if ((highWord(x) & 0x7fffffff) < 0x3e400000) return 1; // |x| < 2^-27
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const hz = 0.5 * z;
  const w = 1 - hz;
  return w + (1 - w - hz + (z * r - x * y)); // (1 - w) - hz is the exact rounding error of w
}

/** sin (`cosine` false) or cos of x: reduce, then pick the kernel and sign by n mod 4. */
function sinCos(x: number, cosine: boolean): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return cosine ? kernelCos(x, 0) : kernelSin(x, 0, false); // |x| <= pi/4
  if (ix >= 0x7ff00000) return NaN; // +-Inf or NaN
  let n: number;
  let y0: number;
  let y1: number;
  if (ix < 0x4002d97c) {
    // |x| < 3pi/4: n = +-1
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        y0 = z - PIO2_1T;
        y1 = z - y0 - PIO2_1T;
      } else {
        // near pi/2: 33 + 33 + 53 bits of pi/2
        z -= PIO2_2;
        y0 = z - PIO2_2T;
        y1 = z - y0 - PIO2_2T;
      }
      n = 1;
    } else {
      let z = x + PIO2_1;
      if (ix !== 0x3ff921fb) {
        y0 = z + PIO2_1T;
        y1 = z - y0 + PIO2_1T;
      } else {
        z += PIO2_2;
        y0 = z + PIO2_2T;
        y1 = z - y0 + PIO2_2T;
      }
      n = -1;
    }
  } else if (ix <= 0x413921fb) {
    // |x| <= 2^19 pi/2: n has <= 20 bits, so n * PIO2_k is exact
    const t = hx < 0 ? -x : x;
    n = (t * INV_PIO2 + 0.5) | 0;
    const fn = n;
    let r = t - fn * PIO2_1;
    let w = fn * PIO2_1T; // good to 85 bits
    if (n < 32 && ix !== NPIO2_HW[n - 1]) {
      y0 = r - w;
    } else {
      const j = ix >> 20;
      y0 = r - w;
      let i = j - ((highWord(y0) >> 20) & 0x7ff);
      if (i > 16) {
        // cancellation: a second piece, good to 118 bits
        let u = r;
        w = fn * PIO2_2;
        r = u - w;
        w = fn * PIO2_2T - (u - r - w);
        y0 = r - w;
        i = j - ((highWord(y0) >> 20) & 0x7ff);
        if (i > 49) {
          // a third, good to 151 bits: covers every double in range
          u = r;
          w = fn * PIO2_3;
          r = u - w;
          w = fn * PIO2_3T - (u - r - w);
          y0 = r - w;
        }
      }
    }
    y1 = r - y0 - w;
    if (hx < 0) {
      y0 = -y0;
      y1 = -y1;
      n = -n;
    }
  } else {
    [n, y0, y1] = reduceLarge(x);
  }
  switch ((n + (cosine ? 1 : 0)) & 3) {
    case 0:
      return kernelSin(y0, y1, true);
    case 1:
      return kernelCos(y0, y1);
    case 2:
      return -kernelSin(y0, y1, true);
    default:
      return -kernelCos(y0, y1);
  }
}

/** Sine, within 1 ulp for every finite x; sin(+-Inf) = NaN, sin(-0) = -0. */
export function sin(x: number): number {
  return sinCos(x, false);
}

/** Cosine, within 1 ulp for every finite x; cos(+-Inf) = NaN. */
export function cos(x: number): number {
  return sinCos(x, true);
}
