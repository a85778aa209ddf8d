// Seeded uniform random streams: Brent's xor4096, seeded through seedrandom, one stream per
// (seed, path index). Because every path owns its stream, a path's numbers do not depend on how
// paths are batched or spread over threads.
import seedrandom from 'seedrandom';
import { requireInteger, requireSeed } from './errors.js';

interface Xor4096State {
  X: number[];
  i: number;
  w: number;
}

const TWO_POW_32 = 4294967296;

/**
 * xor4096 with its state in an Int32Array and the step written out by hand, so that kernels can
 * inline it: seedrandom's closure-based `int32()` costs a property lookup and a call per draw.
 * The sequence is identical to `seedrandom.xor4096(seed).int32()` (tested), and seedrandom still
 * performs the seeding.
 */
export class Xor4096 {
  readonly x: Int32Array;
  i: number;
  w: number;

  constructor(state: Xor4096State) {
    this.x = new Int32Array(128);
    this.x.set(state.X);
    this.i = state.i;
    this.w = state.w;
  }

  /** Next signed 32-bit integer, as seedrandom's `int32()`. */
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

  /** Uniform on the open interval (0, 1): 32 bits, offset by half a unit so that log() is safe. */
  nextUniform(): number {
    return ((this.nextInt32() >>> 0) + 0.5) / TWO_POW_32;
  }
}

/** The seed string of stream `index` in the family `seed`; stable across versions and platforms. */
export function streamSeed(seed: number | string, index: number): string {
  return `${seed}:${index}`;
}

/**
 * seedrandom's xor4096 string seeding (Brent's key schedule plus 512 warm-up steps), written on an
 * Int32Array: seedrandom's own version builds a JS array and its state() copies it again, which
 * made seeding (7 us) a third of the cost of a 100-step SDE path. Tests hold it to seedrandom.
 */
export function seedXor4096(key: string): Xor4096 {
  const X = new Int32Array(128);
  const seed = key + '\0';
  const limit = Math.max(128, seed.length);
  let v = 0;
  let w = 0;
  let i = 0;
  let t: number;
  for (let j = -32; j < limit; ++j) {
    v ^= seed.charCodeAt((j + 32) % seed.length);
    if (j === 0) w = v;
    v ^= v << 10;
    v ^= v >>> 15;
    v ^= v << 4;
    v ^= v >>> 13;
    if (j >= 0) {
      w = (w + 0x61c88647) | 0;
      t = X[j & 127] ^= v + w;
      i = t === 0 ? i + 1 : 0;
    }
  }
  if (i >= 128) X[seed.length & 127] = -1;
  i = 127;
  for (let j = 4 * 128; j > 0; --j) {
    v = X[(i + 34) & 127];
    t = X[(i = (i + 1) & 127)];
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    X[i] = v ^ t;
  }
  const stream = new Xor4096({ X: [], i, w });
  stream.x.set(X);
  return stream;
}

/** The uniform stream for (seed, index). String seeding mixes all 128 state words, so no two
 *  indices collide, unlike folding (seed, index) into one 32-bit integer. */
export function uniformStream(seed: number | string, index: number): Xor4096 {
  requireSeed('seed', seed);
  requireInteger('stream index', index, 0);
  return seedXor4096(streamSeed(seed, index));
}

/** The same stream seeded by seedrandom itself (the oracle for `seedXor4096`). */
export function uniformStreamBySeedrandom(seed: number | string, index: number): Xor4096 {
  const prng = seedrandom.xor4096(streamSeed(seed, index), { state: true }) as unknown as { state(): Xor4096State };
  return new Xor4096(prng.state());
}
