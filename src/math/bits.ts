// Bit access to IEEE doubles for the deterministic maths (src/math): the high and low 32-bit words, as
// fdlibm's __HI/__LO. Typed-array reinterpretation is exact and deterministic on every engine; the byte
// order is detected once, so the words are right on either endianness.
//
// The one Float64Array below is module-level scratch: every function here writes and reads it in one
// synchronous call with no callback in between, so no caller can observe or disturb another's use (JS runs
// one call at a time per realm; workers each have their own module instance). The WebAssembly port uses
// i64.reinterpret instead and needs no scratch.

const F = new Float64Array(1);
const W = new Int32Array(F.buffer);
const HI = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;
const LO = 1 - HI;

/** The high word (sign, exponent, top 20 mantissa bits) as a signed 32-bit integer. */
export function highWord(x: number): number {
  F[0] = x;
  return W[HI];
}

/** The low word (bottom 32 mantissa bits) as an unsigned 32-bit integer. */
export function lowWord(x: number): number {
  F[0] = x;
  return W[LO] >>> 0;
}

/** The double whose words are `hi` and `lo`. */
export function fromWords(hi: number, lo: number): number {
  W[HI] = hi;
  W[LO] = lo;
  return F[0];
}

/** `x` with its high word replaced by `hi`. */
export function withHighWord(x: number, hi: number): number {
  F[0] = x;
  W[HI] = hi;
  return F[0];
}

/** `x` with its low word cleared: the top 21 significant bits, so products with <= 32-bit factors are exact. */
export function clearLowWord(x: number): number {
  F[0] = x;
  W[LO] = 0;
  return F[0];
}

/**
 * 2^k for k = -1074..1023 at index k + 1074, built by exact doublings and halvings at load and never
 * written after: scaling by a power of two through this table gives the same bits as writing the exponent
 * field, without a typed-array store and reload in the hot path.
 */
export const POW2 = /* @__PURE__ */ (() => {
  const t = new Float64Array(2098);
  t[1074] = 1;
  for (let i = 1075; i < 2098; i++) t[i] = t[i - 1] * 2;
  for (let i = 1073; i >= 0; i--) t[i] = t[i + 1] * 0.5;
  return t;
})();
/** Offset of 2^0 in POW2. */
export const POW2_ZERO = 1074;
