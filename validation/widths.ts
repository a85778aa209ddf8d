// Convergence in width: at fixed T, the network-versus-SDE distance for a ladder of widths n (depth
// T n), with the fitted rate distance ~ n^(-rate) and the Monte Carlo floor below which distances
// cannot be resolved with these sample sizes.
import { activationFromSpec } from '../src/activations/index.js';
import type { WorkerPool } from '../src/parallel.js';
import { uniformStream } from '../src/rng.js';
import { slopeEstimate, wasserstein1, type Estimate } from '../src/stats.js';
import { sampleNetworks } from '../networks/index.js';
import type { Solution } from '../sde/index.js';
import { compareSamples } from './compare.js';
import type { PointConfig } from './config.js';
import { observable, type ObservableName } from './observables.js';
import { v0FromRho } from './point.js';

export interface WidthLevel {
  readonly n: number;
  readonly depth: number;
  readonly wasserstein1: Estimate;
  readonly ks: number;
  readonly ksPValue: number;
  readonly meanDifference: Estimate;
}

export interface WidthStudy {
  readonly observable: ObservableName;
  readonly levels: WidthLevel[];
  /** Slope of -log W1 on log n over levels above twice the noise floor (null if fewer than 2). */
  readonly rate: Estimate | null;
  /** Expected W1 between two samples of these sizes from one law (from two halves of the SDE sample). */
  readonly noiseFloor: number;
}

/** Bootstrap standard error of W1(a, b), with resamples drawn from a seeded stream. */
export function wassersteinSe(a: Float64Array, b: Float64Array, seed: number | string, resamples = 30): number {
  const rng = uniformStream(`${seed}/bootstrap`, 0);
  const ra = new Float64Array(a.length);
  const rb = new Float64Array(b.length);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) ra[i] = a[Math.floor(rng.nextUniform() * a.length)];
    for (let i = 0; i < b.length; i++) rb[i] = b[Math.floor(rng.nextUniform() * b.length)];
    values.push(wasserstein1(ra, rb));
  }
  const mu = values.reduce((s, v) => s + v, 0) / resamples;
  return Math.sqrt(values.reduce((s, v) => s + (v - mu) ** 2, 0) / (resamples - 1));
}

export async function widthStudy(
  config: PointConfig,
  widths: readonly number[],
  sde: Solution,
  options: { observables?: readonly ObservableName[]; threads?: number | WorkerPool; onLevel?: (n: number) => void } = {},
): Promise<WidthStudy[]> {
  const names = options.observables ?? ['rho', 'logVaa'];
  const activation = activationFromSpec(config.activation);
  const references = names.map((name) => observable(sde, name));
  const levels: WidthLevel[][] = names.map(() => []);
  for (const n of widths) {
    const depth = Math.max(1, Math.round(config.T * n));
    const net = await sampleNetworks({
      activation,
      n,
      depth,
      v0: v0FromRho(config.rho0),
      samples: config.network.samples,
      seed: config.seed,
      method: config.network.method,
      threads: options.threads,
    });
    names.forEach((name, k) => {
      const x = observable(net, name);
      const reference = references[k];
      const cmp = compareSamples(x, reference, 9);
      levels[k].push({
        n,
        depth,
        wasserstein1: { value: cmp.wasserstein1, se: wassersteinSe(x, reference, `${config.seed}/${n}`) },
        ks: cmp.ks.statistic,
        ksPValue: cmp.ks.pValue,
        meanDifference: { value: cmp.mean[0].value - cmp.mean[1].value, se: Math.hypot(cmp.mean[0].se, cmp.mean[1].se) },
      });
    });
    options.onLevel?.(n);
  }
  return names.map((name, k) => fitWidthRate(name, levels[k], references[k], config.network.samples));
}

function fitWidthRate(name: ObservableName, levels: WidthLevel[], reference: Float64Array, netSize: number): WidthStudy {
  const half = reference.length >> 1;
  // Two halves of N/2 give W1 ~ c sqrt(4/N); network (N_a) vs SDE (N_b) gives c sqrt(1/N_a + 1/N_b).
  const floor =
    wasserstein1(reference.subarray(0, half), reference.subarray(half)) * Math.sqrt((1 / netSize + 1 / reference.length) / (4 / reference.length));
  const resolved = levels.filter((l) => l.wasserstein1.value > 2 * floor);
  let rate: Estimate | null = null;
  if (resolved.length >= 2) {
    const fit = slopeEstimate(
      resolved.map((l) => Math.log(l.n)),
      resolved.map((l) => Math.log(l.wasserstein1.value)),
      resolved.map((l) => l.wasserstein1.se / l.wasserstein1.value),
    );
    rate = { value: -fit.value, se: fit.se };
  }
  return { observable: name, levels, rate, noiseFloor: floor };
}
