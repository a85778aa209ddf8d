// Two independent samples of one observable (networks against the SDE): means and variances with
// intervals whose method suits the tails (CLT for light tails, BCa bootstrap for heavy ones), their
// differences in SE units, the exact two-sample KS test, distances, QQ data, and the minimum effect
// the comparison can detect at these sample sizes (5% level, 80% power).
import { openStream, PURPOSES } from '../src/random/streams.js';
import {
  bcaBootstrapSteps,
  energyDistance,
  ksCriticalValue,
  ksTwoSample,
  meanEstimate,
  normalInterval,
  qqPairs,
  wasserstein1,
  zFor,
  type Estimate,
  type Interval,
  type KsResult,
} from '../src/stats/index.js';
import { hypot } from '../src/math/index.js';
import { drain, type Steps } from '../src/steps.js';

/** Network and SDE intervals of one statistic, their difference and the difference in SE units. */
export interface TwoSided {
  readonly network: Interval;
  readonly sde: Interval;
  /** network - sde. */
  readonly difference: Interval;
  /** difference / its SE. */
  readonly z: number;
}

/** Everything `compareSamples` measures about two samples of one observable. */
export interface SampleComparison {
  readonly n: { readonly network: number; readonly sde: number };
  readonly mean: TwoSided;
  readonly variance: TwoSided;
  readonly ks: KsResult;
  readonly energyDistance: Estimate;
  readonly wasserstein1: number;
  readonly qq: ReadonlyArray<{ p: number; network: number; sde: number }>;
  /** The smallest true differences this comparison detects with 80% power at the 5% level. */
  readonly detectable: { readonly meanDifference: number; readonly ksDistance: number };
  /** Why the intervals of this observable are not to be trusted at face value (measured coverage), where so. */
  readonly caveat?: string;
}

/** How `compareSamples` builds intervals: CLT or BCa for means, the bootstrap stream (seed and label) and resamples. */
export interface CompareOptions {
  /** Bootstrap all intervals (heavy tails) rather than CLT for the means. */
  heavyTailed?: boolean;
  /** Seed and a label for the bootstrap's own stream family. */
  seed: number;
  label: string;
  resamples?: number;
  qqPoints?: number;
}

/** Empirical quantile pairs at evenly spaced probabilities (QQ-plot data). */
function qq(a: Float64Array, b: Float64Array, points: number) {
  return qqPairs(a, b, points).map((q) => ({ p: q.p, network: q.a, sde: q.b }));
}

/**
 * Two independent samples of one observable: means and variances with intervals (CLT, or BCa where the
 * tails are heavy), their differences in SE units, the exact KS test, the energy and 1-Wasserstein
 * distances, QQ data and the smallest differences these sample sizes can detect.
 */
export function compareSamples(network: Float64Array, sde: Float64Array, options: CompareOptions): SampleComparison {
  return drain(compareSampleSteps(network, sde, options));
}

/** compareSamples as steps that may pause (src/steps.ts): the bootstrap between resamples, and between the
 *  tests and distances; the same bits. */
export function* compareSampleSteps(
  network: Float64Array,
  sde: Float64Array,
  options: CompareOptions,
): Steps<SampleComparison> {
  const squares = (x: Float64Array) => x.map((v) => v * v);
  const unbiased = (m: Float64Array, n: number) => ((m[1] - m[0] * m[0]) * n) / (n - 1);
  const nA = network.length;
  const nB = sde.length;
  const boot = yield* bcaBootstrapSteps(
    [
      [network, squares(network)],
      [sde, squares(sde)],
    ],
    {
      meanNetwork: (m) => m[0][0],
      meanSde: (m) => m[1][0],
      meanDifference: (m) => m[0][0] - m[1][0],
      varNetwork: (m) => unbiased(m[0], nA),
      varSde: (m) => unbiased(m[1], nB),
      varDifference: (m) => unbiased(m[0], nA) - unbiased(m[1], nB),
    },
    { rng: openStream(options.seed, `${PURPOSES.bootstrap}/${options.label}`, 0), resamples: options.resamples },
  );
  let mean: TwoSided;
  if (options.heavyTailed) {
    mean = {
      network: boot.meanNetwork,
      sde: boot.meanSde,
      difference: boot.meanDifference,
      z: boot.meanDifference.value / boot.meanDifference.se,
    };
  } else {
    const a = meanEstimate(network);
    const b = meanEstimate(sde);
    const d = { value: a.value - b.value, se: hypot(a.se, b.se) };
    mean = { network: normalInterval(a), sde: normalInterval(b), difference: normalInterval(d), z: d.value / d.se };
  }
  const variance: TwoSided = {
    network: boot.varNetwork,
    sde: boot.varSde,
    difference: boot.varDifference,
    z: boot.varDifference.value / boot.varDifference.se,
  };
  const ks = ksTwoSample(network, sde);
  yield;
  const energy = energyDistance(network, sde);
  yield;
  const w1 = wasserstein1(network, sde);
  yield;
  return {
    n: { network: nA, sde: nB },
    mean,
    variance,
    ks,
    energyDistance: energy,
    wasserstein1: w1,
    qq: qq(network, sde, options.qqPoints ?? 49),
    detectable: {
      meanDifference: (zFor(0.95) + zFor(0.6)) * mean.difference.se,
      ksDistance: ksCriticalValue(nA, nB, 0.05),
    },
  };
}
