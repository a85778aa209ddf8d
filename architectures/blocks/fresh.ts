// A fresh block's finite layer from its two maps (docs/maths.md, section 17): its row covariance M given
// the stream (and its other draws), and its explicit weights; the exact chain step is then M's Gaussian
// rows, the same for every fresh block.
import type { RandomStream } from '../../src/random/streams.js';
import { gaussianRows } from '../../networks/index.js';
import type { FiniteLayer, StreamShape } from './block.js';

export function freshLayer(
  shape: StreamShape,
  rowCovariance: NonNullable<FiniteLayer['rowCovariance']>,
  explicit: FiniteLayer['explicit'],
): FiniteLayer {
  const { n, side } = shape;
  const k = new Float64Array(side * side);
  const l = new Float64Array(side * side);
  return {
    rowCovariance,
    chain(rng: RandomStream, z: Float64Array, v: Float64Array | null, next: Float64Array) {
      rowCovariance(rng, z, v, k);
      gaussianRows(rng, n, side, k, l, next);
    },
    explicit,
  };
}
