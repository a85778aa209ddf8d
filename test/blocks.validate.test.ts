// New compositions validated end to end (docs/maths.md, section 17): a GPT-J / PaLM block (attention and
// MLP in parallel under one residual) and a residual block whose branch mixes two activations, through
// validate (networks at n = 64 against the SDE, calibrated two-sample tests), with power: the SDE of a
// wrong composition (serial instead of parallel; the branch without its tanh half) is rejected against
// the same networks. Fixed seeds; thresholds are p-values of exact (KS) or CLT tests.
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../src/activations/index.js';
import { validate } from '../validation/validate.js';
import { runPointNetworks, runPointSde } from '../validation/point.js';
import { readValidationSettings } from '../validation/settings.js';
import { observable } from '../validation/observables.js';
import { ksTwoSample } from '../src/stats/index.js';

const cases = [
  {
    name: 'GPT-J block residual(parallel(0.6 attention, 0.8 dense), 0.7)',
    architecture: 'residual(parallel(0.6*shapedAttention(1),0.8*dense),0.7)',
    solver: 'euler-maruyama',
    // Serial (the Transformer's order) doubles the Wishart noise: Var log V^aa tells them apart.
    wrong: 'serial(residual(shapedAttention(1),0.7),residual(dense,0.7))',
  },
  {
    name: 'mixed branch residual(parallel(dense(relu), dense(tanh)), 0.7)',
    architecture: 'residual(parallel(dense(relu:0,-1),dense(tanh:1)),0.7)',
    solver: 'ninomiya-victoir',
    // Without the tanh half's drift (beta = -2 on clock 0.49 / 2) V^aa does not decay.
    wrong: 'residual(dense(relu:0,-1),0.7)',
  },
] as const;

describe('new compositions against their SDEs, end to end', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const settings = {
        architecture: c.architecture,
        activation: 'relu:0,-1',
        rho0: 0.5,
        T: 0.5,
        n: 64,
        samples: 1500,
        paths: 3000,
        steps: 32,
        solver: c.solver,
        widths: [8, 16, 32, 64],
        seed: 17,
      };
      const report = await validate(settings, { threads: 2 });
      const comparisons = report.comparisons as Record<string, { ks: { pValue: number } }>;
      // Four observables, each an exact two-sample KS test: Bonferroni at 1e-3 overall.
      for (const name of ['rho', 'logVaa', 'Vaa', 'Vab']) expect(comparisons[name].ks.pValue).toBeGreaterThan(2.5e-4);
      const cfg = readValidationSettings({ ...settings, samples: 1500, paths: 3000 });
      const activation = parseActivation('relu:0,-1');
      const networks = await runPointNetworks(cfg, activation, 64, { streamTag: 'power', threads: 2 });
      const wrong = await runPointSde(
        readValidationSettings({ ...settings, architecture: c.wrong, solver: 'euler-maruyama' }),
        activation,
        { streamTag: 'power', threads: 2 },
      );
      expect(
        ksTwoSample(observable(networks, 'logVaa').values, observable(wrong, 'logVaa').values).pValue,
      ).toBeLessThan(1e-3);
    });
  }
});
