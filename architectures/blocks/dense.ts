// The dense block: the shaped MLP layer y = sqrt(c/n) W phi(z) (docs/maths.md, sections 1, 3 and 17). It
// is fresh (its rows are i.i.d. N(0, K), K = (c/n) phi(z)^T phi(z), given z), its limit is the MLP drift
// b(V) on clock 1 with the Wishart noise, and alone it is the MLP, whose exact covariance chain on V it
// offers as its network samplers. Without an activation of its own it takes the one given at use.
import {
  activationFromSpec,
  activationLabel,
  parseActivation,
  type Activation,
  type ActivationSpec,
  type FiniteActivation,
} from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { RandomStream } from '../../src/random/streams.js';
import { applyFeatures, branchCovariance, gaussianMatmul, MLP_SAMPLERS } from '../../networks/index.js';
import { freshLayer } from './fresh.js';
import { mlpLimit } from '../mlp/limit.js';
import type { BlockEntry } from './entry.js';
import type { Block, BlockLimit, DriftPart, FiniteLayer, StreamShape } from './block.js';
import { WISHART } from './limit.js';

/** The MLP drift of an activation as a drift part (keyed by the activation, so that equal ones merge). */
export function mlpDriftPart(activation: Activation): DriftPart {
  const limit = mlpLimit(activation);
  return {
    name: `the MLP drift of ${activation.name}`,
    key: activation.spec ? `mlp:${JSON.stringify(activation.spec)}` : undefined,
    into(v, m, clock, out) {
      limit.drift(v, m, out);
      if (clock !== 1) for (let k = 0; k < m * m; k++) out[k] = clock * out[k];
    },
    mlp: { limit, activation },
  };
}

/** The dense layer's limit: the MLP drift on clock 1 and the Wishart noise on clock 1. */
function denseLimit(activation: Activation): BlockLimit {
  return { drifts: [{ clock: 1, part: mlpDriftPart(activation) }], noises: [{ clock: 1, part: WISHART }] };
}

function denseLayer(act: FiniteActivation, shape: StreamShape): FiniteLayer {
  const { n, m, side, derivatives } = shape;
  const a = new Float64Array(n * side);
  const w = new Float64Array(n);
  const acc = new Float64Array(side);
  const rowCovariance = (
    _rng: RandomStream,
    z: Float64Array,
    _v: Float64Array | null,
    out: Float64Array,
    control?: Float64Array,
  ) => {
    branchCovariance(z, n, m, derivatives, act, a, out);
    control?.fill(0, 0, side * side);
  };
  return freshLayer(shape, rowCovariance, (rng, z, next) => {
    // W drawn row by row and never stored: next = sqrt(c/n) W phi(z).
    a.set(z.subarray(0, n * side));
    applyFeatures(a, n, m, derivatives, act);
    gaussianMatmul(rng, w, a, n, side, n, Math.sqrt(act.c / n), next, acc);
  });
}

/**
 * The dense block (the shaped MLP layer), with its own activation or, without one, the activation given
 * at use (`--activation`).
 * @example
 * const net = composition(residual(dense(), { gamma: 0.7 })); // resnet:0.7
 */
export function dense(activation?: Activation): Block {
  if (activation !== undefined && (!activation || typeof activation.atWidth !== 'function'))
    throw new InputError(
      'dense activation',
      activation,
      'must be an activation object (shapedRelu, shapedSmooth, ...)',
    );
  const own = activation ?? null;
  const spec = own === null ? { block: 'dense' } : own.spec ? { block: 'dense', activation: own.spec } : null;
  return {
    text: own === null ? 'dense' : `dense(${own.spec ? activationLabel(own.spec) : own.name})`,
    spec,
    fresh: true,
    usesActivation: own === null,
    derivatives: true,
    limit: (use) => denseLimit(own ?? use),
    layer: (use, shape) => denseLayer(own === null ? use : own.atWidth(shape.n), shape),
    // Alone, the dense block is the MLP: V is Markov and its exact chain moves V itself. Only with the
    // activation of use: the MLP's samplers (and their worker references) take the job's activation.
    networkSamplers: own === null ? MLP_SAMPLERS : undefined,
  };
}

/** Rebuild from a spec ({ block: 'dense', activation? }). */
export function denseFromSpec(spec: Readonly<Record<string, unknown>>, field: string): Block {
  return dense(
    spec.activation === undefined
      ? undefined
      : activationFromSpec(spec.activation as ActivationSpec, `${field}.activation`),
  );
}

/** `dense` or `dense(<activation>)` (the --activation grammar); spec { block: 'dense', activation? }. */
export const DENSE_ENTRY: BlockEntry = {
  name: 'dense',
  grammar: 'dense[(<activation>)]',
  parse(args, field) {
    if (args === null) return dense();
    if (args.length === 0 || args.join(',').trim() === '')
      throw new InputError(field, 'dense()', 'must be dense or dense(<activation>)');
    return dense(parseActivation(args.join(','), field));
  },
  fromSpec: (spec, field) => denseFromSpec(spec, field),
};
