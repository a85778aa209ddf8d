// The splitting step for the m >= 3 covariance term: the drift's flow, then the noise flows of every alive
// lane at once through the block kernels (sde/terms/covariance.mk.ts), in each lane's coin-chosen order.
// The same operations in the same order as the generic step composed from the term's flows lane by lane,
// so the same bits (test/batched.test.ts).
import type { FusedSplitStep, LaneBook } from '../term.js';

type DriftFlow = (x: Float64Array, tau: number, t: number, book: LaneBook) => void;
type NoiseStep = (
  x: Float64Array,
  g: Float64Array,
  coins: Int32Array | null,
  h: number,
  t: number,
  book: LaneBook,
) => void;

export function ninomiyaVictoirMk(driftFlow: DriftFlow, noiseStep: NoiseStep): FusedSplitStep {
  return (x, tau, t0, g, coins, h, t1, book) => {
    driftFlow(x, tau, t0, book);
    noiseStep(x, g, coins, h, t1, book);
  };
}
