// The WebAssembly side of the fused m = 2 steps (eulerMaruyama.m2.wasm.ts, ninomiyaVictoir.m2.wasm.ts):
// one kernel instance per term with the block's arrays laid out once. Each step copies the state, the
// Cholesky cache, the normals and the alive flags in and the results out (about 2 ns per path-step).
import { openWasmKernels, type WasmKernels } from '../../src/kernels/index.js';

export interface M2Block {
  readonly kernels: WasmKernels;
  /** Byte offsets in the instance's memory. */
  readonly x: number;
  readonly chol: number;
  readonly g: number;
  readonly before: number;
  readonly alive: number;
  readonly list: number;
  readonly coins: number;
  /** Views on them. */
  readonly xView: Float64Array;
  readonly cholView: Float64Array;
  readonly gView: Float64Array;
  readonly beforeView: Float64Array;
  readonly aliveView: Uint8Array;
  readonly listView: Int32Array;
  readonly coinsView: Int32Array;
}

/** The arrays of a block of `lanes` lanes (3 entries per lane) in a fresh instance; null where the kernels
 *  in use are js or the block has an odd number of lanes (the kernels step two lanes at a time). */
export function openM2Block(lanes: number): M2Block | null {
  if (lanes % 2 !== 0) return null;
  const words = Math.ceil(lanes / 32);
  const size = 3 * lanes;
  const kernels = openWasmKernels(4 * size * 8 + lanes + 4 * lanes + 4 * words + 7 * 16);
  if (kernels === null) return null;
  const x = kernels.alloc(size * 8);
  const chol = kernels.alloc(size * 8);
  const g = kernels.alloc(size * 8);
  const before = kernels.alloc(size * 8);
  const alive = kernels.alloc(lanes);
  const list = kernels.alloc(4 * lanes);
  const coins = kernels.alloc(4 * words);
  return {
    kernels,
    x,
    chol,
    g,
    before,
    alive,
    list,
    coins,
    xView: kernels.f64(x, size),
    cholView: kernels.f64(chol, size),
    gView: kernels.f64(g, size),
    beforeView: kernels.f64(before, size),
    aliveView: kernels.u8(alive, lanes),
    listView: kernels.i32(list, lanes),
    coinsView: kernels.i32(coins, words),
  };
}
