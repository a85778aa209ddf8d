// Sampling finite shaped networks: validate a user's options into a NetworkJob, run it (inline or on
// worker threads, bit-identical either way) and assemble tensors shaped (layers, samples, m, m) like
// the solver's, so validation treats both sides alike.
import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import type { Activation } from '../src/activations/index.js';
import { InputError, requireInteger, requirePositive, requireSeed } from '../src/errors.js';
import { choleskyPsd, toFlatMatrix, validateCovariance } from '../src/linalg.js';
import { requireTransferable, runRanges, type WorkerPool } from '../src/parallel.js';
import { PATH_EXPLODED, PATH_FINISHED, PATH_REPAIRED } from '../sde/kernels.js';
import type { MatrixInput } from '../sde/solve.js';
import { chainChunk } from './chain.js';
import { explicitChunk } from './explicit.js';
import { stateSide, type NetworkChunk, type NetworkJob } from './job.js';

export interface NetworkOptions {
  activation: Activation;
  /** Width n of every hidden layer. */
  n: number;
  /** Number of hidden layers d; or give `ratio`. */
  depth?: number;
  /** Depth-to-width ratio T: d = round(T n). */
  ratio?: number;
  /** Gram matrix of the inputs, <x^a, x^b>/n_in; with `derivatives`, the joint 2m x 2m Gram of (x, u). */
  v0?: MatrixInput;
  /** The m inputs as vectors of one length n_in (instead of v0). */
  inputs?: ReadonlyArray<ArrayLike<number>>;
  /** With `derivatives`: one input direction u^a per input. */
  directions?: ReadonlyArray<ArrayLike<number>>;
  /** Also track dz^a, the derivative of each pre-activation along u^a. */
  derivatives?: boolean;
  samples: number;
  seed: number | string;
  /** 'chain' (default, O(n m^2) per layer) or 'explicit' (every weight drawn, O(n^2 m)). */
  method?: 'chain' | 'explicit';
  /** Layers to record: explicit list (0 = inputs) or `count` equally spaced; default the last layer. */
  record?: { layers?: readonly number[]; count?: number };
  /** Output logits per sample (each N(0, V_d) given V_d). Default 1. */
  outputs?: number;
  /** A sample explodes when max_a V^aa_l exceeds this (default 1e8 times the largest input variance). */
  explosion?: { threshold?: number };
  threads?: number | WorkerPool;
  onProgress?: (done: number, total: number) => void;
}

export interface NetworkSample {
  readonly method: 'chain' | 'explicit';
  readonly m: number;
  /** State side: m, or 2m with derivatives (rows/columns m..2m-1 are the dz blocks). */
  readonly side: number;
  readonly n: number;
  readonly depth: number;
  readonly samples: number;
  readonly layers: Int32Array;
  /** Layer times t = l / n, comparable with the SDE's save times. */
  readonly ts: Float64Array;
  /** (records, samples, side, side). */
  readonly values: NdArray<Float64Array>;
  /** (samples, outputs, side). */
  readonly logits: NdArray<Float64Array>;
  readonly status: Uint8Array;
  /** Layer of explosion, -1 where none. */
  readonly explosionLayer: Int32Array;
  readonly repairs: Uint32Array;
  readonly counts: { finished: number; exploded: number; repaired: number };
  readonly settings: Readonly<Record<string, unknown>>;
}

function gramFromVectors(field: string, vectors: ReadonlyArray<ArrayLike<number>>): { x: number[]; dim: number } {
  if (!Array.isArray(vectors) || vectors.length === 0) throw new InputError(field, vectors, 'must be a non-empty array of vectors');
  const dim = vectors[0].length;
  if (!(dim > 0)) throw new InputError(`${field}[0]`, vectors[0], 'must be a non-empty vector');
  vectors.forEach((v, a) => {
    if (v.length !== dim) throw new InputError(`${field}[${a}]`, v, `must have length ${dim} like ${field}[0]`);
    for (let k = 0; k < dim; k++) if (!Number.isFinite(v[k])) throw new InputError(`${field}[${a}][${k}]`, v[k], 'must be finite');
  });
  // Row-major n_in x M: column a is vector a.
  const x = new Array<number>(dim * vectors.length);
  for (let k = 0; k < dim; k++) for (let a = 0; a < vectors.length; a++) x[k * vectors.length + a] = vectors[a][k];
  return { x, dim };
}

export function buildNetworkJob(options: NetworkOptions): NetworkJob {
  if (options == null || typeof options !== 'object') throw new InputError('options', options, 'must be an object');
  const act = options.activation;
  if (!act || typeof act.atWidth !== 'function') throw new InputError('activation', act, 'must be an activation object');
  const n = requireInteger('n', options.n, 1);
  let depth: number;
  if (options.depth !== undefined) depth = requireInteger('depth', options.depth, 1);
  else if (options.ratio !== undefined) depth = Math.max(1, Math.round(requirePositive('ratio', options.ratio) * n));
  else throw new InputError('depth', undefined, 'or ratio must be given');
  requireInteger('samples', options.samples, 1);
  const seed = requireSeed('seed', options.seed);
  const method = options.method ?? 'chain';
  if (method !== 'chain' && method !== 'explicit') throw new InputError('method', method, 'must be "chain" or "explicit"');
  const derivatives = options.derivatives ?? false;
  const outputs = requireInteger('outputs', options.outputs ?? 1, 1);

  let v0: Float64Array;
  let side: number;
  let inputs: number[] | null = null;
  let inputDim = 0;
  if (options.inputs !== undefined) {
    const vectors = derivatives ? [...options.inputs, ...(options.directions ?? [])] : options.inputs;
    if (derivatives && options.directions?.length !== options.inputs.length) {
      throw new InputError('directions', options.directions, `must give one direction per input (${options.inputs.length})`);
    }
    const g = gramFromVectors('inputs', vectors);
    side = vectors.length;
    inputDim = g.dim;
    inputs = g.x;
    v0 = new Float64Array(side * side);
    for (let a = 0; a < side; a++) for (let b = 0; b < side; b++) {
      let s = 0;
      for (let k = 0; k < inputDim; k++) s += g.x[k * side + a] * g.x[k * side + b];
      v0[a * side + b] = s / inputDim;
    }
  } else if (options.v0 !== undefined) {
    const flat = toFlatMatrix('v0', options.v0);
    v0 = flat.data;
    side = flat.m;
    if (derivatives && side % 2 !== 0) throw new InputError('v0', `${side}x${side}`, 'must be the 2m x 2m joint Gram of (x, u) when derivatives is true');
  } else {
    throw new InputError('v0', undefined, 'or inputs must be given');
  }
  validateCovariance('v0', v0, side);
  const m = derivatives ? side / 2 : side;
  if (method === 'explicit' && inputs === null) {
    // Inputs with Gram v0: n_in = side and x^a = sqrt(side) (row a of L), L L^T = v0.
    const l = new Float64Array(side * side);
    choleskyPsd(v0, side, l);
    inputDim = side;
    inputs = new Array<number>(side * side);
    for (let k = 0; k < side; k++) for (let a = 0; a < side; a++) inputs[k * side + a] = Math.sqrt(side) * l[a * side + k];
  }
  let recordLayers: number[] = [depth];
  if (options.record?.layers !== undefined) {
    recordLayers = [...options.record.layers];
    recordLayers.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0 || l > depth) throw new InputError(`record.layers[${i}]`, l, `must be an integer in [0, ${depth}]`);
      if (i > 0 && l <= recordLayers[i - 1]) throw new InputError(`record.layers[${i}]`, l, 'must be larger than the previous layer');
    });
  } else if (options.record?.count !== undefined) {
    const k = requireInteger('record.count', options.record.count, 1);
    recordLayers = [...new Set(Array.from({ length: k + 1 }, (_, i) => Math.round((i * depth) / k)))];
  }
  let scale = 0;
  for (let a = 0; a < m; a++) scale = Math.max(scale, v0[a * side + a]);
  const threshold = options.explosion?.threshold ?? 1e8 * scale;
  requirePositive('explosion.threshold', threshold);
  return {
    method,
    m,
    derivatives,
    v0: Array.from(v0),
    inputs,
    inputDim,
    n,
    depth,
    recordLayers,
    outputs,
    threshold,
    seed,
  };
}

export function runNetworkChunk(job: NetworkJob, activation: Activation, start: number, count: number): NetworkChunk {
  const act = activation.atWidth(job.n);
  return job.method === 'chain' ? chainChunk(job, act, start, count) : explicitChunk(job, act, start, count);
}

function assemble(job: NetworkJob, options: NetworkOptions, chunks: ReadonlyArray<{ start: number; count: number; result: NetworkChunk }>): NetworkSample {
  const side = stateSide(job);
  const ss = side * side;
  const samples = options.samples;
  const records = job.recordLayers.length;
  const values = new Float64Array(records * samples * ss);
  const logits = new Float64Array(samples * job.outputs * side);
  const status = new Uint8Array(samples);
  const explosionLayer = new Int32Array(samples);
  const repairs = new Uint32Array(samples);
  for (const { start, count, result } of chunks) {
    for (let r = 0; r < records; r++) values.set(result.values.subarray(r * count * ss, (r + 1) * count * ss), (r * samples + start) * ss);
    logits.set(result.logits, start * job.outputs * side);
    status.set(result.status, start);
    explosionLayer.set(result.explosionLayer, start);
    repairs.set(result.repairs, start);
  }
  const tally = [0, 0, 0];
  for (const s of status) tally[s]++;
  return {
    method: job.method,
    m: job.m,
    side,
    n: job.n,
    depth: job.depth,
    samples,
    layers: Int32Array.from(job.recordLayers),
    ts: Float64Array.from(job.recordLayers, (l) => l / job.n),
    values: ndarray(values, [records, samples, side, side]),
    logits: ndarray(logits, [samples, job.outputs, side]),
    status,
    explosionLayer,
    repairs,
    counts: { finished: tally[PATH_FINISHED], exploded: tally[PATH_EXPLODED], repaired: tally[PATH_REPAIRED] },
    settings: {
      activation: options.activation.spec ?? options.activation.name,
      method: job.method,
      n: job.n,
      depth: job.depth,
      ratio: job.depth / job.n,
      derivatives: job.derivatives,
      explosionThreshold: job.threshold,
      seed: job.seed,
    },
  };
}

/** Sample finite networks on this thread. */
export function sampleNetworksSync(options: NetworkOptions): NetworkSample {
  const job = buildNetworkJob(options);
  const result = runNetworkChunk(job, options.activation, 0, options.samples);
  options.onProgress?.(options.samples, options.samples);
  return assemble(job, options, [{ start: 0, count: options.samples, result }]);
}

/** Sample finite networks, on worker threads when `threads` > 1 (bit-identical to the sync call). */
export async function sampleNetworks(options: NetworkOptions): Promise<NetworkSample> {
  const job = buildNetworkJob(options);
  const spec = options.activation.spec;
  requireTransferable(spec, options.threads);
  const chunks = await runRanges<NetworkChunk>(
    options.samples,
    options.threads,
    (start, count) => runNetworkChunk(job, options.activation, start, count),
    (start, count) => ({ type: 'network', job, activation: spec, start, count }),
    options.onProgress,
  );
  return assemble(job, options, chunks);
}

/** The exact covariance chain (the default sampler), synchronously. */
export function covarianceChain(options: Omit<NetworkOptions, 'method'>): NetworkSample {
  return sampleNetworksSync({ ...options, method: 'chain' });
}

/** The explicit-weight network, synchronously. */
export function explicitNetwork(options: Omit<NetworkOptions, 'method'>): NetworkSample {
  return sampleNetworksSync({ ...options, method: 'explicit' });
}
