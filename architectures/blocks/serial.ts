// serial(...blocks): the blocks one after another within one layer (docs/maths.md, section 17): drifts
// add on their clocks and the noises of independent weights add in covariance (shared parts merge). It
// is fresh when its last block is. Its finite layer passes the stream through each block's layer.
import type { FiniteActivation } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { RandomStream } from '../../src/random/streams.js';
import { gramInto } from '../../networks/index.js';
import type { BlockEntry } from './entry.js';
import type { Block, BlockLimit, FiniteLayer, StreamShape } from './block.js';
import { mergeParts } from './limit.js';

/** The serial rule: the parts of every block, shared parts merged (their clocks add). */
export function serialLimit(limits: readonly BlockLimit[]): BlockLimit {
  return { drifts: mergeParts(limits.flatMap((l) => l.drifts)), noises: mergeParts(limits.flatMap((l) => l.noises)) };
}

function serialLayer(layers: readonly FiniteLayer[], shape: StreamShape): FiniteLayer {
  const size = shape.n * shape.side;
  const buffers = [new Float64Array(size), new Float64Array(size)];
  /** Every block but the last, from z (Gram v) into a buffer; returns it (z itself when there is one block). */
  const head = (
    _rng: RandomStream,
    z: Float64Array,
    v: Float64Array | null,
    step: (l: FiniteLayer, from: Float64Array, v: Float64Array | null, to: Float64Array) => void,
  ) => {
    let from = z;
    let gram = v;
    for (let i = 0; i < layers.length - 1; i++) {
      const to = buffers[i % 2];
      step(layers[i], from, gram, to);
      from = to;
      gram = null;
    }
    return { from, gram };
  };
  const last = layers[layers.length - 1];
  const lastRow = last.rowCovariance;
  const lastGram = last.chainGram;
  const lastConditional = last.conditional;
  const ss = shape.side * shape.side;
  const grams = [new Float64Array(ss), new Float64Array(ss)];
  const [partMean, partControl, innerControl] = [new Float64Array(ss), new Float64Array(ss), new Float64Array(ss)];
  const partCov = new Float64Array(ss * ss);
  return {
    // Every block but the last drawn in full, the last one's conditional moments on top (dV adds up). A
    // block before the last that offers its conditional moments adds its realised-minus-conditional
    // fluctuation (mean zero) to the control variate, so the drift estimate keeps only what is O(1).
    conditional: lastConditional
      ? (rng, z, v, mean, cov, control, next) => {
          let from = z;
          let gramFrom = v;
          partControl.fill(0);
          for (let i = 0; i < layers.length - 1; i++) {
            const to = buffers[i % 2];
            const step = layers[i].conditional;
            if (step) {
              step(rng, from, gramFrom, partMean, partCov, innerControl, to);
              gramInto(to, shape.n, shape.side, 1 / shape.n, grams[i % 2]);
              for (let k = 0; k < partControl.length; k++)
                partControl[k] += grams[i % 2][k] - gramFrom[k] - partMean[k] + innerControl[k];
            } else {
              layers[i].chain(rng, from, gramFrom, to);
              gramInto(to, shape.n, shape.side, 1 / shape.n, grams[i % 2]);
            }
            from = to;
            gramFrom = grams[i % 2];
          }
          lastConditional(rng, from, gramFrom, mean, cov, control, next);
          for (let k = 0; k < mean.length; k++) {
            mean[k] += gramFrom[k] - v[k];
            control[k] += partControl[k];
          }
        }
      : undefined,
    chain(rng, z, v, next) {
      const { from, gram } = head(rng, z, v, (l, a, g, b) => l.chain(rng, a, g, b));
      last.chain(rng, from, gram, next);
    },
    chainGram: lastGram
      ? (rng, z, v, next, vOut) => {
          const { from, gram } = head(rng, z, v, (l, a, g, b) => l.chain(rng, a, g, b));
          return lastGram(rng, from, gram, next, vOut);
        }
      : undefined,
    rowCovariance: lastRow
      ? (rng, z, v, out, control) => {
          const { from, gram } = head(rng, z, v, (l, a, g, b) => l.chain(rng, a, g, b));
          lastRow(rng, from, gram, out, control);
        }
      : undefined,
    explicit(rng, z, next) {
      const { from } = head(rng, z, null, (l, a, _g, b) => l.explicit(rng, a, b));
      last.explicit(rng, from, next);
    },
  };
}

/**
 * The blocks in order within one layer.
 * @example
 * serial(residual(shapedAttention({ tau0: 1 }), { gamma: 0.7 }), residual(dense(), { gamma: 0.7 })); // transformer:0.7,1
 */
export function serial(...blocks: Block[]): Block {
  if (blocks.length === 0) throw new InputError('serial', '()', 'needs at least one block');
  blocks.forEach((b, i) => {
    if (!b || typeof b.limit !== 'function')
      throw new InputError(`serial block ${i + 1}`, b, 'must be a block (dense(), shapedAttention(...), ...)');
  });
  const specs = blocks.map((b) => b.spec);
  return {
    text: `serial(${blocks.map((b) => b.text).join(',')})`,
    spec: specs.every((s) => s !== null) ? { block: 'serial', blocks: specs } : null,
    fresh: blocks[blocks.length - 1].fresh,
    usesActivation: blocks.some((b) => b.usesActivation),
    derivatives: blocks.every((b) => b.derivatives),
    limit: (activation) => serialLimit(blocks.map((b) => b.limit(activation))),
    layer: (act: FiniteActivation, shape: StreamShape) =>
      serialLayer(
        blocks.map((b) => b.layer(act, shape)),
        shape,
      ),
  };
}

/** `serial(<block>,...)`; spec { block: 'serial', blocks }. */
export const SERIAL_ENTRY: BlockEntry = {
  name: 'serial',
  grammar: 'serial(<block>,...)',
  parse(args, _field, sub) {
    if (args === null) throw new InputError('serial', '', 'takes (<block>,...)');
    return serial(...args.map(sub));
  },
  fromSpec(spec, field, sub) {
    if (!Array.isArray(spec.blocks) || spec.blocks.length === 0)
      throw new InputError(`${field}.blocks`, spec.blocks, 'must be a non-empty array of block specs');
    return serial(...spec.blocks.map((b, i) => sub(b, `${field}.blocks[${i}]`)));
  },
};
