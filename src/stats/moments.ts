// Sample moments and their standard errors, and the interval type every report uses: a value, a
// confidence interval, a standard error and the name of the method that produced them.
import { normalQuantile } from '../special.js';
import { hypot } from '../math/index.js';

/** A point estimate with its standard error. */
export interface Estimate {
  readonly value: number;
  /** Standard error. */
  readonly se: number;
}

/** How an interval was obtained; reports print it next to each interval. */
export type IntervalMethod =
  | 'normal (CLT)'
  | 'delta method'
  | 'Wilson score'
  | 'Newcombe hybrid score'
  | 'BCa bootstrap'
  | 'percentile bootstrap'
  | 'jackknife'
  | 'pooled layer factors (delta method)'
  | 'log-normal fit (delta method)'
  | 'log-normal fit (chi-square)'
  | 'MOVER'
  | 'exact';

/** An estimate with a confidence interval at `level`, and the method that made it (shown in every report). */
export interface Interval extends Estimate {
  readonly lower: number;
  readonly upper: number;
  /** Nominal coverage, e.g. 0.95. */
  readonly level: number;
  readonly method: IntervalMethod;
}

/** The arithmetic mean (NaN for an empty sample). */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Unbiased sample variance. */
export function variance(xs: ArrayLike<number>): number {
  const mu = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - mu) * (xs[i] - mu);
  return s / (xs.length - 1);
}

/** Mean with standard error sqrt(var / N). */
export function meanEstimate(xs: ArrayLike<number>): Estimate {
  return { value: mean(xs), se: Math.sqrt(variance(xs) / xs.length) };
}

/** Sample variance with its standard error sqrt((m4 - (N-3)/(N-1) s^4) / N) (no normality assumed). */
export function varianceEstimate(xs: ArrayLike<number>): Estimate {
  const n = xs.length;
  const mu = mean(xs);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] - mu) * (xs[i] - mu);
    m2 += d;
    m4 += d * d;
  }
  const s2 = m2 / (n - 1);
  m4 /= n;
  return { value: s2, se: Math.sqrt(Math.max(0, (m4 - ((n - 3) / (n - 1)) * s2 * s2) / n)) };
}

/** Difference of two independent estimates in units of their combined standard error. */
export function zScore(a: Estimate, b: Estimate): number {
  const se = hypot(a.se, b.se);
  return se > 0 ? (a.value - b.value) / se : a.value === b.value ? 0 : a.value > b.value ? Infinity : -Infinity;
}

/** A normal-theory interval value +- z se. */
export function normalInterval(
  e: Estimate,
  level = 0.95,
  method: IntervalMethod = 'normal (CLT)',
  z = zFor(level),
): Interval {
  return { value: e.value, se: e.se, lower: e.value - z * e.se, upper: e.value + z * e.se, level, method };
}

/** The two-sided normal quantile of a coverage level (1.959964 for 0.95). */
export function zFor(level: number): number {
  return normalQuantile(0.5 + level / 2);
}

/** A sorted copy as a Float64Array (numeric order). */
export function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** Quantile (type 7, linear interpolation) of an already sorted sample. */
export function quantileSorted(s: ArrayLike<number>, p: number): number {
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** The sample median (mean of the two middle values for an even count). */
export function median(xs: ArrayLike<number>): number {
  return quantileSorted(sorted(xs), 0.5);
}

/** Empirical quantile pairs of two samples at `points` evenly spaced probabilities (QQ-plot data). */
export function qqPairs(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  points = 99,
): Array<{ p: number; a: number; b: number }> {
  const x = sorted(a);
  const y = sorted(b);
  return Array.from({ length: points }, (_, k) => {
    const p = (k + 1) / (points + 1);
    return { p, a: quantileSorted(x, p), b: quantileSorted(y, p) };
  });
}

/**
 * a - b for independent estimates with (possibly asymmetric) intervals at one level, by the method of
 * variance estimates recovery (Zou & Donner 2008; Newcombe's hybrid score interval is its proportions case):
 * lower = d - sqrt((a - a.lower)^2 + (b.upper - b)^2), upper = d + sqrt((a.upper - a)^2 + (b - b.lower)^2).
 */
export function moverDifference(a: Interval, b: Interval): Interval {
  const value = a.value - b.value;
  return {
    value,
    se: hypot(a.se, b.se),
    lower: value - hypot(a.value - a.lower, b.upper - b.value),
    upper: value + hypot(a.upper - a.value, b.value - b.lower),
    level: a.level,
    method: 'MOVER',
  };
}
