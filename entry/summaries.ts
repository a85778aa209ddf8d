// The JSON summaries that `ncsde sde --json` and `ncsde network --json` print, built from a solution or
// a network sample by the API's `summary` (src/summary.ts): shape, counts and, at every save, E V^ab and
// E rho^ab per pair, E log V^aa, and explosion per input and for any input, every cell { estimate, se,
// lo, hi, n }, with what the means average over. The CLI and the explorer page both use these, so the
// page's window.ncsdeResults has the CLI's schema exactly. Browser-safe (no Node module).
import { PATH_STATUS_NAMES } from '../src/results.js';
import { summary } from '../src/summary.js';
import type { NetworkSample } from '../networks/index.js';
import type { Solution, SummarySolution } from '../sde/index.js';
import { repairWarnings } from '../validation/warnings.js';

/** The schema tags of the two summaries (3: per-save cells { estimate, se, lo, hi, n } under `saves`). */
export const SDE_SUMMARY_SCHEMA = 'ncsde.sde/3';
export const NETWORK_SUMMARY_SCHEMA = 'ncsde.network/3';

/** The same data with typed arrays as plain arrays: what JSON carries, so the page's results equal the CLI's parsed output. */
export function plainData<T>(data: T): Plain<T> {
  if (ArrayBuffer.isView(data)) return Array.from(data as unknown as ArrayLike<number>) as Plain<T>;
  if (Array.isArray(data)) return data.map(plainData) as Plain<T>;
  if (data !== null && typeof data === 'object')
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, plainData(v)])) as Plain<T>;
  return data as Plain<T>;
}

/** A type with its typed arrays as number[] (what plainData returns). */
export type Plain<T> = T extends ArrayBufferView
  ? number[]
  : T extends (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;

/** What `ncsde sde --json` prints (without --extrapolate and --values, which add their fields after);
 *  `about` names the architecture (its label) and the SDE (its description); `settings` is the record of
 *  the options that made it (entry/options.ts recordedSettings), and `resolved` what the solver made of them.
 *  `shape` is that of the run's values (saves, paths, m, m), also under keep 'summary', which holds none. */
export function sdeSummary(
  sol: Solution | SummarySolution,
  about: { readonly architecture: string; readonly sde: string },
  settings: Readonly<Record<string, unknown>>,
) {
  return plainData({
    schema: SDE_SUMMARY_SCHEMA,
    architecture: about.architecture,
    sde: about.sde,
    settings,
    resolved: sol.settings,
    shape:
      'values' in sol
        ? sol.values.shape
        : [sol.ts.length, sol.paths, ...(sol.shape === 'matrix' ? [sol.m, sol.m] : [])],
    ts: sol.ts,
    counts: sol.counts,
    statusNames: PATH_STATUS_NAMES,
    saves: summary(sol).saves,
    // Euler-Maruyama repairs above a few percent bias the law: the result says so, naming the remedy.
    warnings: repairWarnings(sol.counts, sol.status.length, String(sol.settings.solver)).map((w) => w.text),
  });
}

/** What `ncsde network --json` prints (without --values); `settings` as for sdeSummary. */
export function networkSummary(sample: NetworkSample, settings: Readonly<Record<string, unknown>>) {
  return plainData({
    schema: NETWORK_SUMMARY_SCHEMA,
    architecture: sample.architecture,
    settings,
    resolved: sample.settings,
    shape: sample.values.shape,
    layers: sample.layers,
    ts: sample.ts,
    counts: sample.counts,
    saves: summary(sample).saves,
  });
}
