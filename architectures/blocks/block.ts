// The block contract (docs/maths.md, section 17): one value that owns a finite layer on the n x m stream
// and its contribution to the proportional limit (drift parts and independent noise parts, each on its
// clock). Combinators (serial, residual, parallel) build blocks from blocks by the rules derived there;
// solvers and samplers find optional capabilities on the parts (an MLP drift, the Wishart noise), never
// a block's name.
import type { Activation, FiniteActivation } from '../../src/activations/index.js';
import type { RandomStream } from '../../src/random/streams.js';
import type { SamplerFactory } from '../../networks/index.js';
import type { MlpLimit } from '../mlp/limit.js';

/** A drift b_i(V) of the limit, up to its clock. */
export interface DriftPart {
  /** For descriptions: 'the MLP drift of relu:0,-1', 'the attention drift (tau0 = 1)'. */
  readonly name: string;
  /** Parts with equal keys are one part (serial(dense, dense): one MLP drift on clock 2). */
  readonly key?: string;
  /** clock * b_i(V) into out (m x m, row-major); allocation-free once warmed up for this m. */
  into(v: Float64Array, m: number, clock: number, out: Float64Array): void;
  /** Capability: b_i is the MLP drift of a shaped activation (its correlation flow for the splitting
   *  solver, its clocked references); `activation` names it. */
  readonly mlp?: { readonly limit: MlpLimit; readonly activation: Activation };
}

/** An independent noise N_j(V) of the limit, up to its clock, with a realisation G_j(V) dB_j. */
export interface NoisePart {
  readonly name: string;
  readonly key?: string;
  /** Standard normals it draws per step at side m. */
  count(m: number): number;
  /** sqrt(clock) sqrt(h) G_j(V) g into out (m x m, symmetric), from g[offset, offset + count(m)); l is
   *  V's Cholesky factor, rootH = sqrt(h). With `add`, added to out (out[k] += x, one rounding) instead. */
  draw(
    v: Float64Array,
    m: number,
    l: Float64Array,
    g: Float64Array,
    offset: number,
    clock: number,
    rootH: number,
    out: Float64Array,
    add: boolean,
  ): void;
  /** Adds clock * N_j(V) into out, the m^4 array Cov(dV_ab, dV_ce) / dt at ((a m + b) m + c) m + e. */
  covariance(v: Float64Array, m: number, clock: number, out: Float64Array): void;
}

/** One part on its clock. */
export interface Clocked<P> {
  readonly clock: number;
  readonly part: P;
}

/** A block's limit for one activation: b = sum clock_i b_i, N = sum clock_j N_j (section 17). */
export interface BlockLimit {
  readonly drifts: ReadonlyArray<Clocked<DriftPart>>;
  readonly noises: ReadonlyArray<Clocked<NoisePart>>;
}

/** The stream a finite layer acts on: n rows, side = m (or 2m with derivatives) columns. */
export interface StreamShape {
  readonly n: number;
  readonly m: number;
  readonly side: number;
  readonly derivatives: boolean;
}

/** A block's finite layer on an n x side stream, with its scratch (one per sampler, never shared). */
export interface FiniteLayer {
  /** One exact-in-law step z -> next; v is z's Gram matrix (side x side) when the caller knows it, else null. */
  chain(rng: RandomStream, z: Float64Array, v: Float64Array | null, next: Float64Array): void;
  /** One step with every weight drawn (the ground truth). */
  explicit(rng: RandomStream, z: Float64Array, next: Float64Array): void;
  /** Fresh blocks only: draw the block's randomness other than its last weights and write M (side x
   *  side), the covariance of its output's rows given z and those draws (section 17). With `control`, also
   *  a control variate for M from the same draws with E[control | z] = 0 exactly (zeros where it has none),
   *  which checkBlock subtracts from its drift estimate. */
  readonly rowCovariance?: (
    rng: RandomStream,
    z: Float64Array,
    v: Float64Array | null,
    out: Float64Array,
    control?: Float64Array,
  ) => void;
  /** Optional capability (checkBlock, the per-layer tests): draw the layer's randomness but its last
   *  Gaussian weights and write E[dV | those draws] (side x side) and n Cov[dV | those draws] (side^4, at
   *  ((a s + b) s + c) s + e), with a control variate for the mean (zero mean given z); v is z's Gram
   *  matrix. With `next`, then also draw the last weights: the chain step's output from the same draws. */
  readonly conditional?: (
    rng: RandomStream,
    z: Float64Array,
    v: Float64Array,
    mean: Float64Array,
    cov: Float64Array,
    control: Float64Array,
    next: Float64Array | null,
  ) => void;
  /** Optional capability: chain, then vOut = next^T next / n, in one pass with the same bits; returns
   *  max_a vOut^aa, NaN when not finite. */
  readonly chainGram?: (
    rng: RandomStream,
    z: Float64Array,
    v: Float64Array | null,
    next: Float64Array,
    vOut: Float64Array,
  ) => number;
}

/** The JSON of a block (configs, workers): { block: 'dense' }, { block: 'residual', gamma, branch }, ... */
export type BlockSpec = { readonly block: string } & Readonly<Record<string, unknown>>;

/** A block as a value. */
export interface Block {
  /** The text that parses back to it (architectures/blocks/text.ts): 'residual(dense,0.7)'. */
  readonly text: string;
  /** Its JSON; null for a block defined outside the package's table (it cannot be sent to a worker). */
  readonly spec: BlockSpec | null;
  /** Whether its output ends in fresh Gaussian weights (section 17): what residual and parallel require. */
  readonly fresh: boolean;
  /** Whether the activation given at use enters (a dense block without its own activation). */
  readonly usesActivation: boolean;
  /** Whether its finite layer acts on the [z, dz] stream (input directions). */
  readonly derivatives: boolean;
  /** Its limit for the activation given at use (InputError where that activation has none). */
  limit(activation: Activation): BlockLimit;
  /** Its finite layer for the activation given at use, at width shape.n. */
  layer(activation: FiniteActivation, shape: StreamShape): FiniteLayer;
  /** Optional capability: the samplers of a network made of this block alone, on V (the MLP's exact
   *  covariance chain), used instead of the stream samplers. */
  readonly networkSamplers?: Readonly<Record<string, SamplerFactory>>;
  /** Where the finite layer needs n >= side plus more (attention: n >= m tokens): checked by the samplers. */
  readonly minWidth?: (m: number) => number;
}
