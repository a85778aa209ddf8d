// Brent's xor4096 with seedrandom's exact seeding, kept as an option (`generator: 'xor4096'`) for
// users who need streams that seedrandom itself can reproduce. seedrandom seeds it (a key schedule
// of ~7 us, paid once per block of paths); the step is inlined here because seedrandom's
// closure-based int32() costs a call per draw.
import seedrandom from 'seedrandom';
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
import { Xoshiro128pp } from './xoshiro.js';

interface Xor4096State {
  X: number[];
  i: number;
  w: number;
}

/**
 * Brent's xor4096, seeded exactly as seedrandom's `xor4096(key)`, as a stream of 32-bit words and normals
 * (`generator: 'xor4096'`). Streams are normally made with `openStream(seed, purpose, index, 'xor4096')`.
 */
export class Xor4096 implements WordSource {
  readonly x: Int32Array;
  i: number;
  w: number;
  /** The ziggurat's auxiliary stream (xoshiro128++ keyed by this stream's key) and pending rejections. */
  private readonly aux: WordSource;
  /** This stream's rejection scratch (empty between fills). */
  private readonly rejected: Rejections = rejectionScratch();

  constructor(state: Xor4096State, aux: WordSource) {
    this.x = Int32Array.from(state.X);
    this.i = state.i;
    this.w = state.w;
    this.aux = aux;
  }

  /** The stream seedrandom.xor4096(key) produces, word for word. */
  static fromKey(key: string): Xor4096 {
    const prng = seedrandom.xor4096(key, { state: true }) as unknown as { state(): Xor4096State };
    return new Xor4096(prng.state(), Xoshiro128pp.fromKey(`${key}/ziggurat`));
  }

  /** Next signed 32-bit word, as seedrandom's `int32()`. */
  nextInt32(): number {
    const X = this.x;
    const w = (this.w + 0x61c88647) | 0;
    this.w = w;
    let i = this.i;
    let v = X[(i + 34) & 127];
    i = (i + 1) & 127;
    let t = X[i];
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v ^= t;
    X[i] = v;
    this.i = i;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  nextUniform(): number {
    return ((this.nextInt32() >>> 0) + 0.5) / 4294967296;
  }

  fillInt32(out: Int32Array, offset = 0, count = out.length - offset): void {
    for (let p = offset, end = offset + count; p < end; p++) out[p] = this.nextInt32();
  }

  /** Standard normals by the shared ziggurat, one word each, generator step inlined (about 1e8 normals/s). */
  fillNormals(out: Float64Array, offset = 0, count = out.length - offset): void {
    const end = offset + count;
    for (let from = offset; from < end; from += PASS) this.fillPass(out, from, Math.min(end, from + PASS));
  }

  private fillPass(out: Float64Array, from: number, end: number): void {
    const X = this.x;
    let i = this.i;
    let w = this.w;
    const rejected = this.rejected;
    const rIndex = rejected.index;
    const rWord = rejected.word;
    for (let p = from; p < end; p++) {
      w = (w + 0x61c88647) | 0;
      let v = X[(i + 34) & 127];
      i = (i + 1) & 127;
      let t = X[i];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v ^= t;
      X[i] = v;
      const u = (v + (w ^ (w >>> 16))) | 0;
      const j = u >> 8;
      const layer = u & 255;
      if (Math.abs(j) < K[layer]) out[p] = j * W[layer];
      else {
        rIndex.push(p);
        rWord.push(u);
      }
    }
    this.i = i;
    this.w = w;
    if (rIndex.length > 0) finishRejections(out, this.aux, rejected);
  }

  /** The auxiliary stream of the ziggurat's rejections. */
  auxiliary(): WordSource {
    return this.aux;
  }
}
