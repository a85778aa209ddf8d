// The plain-data description of a network sampling run and the per-range output, shared by the two
// samplers and the worker threads. With `derivatives`, the state is the joint 2m x 2m covariance of
// (z^a, dz^a), dz^a the derivative of z^a along an input direction u^a.
import type { ActivationSpec } from '../src/activations/index.js';
import type { ModuleRef } from '../src/modules.js';
import type { GeneratorName } from '../src/random/streams.js';

/** A sampling method's name: a key of the architecture's samplers ('chain', 'explicit', ...). */
export type NetworkMethod = string;

export interface NetworkJob {
  readonly method: NetworkMethod;
  /** The architecture's spec, for settings and for samplers that read their parameters from it. */
  readonly architecture: { readonly kind: string } & Readonly<Record<string, unknown>>;
  /** Rebuilds the sampler factory in workers; null: the calling thread only. */
  readonly sampler: ModuleRef | null;
  /** Rebuilt in workers; null for a custom activation (calling thread only). */
  readonly activation: ActivationSpec | null;
  /** Number of inputs m. */
  readonly m: number;
  /** Track input derivatives: state side M = 2m instead of m. */
  readonly derivatives: boolean;
  /** Initial Gram matrix, flat M x M: <x^a, x^b>/n_in (and the derivative blocks). */
  readonly v0: readonly number[];
  /** Explicit sampler: the inputs (n_in x M, row-major), so that v0 = X^T X / n_in. */
  readonly inputs: readonly number[] | null;
  readonly inputDim: number;
  readonly n: number;
  readonly depth: number;
  /** Layers at which V_l is recorded, increasing, 0 = the input Gram matrix. */
  readonly recordLayers: readonly number[];
  /** Output logits drawn per sample at the last layer. */
  readonly outputs: number;
  /** A sample explodes when max_a V^aa_l exceeds this (in units of V). */
  readonly threshold: number;
  /** Accumulate, per network, sums of the first input's layer factors chi_l = V^00_l / V^00_{l-1}
   *  (and, with derivatives, of its derivative's psi_l = V^mm_l / V^mm_{l-1}). */
  readonly factorMoments: boolean;
  readonly seed: number;
  readonly purpose: string;
  readonly generator: GeneratorName;
}

export interface NetworkChunk {
  /** (records, count, M, M). */
  values: Float64Array;
  /** (count, outputs, M). */
  logits: Float64Array;
  status: Uint8Array;
  /** Layer at which max_a V^aa crossed the threshold; -1 where it did not. */
  explosionLayer: Int32Array;
  /** (count, factorWidth(job)) with factorMoments: per channel (output, then derivative) layers, sum chi, ..., sum chi^4; else empty. */
  factors: Float64Array;
}

/** Entries per network of the layer-factor sums: number of factors, then sums of chi^1..chi^4. */
export const FACTOR_FIELDS = 5;

/** The state entries whose layer factors are summed: the first input's V^00, and with derivatives its dz's V^mm. */
export function factorEntries(job: Pick<NetworkJob, 'm' | 'derivatives' | 'factorMoments'>): number[] {
  if (!job.factorMoments) return [];
  return job.derivatives ? [0, job.m * 2 * job.m + job.m] : [0];
}

/** Factor-sum entries per network: FACTOR_FIELDS per channel of factorEntries. */
export function factorWidth(job: Pick<NetworkJob, 'm' | 'derivatives' | 'factorMoments'>): number {
  return factorEntries(job).length * FACTOR_FIELDS;
}

export function stateSide(job: Pick<NetworkJob, 'm' | 'derivatives'>): number {
  return job.derivatives ? 2 * job.m : job.m;
}
