// Binomial proportions: Wilson score intervals for one proportion and Newcombe's hybrid score interval
// with a pooled z-test for the difference of two independent proportions (an explosion fraction on the
// SDE side against the network side).
import { normalCdf } from '../special.js';
import { zFor, type Interval } from './moments.js';

export interface Proportion extends Interval {
  readonly k: number;
  readonly total: number;
}

/** Wilson score interval for k successes in n trials. */
export function wilson(k: number, n: number, level = 0.95): Proportion {
  const z = zFor(level);
  if (n === 0) return { k, total: n, value: NaN, se: NaN, lower: 0, upper: 1, level, method: 'Wilson score' };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    k,
    total: n,
    value: p,
    se: Math.sqrt((p * (1 - p)) / n),
    // Exact at the ends (rounding would leave ~1e-19 where the interval must touch 0 or 1).
    lower: k === 0 ? 0 : Math.max(0, centre - half),
    upper: k === n ? 1 : Math.min(1, centre + half),
    level,
    method: 'Wilson score',
  };
}

export interface ProportionDifference extends Interval {
  /** Two-sided p-value of the pooled z-test of equal proportions. */
  readonly pValue: number;
  readonly z: number;
}

/** a - b with Newcombe's hybrid score interval (method 10) and the pooled two-proportion z-test. */
export function proportionDifference(a: Proportion, b: Proportion, level = 0.95): ProportionDifference {
  const d = a.value - b.value;
  const wa = wilson(a.k, a.total, level);
  const wb = wilson(b.k, b.total, level);
  const lower = d - Math.sqrt((a.value - wa.lower) ** 2 + (wb.upper - b.value) ** 2);
  const upper = d + Math.sqrt((wa.upper - a.value) ** 2 + (b.value - wb.lower) ** 2);
  const pooled = (a.k + b.k) / (a.total + b.total);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / a.total + 1 / b.total));
  const z = se0 > 0 ? d / se0 : 0;
  return {
    value: d,
    se: Math.sqrt(a.se * a.se + b.se * b.se),
    lower,
    upper,
    level,
    method: 'Newcombe hybrid score',
    z,
    pValue: 2 * normalCdf(-Math.abs(z)),
  };
}
