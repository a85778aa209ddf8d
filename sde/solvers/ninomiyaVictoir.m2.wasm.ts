// The splitting solver's fused m = 2 step in WebAssembly (asm/sde.ts, splitRelu2x) for a ReLU-like drift:
// the pair flow and the coin-ordered noise flows two lanes at a time, with exp and acos from the shared
// algorithms, giving the bits of ninomiyaVictoir.m2.ts (test/wasm.test.ts). Lanes over the threshold
// are recorded afterwards, as there.
import type { FusedSplitStep, LaneBook } from '../term.js';
import type { CovarianceM2 } from './m2.js';
import { openM2Block } from './m2.wasm.js';

/** The step, or null where the kernels in use are js or the drift has no ReLU-like pair flow. */
export function ninomiyaVictoirM2Wasm(term: CovarianceM2): FusedSplitStep | null {
  const relu = term.reluLike;
  if (relu === null || term.pair === null) return null;
  const block = openM2Block(term.lanes);
  if (block === null) return null;
  const { kernels, xView, gView, aliveView, listView, coinsView } = block;
  const { lanes: B, threshold } = term;
  const size = 3 * B;
  const step = (
    x: Float64Array,
    tau: number,
    _t0: number,
    g: Float64Array,
    coins: Int32Array | null,
    h: number,
    t1: number,
    book: LaneBook,
  ) => {
    const { e0, e1, rootHalfH, rootH } = term.noiseConstants(h);
    xView.set(x);
    gView.set(g.length === size ? g : g.subarray(0, size));
    coinsView.set(coins!);
    aliveView.set(book.alive);
    const count = kernels.exports.splitRelu2x(
      block.x,
      block.g,
      block.coins,
      block.alive,
      B,
      term.driftClock * tau,
      relu.kappa,
      e0,
      e1,
      rootHalfH,
      rootH,
      threshold,
      block.list,
    );
    x.set(xView);
    for (let i = 0; i < count; i++) book.explode(listView[i], t1);
  };
  // Marked, so that a test can see which twin a term installed.
  return Object.assign(step, { kernels: 'wasm' as const });
}
