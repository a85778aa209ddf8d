// The JSON summaries that `ncsde sde --json` and `ncsde network --json` print, built from a solution or
// a network sample: shape, counts and the mean (value and SE) of every matrix entry at every save over
// paths that did not explode. The CLI and the explorer page both use these, so the page's
// window.ncsdeResults has the CLI's schema exactly. Browser-safe (no Node module).
import { PATH_EXPLODED, PATH_STATUS_NAMES, type NdArray } from '../src/results.js';
import { meanEstimate } from '../src/stats/moments.js';
import type { NetworkSample } from '../networks/index.js';
import type { Solution } from '../sde/index.js';

/** The schema tags of the two summaries. */
export const SDE_SUMMARY_SCHEMA = 'ncsde.sde/2';
export const NETWORK_SUMMARY_SCHEMA = 'ncsde.network/2';

/** Mean and SE of each matrix entry at each save, over paths that did not explode; a cell without two says why. */
export function entryMeans(values: NdArray<Float64Array>, status: Uint8Array) {
  const [saves, paths, side] = values.shape;
  const [perSave, perPath, perRow, perColumn] = values.stride;
  const data = values.data;
  let kept = 0;
  for (let p = 0; p < paths; p++) if (status[p] !== PATH_EXPLODED) kept++;
  // One buffer, filled by a strided loop (ndarray's get and a growing array cost most of the summary).
  const xs = new Float64Array(kept);
  return Array.from({ length: saves }, (_, s) =>
    Array.from({ length: side }, (_, i) =>
      Array.from({ length: side }, (_, j) => {
        if (kept < 2) return { missing: `${kept} path${kept === 1 ? '' : 's'} not exploded` };
        let n = 0;
        const base = values.offset + s * perSave + i * perRow + j * perColumn;
        for (let p = 0; p < paths; p++) if (status[p] !== PATH_EXPLODED) xs[n++] = data[base + p * perPath];
        return meanEstimate(xs);
      }),
    ),
  );
}

/** The same data with typed arrays as plain arrays: what JSON carries, so the page's results equal the CLI's parsed output. */
export function plainData<T>(data: T): Plain<T> {
  if (ArrayBuffer.isView(data)) return Array.from(data as unknown as ArrayLike<number>) as Plain<T>;
  if (Array.isArray(data)) return data.map(plainData) as Plain<T>;
  if (data !== null && typeof data === 'object') return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, plainData(v)])) as Plain<T>;
  return data as Plain<T>;
}

/** A type with its typed arrays as number[] (what plainData returns). */
export type Plain<T> = T extends ArrayBufferView ? number[] : T extends (infer U)[] ? Plain<U>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;

/** What `ncsde sde --json` prints (without --extrapolate and --values, which add their fields after);
 *  `about` names the architecture (its label) and the SDE (its description); `settings` is the record of
 *  the options that made it (entry/options.ts recordedSettings), and `resolved` what the solver made of them. */
export function sdeSummary(sol: Solution, about: { readonly architecture: string; readonly sde: string }, settings: Readonly<Record<string, unknown>>) {
  return plainData({
    schema: SDE_SUMMARY_SCHEMA,
    architecture: about.architecture,
    sde: about.sde,
    settings,
    resolved: sol.settings,
    shape: sol.values.shape,
    ts: sol.ts,
    counts: sol.counts,
    statusNames: PATH_STATUS_NAMES,
    mean: entryMeans(sol.values, sol.status),
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
    mean: entryMeans(sample.values, sample.status),
  });
}
