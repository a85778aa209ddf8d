// The cumulant scan kind: each point measures the fourth cumulant of the outputs (direct and pooled) and
// of the input derivatives at width n and depth L = round(T n), beside the exact or leading-order theory.
import type { OptionSpec } from '../../../src/options.js';
import { cumulantTheory, measureCumulants } from '../../cumulants.js';
import { NETWORK_ACTIVATION_GRAMMAR, OPTION, pointArchitecture } from '../../options.js';
import {
  checkCumulantActivation,
  CUMULANT_ACTIVATIONS,
  cumulantActivation,
  cumulantActivationText,
  type CumulantActivation,
} from '../../studies.js';
import { finiteOr, type ScanKindSpec } from '../kind.js';
import { referencesOf } from '../../../architectures/index.js';

/** The base options of a cumulant point: an activation at width n and L = round(T n). */
export const CUMULANT_POINT_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'activation',
    kind: { type: 'text', pattern: NETWORK_ACTIVATION_GRAMMAR },
    help: 'activation: shaped (relu:0,-1, tanh:1, ...) or an unshaped baseline (relu, tanh, linear)',
    default: 'relu',
    check: checkCumulantActivation,
  },
  { ...OPTION.n, default: 32 },
  { ...OPTION.T, help: 'depth-to-width ratio L/n' },
  { ...OPTION.samples, default: 2000 },
  OPTION.architecture,
  OPTION.seed,
];

export const cumulantKind: ScanKindSpec = {
  name: 'cumulant',
  description: 'fourth cumulants of outputs and derivatives against L/n',
  options: CUMULANT_POINT_OPTIONS,
  axes: ['architecture', 'activation', 'T', 'n'],
  activationNames: CUMULANT_ACTIVATIONS,
  // The axis takes activation texts, checked by the activation option (validation/scan/config.ts).
  pointActivation: (base, at) => cumulantActivationText((at.activation as string | undefined) ?? base),
  report: { defaultStats: ['pooled', 'direct', 'pooled_z'] },
  // The ratio is the normalised fourth cumulant of an output, kappa_4 / (3 kappa_2^2) = Var(V) / (E V)^2.
  columns: {
    L: 'depth L = round(T n)',
    theory: 'Var(V) / (E V)^2 of the output at width n and depth L: exact or leading order (theory_kind)',
    theory_kind: "which theory: 'exact (1 + k/n)^L - 1', 'leading-order recursion' or 'none'",
    limit: 'Var(V) / (E V)^2 in the SDE limit, e^{2T} - 1 (shaped ReLU-like only)',
    direct: 'Var(V) / (E V)^2 of the output, direct estimate (BCa)',
    pooled: 'Var(V) / (E V)^2 of the output, pooled layer-factor estimate (piecewise-linear, one input)',
    pooled_z: '(pooled - theory) / SE',
    derivative: "Var / mean^2 of the input derivative's conditional variance, direct estimate (BCa)",
  },
  async run(point, { row, notes, put }, options) {
    const s = point.settings as {
      architecture: string;
      activation: CumulantActivation;
      n: number;
      T: number;
      samples: number;
      seed: number;
    };
    const activation = cumulantActivation(s.activation);
    const L = Math.max(1, Math.round(s.T * s.n));
    const architecture = pointArchitecture(s);
    const m = await measureCumulants({
      architecture,
      activation,
      n: s.n,
      layers: [L],
      samples: s.samples,
      seed: s.seed,
      threads: options.threads,
      resamples: 1000,
      streamTag: `point=${point.index}`,
    });
    const theory = cumulantTheory(activation.spec!, activation, s.n, [L], referencesOf(architecture));
    row.L = L;
    row.theory = finiteOr(theory.values[0]);
    row.theory_kind = theory.kind;
    row.limit = finiteOr(theory.limits[0]);
    put('direct', m.output[0]);
    if (m.pooled) {
      put('pooled', m.pooled[0]);
      row.pooled_z =
        theory.values[0] === null || !(m.pooled[0].se > 0)
          ? null
          : finiteOr((m.pooled[0].value - theory.values[0]) / m.pooled[0].se);
    } else notes.push('pooled: no product structure (the layer factors are not i.i.d. for this activation)');
    put('derivative', m.derivative[0]);
  },
};
