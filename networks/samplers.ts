// The MLP's samplers as one table of values: the exact covariance chain (the default) and explicit
// weights. sampleNetworks, --method and its help read this table (or an architecture's own); a worker
// rebuilds a factory from its ref.
import { siblingModule } from '../src/blocks.js';
import { requireChoice } from '../src/errors.js';
import { chainSampler } from './chain.js';
import { explicitSampler } from './explicit.js';
import type { NetworkArchitecture, SamplerFactory } from './sampler.js';

const MODULE = siblingModule(import.meta.url, 'samplers');

/** The MLP's samplers by name; `chain` is the default. */
export const MLP_SAMPLERS: Readonly<Record<string, SamplerFactory>> = {
  chain: {
    name: 'chain',
    description: 'the exact covariance Markov chain (O(n m^2) per layer, the same law as explicit weights)',
    exactInLaw: true,
    needsInputs: false,
    build: chainSampler,
    ref: { module: MODULE, name: 'mlpSampler', args: ['chain'] },
  },
  explicit: {
    name: 'explicit',
    description: 'every weight drawn (O(n^2 m) per layer): the ground truth',
    exactInLaw: true,
    needsInputs: true,
    build: explicitSampler,
    ref: { module: MODULE, name: 'mlpSampler', args: ['explicit'] },
  },
};

/** The MLP sampler of a name (a worker's ModuleRef). */
export function mlpSampler(name: string): SamplerFactory {
  return MLP_SAMPLERS[requireChoice('method', name, Object.keys(MLP_SAMPLERS))];
}

/** What sampleNetworks uses without an architecture: the MLP's samplers. */
export const MLP_NETWORK: NetworkArchitecture = {
  label: 'mlp',
  spec: { kind: 'mlp' },
  samplers: MLP_SAMPLERS,
  defaultSampler: 'chain',
};
