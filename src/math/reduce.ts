// Argument reduction for sin and cos beyond 2^19 pi/2 (the rare path): |x| = m 2^e exactly, and
// x 2/pi mod 4 computed in exact integer arithmetic (BigInt, which every engine evaluates exactly) with 2/pi
// to 1280 bits, enough for every finite double (the closest a double comes to a multiple of pi/2 is about
// 2^-61 relative; here the absolute error is below 2^-250). Replaces fdlibm's __kernel_rem_pio2.

import { highWord, lowWord } from './bits.js';

/** floor(2/pi * 2^1280), written out once by mpmath (scripts/gen-math-table.py checks it). */
const TWO_OVER_PI = BigInt(
  '0x' +
    'a2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561b7246e3a424dd2e0' +
    '06492eea09d1921cfe1deb1cb129a73ee88235f52ebb4484e99c7026b45f7e413991d639835339f4' +
    '9c845f8bbdf9283b1ff897ffde05980fef2f118b5a0a6d1f6d367ecf27cb09b74f463f669e5fea2d' +
    '7527bac7ebe5f17b3d0739f78a5292ea6bfb5fb11f8d5d0856033046fc7b6babf0cfbc209af4361d',
);
/** round(pi/2 * 2^200). */
const PIO2 = BigInt('0x1921fb54442d18469898cc51701b839a252049c1114cf98e804');
const TWO_M200 = 6.223015277861142e-61; // 2^-200

/**
 * For finite |x| >= 2^19 pi/2: n (mod 4) and y0 + y1 = x - n pi/2 with |y0 + y1| <= pi/4, y1 below half an
 * ulp of y0. Allocates a small array: this path is rare, and keeps the hot path free of scratch state.
 */
export function reduceLarge(x: number): [number, number, number] {
  const hx = highWord(x);
  const e = ((hx >>> 20) & 0x7ff) - 1075; // |x| = m 2^e, m < 2^53
  const m = (BigInt((hx & 0xfffff) | 0x100000) << 32n) | BigInt(lowWord(x));
  const bits = BigInt(1280 - e); // fraction bits of m * TWO_OVER_PI * 2^(e - 1280)
  const v = (m * TWO_OVER_PI) & ((1n << (bits + 2n)) - 1n); // (n mod 4) 2^bits + fraction
  let n = Number(v >> bits);
  let frac = v & ((1n << bits) - 1n);
  if (frac >= 1n << (bits - 1n)) {
    frac -= 1n << bits; // nearest multiple: fraction in [-1/2, 1/2)
    n += 1;
  }
  const r = (frac * PIO2) >> bits; // (x - n pi/2) 2^200, to within 2^-200 (the floor of the shift)
  const head = Number(r);
  const tail = Number(r - BigInt(head));
  let y0 = head * TWO_M200;
  let y1 = tail * TWO_M200;
  if (hx < 0) {
    y0 = -y0;
    y1 = -y1;
    n = -n;
  }
  return [n & 3, y0, y1];
}
