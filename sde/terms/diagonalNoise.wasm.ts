// The diagonal SDE's noise flow over a block (diagonalTerm's noiseBlock, x <- x exp(sqrt(2 nc h) g - nc h))
// in WebAssembly (asm/sde.ts, diagonalNoise2x): two lanes at a time with exp from the shared algorithm,
// the same bits as the TypeScript loop (test/wasm.test.ts). Each call copies the block's state, normals
// and alive flags into the kernel's instance and the state back; lanes over the threshold are recorded
// afterwards, in increasing order, as there.
import { openWasmKernels } from '../../src/kernels/index.js';
import type { LaneBook } from '../term.js';

type NoiseBlock = (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => void;

/** The noise block for `lanes` lanes on noise clock nc, or null where the kernels in use are js. */
export function diagonalNoiseBlockWasm(lanes: number, nc: number, threshold: number): NoiseBlock | null {
  if (lanes % 2 !== 0) return null;
  const kernels = openWasmKernels(2 * lanes * 8 + lanes + 4 * lanes + 4 * 16);
  if (kernels === null) return null;
  const x = kernels.alloc(lanes * 8);
  const g = kernels.alloc(lanes * 8);
  const alive = kernels.alloc(lanes);
  const list = kernels.alloc(4 * lanes);
  const xView = kernels.f64(x, lanes);
  const gView = kernels.f64(g, lanes);
  const aliveView = kernels.u8(alive, lanes);
  const listView = kernels.i32(list, lanes);
  const block = (xs: Float64Array, gs: Float64Array, h: number, t: number, book: LaneBook) => {
    const hn = nc * h;
    const root = Math.sqrt(2 * hn);
    xView.set(xs.length === lanes ? xs : xs.subarray(0, lanes));
    gView.set(gs.length === lanes ? gs : gs.subarray(0, lanes));
    aliveView.set(book.alive);
    const count = kernels.exports.diagonalNoise2x(x, g, alive, lanes, root, hn, threshold, list);
    xs.set(xView);
    for (let i = 0; i < count; i++) book.explode(listView[i], t);
  };
  // Marked, so that a test can see which twin a term installed.
  return Object.assign(block, { kernels: 'wasm' as const });
}
