// Shaped attention and the shaped Transformer as presets (docs/maths.md, sections 14 and 17):
// attention:<gamma>,<tau0>,... is residual(shapedAttention, gamma) and transformer:... is
// serial(residual(shapedAttention, gamma), residual(dense, gamma)); their limits, samplers and (absent)
// references come from the composition.
import { DECIMAL } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { Architecture, ArchitectureEntry, ArchitectureSpec } from '../architecture.js';
import type { Block } from '../blocks/block.js';
import { composition } from '../blocks/compose.js';
import { dense } from '../blocks/dense.js';
import { residual } from '../blocks/residual.js';
import { serial } from '../blocks/serial.js';
import { shapedAttention } from '../blocks/shapedAttention.js';
import { checkAttentionParams, MAX_HEADS, type AttentionParams } from './params.js';

export { attentionDrift, attentionTerms, addAttentionCovariance } from './limit.js';
export type { AttentionParams } from './params.js';
export { tokenDistanceBlowsUp, tokenDistanceCrossing, tokenDistanceLaw } from './reference.js';
export type { TokenDistanceLaw, TokenDistanceOptions } from './reference.js';

/** A preset over the attention block: its name, its composition of the block at gamma, its descriptions. */
interface AttentionPreset {
  readonly kind: string;
  compose(attention: Block, gamma: number): Block;
  /** For the value (at a label) and for --help. */
  describe(label: string): string;
  readonly help: string;
}

const ATTENTION: AttentionPreset = {
  kind: 'attention',
  compose: (block, gamma) => residual(block, { gamma }),
  describe: (label) => `shaped attention X <- lambda X + gamma H^{-1/2} sum_h A_h X WV_h / sqrt(n) at ${label}`,
  help: 'shaped attention: tokens X <- sqrt(1 - gamma^2) X + gamma H^{-1/2} sum_h (I + softmax(Q K^T / (tau0 sqrt(n nk))) - 11^T/m) X WV_h / sqrt(n)',
};

const TRANSFORMER: AttentionPreset = {
  kind: 'transformer',
  compose: (block, gamma) => serial(residual(block, { gamma }), residual(dense(), { gamma })),
  describe: (label) => `the shaped Transformer (attention block, then the shaped residual MLP block) at ${label}`,
  help: 'the shaped Transformer: the attention block, then the shaped residual MLP block with the same gamma',
};

/** Options of attention() and transformer(): gamma, tau0, heads (default 1), key width nk (default n). */
export interface AttentionOptions {
  readonly gamma: number;
  readonly tau0: number;
  readonly heads?: number;
  readonly keyWidth?: number | null;
}

function build(preset: AttentionPreset, options: AttentionOptions): Architecture {
  const { kind } = preset;
  if (options == null || typeof options !== 'object')
    throw new InputError(`${kind} options`, options, 'must be an object { gamma, tau0, heads? }');
  const p: AttentionParams = checkAttentionParams(options);
  const keyWidth = options.keyWidth ?? null;
  if (keyWidth !== null && !(Number.isInteger(keyWidth) && keyWidth >= 1))
    throw new InputError('keyWidth', keyWidth, 'must be an integer >= 1 (or null: nk = n)');
  const spec: ArchitectureSpec = keyWidth === null ? { kind, ...p } : { kind, ...p, keyWidth };
  const label = `${kind}(gamma=${p.gamma}, tau0=${p.tau0}, H=${p.heads}${keyWidth === null ? '' : `, nk=${keyWidth}`})`;
  return composition(preset.compose(shapedAttention({ tau0: p.tau0, heads: p.heads, keyWidth }), p.gamma), {
    name: kind,
    spec,
    description: preset.describe(label),
    label,
    text: `${kind}:${p.gamma},${p.tau0},${p.heads}${keyWidth === null ? '' : `,${keyWidth}`}`,
  });
}

/**
 * Shaped attention (docs/maths.md, section 14): m tokens, logits Q K^T / (tau0 sqrt(n nk)), A = I +
 * softmax - 11^T/m, residual branch gamma, H heads. The activation plays no part.
 * @example
 * const sol = solveSync({ sde: attention({ gamma: 0.7, tau0: 1, heads: 2 }).sde(shapedRelu({ cPlus: 0, cMinus: -1 })), T: 0.5, v0: [[1, 0.5], [0.5, 1]], paths: 1000, seed: 1 });
 */
export function attention(options: AttentionOptions): Architecture {
  return build(ATTENTION, options);
}

/** The shaped Transformer: each layer is the attention block, then the shaped residual MLP block (same gamma). */
export function transformer(options: AttentionOptions): Architecture {
  return build(TRANSFORMER, options);
}

function entry(preset: AttentionPreset): ArchitectureEntry {
  const { kind } = preset;
  const grammar = `${kind}:<gamma>,<tau0>[,<heads>[,<nk>]]`;
  const usage = `must be ${grammar} with gamma in (0, 1], tau0 > 0, heads an integer in [1, ${MAX_HEADS}] and the key width nk an integer >= 1 (default n)`;
  return {
    name: kind,
    grammar,
    description: preset.help,
    parse(args, field) {
      const text = `${kind}:${args}`;
      const parts = args.split(',');
      if (parts.length < 2 || parts.length > 4 || parts.some((x) => !DECIMAL.test(x)))
        throw new InputError(field, text, usage);
      const [gamma, tau0, heads, keyWidth] = parts.map(Number);
      const at = { gamma: field, tau0: field, heads: field };
      try {
        checkAttentionParams({ gamma, tau0, heads: heads ?? 1 }, at);
      } catch {
        throw new InputError(field, text, usage);
      }
      if (keyWidth !== undefined && !(Number.isInteger(keyWidth) && keyWidth >= 1))
        throw new InputError(field, text, usage);
      return build(preset, { gamma, tau0, heads: heads ?? 1, keyWidth: keyWidth ?? null });
    },
    axes: [
      {
        key: 'gamma',
        kind: { type: 'number', min: 0, max: 1, exclusiveMin: true },
        help: 'residual branch weight gamma (resnet, attention, transformer)',
      },
      {
        key: 'tau0',
        kind: { type: 'number', min: 0, max: 1e6, exclusiveMin: true },
        help: 'attention temperature tau0 (attention, transformer)',
      },
      {
        key: 'heads',
        kind: { type: 'integer', min: 1, max: MAX_HEADS },
        help: 'attention heads H (attention, transformer)',
      },
    ],
    withAxes(architecture, values, field) {
      const spec = architecture.spec;
      const p = checkAttentionParams(
        { gamma: values.gamma ?? spec.gamma, tau0: values.tau0 ?? spec.tau0, heads: values.heads ?? spec.heads ?? 1 },
        { gamma: `${field} gamma`, tau0: `${field} tau0`, heads: `${field} heads` },
      );
      return build(preset, { ...p, keyWidth: (spec.keyWidth as number | null | undefined) ?? null });
    },
    fromSpec(spec, field) {
      const p = checkAttentionParams(
        { gamma: spec.gamma, tau0: spec.tau0, heads: spec.heads ?? 1 },
        { gamma: `${field}.gamma`, tau0: `${field}.tau0`, heads: `${field}.heads` },
      );
      return build(preset, { ...p, keyWidth: (spec.keyWidth as number | null | undefined) ?? null });
    },
    builders: { attention, transformer },
  };
}

/** The ARCHITECTURES entries: `--architecture attention:<gamma>,<tau0>[,<heads>[,<nk>]]` and `transformer:...`. */
export const ATTENTION_ENTRY: ArchitectureEntry = entry(ATTENTION);
export const TRANSFORMER_ENTRY: ArchitectureEntry = entry(TRANSFORMER);
