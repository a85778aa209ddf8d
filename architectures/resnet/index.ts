// The shaped residual network z_{l+1} = lambda z_l + gamma sqrt(c/n) W_l phi(z_l) as a preset: the
// composition residual(dense, gamma) (docs/maths.md, sections 13 and 17). Its limit is the MLP's covariance
// SDE with the drift on clock gamma^2 and the noise on clock s^2 = gamma^2 (2 - gamma^2), so its SDEs and
// exact references are the MLP's on those clocks (found by the composition); it samples the n x m stream.
import { DECIMAL } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { OptionSpec } from '../../src/options.js';
import { requireGamma } from '../../networks/index.js';
import type { Clocks } from '../../sde/index.js';
import type { Architecture, ArchitectureEntry } from '../architecture.js';
import { composition } from '../blocks/compose.js';
import { dense } from '../blocks/dense.js';
import { residual } from '../blocks/residual.js';
import { noiseClock } from './moments.js';

export { noiseClock } from './moments.js';

/** The limit's clocks: drift gamma^2, noise s^2 = gamma^2 (2 - gamma^2). */
export function resnetClocks(gamma: number): Clocks {
  return { driftClock: gamma * gamma, noiseClock: noiseClock(gamma) };
}

/**
 * The shaped residual network with branch weight gamma in (0, 1] (gamma = 1: the MLP's limit).
 * @example
 * const net = await sampleNetworks({ architecture: resnet({ gamma: 0.7 }), activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n: 256, T: 1, v0: [[1, 0.5], [0.5, 1]], samples: 1000, seed: 1 });
 */
export function resnet(options: { gamma: number }): Architecture {
  if (options == null || typeof options !== 'object')
    throw new InputError('resnet options', options, 'must be an object { gamma }');
  const gamma = requireGamma('gamma', options.gamma);
  return composition(residual(dense(), { gamma }), {
    name: 'resnet',
    spec: { kind: 'resnet', gamma },
    description: `the shaped residual network z_{l+1} = lambda z_l + gamma sqrt(c/n) W_l phi(z_l) at gamma = ${gamma}`,
    label: `resnet(gamma=${gamma})`,
    text: `resnet:${gamma}`,
  });
}

const USAGE = 'must be resnet:<gamma> with gamma in (0, 1]';

/** gamma as a scan axis (`--grid gamma=0.3,0.7`): the one parameter of resnet:<gamma>. */
const GAMMA_AXIS: OptionSpec = {
  key: 'gamma',
  kind: { type: 'number', min: 0, max: 1, exclusiveMin: true },
  help: 'resnet branch weight gamma (lambda = sqrt(1 - gamma^2))',
};

/** The ARCHITECTURES entry: `--architecture resnet:<gamma>`, configs' { kind: 'resnet', gamma }. */
export const RESNET_ENTRY: ArchitectureEntry = {
  name: 'resnet',
  grammar: 'resnet:<gamma>',
  description:
    'the shaped residual network z_{l+1} = sqrt(1 - gamma^2) z_l + gamma sqrt(c/n) W_l phi(z_l), gamma in (0, 1]',
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
  // Its SDEs are the MLP's on clocks (the MLP entry lists their builder); its samplers rebuild through
  // architectures/index.ts's architectureSampler (the blocks entry lists it).
  builders: { resnet },
};
