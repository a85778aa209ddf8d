// The sampler contract: a factory value (one per sampling method of an architecture) builds, per run, a
// LayerSampler that moves one network's state a layer at a time and writes the m x m covariance V. The
// per-network skeleton (records, threshold, explosion layer, factor moments) is networks/skeleton.ts.
import type { FiniteActivation } from '../src/activations/index.js';
import type { ModuleRef } from '../src/modules.js';
import type { RandomStream } from '../src/random/streams.js';
import type { NetworkJob } from './job.js';

/** What a sampler does per network; it may keep its own state (a residual stream, a token matrix). */
export interface LayerSampler {
  /** Begin a network whose input Gram matrix is v0 (flat side x side). */
  start(rng: RandomStream, v0: Float64Array): void;
  /** Move V_{l-1} to V_l in place; returns max_a V^aa_l, NaN if V is not finite. */
  layer(rng: RandomStream, v: Float64Array): number;
  /** The output logits (outputs x side) given the last state. */
  logits(rng: RandomStream, v: Float64Array, out: Float64Array): void;
}

/** A sampling method of an architecture, as a value. */
export interface SamplerFactory {
  /** The method name (`--method`): 'chain', 'explicit', ... */
  readonly name: string;
  /** One line for --help. */
  readonly description: string;
  /** Same law as explicit weights (a cheaper exact sampler) or the explicit network itself. */
  readonly exactInLaw: boolean;
  /** Whether it needs the inputs as vectors (explicit weights: job.inputs is filled from v0 if absent). */
  readonly needsInputs: boolean;
  build(job: NetworkJob, activation: FiniteActivation): LayerSampler;
  /** Rebuilds this factory in a worker thread; null: one thread only. */
  readonly ref: ModuleRef | null;
}

/** What sampleNetworks needs of an architecture: its samplers, the default and its names. */
export interface NetworkArchitecture {
  readonly label: string;
  /** JSON that rebuilds the architecture (reports, settings). */
  readonly spec: { readonly kind: string } & Readonly<Record<string, unknown>>;
  readonly samplers: Readonly<Record<string, SamplerFactory>>;
  readonly defaultSampler: string;
}
