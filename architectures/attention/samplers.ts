// The samplers of shaped attention and of the shaped Transformer as one table of values (docs/maths.md,
// section 14.2): the token chain (the default, exact in law, no n x n matrix) and explicit weights (the
// check). A worker rebuilds a factory from its ref, which carries the kind and the parameters.
import { siblingModule } from '../../src/blocks.js';
import { InputError, requireChoice } from '../../src/errors.js';
import type { FiniteActivation } from '../../src/activations/index.js';
import type { LayerSampler, NetworkJob, SamplerFactory } from '../../networks/index.js';
import { attentionChainSampler, type FiniteBlocks } from './chain.js';
import { attentionExplicitSampler } from './explicit.js';
import { checkAttentionParams, type AttentionParams } from './params.js';
import type { AttentionKind } from './sdes.js';

const MODULE = siblingModule(import.meta.url, 'samplers');

/** Parameters of the finite block: the limit's, plus the key width nk (null: nk = n). */
export interface FiniteAttentionParams extends AttentionParams {
  readonly keyWidth: number | null;
}

function checkJob(job: NetworkJob, keyWidth: number | null): number {
  if (job.derivatives) throw new InputError('derivatives', true, 'are not available for attention networks (the tokens carry no input directions)');
  if (job.n < job.m) throw new InputError('n', job.n, `must be at least the number of tokens m = ${job.m} (the input tokens have Gram exactly V0)`);
  return keyWidth ?? job.n;
}

function blocksFor(kind: AttentionKind, act: FiniteActivation): FiniteBlocks {
  return kind === 'attention' ? { kind } : { kind, act };
}

/** The samplers of attention or transformer at p, by name; `chain` is the default. */
export function attentionSamplers(kind: AttentionKind, p: FiniteAttentionParams): Readonly<Record<string, SamplerFactory>> {
  const params = checkAttentionParams(p);
  const keyWidth = p.keyWidth;
  const build = (method: 'chain' | 'explicit') => (job: NetworkJob, act: FiniteActivation): LayerSampler => {
    const nk = checkJob(job, keyWidth);
    const make = method === 'chain' ? attentionChainSampler : attentionExplicitSampler;
    const sampler = make(job, params, blocksFor(kind, act), nk);
    return { start: (rng, v0) => sampler.start(rng, v0), layer: (rng, v) => sampler.layer(rng, v), logits: (rng, v, out) => sampler.logits(rng, v, out) };
  };
  const args = (method: string) => [method, kind, { ...params, keyWidth }];
  return {
    chain: {
      name: 'chain',
      description: 'the token chain: logits from V alone, branch rows i.i.d. N(0, Mbar) (O(m^2 (H nk + n)) per layer, the same law as explicit weights)',
      exactInLaw: true,
      needsInputs: false,
      build: build('chain'),
      ref: { module: MODULE, name: 'attentionSampler', args: args('chain') },
    },
    explicit: {
      name: 'explicit',
      description: 'every weight drawn (WQ, WK: n x nk, WV and the MLP W: n x n per layer): the ground truth',
      exactInLaw: true,
      needsInputs: false,
      build: build('explicit'),
      ref: { module: MODULE, name: 'attentionSampler', args: args('explicit') },
    },
  };
}

/** The sampler of a name (a worker's ModuleRef). */
export function attentionSampler(name: string, kind: AttentionKind, p: FiniteAttentionParams): SamplerFactory {
  const samplers = attentionSamplers(kind, p);
  return samplers[requireChoice('method', name, Object.keys(samplers))];
}
