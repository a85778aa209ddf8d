// Monte Carlo statistics with their uncertainties: means, variances and their standard errors,
// quantiles, two-sample distances (Kolmogorov-Smirnov with p-value, 1-D Wasserstein), binomial
// intervals and least-squares slopes. Pure functions over plain arrays.

export interface Estimate {
  readonly value: number;
  /** Standard error. */
  readonly se: number;
}

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

/** Mean with standard error sqrt(var/N). */
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
  const se = Math.hypot(a.se, b.se);
  return se > 0 ? (a.value - b.value) / se : a.value === b.value ? 0 : Infinity;
}

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

export function median(xs: ArrayLike<number>): number {
  return quantileSorted(sorted(xs), 0.5);
}

/** Kolmogorov's limiting distribution: P(sup|B| > lambda) = 2 sum (-1)^{j-1} exp(-2 j^2 lambda^2). */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += j % 2 === 1 ? term : -term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

export interface KsResult {
  readonly statistic: number;
  readonly pValue: number;
}

/** Two-sample Kolmogorov-Smirnov test; p-value from Kolmogorov's law with Stephens' correction. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = sorted(a);
  const y = sorted(b);
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i], y[j]);
    while (i < n && x[i] <= v) i++;
    while (j < m && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const en = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovSurvival((en + 0.12 + 0.11 / en) * d) };
}

/** One-sample KS statistic and p-value against a continuous CDF. */
export function ksOneSample(a: ArrayLike<number>, cdf: (x: number) => number): KsResult {
  const x = sorted(a);
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  const en = Math.sqrt(n);
  return { statistic: d, pValue: kolmogorovSurvival((en + 0.12 + 0.11 / en) * d) };
}

/** 1-Wasserstein distance between two empirical distributions: the integral of |F_a - F_b|. */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = sorted(a);
  const y = sorted(b);
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let prev = Math.min(x[0], y[0]);
  let total = 0;
  while (i < n || j < m) {
    const v = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
    total += Math.abs(i / n - j / m) * (v - prev);
    prev = v;
    while (i < n && x[i] <= v) i++;
    while (j < m && y[j] <= v) j++;
  }
  return total;
}

/** Wilson score interval for a binomial proportion k/n at normal quantile z (1.96: 95%). */
export function wilsonInterval(k: number, n: number, z = 1.96): { p: number; lower: number; upper: number } {
  if (n === 0) return { p: 0, lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Least-squares slope of y on x, with the standard error propagated from per-point standard errors
 * of y (treated as independent): Var(slope) = sum c_i^2 se_i^2, c_i = (x_i - xbar) / Sxx.
 */
export function slopeEstimate(x: readonly number[], y: readonly number[], ySe: readonly number[]): Estimate & { intercept: number } {
  const n = x.length;
  const xb = x.reduce((s, v) => s + v, 0) / n;
  const yb = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - xb) ** 2;
    sxy += (x[i] - xb) * (y[i] - yb);
  }
  const slope = sxy / sxx;
  let v = 0;
  for (let i = 0; i < n; i++) v += (((x[i] - xb) / sxx) * ySe[i]) ** 2;
  return { value: slope, se: Math.sqrt(v), intercept: yb - slope * xb };
}

/** Empirical quantile pairs of two samples at `points` evenly spaced probabilities (QQ-plot data). */
export function qqPairs(a: ArrayLike<number>, b: ArrayLike<number>, points = 99): Array<{ p: number; a: number; b: number }> {
  const x = sorted(a);
  const y = sorted(b);
  return Array.from({ length: points }, (_, k) => {
    const p = (k + 1) / (points + 1);
    return { p, a: quantileSorted(x, p), b: quantileSorted(y, p) };
  });
}
