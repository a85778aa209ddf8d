// A block as an Architecture (docs/maths.md, section 17): its limit SDE (by capability, sde.ts), its
// samplers (the block's own network samplers where it offers them, else the stream chain and explicit
// weights over its finite layer), its references (the MLP's on clocks where the limit has that form, else
// null with the reason) and the references that rebuild it in a worker from its spec tree.
import { activationFromSpec, shapedRelu, type Activation, type ActivationSpec } from '../../src/activations/index.js';
import { siblingModule } from '../../src/blocks.js';
import { InputError } from '../../src/errors.js';
import { choleskyPsd } from '../../src/linalg.js';
import type { ModuleRef } from '../../src/modules.js';
import type { RandomStream } from '../../src/random/streams.js';
import {
  correlateRows,
  gaussianMatmul,
  gramInto,
  inputStream,
  stateSide,
  type LayerSampler,
  type NetworkJob,
  type SamplerFactory,
} from '../../networks/index.js';
import type {
  Architecture,
  ArchitectureReferences,
  ArchitectureSpec,
  Reference,
  TheoryValue,
} from '../architecture.js';
import { correlationSde, diagonalSde } from '../mlp/sdes.js';
import { limitReferences } from '../mlp/references.js';
import type { Block } from './block.js';
import { limitSde, mlpForm, type MlpForm } from './sde.js';

/** architectures/index.ts, whose architectureFromSpec, architectureSampler and architectureSde rebuild any
 *  architecture from its spec: the one worker reference of every composition. */
const INDEX_MODULE = siblingModule(import.meta.url, '../index');

/** How a composition names itself. */
export interface CompositionNames {
  /** The table key of the entry that parses it ('blocks' for a block expression, a preset's name). */
  readonly name: string;
  readonly text: string;
  readonly label: string;
  readonly description: string;
  /** Its JSON (a preset's own, else { kind: 'blocks', block }); null: not rebuildable in a worker. */
  readonly spec: ArchitectureSpec | null;
}

/** The stream samplers of a block: the chain (where every finite layer has an exact-in-law step) and
 *  explicit weights, both on the n x side stream with Gram exactly V0 at the input. */
function streamSamplers(block: Block, spec: ArchitectureSpec | null): Readonly<Record<string, SamplerFactory>> {
  const check = (job: NetworkJob): number => {
    const side = stateSide(job);
    if (job.derivatives && !block.derivatives)
      throw new InputError(
        'derivatives',
        true,
        `are not available for ${block.text} (its layers carry no input directions)`,
      );
    if (job.n < side)
      throw new InputError('n', job.n, `must be at least the state side ${side} for a stream whose Gram matrix is V0`);
    return side;
  };
  const build =
    (explicit: boolean) =>
    (job: NetworkJob, act: Parameters<SamplerFactory['build']>[1]): LayerSampler => {
      const side = check(job);
      const { n, outputs } = job;
      const layer = block.layer(act, { n, m: job.m, side, derivatives: job.derivatives });
      let z = new Float64Array(n * side);
      let next = new Float64Array(n * side);
      const l = new Float64Array(side * side);
      const w = new Float64Array(n);
      const acc = new Float64Array(side);
      return {
        start(rng: RandomStream, v0: Float64Array) {
          inputStream(rng, v0, n, side, z, l);
        },
        layer(rng: RandomStream, v: Float64Array): number {
          // v holds V of the current z; every block reads it before the last one overwrites it.
          let maxDiag: number;
          if (explicit) {
            layer.explicit(rng, z, next);
            maxDiag = gramInto(next, n, side, 1 / n, v);
          } else if (layer.chainGram) maxDiag = layer.chainGram(rng, z, v, next, v);
          else {
            layer.chain(rng, z, v, next);
            maxDiag = gramInto(next, n, side, 1 / n, v);
          }
          // A non-finite stream is not kept: the skeleton freezes V at the previous layer, and z with it.
          if (!Number.isNaN(maxDiag)) [z, next] = [next, z];
          return maxDiag;
        },
        logits(rng: RandomStream, v: Float64Array, out: Float64Array) {
          if (explicit) {
            // The readout W_out z_d / sqrt(n), W_out drawn: z holds the last finite stream.
            gaussianMatmul(rng, w, z, n, side, outputs, 1 / Math.sqrt(n), out, acc);
            return;
          }
          // Given V_d the readout's rows are i.i.d. N(0, V_d), as for the MLP.
          choleskyPsd(v, side, l, 1e-12, true);
          rng.fillNormals(out, 0, outputs * side);
          correlateRows(out, outputs, side, l);
        },
      };
    };
  const ref = (name: string): ModuleRef | null =>
    spec === null ? null : { module: INDEX_MODULE, name: 'architectureSampler', args: [spec, name] };
  return {
    chain: {
      name: 'chain',
      description: `the stream chain: each block's exact-in-law step on the n x m stream (no n x n matrix), the same law as explicit weights`,
      exactInLaw: true,
      needsInputs: false,
      build: build(false),
      ref: ref('chain'),
    },
    explicit: {
      name: 'explicit',
      description: 'every weight drawn: the ground truth',
      exactInLaw: true,
      needsInputs: false,
      build: build(true),
      ref: ref('explicit'),
    },
  };
}

const NONE: TheoryValue = { exact: null, limit: null };

/** The MLP form of a block's limit for a ReLU-like activation of use: whether the composition can have the
 *  MLP's limit on clocks at all (null also where a block's own activation has no limit, e.g. unshaped). */
function probeForm(block: Block): MlpForm | null {
  try {
    return mlpForm(block.limit(shapedRelu({ cPlus: 0, cMinus: -1 })));
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}

/** The references of a composition: where its limit is the MLP's on clocks for the activation of use (one
 *  activation, or ReLU-like ones), the MLP's exact references on those clocks; else null with the reason.
 *  The finite-width theory ((1 + k/n)^L, the layer recursion) holds for the MLP's layer map only. */
function compositionReferences(block: Block, why: (activation: Activation) => string): ArchitectureReferences {
  const mlp = block.networkSamplers !== undefined;
  const full = limitReferences();
  const form = (activation: Activation): (MlpForm & { activation: Activation }) | null => {
    const f = mlpForm(block.limit(activation));
    return f?.activation ? (f as MlpForm & { activation: Activation }) : null;
  };
  const lift =
    <O, T>(pick: (r: Required<ArchitectureReferences>) => (a: Activation, o: O) => Reference<T>) =>
    (activation: Activation, options: O): Reference<T> => {
      const f = form(activation);
      return f ? pick(limitReferences(f.clocks))(f.activation, options) : { value: null, reason: why(activation) };
    };
  const probe = probeForm(block);
  return {
    correlationExpectation: lift((r) => r.correlationExpectation),
    explosionProbability: lift((r) => r.explosionProbability),
    logDiagonal: lift((r) => r.logDiagonal),
    explosionEver: lift((r) => r.explosionEver),
    // The scale dc / nc of the phase diagram, where it does not depend on the activation.
    explosionEverScale: () =>
      probe?.activation && block.usesActivation
        ? limitReferences(probe.clocks).explosionEverScale()
        : { value: null, reason: why(shapedRelu({ cPlus: 0, cMinus: -1 })) },
    // E V^aa_T = V^aa_0 in the limit where the MLP form's drift is ReLU-like (beta = 0: a driftless GBM).
    meanDiagonal: mlp
      ? full.meanDiagonal
      : (spec: ActivationSpec) => ({
          exact: null,
          limit:
            spec.family !== 'unshaped' && form(activationFromSpec(spec))?.activation.limit?.family === 'relu-like'
              ? 1
              : null,
        }),
    finiteMoments: mlp ? full.finiteMoments : () => ({ secondMoment: NONE, kurtosis: NONE }),
    layerRecursion: mlp,
  };
}

/**
 * The Architecture of a block: everything that takes an architecture (solve through its sde, sampleNetworks,
 * validate, studies, scans, the explorer, workers) takes it.
 * @example
 * const gptJ = composition(residual(parallel([shapedAttention({ tau0: 1 }), dense()]), { gamma: 0.7 }));
 */
export function composition(block: Block, names?: Partial<CompositionNames>): Architecture {
  if (!block || typeof block.limit !== 'function' || typeof block.layer !== 'function')
    throw new InputError('architecture', block, 'must be a block (dense(), residual(...), ...)');
  const text = names?.text ?? block.text;
  const spec: ArchitectureSpec | null =
    names?.spec !== undefined ? names.spec : block.spec === null ? null : { kind: 'blocks', block: block.spec };
  const label = names?.label ?? text;
  const why = (activation: Activation) =>
    `the limit of ${label} for ${activation.name} is not the MLP's on clocks with one activation (section 17): it has no autonomous 1-D reduction and no closed-form reference`;
  const sdeRef = (activation: Activation): ModuleRef | null =>
    spec !== null && activation.spec
      ? { module: INDEX_MODULE, name: 'architectureSde', args: [spec, activation.spec] }
      : null;
  const probe = probeForm(block);
  const reduced = (activation: Activation) => {
    const f = mlpForm(block.limit(activation));
    if (!f?.activation)
      throw new InputError('architecture', text, `has no 1-D reduction for ${activation.name}: ${why(activation)}`);
    return f;
  };
  return {
    name: names?.name ?? 'blocks',
    // Not rebuildable (a block defined outside the package's table): the spec still names it in reports.
    spec: spec ?? { kind: 'blocks', block: { block: 'custom', text: block.text } },
    description: names?.description ?? `the composition ${block.text} (docs/maths.md, section 17)`,
    label,
    text,
    ignoresActivation: !block.usesActivation,
    sde: (activation) =>
      limitSde(
        block.limit(activation),
        activation,
        `the m x m covariance SDE of ${label}${block.usesActivation ? ` with ${activation.name}` : ' (no activation enters)'}`,
        sdeRef(activation),
      ),
    // The 1-D reductions exist where the limit is the MLP's on clocks (a ReLU-like probe decides whether
    // the composition can have that form at all; the activation of use may still refuse).
    ...(probe?.activation
      ? {
          correlationSde: (activation: Activation) => {
            const f = reduced(activation);
            return correlationSde(f.activation!, f.clocks);
          },
          diagonalSde: (activation: Activation) => {
            const f = reduced(activation);
            return diagonalSde(f.activation!, f.clocks);
          },
        }
      : {}),
    samplers: block.networkSamplers ?? streamSamplers(block, spec),
    defaultSampler: 'chain',
    outputShape: (outputs, side) => [outputs, side],
    references: compositionReferences(block, why),
    ref: { module: INDEX_MODULE, name: 'architectureFromSpec', args: [spec] },
    block,
  };
}
