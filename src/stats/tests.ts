// Kolmogorov-Smirnov tests. The two-sample p-value is exact (lattice-path counting, as in Hodges 1957)
// when n m is small enough to count, and Kolmogorov's limit law with Stephens' correction otherwise;
// the result says which, so a test that relies on it can state its threshold honestly.
import { logGamma } from '../special.js';
import { sorted } from './moments.js';
import { exp, log } from '../math/index.js';

/** Above this n m the exact count (O(n m) work) gives way to the asymptotic law. */
export const KS_EXACT_LIMIT = 2.5e7;

/** A Kolmogorov-Smirnov statistic and p-value, and whether the p-value is exact or asymptotic. */
export interface KsResult {
  readonly statistic: number;
  readonly pValue: number;
  readonly method: 'exact' | 'asymptotic';
}

/** Kolmogorov's limiting law: P(sup|B| > lambda) = 2 sum_j (-1)^{j-1} exp(-2 j^2 lambda^2). */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = exp(-2 * j * j * lambda * lambda);
    sum += j % 2 === 1 ? term : -term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * P(D_{n,m} >= d) under the null, exactly: the fraction of the C(n + m, n) monotone lattice paths from
 * (0, 0) to (n, m) that leave the band |i/n - j/m| < d. Paths are counted row by row; each row is rescaled
 * by its largest count and the scale kept as a logarithm, so nothing overflows or underflows at any n.
 */
export function ksTwoSampleExactPValue(d: number, n: number, m: number): number {
  if (n > m) [n, m] = [m, n];
  // D takes values k / (n m); q sits half a lattice unit below d so that rounding cannot exclude D = d.
  const q = (0.5 + Math.floor(d * n * m - 1e-7)) / (n * m);
  const u = new Float64Array(m + 1);
  for (let j = 0; j <= m; j++) u[j] = j / m > q ? 0 : 1;
  let logScale = 0;
  for (let i = 1; i <= n; i++) {
    u[0] = i / n > q ? 0 : u[0];
    let largest = u[0];
    for (let j = 1; j <= m; j++) {
      u[j] = Math.abs(i / n - j / m) > q ? 0 : u[j] + u[j - 1];
      if (u[j] > largest) largest = u[j];
    }
    if (largest > 0) {
      const inv = 1 / largest;
      for (let j = 0; j <= m; j++) u[j] *= inv;
      logScale += log(largest);
    }
  }
  if (!(u[m] > 0)) return 1;
  const logPaths = logGamma(n + m + 1) - logGamma(n + 1) - logGamma(m + 1);
  const inside = exp(log(u[m]) + logScale - logPaths);
  return Math.min(1, Math.max(0, 1 - inside));
}

/** Two-sample Kolmogorov-Smirnov test. */
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
  if (n * m <= KS_EXACT_LIMIT) return { statistic: d, pValue: ksTwoSampleExactPValue(d, n, m), method: 'exact' };
  const en = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovSurvival((en + 0.12 + 0.11 / en) * d), method: 'asymptotic' };
}

/**
 * The smallest D the two-sample test rejects at level alpha (its critical value: the KS distance a
 * comparison of these sizes detects). With the exact law D lives on the lattice gcd(n, m) / (n m), so
 * the result is a lattice value.
 */
export function ksCriticalValue(n: number, m: number, alpha: number): number {
  const en = Math.sqrt((n * m) / (n + m));
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (kolmogorovSurvival((en + 0.12 + 0.11 / en) * mid) > alpha) lo = mid;
    else hi = mid;
  }
  if (n * m > KS_EXACT_LIMIT) return hi;
  // Exact: walk the lattice gcd(n, m) / (n m) from the asymptotic value to the first k with p <= alpha.
  let a = n;
  let b = m;
  while (b) [a, b] = [b, a % b];
  const unit = a / (n * m);
  let k = Math.max(1, Math.round(hi / unit));
  if (ksTwoSampleExactPValue(k * unit, n, m) <= alpha) {
    while (k > 1 && ksTwoSampleExactPValue((k - 1) * unit, n, m) <= alpha) k--;
  } else {
    do k++;
    while (ksTwoSampleExactPValue(k * unit, n, m) > alpha);
  }
  return k * unit;
}

/** One-sample KS statistic and p-value against a continuous CDF (Kolmogorov's law, Stephens' correction). */
export function ksOneSample(a: ArrayLike<number>, cdf: (x: number) => number): KsResult {
  const x = sorted(a);
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  const en = Math.sqrt(n);
  return { statistic: d, pValue: kolmogorovSurvival((en + 0.12 + 0.11 / en) * d), method: 'asymptotic' };
}
