// Resampling intervals for statistics whose delta-method SE cannot be trusted (heavy tails: variances,
// kurtosis ratios, moments of log-normal-like V). The statistic is a smooth function of feature means
// of one or more independent samples, so the jackknife (for BCa's acceleration) costs O(N) and each
// bootstrap resample O(N); samples are resampled independently, from a stream the caller names.
import { normalCdf, normalQuantile } from '../special.js';
import type { RandomStream } from '../random/streams.js';
import { zFor, type Interval } from './moments.js';
import { pow } from '../math/index.js';
import { drain, type Steps } from '../steps.js';

/** One sample: feature columns of equal length (column f, observation i). */
export type FeatureSample = readonly Float64Array[];

/** The bootstrap's stream, number of resamples and interval level. */
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
 * BCa bootstrap intervals (Efron 1987) for several statistics of the same resamples: each statistic maps
 * the feature means of every sample (means[s][f]: feature f of sample s) to a number. Samples are
 * resampled independently. The acceleration comes from the delete-one jackknife of every sample, the
 * bias correction from the share of resamples below the estimate; a statistic whose resamples all lie
 * on one side of its estimate gets the percentile interval.
 */
export function bcaBootstraps<K extends string>(
  samples: readonly FeatureSample[],
  statistics: Readonly<Record<K, (means: readonly Float64Array[]) => number>>,
  options: BootstrapOptions,
): Record<K, Interval> {
  return drain(bcaBootstrapSteps(samples, statistics, options));
}

/** Draws (or jackknife terms) between the pauses of bcaBootstrapSteps: about a millisecond of work. */
const WORK_PER_PAUSE = 1 << 16;

/** bcaBootstraps as steps that may pause between resamples (src/steps.ts): the same draws, the same bits. */
export function* bcaBootstrapSteps<K extends string>(
  samples: readonly FeatureSample[],
  statistics: Readonly<Record<K, (means: readonly Float64Array[]) => number>>,
  options: BootstrapOptions,
): Steps<Record<K, Interval>> {
  const B = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const rng = options.rng;
  const names = Object.keys(statistics) as K[];
  const full = samples.map(featureMeans);
  const replicates = names.map(() => new Float64Array(B));
  const means = full.map((m) => new Float64Array(m.length));
  const drawn = samples.reduce((t, sample) => t + sample[0].length, 0);
  const every = Math.max(1, Math.floor(WORK_PER_PAUSE / Math.max(1, drawn)));
  for (let b = 0; b < B; b++) {
    samples.forEach((sample, s) => resampleMeans(sample, means[s], rng));
    names.forEach((name, i) => (replicates[i][b] = statistics[name](means)));
    if ((b + 1) % every === 0) yield;
  }
  // Jackknife values of every statistic, sample by sample, for the accelerations.
  const jack = names.map(() => samples.map((sample) => new Float64Array(sample[0].length)));
  for (let s = 0; s < samples.length; s++) {
    const sample = samples[s];
    const n = sample[0].length;
    const loo = full.map((m) => Float64Array.from(m));
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < sample.length; f++) loo[s][f] = (full[s][f] * n - sample[f][i]) / (n - 1);
      names.forEach((name, k) => (jack[k][s][i] = statistics[name](loo)));
      if ((i + 1) % WORK_PER_PAUSE === 0) yield;
    }
  }
  const out = {} as Record<K, Interval>;
  names.forEach((name, k) => {
    out[name] = bcaInterval(statistics[name](full), replicates[k], jack[k], level);
  });
  return out;
}

/** One resample's feature means of a sample, into `acc` (n draws of the stream). */
function resampleMeans(sample: FeatureSample, acc: Float64Array, rng: RandomStream): void {
  const n = sample[0].length;
  acc.fill(0);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rng.nextUniform() * n);
    for (let f = 0; f < sample.length; f++) acc[f] += sample[f][k];
  }
  for (let f = 0; f < acc.length; f++) acc[f] /= n;
}

/** One statistic's BCa interval from its bootstrap replicates and its per-sample jackknife values. */
function bcaInterval(estimate: number, all: Float64Array, jack: readonly Float64Array[], level: number): Interval {
  const finite = all.filter(Number.isFinite).sort();
  const kept = finite.length;
  if (kept < all.length / 2 || !Number.isFinite(estimate))
    return { value: estimate, se: NaN, lower: NaN, upper: NaN, level, method: 'BCa bootstrap' };
  let mu = 0;
  for (const v of finite) mu += v;
  mu /= kept;
  let ss = 0;
  for (const v of finite) ss += (v - mu) * (v - mu);
  const se = Math.sqrt(ss / (kept - 1));
  let below = 0;
  let equal = 0;
  for (const v of finite) {
    if (v < estimate) below++;
    else if (v === estimate) equal++;
  }
  const share = (below + 0.5 * equal) / kept;
  const quantile = (p: number) => {
    const h = Math.min(kept - 1, Math.max(0, p * (kept - 1)));
    const lo = Math.floor(h);
    return finite[lo] + (h - lo) * (finite[Math.min(kept - 1, lo + 1)] - finite[lo]);
  };
  const alpha = (1 - level) / 2;
  if (share <= 0 || share >= 1 || se === 0)
    return {
      value: estimate,
      se,
      lower: quantile(alpha),
      upper: quantile(1 - alpha),
      level,
      method: 'percentile bootstrap',
    };
  const z0 = normalQuantile(share);
  let num = 0;
  let den = 0;
  for (const values of jack) {
    const n = values.length;
    let avg = 0;
    for (const v of values) avg += v;
    avg /= n;
    for (const v of values) {
      const u = (n - 1) * (avg - v);
      num += u * u * u;
      den += u * u;
    }
  }
  const a = den > 0 ? num / (6 * pow(den, 1.5)) : 0;
  const z = zFor(level);
  const adjust = (zq: number) => normalCdf(z0 + (z0 + zq) / (1 - a * (z0 + zq)));
  return {
    value: estimate,
    se,
    lower: quantile(adjust(-z)),
    upper: quantile(adjust(z)),
    level,
    method: 'BCa bootstrap',
  };
}

/** BCa bootstrap interval for one statistic (see bcaBootstraps). */
export function bcaBootstrap(
  samples: readonly FeatureSample[],
  statistic: (means: readonly Float64Array[]) => number,
  options: BootstrapOptions,
): Interval {
  return bcaBootstraps(samples, { value: statistic }, options).value;
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
