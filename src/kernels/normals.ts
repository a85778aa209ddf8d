// Normals from a xoshiro128++ stream into wasm memory: the fast loop in WebAssembly, the rare rejections
// finished here by the reference slow path (ziggurat.ts) in position order, the stream's state carried
// in and out, so the numbers and the stream's position are those of Xoshiro128pp.fillNormals.
import { slowNormal } from '../random/ziggurat.js';
import type { Xoshiro128pp } from '../random/xoshiro.js';
import type { WasmKernels } from './instance.js';

/** Bytes of wasm memory a WasmNormals of `capacity` normals lays out. */
export function wasmNormalsBytes(capacity: number): number {
  return 16 + capacity * 16 + 48;
}

export class WasmNormals {
  /** Byte offset of the normals in the instance's memory. */
  readonly ptr: number;
  /** The normals, a view on the instance's memory. */
  readonly values: Float64Array;
  private readonly state: Int32Array;
  private readonly statePtr: number;
  private readonly rejIndex: Int32Array;
  private readonly rejIndexPtr: number;
  private readonly rejWord: Int32Array;
  private readonly rejWordPtr: number;

  constructor(
    private readonly k: WasmKernels,
    readonly capacity: number,
  ) {
    this.statePtr = k.alloc(16);
    this.state = k.i32(this.statePtr, 4);
    this.ptr = k.alloc(capacity * 8);
    this.values = k.f64(this.ptr, capacity);
    this.rejIndexPtr = k.alloc(capacity * 4);
    this.rejIndex = k.i32(this.rejIndexPtr, capacity);
    this.rejWordPtr = k.alloc(capacity * 4);
    this.rejWord = k.i32(this.rejWordPtr, capacity);
  }

  /** values[0, count) <- the next `count` normals of rng (count <= capacity). */
  fill(rng: Xoshiro128pp, count: number, at = 0): void {
    if (at + count > this.capacity) throw new RangeError(`WasmNormals.fill: ${at + count} normals exceed the capacity ${this.capacity}`);
    const state = this.state;
    state[0] = rng.s0;
    state[1] = rng.s1;
    state[2] = rng.s2;
    state[3] = rng.s3;
    const missed = this.k.exports.fillNormals(this.statePtr, this.ptr + at * 8, count, this.rejIndexPtr, this.rejWordPtr);
    rng.s0 = state[0];
    rng.s1 = state[1];
    rng.s2 = state[2];
    rng.s3 = state[3];
    if (missed > 0) {
      const aux = rng.auxiliary();
      const values = this.values;
      for (let i = 0; i < missed; i++) values[at + this.rejIndex[i]] = slowNormal(aux, this.rejWord[i]);
    }
  }

  /** The next `count` raw words of rng into `out` (count <= capacity), the same as rng.fillInt32. */
  words(rng: Xoshiro128pp, out: Int32Array, count = out.length): void {
    const state = this.state;
    state[0] = rng.s0;
    state[1] = rng.s1;
    state[2] = rng.s2;
    state[3] = rng.s3;
    this.k.exports.fillWords(this.statePtr, this.rejIndexPtr, count);
    rng.s0 = state[0];
    rng.s1 = state[1];
    rng.s2 = state[2];
    rng.s3 = state[3];
    out.set(this.rejIndex.subarray(0, count));
  }
}
