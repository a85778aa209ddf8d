// Normals from a xoshiro128++ stream into wasm memory: the ziggurat in WebAssembly, misses finished there
// from the stream's auxiliary stream; both streams' states are carried in and out, so the numbers and the
// streams' positions are those of Xoshiro128pp.fillNormals.
import type { Xoshiro128pp } from '../random/xoshiro.js';
import type { WasmKernels } from './instance.js';

/** Bytes of wasm memory a WasmNormals of `capacity` normals lays out. */
export function wasmNormalsBytes(capacity: number): number {
  return 32 + capacity * 12 + 48;
}

export class WasmNormals {
  /** Byte offset of the normals in the instance's memory. */
  readonly ptr: number;
  /** The normals, a view on the instance's memory. */
  readonly values: Float64Array;
  private readonly state: Int32Array;
  private readonly statePtr: number;
  private readonly aux: Int32Array;
  private readonly auxPtr: number;
  private readonly words32: Int32Array;
  private readonly wordsPtr: number;

  constructor(
    private readonly k: WasmKernels,
    readonly capacity: number,
  ) {
    this.statePtr = k.alloc(16);
    this.state = k.i32(this.statePtr, 4);
    this.auxPtr = k.alloc(16);
    this.aux = k.i32(this.auxPtr, 4);
    this.ptr = k.alloc(capacity * 8);
    this.values = k.f64(this.ptr, capacity);
    this.wordsPtr = k.alloc(capacity * 4);
    this.words32 = k.i32(this.wordsPtr, capacity);
  }

  /** Copy rng's state and its auxiliary stream's into the instance. */
  private enter(rng: Xoshiro128pp): void {
    const aux = rng.auxiliary();
    const state = this.state;
    const auxState = this.aux;
    state[0] = rng.s0;
    state[1] = rng.s1;
    state[2] = rng.s2;
    state[3] = rng.s3;
    auxState[0] = aux.s0;
    auxState[1] = aux.s1;
    auxState[2] = aux.s2;
    auxState[3] = aux.s3;
  }

  /** Copy the states back into rng and its auxiliary stream. */
  private leave(rng: Xoshiro128pp): void {
    const aux = rng.auxiliary();
    const state = this.state;
    const auxState = this.aux;
    rng.s0 = state[0];
    rng.s1 = state[1];
    rng.s2 = state[2];
    rng.s3 = state[3];
    aux.s0 = auxState[0];
    aux.s1 = auxState[1];
    aux.s2 = auxState[2];
    aux.s3 = auxState[3];
  }

  /** values[at, at + count) <- the next `count` normals of rng (at + count <= capacity). */
  fill(rng: Xoshiro128pp, count: number, at = 0): void {
    if (at + count > this.capacity)
      throw new RangeError(`WasmNormals.fill: ${at + count} normals exceed the capacity ${this.capacity}`);
    this.enter(rng);
    this.k.exports.fillNormalsFinished(this.statePtr, this.auxPtr, this.ptr + at * 8, count);
    this.leave(rng);
  }

  /** The next `count` raw words of rng into `out` (count <= capacity), the same as rng.fillInt32. */
  words(rng: Xoshiro128pp, out: Int32Array, count = out.length): void {
    const state = this.state;
    state[0] = rng.s0;
    state[1] = rng.s1;
    state[2] = rng.s2;
    state[3] = rng.s3;
    this.k.exports.fillWords(this.statePtr, this.wordsPtr, count);
    rng.s0 = state[0];
    rng.s1 = state[1];
    rng.s2 = state[2];
    rng.s3 = state[3];
    out.set(this.words32.subarray(0, count));
  }
}
