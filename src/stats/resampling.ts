// Resampling intervals for statistics whose delta-method SE cannot be trusted (heavy tails: variances,
// kurtosis ratios, moments of log-normal-like V). The statistic is a smooth function of feature means
// of one or more independent samples, so the jackknife (for BCa's acceleration) costs O(N) and each
// bootstrap resample O(N); samples are resampled independently, from a stream the caller names.
import { normalCdf, normalQuantile } from '../special.js';
import type { RandomStream } from '../random/streams.js';
import { zFor, type Interval } from './moments.js';

/** One sample: feature columns of equal length (column f, observation i). */
export type FeatureSample = readonly Float64Array[];

export interface BootstrapOptions {
  readonly rng: RandomStream;
  /** Number of resamples; 2000 keeps BCa's tail quantiles within about 1% of their limit. */
  readonly resamples?: number;
  readonly level?: number;
}

function featureMeans(sample: FeatureSample): Float64Array {
  const out = new Float64Array(sample.length);
  sample.forEach((col, f) => {
    let s = 0;
    for (let i = 0; i < col.length; i++) s += col[i];
    out[f] = s / col.length;
  });
  return out;
}

/**
 * BCa bootstrap interval (Efron 1987) for statistic(means of sample 0, means of sample 1, ...), where
 * means[s][f] is the mean of feature f of sample s. The acceleration comes from the delete-one
 * jackknife of every sample, the bias correction from the share of resamples below the estimate.
 * Falls back to the percentile interval when every resample lies on one side of the estimate.
 */
export function bcaBootstrap(samples: readonly FeatureSample[], statistic: (means: readonly Float64Array[]) => number, options: BootstrapOptions): Interval {
  const B = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const rng = options.rng;
  const full = samples.map(featureMeans);
  const estimate = statistic(full);
  const replicates = new Float64Array(B);
  const means = full.map((m) => new Float64Array(m.length));
  let kept = 0;
  for (let b = 0; b < B; b++) {
    samples.forEach((sample, s) => {
      const n = sample[0].length;
      const acc = means[s];
      acc.fill(0);
      for (let i = 0; i < n; i++) {
        const k = Math.floor(rng.nextUniform() * n);
        for (let f = 0; f < sample.length; f++) acc[f] += sample[f][k];
      }
      for (let f = 0; f < acc.length; f++) acc[f] /= n;
    });
    const value = statistic(means);
    if (Number.isFinite(value)) replicates[kept++] = value;
  }
  const reps = replicates.subarray(0, kept).sort();
  if (kept < B / 2 || !Number.isFinite(estimate)) {
    return { value: estimate, se: NaN, lower: NaN, upper: NaN, level, method: 'BCa bootstrap' };
  }
  let mu = 0;
  for (const v of reps) mu += v;
  mu /= kept;
  let ss = 0;
  for (const v of reps) ss += (v - mu) * (v - mu);
  const se = Math.sqrt(ss / (kept - 1));

  let below = 0;
  let equal = 0;
  for (const v of reps) {
    if (v < estimate) below++;
    else if (v === estimate) equal++;
  }
  const share = (below + 0.5 * equal) / kept;
  const quantile = (p: number) => {
    const h = Math.min(kept - 1, Math.max(0, p * (kept - 1)));
    const lo = Math.floor(h);
    return reps[lo] + (h - lo) * (reps[Math.min(kept - 1, lo + 1)] - reps[lo]);
  };
  const alpha = (1 - level) / 2;
  if (share <= 0 || share >= 1) {
    return { value: estimate, se, lower: quantile(alpha), upper: quantile(1 - alpha), level, method: 'percentile bootstrap' };
  }
  const z0 = normalQuantile(share);
  // Acceleration from the jackknife influence of every observation of every sample.
  let num = 0;
  let den = 0;
  samples.forEach((sample, s) => {
    const n = sample[0].length;
    const loo = full.map((m) => Float64Array.from(m));
    const values = new Float64Array(n);
    let avg = 0;
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < sample.length; f++) loo[s][f] = (full[s][f] * n - sample[f][i]) / (n - 1);
      values[i] = statistic(loo);
      avg += values[i];
    }
    avg /= n;
    for (let i = 0; i < n; i++) {
      const u = (n - 1) * (avg - values[i]);
      num += u * u * u;
      den += u * u;
    }
  });
  const a = den > 0 ? num / (6 * Math.pow(den, 1.5)) : 0;
  const z = zFor(level);
  const adjust = (zq: number) => normalCdf(z0 + (z0 + zq) / (1 - a * (z0 + zq)));
  return { value: estimate, se, lower: quantile(adjust(-z)), upper: quantile(adjust(z)), level, method: 'BCa bootstrap' };
}

/** Delete-one jackknife SE of a statistic of one sample (O(N) calls of `statistic`). */
export function jackknifeSe(n: number, leaveOut: (i: number) => number): number {
  const values = new Float64Array(n);
  let avg = 0;
  for (let i = 0; i < n; i++) {
    values[i] = leaveOut(i);
    avg += values[i];
  }
  avg /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - avg) ** 2;
  return Math.sqrt(((n - 1) / n) * s);
}
