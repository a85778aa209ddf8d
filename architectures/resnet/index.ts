// The shaped residual network z_{l+1} = lambda z_l + gamma sqrt(c/n) W_l phi(z_l) as an architecture
// value (docs/maths.md, section 13). Its limit is the MLP's covariance SDE with the drift on clock gamma^2
// and the noise on clock s^2 = gamma^2 (2 - gamma^2), so its SDEs and exact references are the MLP's on
// those clocks; its samplers keep the n x m residual stream.
import { DECIMAL, type ActivationSpec } from '../../src/activations/index.js';
import { siblingModule } from '../../src/blocks.js';
import { InputError } from '../../src/errors.js';
import type { OptionSpec } from '../../src/options.js';
import type { Clocks } from '../../sde/index.js';
import type { Architecture, ArchitectureEntry, ArchitectureReferences, TheoryValue } from '../architecture.js';
import { correlationSde, covarianceSde, diagonalSde, limitReferences } from '../mlp/index.js';
import { noiseClock } from './moments.js';
import { resnetSampler, resnetSamplers } from './samplers.js';
import { requireGamma } from './stream.js';

export { resnetSamplers, resnetSampler } from './samplers.js';
export { noiseClock } from './moments.js';

const REF_MODULE = siblingModule(import.meta.url, 'index');

/** The limit's clocks: drift gamma^2, noise s^2 = gamma^2 (2 - gamma^2). */
export function resnetClocks(gamma: number): Clocks {
  return { driftClock: gamma * gamma, noiseClock: noiseClock(gamma) };
}

/**
 * The MLP's references on the resnet's clocks, less the MLP's finite-width theory: the layer factors
 * V_{l+1}/V_l of a residual stream are not i.i.d., so there is no (1 + k/n)^L (nor the pooled estimator
 * it licenses) and no layer recursion, and E V^aa_L is V_0 only in the limit.
 */
function resnetReferences(clocks: Clocks): ArchitectureReferences {
  const none: TheoryValue = { exact: null, limit: null };
  return {
    ...limitReferences(clocks),
    meanDiagonal: (spec: ActivationSpec) => ({ exact: null, limit: spec.family === 'relu-like' ? 1 : null }),
    finiteMoments: () => ({ secondMoment: none, kurtosis: none }),
    layerRecursion: false,
  };
}

/**
 * The shaped residual network with branch weight gamma in (0, 1] (gamma = 1: the MLP's limit).
 * @example
 * const net = await sampleNetworks({ architecture: resnet({ gamma: 0.7 }), activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n: 256, T: 1, v0: [[1, 0.5], [0.5, 1]], samples: 1000, seed: 1 });
 */
export function resnet(options: { gamma: number }): Architecture {
  if (options == null || typeof options !== 'object') throw new InputError('resnet options', options, 'must be an object { gamma }');
  const gamma = requireGamma('gamma', options.gamma);
  const clocks = resnetClocks(gamma);
  return {
    name: 'resnet',
    spec: { kind: 'resnet', gamma },
    description: `the shaped residual network z_{l+1} = lambda z_l + gamma sqrt(c/n) W_l phi(z_l) at gamma = ${gamma}`,
    label: `resnet(gamma=${gamma})`,
    text: `resnet:${gamma}`,
    sde: (activation) => covarianceSde(activation, clocks),
    correlationSde: (activation) => correlationSde(activation, clocks),
    diagonalSde: (activation) => diagonalSde(activation, clocks),
    samplers: resnetSamplers(gamma),
    defaultSampler: 'chain',
    outputShape: (outputs, side) => [outputs, side],
    references: resnetReferences(clocks),
    ref: { module: REF_MODULE, name: 'resnet', args: [{ gamma }] },
  };
}

const USAGE = 'must be resnet:<gamma> with gamma in (0, 1]';

/** gamma as a scan axis (`--grid gamma=0.3,0.7`): the one parameter of resnet:<gamma>. */
const GAMMA_AXIS: OptionSpec = { key: 'gamma', kind: { type: 'number', min: 0, max: 1, exclusiveMin: true }, help: 'resnet branch weight gamma (lambda = sqrt(1 - gamma^2))' };

/** The ARCHITECTURES entry: `--architecture resnet:<gamma>`, configs' { kind: 'resnet', gamma }. */
export const RESNET_ENTRY: ArchitectureEntry = {
  name: 'resnet',
  grammar: 'resnet:<gamma>',
  description: 'the shaped residual network z_{l+1} = sqrt(1 - gamma^2) z_l + gamma sqrt(c/n) W_l phi(z_l), gamma in (0, 1]',
  parse(args, field) {
    // 'resnet' and 'resnet:' both arrive as '': quote the likelier spelling.
    const text = args === '' ? 'resnet' : `resnet:${args}`;
    if (!DECIMAL.test(args)) throw new InputError(field, text, USAGE);
    const gamma = Number(args);
    if (!(gamma > 0 && gamma <= 1)) throw new InputError(field, text, USAGE);
    return resnet({ gamma });
  },
  fromSpec(spec, field) {
    return resnet({ gamma: requireGamma(`${field}.gamma`, spec.gamma) });
  },
  axes: [GAMMA_AXIS],
  withAxes(architecture, values, field) {
    return values.gamma === undefined ? architecture : resnet({ gamma: requireGamma(`${field}.gamma`, values.gamma) });
  },
  // Its SDEs are the MLP's on clocks (the MLP entry lists their builder).
  builders: { resnet, resnetSampler },
};
