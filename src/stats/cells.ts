// The one layout of a table of estimates, in the API and in every JSON summary: { estimate, se, lo, hi, n }
// (a mean with its 95% CLT interval, or a proportion with its Wilson interval and its count k), and a
// cell that could not be computed says why instead of holding NaN.
import { meanEstimate, zFor } from './moments.js';
import { wilson } from './proportions.js';

/** An estimate over n items with its standard error and 95% interval [lo, hi]. */
export interface EstimateCell {
  readonly estimate: number;
  readonly se: number;
  readonly lo: number;
  readonly hi: number;
  /** Items averaged. */
  readonly n: number;
}

/** A proportion k / n with its Wilson score interval as [lo, hi]. */
export interface ProportionCell extends EstimateCell {
  readonly k: number;
}

/** A cell that could not be computed, with the reason. */
export interface MissingCell {
  readonly missing: string;
}

const Z95 = zFor(0.95);

/** The mean of xs with its CLT interval; fewer than two items: missing, saying how many there were. */
export function meanCell(xs: ArrayLike<number>): EstimateCell | MissingCell {
  if (xs.length < 2) return momentCell(xs.length, NaN, NaN);
  const { value, se } = meanEstimate(xs);
  return { estimate: value, se, lo: value - Z95 * se, hi: value + Z95 * se, n: xs.length };
}

/**
 * The same cell from n items' mean and sum of squared deviations M2 = sum (x - mean)^2 (a streamed
 * reduction's sufficient statistic): se = sqrt(M2 / (n - 1) / n), the operations of meanCell, so that
 * n, mean and M2 computed as meanCell computes them give its bits.
 */
export function momentCell(n: number, mean: number, m2: number): EstimateCell | MissingCell {
  if (n < 2) return { missing: `only ${n} path${n === 1 ? '' : 's'} left to average (a mean with an SE needs 2)` };
  const se = Math.sqrt(m2 / (n - 1) / n);
  return { estimate: mean, se, lo: mean - Z95 * se, hi: mean + Z95 * se, n };
}

/** k of n with the Wilson score interval (n = 0: missing). */
export function proportionCell(k: number, n: number): ProportionCell | MissingCell {
  if (n === 0) return { missing: 'no paths' };
  const w = wilson(k, n);
  return { estimate: w.value, se: w.se, lo: w.lower, hi: w.upper, n, k };
}

/** A known constant (the diagonal of a correlation matrix): zero SE, the interval a point. */
export function exactCell(value: number, n: number): EstimateCell {
  return { estimate: value, se: 0, lo: value, hi: value, n };
}
