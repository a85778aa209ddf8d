// The activation catalog and the one way in from JSON (configs, worker threads, reports).
import { InputError, formatValue } from '../errors.js';
import { shapedRelu } from './reluLike.js';
import { SMOOTH_FUNCTIONS, shapedSmooth } from './smooth.js';
import type { Activation } from './types.js';
import { unshaped } from './unshaped.js';

export * from './types.js';
export { shapedRelu, reluLikeNu, reluLikeFourthMomentConstant } from './reluLike.js';
export { shapedSmooth, customSmooth, smoothBeta, SMOOTH_FUNCTIONS } from './smooth.js';
export type { SmoothFunction } from './smooth.js';
export { unshaped } from './unshaped.js';

/** Rebuild an activation from its JSON spec; errors name the field (prefix `field`). */
export function activationFromSpec(spec: unknown, field = 'activation'): Activation {
  if (spec === null || typeof spec !== 'object') throw new InputError(field, spec, 'must be an object with a "family"');
  const s = spec as Record<string, unknown>;
  const num = (key: string): number => {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${field}.${key}`, v, 'must be a finite number');
    return v;
  };
  switch (s.family) {
    case 'relu-like':
      return shapedRelu({ cPlus: num('cPlus'), cMinus: num('cMinus') });
    case 'smooth':
      if (typeof s.f !== 'string' || !(s.f in SMOOTH_FUNCTIONS)) {
        throw new InputError(`${field}.f`, s.f, `must be one of ${Object.keys(SMOOTH_FUNCTIONS).join(', ')}`);
      }
      return shapedSmooth(s.f as keyof typeof SMOOTH_FUNCTIONS, { a: num('a') });
    case 'unshaped':
      if (s.f !== 'relu' && s.f !== 'tanh' && s.f !== 'linear') throw new InputError(`${field}.f`, s.f, 'must be one of relu, tanh, linear');
      return unshaped(s.f, s.gain === undefined ? {} : { gain: num('gain') });
    default:
      throw new InputError(`${field}.family`, s.family, `must be one of relu-like, smooth, unshaped (unknown activation ${formatValue(spec)})`);
  }
}

/** Short string forms for CLIs: "relu:0,-1", "tanh:1" (a), "relu" (unshaped). */
export function parseActivation(text: string, field = 'activation'): Activation {
  const [head, rest] = text.split(':', 2);
  const args = rest === undefined ? [] : rest.split(',').map((x) => Number(x));
  if (args.some((x) => !Number.isFinite(x))) throw new InputError(field, text, 'has a non-numeric parameter');
  if (head === 'relu' && args.length === 2) return shapedRelu({ cPlus: args[0], cMinus: args[1] });
  if (head in SMOOTH_FUNCTIONS && args.length === 1) return shapedSmooth(head as keyof typeof SMOOTH_FUNCTIONS, { a: args[0] });
  if ((head === 'relu' || head === 'tanh' || head === 'linear') && args.length === 0) return unshaped(head);
  throw new InputError(
    field,
    text,
    'is not a known activation: use relu:<c+>,<c->, tanh|sin|swish|softplus|gelu:<a>, or relu|tanh|linear (unshaped)',
  );
}
