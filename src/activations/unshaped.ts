// Unshaped baselines (ReLU at gain 2, tanh, linear): the same finite-width interface, no SDE limit.
// They show the degenerate depth-and-width limit that shaping fixes.
import { requireChoice, requireInteger, requirePositive } from '../errors.js';
import { piecewiseLinearAtWidth } from './reluLike.js';
import { UNSHAPED_NAMES, type Activation, type UnshapedName } from './types.js';
import { tanh } from '../math/index.js';

const DEFAULT_GAIN: Record<UnshapedName, number> = { relu: 2, tanh: 1, linear: 1 };

/**
 * An unshaped baseline: ReLU (gain c = 2), tanh or linear with no 1/sqrt(n) shaping. Network side only:
 * it has no SDE limit (`limit` is null), and shows the degenerate limit that shaping repairs.
 * @example
 * const net = sampleNetworksSync({ activation: unshaped('relu'), n: 64, T: 1, v0: [[1]], samples: 1000, seed: 1 });
 */
export function unshaped(f: UnshapedName, options: { gain?: number } = {}): Activation {
  requireChoice('activation.f', f, UNSHAPED_NAMES);
  const gain = requirePositive('activation.gain', options.gain ?? DEFAULT_GAIN[f]);
  return {
    family: 'unshaped',
    name: `${f}(unshaped, c=${gain})`,
    spec: options.gain === undefined ? { family: 'unshaped', f } : { family: 'unshaped', f, gain },
    limit: null,
    atWidth(n) {
      requireInteger('n', n, 1);
      if (f === 'relu') return piecewiseLinearAtWidth(n, 1, 0, gain);
      if (f === 'linear') return piecewiseLinearAtWidth(n, 1, 1, gain);
      return {
        n,
        c: gain,
        phi: tanh,
        dphi: (x) => 1 - tanh(x) ** 2,
        applyInPlace(buf, from, to) {
          for (let i = from; i < to; i++) buf[i] = tanh(buf[i]);
        },
        piecewise: null,
      };
    },
  };
}
