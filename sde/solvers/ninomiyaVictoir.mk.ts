// The splitting step for the m >= 3 covariance term: the drift's flow, then the noise flows of every alive
// lane at once through the block kernels (sde/terms/covariance.mk.ts), in each lane's coin-chosen order.
// The same operations in the same order as the generic step composed from the term's flows lane by lane,
// so the same bits (test/batched.test.ts).
import type { CovarianceMkSteps, FusedSplitStep } from '../term.js';

export function ninomiyaVictoirMk(mk: CovarianceMkSteps): FusedSplitStep {
  const { driftFlow, noiseStep, splitStep } = mk;
  return (x, tau, t0, g, coins, h, t1, book) => {
    // One pass where the term has it (the drift flow and the noise of each lane pair together).
    if (splitStep?.(x, tau, g, coins, h, t1, book)) return;
    driftFlow(x, tau, t0, book);
    noiseStep(x, g, coins, h, t1, book);
  };
}
