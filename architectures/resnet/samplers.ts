// The resnet's samplers as one table of values (docs/maths.md, section 13): the stream chain (the
// default, exact in law at O(n m^2) per layer) and explicit weights (O(n^2 m), the check). A worker
// rebuilds a factory from its ref, which carries the method and gamma.
import { siblingModule } from '../../src/blocks.js';
import { InputError, requireChoice } from '../../src/errors.js';
import { stateSide, type NetworkJob, type SamplerFactory } from '../../networks/index.js';
import { resnetChainSampler } from './chain.js';
import { resnetExplicitSampler } from './explicit.js';
import { requireGamma } from './stream.js';

const MODULE = siblingModule(import.meta.url, 'samplers');

/** The input stream needs n >= side columns of a Gram-exact orthonormal frame. */
function checkWidth(job: NetworkJob): void {
  const side = stateSide(job);
  if (job.n < side) throw new InputError('n', job.n, `must be at least the state side ${side} for a residual stream whose Gram matrix is V0`);
}

/** The samplers of resnet({ gamma }) by name; `chain` is the default. */
export function resnetSamplers(gamma: number): Readonly<Record<string, SamplerFactory>> {
  requireGamma('gamma', gamma);
  return {
    chain: {
      name: 'chain',
      description: 'the residual stream chain: branch rows i.i.d. N(0, K) given the stream (O(n m^2) per layer, the same law as explicit weights)',
      exactInLaw: true,
      needsInputs: false,
      build: (job, act) => (checkWidth(job), resnetChainSampler(job, act, gamma)),
      ref: { module: MODULE, name: 'resnetSampler', args: ['chain', gamma] },
    },
    explicit: {
      name: 'explicit',
      description: 'every branch weight drawn (O(n^2 m) per layer): the ground truth',
      exactInLaw: true,
      needsInputs: false,
      build: (job, act) => (checkWidth(job), resnetExplicitSampler(job, act, gamma)),
      ref: { module: MODULE, name: 'resnetSampler', args: ['explicit', gamma] },
    },
  };
}

/** The resnet sampler of a name at gamma (a worker's ModuleRef). */
export function resnetSampler(name: string, gamma: number): SamplerFactory {
  const samplers = resnetSamplers(gamma);
  return samplers[requireChoice('method', name, Object.keys(samplers))];
}
