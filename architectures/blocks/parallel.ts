// parallel(blocks, { weights }): y = sum_i w_i y_i over fresh branches with independent weights, sum_i
// w_i^2 = 1 (docs/maths.md, section 17). It is fresh with row covariance sum_i w_i^2 M_i; its limit has
// drift sum_i w_i^2 b_i and noise sum_i w_i^4 (N_i - Sigma) + Sigma (GPT-J / PaLM's parallel attention
// and MLP, under a residual; or a branch that mixes activations).
import type { FiniteActivation } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { RandomStream } from '../../src/random/streams.js';
import { freshLayer } from './fresh.js';
import { numberArg, type BlockEntry } from './entry.js';
import type { Block, BlockLimit, StreamShape } from './block.js';
import { mergeParts, WISHART, wishartClock } from './limit.js';

/** The parallel rule on the branches' limits. */
export function parallelLimit(limits: readonly BlockLimit[], weights: readonly number[]): BlockLimit {
  let wishart = 1;
  limits.forEach((l, i) => (wishart += weights[i] ** 4 * (wishartClock(l) - 1)));
  return {
    drifts: mergeParts(
      limits.flatMap((l, i) => l.drifts.map((d) => ({ clock: weights[i] ** 2 * d.clock, part: d.part }))),
    ),
    noises: mergeParts([
      { clock: wishart, part: WISHART },
      ...limits.flatMap((l, i) =>
        l.noises.filter((p) => p.part !== WISHART).map((p) => ({ clock: weights[i] ** 4 * p.clock, part: p.part })),
      ),
    ]),
  };
}

/** Weights: given (each > 0, sum of squares 1 to 1e-12), or equal 1/sqrt(k). */
function checkWeights(count: number, weights: readonly number[] | undefined, field: string): number[] {
  if (weights === undefined) return Array.from({ length: count }, () => 1 / Math.sqrt(count));
  if (
    !Array.isArray(weights) ||
    weights.length !== count ||
    weights.some((w) => typeof w !== 'number' || !(w > 0 && Number.isFinite(w)))
  ) {
    throw new InputError(field, weights, `must be ${count} numbers > 0, one per branch`);
  }
  const total = weights.reduce((s, w) => s + w * w, 0);
  if (Math.abs(total - 1) > 1e-12)
    throw new InputError(
      field,
      weights,
      `must have squares summing to 1 (they sum to ${total}): otherwise E V moves at O(1) per layer`,
    );
  return [...weights];
}

/**
 * Fresh branches side by side, outputs summed with weights w (sum w^2 = 1; default equal).
 * @example
 * residual(parallel([shapedAttention({ tau0: 1 }), dense()]), { gamma: 0.7 }); // a GPT-J block
 */
export function parallel(blocks: readonly Block[], options: { readonly weights?: readonly number[] } = {}): Block {
  if (!Array.isArray(blocks) || blocks.length === 0)
    throw new InputError('parallel', blocks, 'needs at least one block');
  blocks.forEach((b, i) => {
    if (!b || typeof b.limit !== 'function')
      throw new InputError(`parallel branch ${i + 1}`, b, 'must be a block (dense(), shapedAttention(...), ...)');
    if (!b.fresh)
      throw new InputError(
        `parallel branch ${i + 1}`,
        b.text,
        'must end in fresh weights (dense, shapedAttention, or a serial ending in one)',
      );
  });
  const weights = checkWeights(blocks.length, options?.weights, 'weights');
  const specs = blocks.map((b) => b.spec);
  return {
    text: `parallel(${blocks.map((b, i) => `${weights[i]}*${b.text}`).join(',')})`,
    spec: specs.every((s) => s !== null) ? { block: 'parallel', branches: specs, weights } : null,
    fresh: true,
    usesActivation: blocks.some((b) => b.usesActivation),
    derivatives: blocks.every((b) => b.derivatives),
    limit: (activation) =>
      parallelLimit(
        blocks.map((b) => b.limit(activation)),
        weights,
      ),
    layer(act: FiniteActivation, shape: StreamShape) {
      const { n, side } = shape;
      const layers = blocks.map((b) => b.layer(act, shape));
      const part = new Float64Array(side * side);
      const y = new Float64Array(n * side);
      const partControl = new Float64Array(side * side);
      const rowCovariance = (
        rng: RandomStream,
        z: Float64Array,
        v: Float64Array | null,
        out: Float64Array,
        control?: Float64Array,
      ) => {
        out.fill(0, 0, side * side);
        control?.fill(0, 0, side * side);
        layers.forEach((layer, i) => {
          layer.rowCovariance!(rng, z, v, part, control ? partControl : undefined);
          const w2 = weights[i] * weights[i];
          for (let x = 0; x < side * side; x++) out[x] += w2 * part[x];
          if (control) for (let x = 0; x < side * side; x++) control[x] += w2 * partControl[x];
        });
      };
      return freshLayer(shape, rowCovariance, (rng, z, next) => {
        next.fill(0, 0, n * side);
        layers.forEach((layer, i) => {
          layer.explicit(rng, z, y);
          for (let x = 0; x < n * side; x++) next[x] += weights[i] * y[x];
        });
      });
    },
  };
}

/** `parallel([<w>*]<block>,...)` (weights all given, or none: equal); spec { block: 'parallel', branches, weights }. */
export const PARALLEL_ENTRY: BlockEntry = {
  name: 'parallel',
  grammar: 'parallel([<w>*]<block>,...)',
  parse(args, _field, sub) {
    if (args === null) throw new InputError('parallel', '', 'takes ([<w>*]<block>,...)');
    const parts = args.map((a) => /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\*(.*)$/s.exec(a));
    const weighted = parts.filter((p) => p !== null).length;
    if (weighted !== 0 && weighted !== parts.length)
      throw new InputError('parallel weights', args.join(','), 'must be given for every branch or for none');
    const blocks = args.map((a, i) => sub(parts[i] ? parts[i]![2] : a));
    return parallel(blocks, weighted === 0 ? {} : { weights: parts.map((p) => numberArg(p![1], 'weight')) });
  },
  fromSpec(spec, field, sub) {
    if (!Array.isArray(spec.branches) || spec.branches.length === 0)
      throw new InputError(`${field}.branches`, spec.branches, 'must be a non-empty array of block specs');
    return parallel(
      spec.branches.map((b, i) => sub(b, `${field}.branches[${i}]`)),
      spec.weights === undefined ? {} : { weights: spec.weights as number[] },
    );
  },
};
