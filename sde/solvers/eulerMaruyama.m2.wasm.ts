// Euler-Maruyama's fused m = 2 step in WebAssembly (asm/sde.ts, eulerRelu2x) for a ReLU-like drift: two
// lanes at a time, exp-free, acos from the shared algorithm, giving the bits of eulerMaruyama.m2.ts
// (test/wasm.test.ts). Lanes in trouble go to the term's one settle policy afterwards, as there.
import type { FusedEulerStep, LaneBook } from '../term.js';
import type { CovarianceM2 } from './m2.js';
import { openM2Block } from './m2.wasm.js';

/** The step, or null where the kernels in use are js or the drift is not ReLU-like. */
export function eulerMaruyamaM2Wasm(term: CovarianceM2): FusedEulerStep | null {
  const relu = term.reluLike;
  // The kernel takes k and scales the drift by h alone: its bits are the generic step's at drift clock 1 only.
  if (relu === null || term.driftClock !== 1) return null;
  const block = openM2Block(term.lanes);
  if (block === null) return null;
  const { kernels, xView, cholView, gView, aliveView, listView, beforeView } = block;
  const { lanes: B, threshold, beta, chol } = term;
  const size = 3 * B;
  const step = (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => {
    const root = Math.sqrt(term.noiseClock * h);
    const root2 = Math.SQRT2 * root;
    xView.set(x);
    cholView.set(chol);
    gView.set(g.length === size ? g : g.subarray(0, size));
    aliveView.set(book.alive);
    const count = kernels.exports.eulerRelu2x(
      block.x,
      block.chol,
      block.g,
      block.alive,
      B,
      h,
      root,
      root2,
      beta,
      relu.k,
      threshold,
      block.list,
      block.before,
    );
    x.set(xView);
    chol.set(cholView);
    for (let i = 0; i < count; i++) term.settleLane(x, beforeView, listView[i], t, book);
  };
  // Marked, so that a test can see which twin a term installed.
  return Object.assign(step, { kernels: 'wasm' as const });
}
