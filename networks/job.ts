// The plain-data description of a network sampling run and the per-range output, shared by the two
// samplers and the worker threads. With `derivatives`, the state is the joint 2m x 2m covariance of
// (z^a, dz^a), dz^a the derivative of z^a along an input direction u^a.

export interface NetworkJob {
  readonly method: 'chain' | 'explicit';
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
  readonly threshold: number;
  readonly seed: number | string;
}

export interface NetworkChunk {
  /** (records, count, M, M). */
  readonly values: Float64Array;
  /** (count, outputs, M). */
  readonly logits: Float64Array;
  readonly status: Uint8Array;
  /** Layer at which max_a V^aa crossed the threshold; -1 where it did not. */
  readonly explosionLayer: Int32Array;
  readonly repairs: Uint32Array;
}

export function stateSide(job: Pick<NetworkJob, 'm' | 'derivatives'>): number {
  return job.derivatives ? 2 * job.m : job.m;
}

export function allocateNetworkChunk(job: NetworkJob, count: number): NetworkChunk {
  const side = stateSide(job);
  return {
    values: new Float64Array(job.recordLayers.length * count * side * side),
    logits: new Float64Array(count * job.outputs * side),
    status: new Uint8Array(count),
    explosionLayer: new Int32Array(count).fill(-1),
    repairs: new Uint32Array(count),
  };
}
