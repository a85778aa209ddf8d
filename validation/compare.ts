// Distances between two samples of one observable (network vs SDE): moments with standard errors and
// their difference in SE units, two-sample KS with p-value, 1-Wasserstein, and QQ data.
import { ksTwoSample, meanEstimate, qqPairs, varianceEstimate, wasserstein1, zScore, type Estimate } from '../src/stats.js';

export interface SampleComparison {
  readonly n: [number, number];
  readonly mean: [Estimate, Estimate];
  readonly variance: [Estimate, Estimate];
  /** (mean_a - mean_b) / combined SE. */
  readonly meanZ: number;
  readonly varianceZ: number;
  readonly ks: { statistic: number; pValue: number };
  readonly wasserstein1: number;
  readonly qq: Array<{ p: number; a: number; b: number }>;
}

export function compareSamples(a: Float64Array, b: Float64Array, qqPoints = 49): SampleComparison {
  const mean: [Estimate, Estimate] = [meanEstimate(a), meanEstimate(b)];
  const variance: [Estimate, Estimate] = [varianceEstimate(a), varianceEstimate(b)];
  return {
    n: [a.length, b.length],
    mean,
    variance,
    meanZ: zScore(mean[0], mean[1]),
    varianceZ: zScore(variance[0], variance[1]),
    ks: ksTwoSample(a, b),
    wasserstein1: wasserstein1(a, b),
    qq: qqPairs(a, b, qqPoints),
  };
}
