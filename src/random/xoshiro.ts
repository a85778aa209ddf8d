// xoshiro128++ (Blackman & Vigna 2018): four 32-bit words of state, a handful of shifts and xors per
// output, period 2^128 - 1, and every output bit of good quality (unlike xoshiro128+, whose low bits
// are weak: the ziggurat uses the low 8 bits for its layer). The default uniform source.
import {
  finishRejections,
  K as ZIGGURAT_K,
  PASS,
  rejectionScratch,
  W as ZIGGURAT_W,
  type Rejections,
  type WordSource,
} from './ziggurat.js';

// Module-local copies of the tables: TurboFan embeds a module's own constant arrays in the loop, which
// measured about 20% faster than reading them through the import binding.
const K = Int32Array.from(ZIGGURAT_K);
const W = Float64Array.from(ZIGGURAT_W);

/** Murmur3's 32-bit finaliser: full avalanche of one word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * xoshiro128++ as a stream of 32-bit words and normals (the default generator). Streams are normally
 * made with `openStream(seed, purpose, index)`, not constructed directly.
 */
export class Xoshiro128pp implements WordSource {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  /** The ziggurat's auxiliary stream, made on first need. */
  private aux: Xoshiro128pp | null = null;
  /** This stream's rejection scratch (empty between fills). */
  private readonly rejected: Rejections = rejectionScratch();

  /** A stream from an explicit state (not all zero); `fromKey` is the usual way in. */
  private readonly seed0: number;
  private readonly seed1: number;
  private readonly seed2: number;
  private readonly seed3: number;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128++ state must not be all zero');
    this.s0 = this.seed0 = s0 | 0;
    this.s1 = this.seed1 = s1 | 0;
    this.s2 = this.seed2 = s2 | 0;
    this.s3 = this.seed3 = s3 | 0;
  }

  /**
   * The stream for a key string: four lanes hash the UTF-16 code units with multiply-rotate steps and
   * cross-lane mixing, Murmur3's finaliser avalanches each lane, and 16 outputs are discarded, so keys
   * that differ in one character (block 7 and block 8) start from unrelated states.
   */
  static fromKey(key: string): Xoshiro128pp {
    let a = 0x9e3779b9 | 0;
    let b = 0x243f6a88 | 0;
    let c = 0xb7e15162 | 0;
    let d = 0x85a308d3 | 0;
    for (let i = 0; i < key.length; i++) {
      const k = key.charCodeAt(i);
      a = Math.imul(a ^ k, 0x85ebca6b);
      a = (a << 13) | (a >>> 19);
      b = Math.imul(b ^ k, 0xc2b2ae35);
      b = (b << 15) | (b >>> 17);
      c = Math.imul(c ^ k, 0x27d4eb2f);
      c = (c << 11) | (c >>> 21);
      d = Math.imul(d ^ k, 0x165667b1);
      d = (d << 17) | (d >>> 15);
      a = (a + d) | 0;
      b ^= a;
      c = (c + b) | 0;
      d ^= c;
    }
    const n = key.length;
    let s0 = fmix32(a ^ n);
    const s1 = fmix32(b + s0);
    const s2 = fmix32(c ^ s1);
    const s3 = fmix32(d + s2);
    if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
    const stream = new Xoshiro128pp(s0, s1, s2, s3);
    for (let i = 0; i < 16; i++) stream.nextInt32();
    return stream;
  }

  nextInt32(): number {
    const s0 = this.s0;
    const s3 = this.s3;
    let r = (s0 + s3) | 0;
    r = ((r << 7) | (r >>> 25)) + s0;
    const t = this.s1 << 9;
    this.s2 ^= s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return r | 0;
  }

  /** Uniform on the open interval (0, 1): 32 bits, offset by half a unit so that log() is safe. */
  nextUniform(): number {
    return ((this.nextInt32() >>> 0) + 0.5) / 4294967296;
  }

  /** The auxiliary stream for the ziggurat's rejections: this stream's initial state re-hashed. */
  auxiliary(): Xoshiro128pp {
    if (!this.aux) {
      this.aux = new Xoshiro128pp(
        fmix32(this.seed0 ^ 0x6a09e667),
        fmix32(this.seed1 ^ 0xbb67ae85),
        fmix32(this.seed2 ^ 0x3c6ef372),
        fmix32(this.seed3 ^ 0xa54ff53a) | 1,
      );
      for (let i = 0; i < 16; i++) this.aux.nextInt32();
    }
    return this.aux;
  }

  /** Fill out[offset, offset + count) with raw 32-bit words. */
  fillInt32(out: Int32Array, offset = 0, count = out.length - offset): void {
    for (let p = offset, end = offset + count; p < end; p++) out[p] = this.nextInt32();
  }

  /**
   * Fill out[offset, offset + count) with standard normals, one word each. The generator step is inlined
   * on local copies of the state and the loop unrolled by two (about 2e8 normals/s on one core).
   */
  fillNormals(out: Float64Array, offset = 0, count = out.length - offset): void {
    const end = offset + count;
    for (let from = offset; from < end; from += PASS) this.fillPass(out, from, Math.min(end, from + PASS));
  }

  private fillPass(out: Float64Array, from: number, end: number): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const rejected = this.rejected;
    const rIndex = rejected.index;
    const rWord = rejected.word;
    let p = from;
    for (; p + 1 < end; p += 2) {
      let r = (s0 + s3) | 0;
      r = (((r << 7) | (r >>> 25)) + s0) | 0;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      let q = (s0 + s3) | 0;
      q = (((q << 7) | (q >>> 25)) + s0) | 0;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const j = r >> 8;
      const i = q >> 8;
      if (Math.abs(j) < K[r & 255]) out[p] = j * W[r & 255];
      else {
        rIndex.push(p);
        rWord.push(r);
      }
      if (Math.abs(i) < K[q & 255]) out[p + 1] = i * W[q & 255];
      else {
        rIndex.push(p + 1);
        rWord.push(q);
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    if (p < end) {
      const r = this.nextInt32();
      const j = r >> 8;
      if (Math.abs(j) < K[r & 255]) out[p] = j * W[r & 255];
      else {
        rIndex.push(p);
        rWord.push(r);
      }
    }
    if (rIndex.length > 0) finishRejections(out, this.auxiliary(), rejected);
  }
}
