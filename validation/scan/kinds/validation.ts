// The validation scan kind: each point is an SDE-versus-network comparison (runPoint), reduced to
// explosion proportions, mean/variance z-scores, KS and energy distances of rho and log V^aa, the
// finite-width kurtosis, and a flag for a disagreement at the 99.9% level.
import { isMissing, runPointWith } from '../../point.js';
import { POINT_OPTIONS, type PointSettings } from '../../options.js';
import { SMOOTH_NAMES } from '../../../src/activations/index.js';
import { finiteOr, type ScanKindSpec } from '../kind.js';

export const validationKind: ScanKindSpec = {
  name: 'validation',
  description: 'SDE against finite networks at each point',
  options: POINT_OPTIONS,
  axes: ['architecture', 'activation', 'cPlus', 'cMinus', 'a', 'beta', 'T', 'n', 'rho0', 'x0'],
  activationNames: ['relu', ...SMOOTH_NAMES],
  pointActivation: null,
  report: {
    defaultStats: ['rho_mean_z', 'logVaa_mean_z', 'logVaa_ks'],
    flagged: {
      title: ' (x: disagreement at 99.9%)',
      note: 'A cross marks a point where some mean or variance z exceeds 3.29 or a KS p-value is below 0.001.',
    },
  },
  // Explosion is max_a V^aa crossing threshold * max_a V0^aa by T; the other columns compare the paths
  // (networks) that did not cross.
  columns: {
    activation_spec: "the point's activation, as --activation takes it",
    beta: 'beta, the diagonal drift of the activation (0 for the ReLU-like)',
    sde_exploded: 'P(max V^aa crosses the threshold by T), SDE (Wilson)',
    net_exploded: 'P(max V^aa crosses the threshold by layer round(T n)), networks (Wilson)',
    rho_net_mean: 'E rho^ab at T (inputs 0 and 1), networks not exploded',
    rho_sde_mean: 'E rho^ab at T (inputs 0 and 1), SDE paths not exploded',
    rho_mean_diff: 'E rho^ab: networks - SDE',
    rho_mean_z: 'rho: (network - SDE) mean / SE',
    rho_var_z: 'rho: (network - SDE) variance / SE',
    rho_ks: 'rho: KS distance, networks against SDE (two-sample)',
    rho_ks_p: 'rho: exact two-sample KS p-value',
    rho_energy: 'rho: energy distance between the laws (unbiased; jackknife SE)',
    logVaa_net_mean: 'E log V^aa at T (input 0), networks not exploded',
    logVaa_sde_mean: 'E log V^aa at T (input 0), SDE paths not exploded',
    logVaa_mean_diff: 'E log V^aa: networks - SDE',
    logVaa_mean_z: 'log V^aa: (network - SDE) mean / SE',
    logVaa_var_z: 'log V^aa: (network - SDE) variance / SE',
    logVaa_ks: 'log V^aa: KS distance, networks against SDE (two-sample)',
    logVaa_ks_p: 'log V^aa: exact two-sample KS p-value',
    logVaa_energy: 'log V^aa: energy distance between the laws (unbiased; jackknife SE)',
    kurtosis_exact: 'Var(V^aa) / E[V^aa]^2 at width n and depth round(T n), exact (null: no closed form)',
    kurtosis_limit: 'Var(V^aa) / E[V^aa]^2, its SDE limit at T',
    kurtosis_net: 'Var(V^aa) / E[V^aa]^2, networks',
    kurtosis_net_z: 'Var(V^aa) / E[V^aa]^2: (network - exact) / SE',
    disagree: 'true where a mean or variance z passes 3.29 or a KS p-value is below 0.001 (99.9%)',
  },
  async run(point, { row, put }, options) {
    const s = point.settings as unknown as PointSettings;
    row.activation_spec = s.activation;
    const r = await runPointWith(s, { threads: options.threads, resamples: 1000 });
    // An axis value is never overwritten (beta recomputed from a would differ in the last bits).
    row.beta ??= r.activation.beta;
    put('sde_exploded', r.explosion.sde);
    put('net_exploded', r.explosion.network);
    let disagree = Math.abs(r.explosion.difference.z) > 3.29;
    for (const name of ['rho', 'logVaa'] as const) {
      const c = r.comparisons[name];
      if (isMissing(c)) {
        put(`${name}_mean_z`, c);
        continue;
      }
      row[`${name}_net_mean`] = finiteOr(c.mean.network.value);
      row[`${name}_sde_mean`] = finiteOr(c.mean.sde.value);
      put(`${name}_mean_diff`, c.mean.difference);
      row[`${name}_mean_z`] = finiteOr(c.mean.z);
      row[`${name}_var_z`] = finiteOr(c.variance.z);
      row[`${name}_ks`] = c.ks.statistic;
      row[`${name}_ks_p`] = c.ks.pValue;
      put(`${name}_energy`, c.energyDistance);
      // 99.9% two-sided on either z, or KS p below 0.001: a disagreement at the stated level.
      disagree ||= Math.abs(c.mean.z) > 3.29 || Math.abs(c.variance.z) > 3.29 || c.ks.pValue < 1e-3;
    }
    const kurt = r.theory.find((t) => t.quantity.startsWith('Var(V^aa)'))!;
    row.kurtosis_exact = finiteOr(kurt.exact);
    row.kurtosis_limit = finiteOr(kurt.limit);
    put('kurtosis_net', kurt.network);
    row.kurtosis_net_z = finiteOr(kurt.networkZ);
    row.disagree = disagree;
  },
};
