// One SDE-versus-network comparison: integrate the SDE to T, sample networks of width n and depth
// T n from the same V0, and compare observables at T. Both `validate` and every scan grid point run
// this, so a scan row equals a single run with the same settings and seed.
import { activationFromSpec } from '../src/activations/index.js';
import type { WorkerPool } from '../src/parallel.js';
import { sampleNetworks, type NetworkSample } from '../networks/index.js';
import { constantSteps, covarianceSde, saveAt, solve, type Solution } from '../sde/index.js';
import { compareSamples, type SampleComparison } from './compare.js';
import type { PointConfig } from './config.js';
import { logitKurtosis, observable, OBSERVABLES, survivingFraction, type ObservableName } from './observables.js';

export interface PointResult {
  readonly config: PointConfig;
  readonly depth: number;
  readonly sde: Solution;
  readonly network: NetworkSample;
  /** Observables at T; null where fewer than 2 paths survived on a side. */
  readonly comparisons: Partial<Record<ObservableName, SampleComparison>>;
  readonly logits: { sde: ReturnType<typeof logitKurtosis>; network: ReturnType<typeof logitKurtosis> };
  readonly surviving: { sde: number; network: number };
}

export function v0FromRho(rho0: number): number[][] {
  return [
    [1, rho0],
    [rho0, 1],
  ];
}

export interface PointRunOptions {
  threads?: number | WorkerPool;
  /** Save times for path plots: this many SDE saves and network records (0: final only). */
  pathSaves?: number;
}

export async function runPoint(config: PointConfig, options: PointRunOptions = {}): Promise<PointResult> {
  const activation = activationFromSpec(config.activation);
  const v0 = v0FromRho(config.rho0);
  const depth = Math.max(1, Math.round(config.T * config.n));
  // Intermediate saves never change the final values (same steps, same Brownian path), so a plotted
  // run and a scan row agree; the save count is the largest divisor of the steps not above the request.
  const steps = config.sde.steps;
  let saves = Math.min(options.pathSaves ?? 0, steps);
  while (saves > 0 && steps % saves !== 0) saves--;
  const sde = await solve({
    sde: covarianceSde(activation),
    t1: config.T,
    v0,
    stepping: constantSteps(steps),
    saveAt: saves > 0 ? saveAt({ count: saves }) : undefined,
    paths: config.sde.paths,
    seed: config.seed,
    threads: options.threads,
  });
  const network = await sampleNetworks({
    activation,
    n: config.n,
    depth,
    v0,
    samples: config.network.samples,
    seed: config.seed,
    method: config.network.method,
    record: saves > 0 ? { count: Math.min(saves, depth) } : undefined,
    threads: options.threads,
  });
  const comparisons: Partial<Record<ObservableName, SampleComparison>> = {};
  for (const name of OBSERVABLES) {
    const a = observable(network, name);
    const b = observable(sde, name);
    if (a.length >= 2 && b.length >= 2) comparisons[name] = compareSamples(a, b);
  }
  return {
    config,
    depth,
    sde,
    network,
    comparisons,
    logits: { sde: logitKurtosis(observable(sde, 'Vaa')), network: logitKurtosis(observable(network, 'Vaa')) },
    surviving: { sde: survivingFraction(sde), network: survivingFraction(network) },
  };
}

export type PointRow = Record<string, number | string | null>;

/** The flat, CSV-ready summary of a point (no timestamps: equal settings give equal rows). */
export function pointRow(result: PointResult): PointRow {
  const c = result.config;
  const act = c.activation;
  const row: PointRow = {
    family: act.family,
    f: act.family === 'smooth' ? act.f : 'relu',
    cPlus: act.family === 'relu-like' ? act.cPlus : null,
    cMinus: act.family === 'relu-like' ? act.cMinus : null,
    a: act.family === 'smooth' ? act.a : null,
    T: c.T,
    n: c.n,
    depth: result.depth,
    rho0: c.rho0,
    seed: c.seed,
    sde_paths: c.sde.paths,
    sde_steps: c.sde.steps,
    net_samples: c.network.samples,
    net_method: c.network.method,
    sde_exploded: 1 - result.surviving.sde,
    net_exploded: 1 - result.surviving.network,
  };
  for (const name of ['rho', 'logVaa'] as const) {
    const cmp = result.comparisons[name];
    row[`${name}_net_mean`] = cmp ? cmp.mean[0].value : null;
    row[`${name}_net_se`] = cmp ? cmp.mean[0].se : null;
    row[`${name}_sde_mean`] = cmp ? cmp.mean[1].value : null;
    row[`${name}_sde_se`] = cmp ? cmp.mean[1].se : null;
    row[`${name}_mean_z`] = cmp ? cmp.meanZ : null;
    row[`${name}_var_z`] = cmp ? cmp.varianceZ : null;
    row[`${name}_ks`] = cmp ? cmp.ks.statistic : null;
    row[`${name}_ks_p`] = cmp ? cmp.ks.pValue : null;
    row[`${name}_w1`] = cmp ? cmp.wasserstein1 : null;
  }
  row.logit_kurtosis_net = result.logits.network.value;
  row.logit_kurtosis_net_se = result.logits.network.se;
  row.logit_kurtosis_sde = result.logits.sde.value;
  row.logit_kurtosis_sde_se = result.logits.sde.se;
  return row;
}
