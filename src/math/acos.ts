// acos from IEEE-exact operations and sqrt (correctly rounded by IEEE 754), so every engine gives the same
// bits. Algorithm and constants after fdlibm 5.3 (Sun Microsystems, 1993: e_acos.c): asin's Remez rational
// R(z) = p(z)/q(z) on |x| <= 0.5, and acos(x) = 2 asin(sqrt((1-x)/2)) beyond, with the square root split
// into a 21-bit head and a correction so the doubling stays exact. Error < 1 ulp.

import { highWord, lowWord, clearLowWord } from './bits.js';

const PI = 3.141592653589793116; // 0x400921fb 54442d18
const PIO2_HI = 1.570796326794896558; // 0x3ff921fb 54442d18
const PIO2_LO = 6.12323399573676603587e-17; // 0x3c91a626 33145c07
const PS0 = 1.66666666666666657415e-1;
const PS1 = -3.25565818622400915405e-1;
const PS2 = 2.01212532134862925881e-1;
const PS3 = -4.00555345006794114027e-2;
const PS4 = 7.91534994289814532176e-4;
const PS5 = 3.4793310759602116757e-5;
const QS1 = -2.40339491173441421878;
const QS2 = 2.02094576023350569471;
const QS3 = -6.8828397160545329303e-1;
const QS4 = 7.70381505559019352791e-2;

/** arccos in [0, pi], within 1 ulp; NaN outside [-1, 1]. */
export function acos(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x3ff00000) {
    // |x| >= 1
    if (((ix - 0x3ff00000) | lowWord(x)) === 0) return hx > 0 ? 0 : PI + 2 * PIO2_LO;
    return NaN;
  }
  if (ix < 0x3fe00000) {
    // |x| < 0.5
    if (ix <= 0x3c600000) return PIO2_HI + PIO2_LO; // |x| < 2^-57
    const z = x * x;
    const p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    const q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    const r = p / q;
    return PIO2_HI - (x - (PIO2_LO - x * r));
  }
  if (hx < 0) {
    // x < -0.5
    const z = (1 + x) * 0.5;
    const p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    const q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    const s = Math.sqrt(z); // IEEE-exact (correctly rounded) everywhere
    const r = p / q;
    const w = r * s - PIO2_LO;
    return PI - 2 * (s + w);
  }
  // x > 0.5
  const z = (1 - x) * 0.5;
  const s = Math.sqrt(z);
  const df = clearLowWord(s);
  const c = (z - df * df) / (s + df);
  const p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
  const q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
  const r = p / q;
  const w = r * s + c;
  return 2 * (df + w);
}
