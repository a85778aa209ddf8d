// The collapse scan kind: each point reads, for one architecture (shaped attention, the Transformer, or
// any other) at one T, E[mean token correlation], P(mean token correlation > level) and P(explode by T)
// from the SDE and from networks on one threshold (docs/maths.md, 14.9).
import { SMOOTH_NAMES } from '../../../src/activations/index.js';
import { COLLAPSE_POINT_OPTIONS, runCollapsePoint } from '../../collapse.js';
import { isMissing } from '../../point.js';
import { finiteOr, type ScanKindSpec } from '../kind.js';

export const collapseKind: ScanKindSpec = {
  name: 'collapse',
  description: 'token correlation, P(collapse) and P(explode by T) of m tokens: SDE and networks',
  options: COLLAPSE_POINT_OPTIONS,
  axes: ['architecture', 'activation', 'cPlus', 'cMinus', 'a', 'T', 'n', 'rho0'],
  activationNames: ['relu', ...SMOOTH_NAMES],
  pointActivation: null,
  report: { defaultStats: ['corr_sde', 'corr_net', 'explode_sde', 'explode_net'] },
  // Correlation and collapse are read over the paths (networks) not exploded by T; explosion is max V^aa
  // crossing threshold * max V0^aa by T.
  columns: {
    architecture_label: "the point's architecture, by its label",
    corr_sde: 'E mean token correlation at T, SDE',
    corr_net: 'E mean token correlation at T, networks',
    corr_diff_p: 'two-sided p-value of networks = SDE for E mean token correlation',
    collapsed_sde: 'P(mean token correlation > level) at T, SDE (Wilson)',
    collapsed_net: 'P(mean token correlation > level) at T, networks (Wilson)',
    explode_sde: 'P(max V^aa crosses the threshold at a layer time l / n <= T), SDE (Wilson)',
    explode_net: 'P(max V^aa crosses the threshold by layer round(T n)), networks (Wilson)',
    explode_diff: 'P(cross the threshold by T): networks - SDE (Newcombe)',
    explode_diff_p: 'two-sided p-value of networks = SDE for P(cross the threshold by T)',
  },
  async run(point, { row, notes, put }, options) {
    const r = await runCollapsePoint(point.settings, options);
    for (const w of r.warnings) notes.push(w.text);
    row.architecture_label = r.label;
    put('corr_sde', r.sde.correlation);
    put('corr_net', r.network.correlation);
    row.corr_diff_p = isMissing(r.correlationDifference) ? null : finiteOr(r.correlationDifference.pValue);
    put('collapsed_sde', r.sde.collapsed);
    put('collapsed_net', r.network.collapsed);
    put('explode_sde', r.sde.exploded);
    put('explode_net', r.network.exploded);
    put('explode_diff', r.explodedDifference);
    row.explode_diff_p = finiteOr(r.explodedDifference.pValue);
  },
};
