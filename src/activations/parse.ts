// The two ways to name an activation from outside code: a JSON spec (configs, worker threads, report
// files) and a short string for command lines, parsed by a fixed grammar with an explicit table of
// names, exact arity and plain decimal numbers:
//   relu:<c+>,<c->            shaped ReLU-like
//   tanh|sin|swish|softplus|gelu:<a>    shaped smooth, a > 0
//   relu | tanh | linear      unshaped baselines (network side only)
import { InputError, requireChoice } from '../errors.js';
import { shapedRelu } from './reluLike.js';
import { shapedSmooth } from './smooth.js';
import {
  SMOOTH_NAMES,
  UNSHAPED_NAMES,
  type Activation,
  type ActivationSpec,
  type SmoothName,
  type UnshapedName,
} from './types.js';
import { unshaped } from './unshaped.js';

/** A plain decimal number: optional sign, digits with an optional fraction, optional exponent; no hex, no blanks. */
export const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

const USAGE = 'must be relu:<c+>,<c-> | tanh|sin|swish|softplus|gelu:<a> | relu|tanh|linear (unshaped)';

/** Rebuild an activation from its JSON spec; errors name the field (prefix `field`). */
export function activationFromSpec(spec: unknown, field = 'activation'): Activation {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw new InputError(field, spec, 'must be an object with a "family"');
  const s = spec as Record<string, unknown>;
  const family = requireChoice(`${field}.family`, s.family, ['relu-like', 'smooth', 'unshaped'] as const);
  const allowed = {
    'relu-like': ['family', 'cPlus', 'cMinus'],
    smooth: ['family', 'f', 'a'],
    unshaped: ['family', 'f', 'gain'],
  }[family];
  for (const key of Object.keys(s))
    if (!allowed.includes(key))
      throw new InputError(
        `${field}.${key}`,
        s[key],
        `is not a field of a ${family} activation (fields: ${allowed.join(', ')})`,
      );
  const num = (key: string): number => {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new InputError(`${field}.${key}`, v, 'must be a finite number');
    return v;
  };
  switch (family) {
    case 'relu-like':
      return shapedRelu({ cPlus: num('cPlus'), cMinus: num('cMinus') });
    case 'smooth': {
      const f = requireChoice(`${field}.f`, s.f, SMOOTH_NAMES);
      const a = num('a');
      if (!(a > 0)) throw new InputError(`${field}.a`, a, 'must be > 0');
      return shapedSmooth(f, { a });
    }
    case 'unshaped': {
      const f = requireChoice(`${field}.f`, s.f, UNSHAPED_NAMES);
      if (s.gain === undefined) return unshaped(f);
      const gain = num('gain');
      if (!(gain > 0)) throw new InputError(`${field}.gain`, gain, 'must be > 0');
      return unshaped(f, { gain });
    }
  }
}

/** Parse the short string form; `field` is how the user supplied it (`--activation`, `activation`). */
export function parseActivationSpec(text: unknown, field = 'activation'): ActivationSpec {
  if (typeof text !== 'string') throw new InputError(field, text, USAGE);
  const colon = text.indexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const args = colon < 0 ? [] : text.slice(colon + 1).split(',');
  if (colon >= 0 && args.some((x) => !DECIMAL.test(x)))
    throw new InputError(field, text, `${USAGE}; parameters are plain decimal numbers`);
  const values = args.map(Number);
  if (head === 'relu' && values.length === 2) return { family: 'relu-like', cPlus: values[0], cMinus: values[1] };
  if ((SMOOTH_NAMES as readonly string[]).includes(head) && values.length === 1) {
    if (!(values[0] > 0)) throw new InputError(field, text, 'needs a shaping scale a > 0 after the colon');
    return { family: 'smooth', f: head as SmoothName, a: values[0] };
  }
  if ((UNSHAPED_NAMES as readonly string[]).includes(head) && colon < 0)
    return { family: 'unshaped', f: head as UnshapedName };
  throw new InputError(field, text, USAGE);
}

/**
 * An activation from its command-line form: `relu:<c+>,<c->`, `tanh|sin|swish|softplus|gelu:<a>`, or
 * `relu|tanh|linear` for the unshaped baselines. Errors name `field` and the value.
 * @example
 * parseActivation('relu:0,-1'); // shapedRelu({ cPlus: 0, cMinus: -1 })
 */
export function parseActivation(text: unknown, field = 'activation'): Activation {
  return activationFromSpec(parseActivationSpec(text, field), field);
}

/** The short string of a spec (inverse of parseActivationSpec): "relu:0,-1", "tanh:1", "relu". */
export function activationLabel(spec: ActivationSpec): string {
  switch (spec.family) {
    case 'relu-like':
      return `relu:${spec.cPlus},${spec.cMinus}`;
    case 'smooth':
      return `${spec.f}:${spec.a}`;
    case 'unshaped':
      return spec.gain === undefined ? spec.f : `${spec.f}(gain ${spec.gain})`;
  }
}
