// The explosion scan kind: each point sets P(V^aa crosses the threshold by T) from the diagonal SDE and
// from one-input networks beside its exact value and the closed form for T -> infinity.
import { SMOOTH_NAMES } from '../../../src/activations/index.js';
import { EXPLOSION_OPTIONS, runExplosionPointWith, type ExplosionSettings } from '../../explosion.js';
import type { ScanKindSpec } from '../kind.js';

export const explosionKind: ScanKindSpec = {
  name: 'explosion',
  description: 'P(explode by T): diagonal SDE, networks and exact',
  options: EXPLOSION_OPTIONS,
  axes: ['architecture', 'activation', 'a', 'beta', 'T', 'n', 'x0'],
  activationNames: SMOOTH_NAMES,
  pointActivation: null,
  report: { defaultStats: ['p_sde', 'p_net', 'p_diff'], closedFormStats: ['p_sde', 'p_net', 'p_exact'] },
  // p_exact, p_sde, p_net and p_diff are crossing probabilities at the point's threshold (threshold * x0 on
  // V^aa), not of blow-up: only p_limit is P(explode ever), which no threshold enters.
  columns: {
    activation_spec: "the point's activation, as --activation takes it",
    beta: 'beta, the drift of dX = beta X^2 dt + sqrt(2) X dB (> 0: explodes with positive probability)',
    p_limit: 'P(explode ever): blow-up as T -> infinity, no threshold (1 - exp(-beta x0) for the MLP)',
    p_exact: 'P(V^aa crosses threshold * x0 by T), exact (Kolmogorov backward equation)',
    p_sde: 'P(V^aa crosses threshold * x0 by T), SDE (split scheme, Brownian-bridge crossings; Wilson)',
    p_net: 'P(V^aa crosses threshold * x0 by layer round(T n)), networks of width n (Wilson)',
    p_diff: 'P(cross threshold * x0 by T): networks - SDE (Newcombe)',
    p_diff_p: 'two-sided p-value of networks = SDE for P(cross threshold * x0 by T)',
    sde_time: 'mean crossing time of the SDE paths that crossed threshold * x0 by T',
    net_time: 'mean crossing time (layer / n) of the networks that crossed threshold * x0 by T',
  },
  async run(point, { row, notes, put }, options) {
    const r = await runExplosionPointWith(point.settings as unknown as ExplosionSettings, options);
    row.activation_spec = r.settings.activation;
    row.beta ??= r.criterion.beta;
    row.p_limit = r.criterion.explosionProbability;
    row.p_exact = r.exact;
    put('p_sde', r.sde);
    put('p_net', r.network);
    put('p_diff', r.difference);
    row.p_diff_p = r.difference.pValue;
    put('sde_time', r.sdeTime);
    put('net_time', r.networkTime);
    for (const w of r.warnings) notes.push(w.text);
  },
};
