// Sampling finite shaped networks: validate a user's options into a NetworkJob, run it (inline or on
// worker threads, bit-identical either way) and assemble tensors shaped (layers, samples, m, m) like
// the solver's, so validation treats both sides alike.
import ndarray from 'ndarray';
import { parseActivation, type Activation } from '../src/activations/index.js';
import {
  DEFAULT_THRESHOLD,
  explosionLevel,
  largestVariance,
  refuseThreads,
  requireKnownKeys,
  requireThreads,
  withRenamedKeys,
  type OnThisThread,
} from '../src/apiOptions.js';
import { runBlocks, runBlocksSync, siblingModule, type FieldLayout } from '../src/blocks.js';
import { InputError, requireChoice, requireInteger, requirePositive } from '../src/errors.js';
import { MAX_INPUTS, requireMemory } from '../src/limits.js';
import { choleskyPsd, toFlatMatrix, validateCovariance, type MatrixInput } from '../src/linalg.js';
import { GENERATORS, PURPOSES, requireSeed, type GeneratorName } from '../src/random/streams.js';
import { countStatus, type CovarianceSamples, type NdArray, type StatusCounts } from '../src/results.js';
import { factorWidth, stateSide, type NetworkChunk, type NetworkJob, type NetworkMethod } from './job.js';
import type { NetworkArchitecture, SamplerFactory } from './sampler.js';
import { MLP_NETWORK } from './samplers.js';
import { NETWORK_BLOCK, sampleRange } from './skeleton.js';
import { kernelsInUse } from '../src/kernels/index.js';

/** The default explosion threshold, relative to the largest input variance (as on the SDE side). */
export const NETWORK_THRESHOLD_FACTOR = DEFAULT_THRESHOLD;

/** The options of `sampleNetworks`: activation, width, depth (or T), inputs, sampler and what to record. */
export interface NetworkOptions {
  /** An activation value, or its text ('relu:0,-1', 'tanh:1', 'relu' unshaped). */
  activation: Activation | string;
  /** Width n of every hidden layer. */
  n: number;
  /** Number of hidden layers d; or give `T`, not both. */
  depth?: number | undefined;
  /** Depth-to-width ratio T: d = round(T n) (at least 1). */
  T?: number | undefined;
  /** @deprecated Use T. */
  ratio?: number | undefined;
  /** Gram matrix of the inputs, <x^a, x^b>/n_in; with `derivatives`, the joint 2m x 2m Gram of (x, u). */
  v0?: MatrixInput;
  /** The m inputs as vectors of one length n_in (instead of v0). */
  inputs?: ReadonlyArray<ArrayLike<number>>;
  /** With `derivatives`: one input direction u^a per input. */
  directions?: ReadonlyArray<ArrayLike<number>>;
  /** Also track dz^a, the derivative of each pre-activation along u^a. */
  derivatives?: boolean;
  samples: number;
  /** An integer in [0, 2^53 - 1]. */
  seed: number;
  /** The architecture whose networks to sample (its samplers; default the MLP's). The root entry's
   *  sampleNetworks also takes its text ('resnet:0.5'). */
  architecture?: NetworkArchitecture | undefined;
  /** A key of the architecture's samplers (default its defaultSampler): for the MLP 'chain' (O(n m^2)
   *  per layer) or 'explicit' (every weight drawn, O(n^2 m)). */
  sampler?: NetworkMethod | undefined;
  /** @deprecated Use sampler. */
  method?: NetworkMethod | undefined;
  /** Layers to record: an explicit list (0 = the inputs), or a count k: layer 0 and k equally spaced layers
   *  up to the depth (round(i d / k), i = 0..k), as saveAt({ count }) keeps t = 0 and k saves. A plain
   *  number k is { count: k }, the value of `ncsde network --record k` and of the config key `record`.
   *  Without it, the last layer only. */
  record?: number | { layers?: readonly number[] | undefined; count?: number | undefined } | undefined;
  /** Output logits per sample (each N(0, V_d) given V_d). Default 1. */
  outputs?: number | undefined;
  /** A sample explodes when max_a V^aa_l exceeds threshold * max_a V0^aa (default 1e4). */
  threshold?: number | undefined;
  /** @deprecated An absolute level; use `threshold` (relative to the largest input variance). */
  explosion?: { threshold?: number } | undefined;
  /** Also return, per network, sums of the first input's layer factors chi_l = V^00_l / V^00_{l-1}, and with
   *  derivatives of psi_l = V^mm_l / V^mm_{l-1} (each i.i.d. across layers for one-input ReLU-like and linear
   *  networks: docs/maths.md section 12). */
  factorMoments?: boolean | undefined;
  /** The stream family (default 'network'); sample p uses stream p of it. */
  streams?: { purpose?: string | undefined; generator?: GeneratorName | undefined } | undefined;
  /** Worker threads (1, the default: this thread; the sync calls refuse more). Results do not depend on it. */
  threads?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Every key sampleNetworks takes (deprecated ones included), for the refusal of unknown keys. */
export const NETWORK_KEYS: readonly string[] = [
  'activation',
  'n',
  'depth',
  'T',
  'v0',
  'inputs',
  'directions',
  'derivatives',
  'samples',
  'seed',
  'architecture',
  'sampler',
  'record',
  'outputs',
  'threshold',
  'factorMoments',
  'streams',
  'threads',
  'onProgress',
];

/** The layers to record, as networkOptions leaves them (a count k is { count: k }). */
export type RecordLayers = { layers?: readonly number[] | undefined; count?: number | undefined } | undefined;

/** The options under their current names with the activation as a value and `record` as an object;
 *  unknown keys refused. */
export function networkOptions(
  options: NetworkOptions,
  where = 'sampleNetworks',
): NetworkOptions & { activation: Activation; record?: RecordLayers } {
  if (options == null || typeof options !== 'object') throw new InputError('options', options, 'must be an object');
  requireKnownKeys(where, options, NETWORK_KEYS);
  const renamed = withRenamedKeys(where, options, { ratio: 'T', method: 'sampler' });
  // A count is the option's value everywhere else (--record k, a config's record: k): here too, never ignored.
  const o = typeof renamed.record === 'number' ? { ...renamed, record: { count: renamed.record } } : renamed;
  if (o.record !== undefined && (o.record === null || typeof o.record !== 'object' || Array.isArray(o.record)))
    throw new InputError(
      'record',
      o.record,
      'must be a count k (layer 0 and k equally spaced layers up to the depth), { count: k } or { layers: [...] }',
    );
  if (o.record !== undefined) requireKnownKeys(where, o.record, ['layers', 'count'], 'record.');
  if (o.streams !== undefined && o.streams !== null && typeof o.streams === 'object')
    requireKnownKeys(where, o.streams, ['purpose', 'generator'], 'streams.');
  return typeof o.activation === 'string'
    ? { ...o, activation: parseActivation(o.activation, 'activation'), record: o.record as RecordLayers }
    : (o as NetworkOptions & { activation: Activation; record?: RecordLayers });
}

export interface NetworkSample extends CovarianceSamples {
  /** The sampler that ran. */
  readonly sampler: NetworkMethod;
  /** @deprecated The sampler's old name: use `sampler`. */
  readonly method: NetworkMethod;
  /** The architecture's label ('mlp', 'resnet(gamma=0.7)', ...). */
  readonly architecture: string;
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
  /** (samples, 5) with factorMoments: factors, sum chi, sum chi^2, sum chi^3, sum chi^4; else null.
   *  With derivatives (samples, 10): the same five for the first derivative's psi_l = V^mm_l / V^mm_{l-1} follow. */
  readonly factors: NdArray<Float64Array> | null;
  readonly counts: StatusCounts;
  readonly settings: Readonly<Record<string, unknown>>;
}

function gramFromVectors(field: string, vectors: ReadonlyArray<ArrayLike<number>>): { x: number[]; dim: number } {
  if (!Array.isArray(vectors) || vectors.length === 0)
    throw new InputError(field, vectors, 'must be a non-empty array of vectors');
  const dim = vectors[0].length;
  if (!(dim > 0)) throw new InputError(`${field}[0]`, vectors[0], 'must be a non-empty vector');
  vectors.forEach((v, a) => {
    if (v.length !== dim) throw new InputError(`${field}[${a}]`, v, `must have length ${dim} like ${field}[0]`);
    for (let k = 0; k < dim; k++)
      if (!Number.isFinite(v[k])) throw new InputError(`${field}[${a}][${k}]`, v[k], 'must be finite');
  });
  // Row-major n_in x M: column a is vector a.
  const x = new Array<number>(dim * vectors.length);
  for (let k = 0; k < dim; k++) for (let a = 0; a < vectors.length; a++) x[k * vectors.length + a] = vectors[a][k];
  return { x, dim };
}

export function buildNetworkJob(given: NetworkOptions, where = 'sampleNetworks'): NetworkJob {
  const options = networkOptions(given, where);
  const act = options.activation;
  if (!act || typeof act.atWidth !== 'function')
    throw new InputError(
      'activation',
      act,
      'must be an activation value or its text (relu:<c+>,<c-> | tanh|sin|swish|softplus|gelu:<a> | relu|tanh|linear)',
    );
  const n = requireInteger('n', options.n, 1, 1 << 20);
  let depth: number;
  if (options.depth !== undefined && options.T !== undefined)
    throw new InputError('T', options.T, `conflicts with depth (${options.depth}); give one of them`, ['depth']);
  if (options.depth !== undefined) depth = requireInteger('depth', options.depth, 1);
  else if (options.T !== undefined) {
    const ratio = requirePositive('T', options.T);
    depth = Math.round(ratio * n);
    if (depth < 1)
      throw new InputError(
        'T',
        ratio,
        `gives depth round(${ratio} * ${n}) = 0; it must be at least ${(0.5 / n).toPrecision(3)} at width ${n}`,
      );
  } else throw new InputError('depth', undefined, 'or T must be given');
  const samples = requireInteger('samples', options.samples, 1);
  const seed = requireSeed('seed', options.seed);
  requireThreads(options.threads);
  const architecture = options.architecture ?? MLP_NETWORK;
  if (!architecture || typeof architecture !== 'object' || typeof architecture.samplers !== 'object')
    throw new InputError(
      'architecture',
      architecture,
      "must be an architecture value (mlp(), ...) or its text (the root entry's sampleNetworks)",
    );
  const method = requireChoice(
    'sampler',
    options.sampler ?? architecture.defaultSampler,
    Object.keys(architecture.samplers),
  );
  const factory = architecture.samplers[method];
  const derivatives = options.derivatives ?? false;
  const outputs = requireInteger('outputs', options.outputs ?? 1, 1, 1 << 16);
  const purpose = options.streams?.purpose ?? PURPOSES.network;
  if (typeof purpose !== 'string' || purpose.length === 0)
    throw new InputError('streams.purpose', purpose, 'must be a non-empty string');
  const generator = requireChoice('streams.generator', options.streams?.generator ?? 'xoshiro128++', GENERATORS);

  let v0: Float64Array;
  let side: number;
  let inputs: number[] | null = null;
  let inputDim = 0;
  if (options.inputs !== undefined) {
    const vectors = derivatives ? [...options.inputs, ...(options.directions ?? [])] : options.inputs;
    if (derivatives && options.directions?.length !== options.inputs.length) {
      throw new InputError(
        'directions',
        options.directions,
        `must give one direction per input (${options.inputs.length})`,
      );
    }
    const g = gramFromVectors('inputs', vectors);
    side = vectors.length;
    inputDim = g.dim;
    inputs = g.x;
    v0 = new Float64Array(side * side);
    for (let a = 0; a < side; a++) {
      for (let b = 0; b < side; b++) {
        let s = 0;
        for (let k = 0; k < inputDim; k++) s += g.x[k * side + a] * g.x[k * side + b];
        v0[a * side + b] = s / inputDim;
      }
    }
  } else if (options.v0 !== undefined) {
    const flat = toFlatMatrix('v0', options.v0);
    v0 = flat.data;
    side = flat.m;
    if (derivatives && side % 2 !== 0)
      throw new InputError(
        'v0',
        `${side}x${side}`,
        'must be the 2m x 2m joint Gram of (x, u) when derivatives is true',
      );
  } else {
    throw new InputError('v0', undefined, 'or inputs must be given');
  }
  if (side > MAX_INPUTS)
    throw new InputError(
      'v0',
      `${side}x${side} matrix`,
      `must have at most ${MAX_INPUTS} rows (the layer costs O(n m^2))`,
    );
  validateCovariance('v0', v0, side);
  const m = derivatives ? side / 2 : side;
  if (factory.needsInputs && inputs === null) {
    // Inputs with Gram v0: n_in = side and x^a = sqrt(side) (row a of L), L L^T = v0.
    const l = new Float64Array(side * side);
    choleskyPsd(v0, side, l, 1e-12, true);
    inputDim = side;
    inputs = new Array<number>(side * side);
    for (let k = 0; k < side; k++)
      for (let a = 0; a < side; a++) inputs[k * side + a] = Math.sqrt(side) * l[a * side + k];
  }
  let recordLayers: number[] = [depth];
  if (options.record?.layers !== undefined) {
    recordLayers = [...options.record.layers];
    recordLayers.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0 || l > depth)
        throw new InputError(`record.layers[${i}]`, l, `must be an integer in [0, ${depth}]`);
      if (i > 0 && l <= recordLayers[i - 1])
        throw new InputError(`record.layers[${i}]`, l, 'must be larger than the previous layer');
    });
  } else if (options.record?.count !== undefined) {
    const k = requireInteger('record.count', options.record.count, 1);
    recordLayers = [...new Set(Array.from({ length: k + 1 }, (_, i) => Math.round((i * depth) / k)))];
  }
  const threshold = explosionLevel(where, options.threshold, options.explosion, largestVariance(v0, side, m));
  const ss = side * side;
  requireMemory(
    'samples',
    samples,
    (recordLayers.length * ss + outputs * side) * samples * 8 + samples * 5,
    recordLayers.length * samples * ss,
    'the recorded layers',
  );
  return {
    method,
    architecture: architecture.spec,
    sampler: act.spec ? factory.ref : null,
    activation: act.spec,
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
    factorMoments: options.factorMoments ?? false,
    seed,
    purpose,
    generator,
  };
}

function layout(job: NetworkJob): { [K in keyof NetworkChunk]: FieldLayout } {
  const side = stateSide(job);
  return {
    values: { outer: job.recordLayers.length, inner: side * side },
    logits: { outer: 1, inner: job.outputs * side },
    status: { outer: 1, inner: 1 },
    explosionLayer: { outer: 1, inner: 1 },
    factors: { outer: 1, inner: factorWidth(job) },
  };
}

function assemble(
  job: NetworkJob,
  options: NetworkOptions & { activation: Activation },
  chunk: NetworkChunk,
): NetworkSample {
  const side = stateSide(job);
  const samples = options.samples;
  return {
    sampler: job.method,
    method: job.method,
    architecture: (options.architecture ?? MLP_NETWORK).label,
    m: job.m,
    side,
    n: job.n,
    depth: job.depth,
    samples,
    layers: Int32Array.from(job.recordLayers),
    ts: Float64Array.from(job.recordLayers, (l) => l / job.n),
    values: ndarray(chunk.values, [job.recordLayers.length, samples, side, side]),
    logits: ndarray(chunk.logits, [samples, job.outputs, side]),
    status: chunk.status,
    explosionLayer: chunk.explosionLayer,
    factors: job.factorMoments ? ndarray(chunk.factors, [samples, factorWidth(job)]) : null,
    counts: countStatus(chunk.status),
    settings: {
      // Which kernels ran (js or wasm; the same bits either way).
      kernels: kernelsInUse(),
      architecture: job.architecture,
      activation: options.activation.spec ?? options.activation.name,
      sampler: job.method,
      n: job.n,
      depth: job.depth,
      T: job.depth / job.n,
      derivatives: job.derivatives,
      explosionThreshold: job.threshold,
      seed: job.seed,
      streams: job.purpose,
      generator: job.generator,
    },
  };
}

const KERNEL_MODULE = siblingModule(import.meta.url, 'skeleton');

function factoryOf(options: NetworkOptions & { activation: Activation }, job: NetworkJob): SamplerFactory {
  return (options.architecture ?? MLP_NETWORK).samplers[job.method];
}

function blockRun(options: NetworkOptions & { activation: Activation }, job: NetworkJob) {
  const { activation } = options;
  const factory = factoryOf(options, job);
  return {
    kernel: {
      module: KERNEL_MODULE,
      name: 'sampleRangeByRef',
      run: (j: NetworkJob, start: number, count: number) => sampleRange(j, start, count, activation, factory),
    },
    job,
    total: options.samples,
    blockSize: NETWORK_BLOCK,
    layout: layout(job),
    onProgress: options.onProgress,
  };
}

/** Sample finite networks on this thread (`threads` other than 1 is refused: use `sampleNetworks`). */
export function sampleNetworksSync(given: OnThisThread<NetworkOptions>, where = 'sampleNetworksSync'): NetworkSample {
  const options = networkOptions(given, where);
  refuseThreads(where, options.threads, 'sampleNetworks');
  const job = buildNetworkJob(options, where);
  return assemble(job, options, runBlocksSync<NetworkJob, NetworkChunk>(blockRun(options, job)));
}

/**
 * Sample finite networks, on worker threads when `threads` > 1 (bit-identical to the sync call).
 * @example
 * const net = await sampleNetworks({ activation: 'relu:0,-1', n: 256, T: 1,
 *   v0: [[1, 0.5], [0.5, 1]], samples: 2000, seed: 7 });
 * summary(net).saves.at(-1).rho[0][1]; // E rho^01 at depth T n, with its SE
 */
export async function sampleNetworks(given: NetworkOptions): Promise<NetworkSample> {
  const options = networkOptions(given);
  const job = buildNetworkJob(options);
  const notPortable =
    job.activation === null
      ? 'a custom activation (its function cannot be sent to a worker)'
      : job.sampler === null
        ? `the sampler ${job.method}, which has no module reference (ref) to rebuild it in a worker`
        : undefined;
  const chunk = await runBlocks<NetworkJob, NetworkChunk>({
    ...blockRun(options, job),
    threads: options.threads ?? 1,
    notPortable,
  });
  return assemble(job, options, chunk);
}

/** The options of the one-sampler shortcuts: those of sampleNetworks without the sampler. */
export type FixedSamplerOptions = OnThisThread<Omit<NetworkOptions, 'sampler' | 'method'>>;

function fixedSampler(options: FixedSamplerOptions, sampler: string, where: string): NetworkSample {
  if (options != null && typeof options === 'object' && ('sampler' in options || 'method' in options)) {
    const key = 'sampler' in options ? 'sampler' : 'method';
    throw new InputError(
      key,
      (options as Record<string, unknown>)[key],
      `is fixed by ${where} (${sampler}); use sampleNetworks to choose the sampler`,
    );
  }
  return sampleNetworksSync({ ...options, sampler }, where);
}

/** The exact covariance chain (the default sampler), synchronously. */
export function covarianceChain(options: FixedSamplerOptions): NetworkSample {
  return fixedSampler(options, 'chain', 'covarianceChain');
}

/** The explicit-weight network, synchronously. */
export function explicitNetwork(options: FixedSamplerOptions): NetworkSample {
  return fixedSampler(options, 'explicit', 'explicitNetwork');
}
