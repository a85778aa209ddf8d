// Threshold crossings between steps (docs/maths.md, section 7.1): a diagonal path is checked against the
// threshold at the ends of its steps (its drift flow is exact), so crossings inside a step's noise flow are
// missed and P(cross by T) is biased low by O(sqrt(dt)). Given a step's end values, log X inside the step is
// a Brownian bridge to O(dt), which crosses log H with probability exp(-2 (lH - a)(lH - b) / (s2 h)), as
// for discretely monitored barrier options. One uniform per path decides where such a crossing happened.
import { InputError } from '../src/errors.js';
import { exp, log } from '../src/math/index.js';
import { openStream } from '../src/random/streams.js';
import { PATH_EXPLODED } from '../src/results.js';
import type { Solution } from '../sde/index.js';

/** Per path, the time by which it crossed the threshold (-1: never), and what the correction added. */
export interface Crossings {
  readonly time: Float64Array;
  /** Paths counted as crossed inside a step that the solver saw stay below. */
  readonly bridged: number;
  /** The variance rate s2 of log X used by the bridge (the pooled quadratic variation of log X per unit time). */
  readonly varianceRate: number;
}

/**
 * Crossing times of `threshold` for a scalar (diagonal) solution saved at every step from t = 0: the
 * solver's own crossings, plus, for each path that stayed below, the first step whose accumulated bridge
 * crossing probability 1 - prod (1 - p_k) exceeds the path's uniform (stream `purpose`, index 0, drawn in
 * path order, so the result does not depend on threads). The crossing is placed at the step's end.
 */
export function bridgeCrossings(sol: Solution, threshold: number, seed: number, purpose: string): Crossings {
  const saves = sol.ts.length;
  if (sol.shape !== 'scalar' || saves < 2 || sol.ts[0] !== 0)
    throw new InputError('solution', sol.kind, 'must be a scalar (diagonal) solution saved at t = 0 and at every step');
  const h = sol.settings.dt as number;
  for (let k = 1; k < saves; k++)
    if (Math.abs(sol.ts[k] - sol.ts[k - 1] - h) > 1e-9 * h)
      throw new InputError('solution', sol.kind, 'must be saved at every step (saveAt({ count: steps }))');
  const lH = log(threshold);
  const paths = sol.paths;
  const at = (k: number, p: number) => sol.values.get(k, p);
  // The variance rate of log X from the paths themselves (2 nc for a diagonal dX = ... + sqrt(2 nc) X dB),
  // so that architectures on other noise clocks need no constant here.
  let qv = 0;
  let span = 0;
  for (let p = 0; p < paths; p++) {
    if (sol.status[p] === PATH_EXPLODED) continue;
    for (let k = 1; k < saves; k++) qv += (log(at(k, p)) - log(at(k - 1, p))) ** 2;
    span += sol.ts[saves - 1];
  }
  const s2 = span > 0 ? qv / span : 2;
  const rng = openStream(seed, purpose, 0);
  const time = new Float64Array(paths).fill(-1);
  let bridged = 0;
  for (let p = 0; p < paths; p++) {
    const u = rng.nextUniform();
    if (sol.status[p] === PATH_EXPLODED) {
      time[p] = sol.explosionTime[p];
      continue;
    }
    let survive = 1;
    let a = log(at(0, p));
    for (let k = 1; k < saves; k++) {
      const b = log(at(k, p));
      if (a < lH && b < lH) survive *= 1 - exp((-2 * (lH - a) * (lH - b)) / (s2 * h));
      if (1 - survive > u) {
        time[p] = sol.ts[k];
        bridged++;
        break;
      }
      a = b;
    }
  }
  return { time, bridged, varianceRate: s2 };
}
