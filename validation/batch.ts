// The covariance of a batch of m > 2 inputs, SDE against networks, entry by entry: E rho^ab_T for every pair
// a < b and E log V^aa_T for every input, each side over its paths not exploded by T, with CLT intervals
// (rho is bounded and log V^aa light-tailed, so the CLT holds at these sample sizes) and the z-score of
// the difference (the two sides draw independent streams). The pairs share paths, so their z-scores are
// dependent: the family is judged by the Bonferroni p-value of the largest |z|, valid under any dependence.
import { normalCdf } from '../src/special.js';
import { meanEstimate, normalInterval, type Interval } from '../src/stats/index.js';
import type { CovarianceSamples } from '../src/results.js';
import { observable, type ObservableName } from './observables.js';
import { drain, type Steps } from '../src/steps.js';

/** A side that could not be computed says why (point.ts's Missing, restated so this file does not import point.ts, which imports it). */
type Missing = { readonly missing: string };

/** One entry of the batch: both sides' means and the z-score of network - SDE. */
export interface BatchEntry {
  /** The inputs: [a, b] for rho^ab, [a] for log V^aa. */
  readonly inputs: readonly number[];
  readonly sde: Interval | Missing;
  readonly network: Interval | Missing;
  /** (network - SDE) / sqrt(se_network^2 + se_sde^2); null where a side is missing. */
  readonly z: number | null;
}

/** A family of entries (every pair's rho, or every input's log V) and its one test. */
export interface BatchFamily {
  readonly observable: ObservableName;
  readonly entries: readonly BatchEntry[];
  /** The largest |z| over the entries that have one, and where it is. */
  readonly maxAbsZ: number | null;
  readonly worst: readonly number[] | null;
  /** Bonferroni: min(1, K * P(|Z| > maxAbsZ)) over the K entries with a z: the family's p-value under any dependence. */
  readonly pValue: number | null;
  /** Entries with |z| > 1.96 (about 5% of them under the null, but dependent). */
  readonly beyond95: number;
}

/** The batch comparison of a point with m > 2 inputs. */
export interface BatchComparison {
  readonly m: number;
  readonly note: string;
  readonly rho: BatchFamily;
  readonly logV: BatchFamily;
}

function side(samples: CovarianceSamples, name: ObservableName, a: number, b: number): Interval | Missing {
  const xs = observable(samples, name, samples.ts.length - 1, a, b).values;
  return xs.length < 3
    ? { missing: `${xs.length} path${xs.length === 1 ? '' : 's'} left after explosions` }
    : normalInterval(meanEstimate(xs));
}

function entry(network: CovarianceSamples, sde: CovarianceSamples, name: ObservableName, inputs: number[]): BatchEntry {
  const [a, b = a] = inputs;
  const s = side(sde, name, a, b);
  const n = side(network, name, a, b);
  const se = 'missing' in s || 'missing' in n ? 0 : Math.hypot(s.se, n.se);
  return {
    inputs,
    sde: s,
    network: n,
    z: 'missing' in s || 'missing' in n || !(se > 0) ? null : (n.value - s.value) / se,
  };
}

function family(observableName: ObservableName, entries: BatchEntry[]): BatchFamily {
  const scored = entries.filter((e) => e.z !== null);
  if (scored.length === 0)
    return { observable: observableName, entries, maxAbsZ: null, worst: null, pValue: null, beyond95: 0 };
  const worst = scored.reduce((w, e) => (Math.abs(e.z!) > Math.abs(w.z!) ? e : w));
  const maxAbsZ = Math.abs(worst.z!);
  return {
    observable: observableName,
    entries,
    maxAbsZ,
    worst: worst.inputs,
    pValue: Math.min(1, scored.length * 2 * normalCdf(-maxAbsZ)),
    beyond95: scored.filter((e) => Math.abs(e.z!) > 1.959964).length,
  };
}

/** Every pair's E rho^ab and every input's E log V^aa at the final save, networks against the SDE. */
export function compareBatch(network: CovarianceSamples, sde: CovarianceSamples): BatchComparison {
  return drain(compareBatchSteps(network, sde));
}

/** compareBatch as steps that may pause between entries (src/steps.ts). */
export function* compareBatchSteps(network: CovarianceSamples, sde: CovarianceSamples): Steps<BatchComparison> {
  const m = sde.values.shape[2];
  const pairs: BatchEntry[] = [];
  for (let a = 0; a < m; a++)
    for (let b = a + 1; b < m; b++) {
      pairs.push(entry(network, sde, 'rho', [a, b]));
      yield;
    }
  const inputs: BatchEntry[] = [];
  for (let a = 0; a < m; a++) {
    inputs.push(entry(network, sde, 'logVaa', [a]));
    yield;
  }
  return {
    m,
    note: 'each mean over the paths (networks) not exploded by T; CLT intervals; z of network - SDE with independent streams; the family p-value is Bonferroni over its entries (valid under the dependence between pairs that share paths)',
    rho: family('rho', pairs),
    logV: family('logVaa', inputs),
  };
}
