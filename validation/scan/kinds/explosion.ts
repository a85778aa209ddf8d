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
