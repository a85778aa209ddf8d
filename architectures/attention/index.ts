// Shaped attention and the shaped Transformer as architecture values (docs/maths.md, section 14): the
// token covariance SDE (attention drift of order gamma^2/tau0^2, linear noise on clock s^2, attention noise
// shrinking as 1/H), the token chain and explicit samplers, and no closed-form references (each says why).
import { DECIMAL, type ActivationSpec } from '../../src/activations/index.js';
import { siblingModule } from '../../src/blocks.js';
import { InputError } from '../../src/errors.js';
import type { Architecture, ArchitectureEntry, ArchitectureReferences, ArchitectureSpec, TheoryValue } from '../architecture.js';
import { checkAttentionParams, MAX_HEADS, type AttentionParams } from './params.js';
import { attentionSampler, attentionSamplers } from './samplers.js';
import { attentionSde, attentionSdeFromSpec, type AttentionKind } from './sdes.js';

export { attentionMaths, attentionDrift, diffusionCovariance, attentionNoiseCount } from './limit.js';
export type { CovarianceMaths, AttentionBlocks } from './limit.js';
export { attentionSde, attentionSdeFromSpec } from './sdes.js';
export type { AttentionKind } from './sdes.js';
export { attentionSamplers, attentionSampler } from './samplers.js';
export type { AttentionParams } from './params.js';

const REF_MODULE = siblingModule(import.meta.url, 'index');

/** Options of attention() and transformer(): gamma, tau0, heads (default 1), key width nk (default n). */
export interface AttentionOptions {
  readonly gamma: number;
  readonly tau0: number;
  readonly heads?: number;
  readonly keyWidth?: number | null;
}

function references(kind: AttentionKind): ArchitectureReferences {
  const why = `the ${kind} covariance SDE couples every entry of V (its drift is cubic and not entrywise), so it has no autonomous 1-D reduction`;
  const none: TheoryValue = { exact: null, limit: null };
  // layerRecursion: false: V_{l+1} given V_l is not the MLP's layer map (the resnet branch adds this field).
  const references = {
    layerRecursion: false,
    correlationExpectation: () => ({ value: null, reason: why }),
    explosionProbability: () => ({ value: null, reason: why }),
    logDiagonal: () => ({ value: null, reason: why }),
    explosionEver: () => ({ value: null, reason: why }),
    explosionEverScale: () => ({ value: null, reason: why }),
    meanDiagonal: (_spec: ActivationSpec) => none,
    finiteMoments: () => ({ secondMoment: none, kurtosis: none }),
  };
  return references;
}

function build(kind: AttentionKind, options: AttentionOptions): Architecture {
  if (options == null || typeof options !== 'object') throw new InputError(`${kind} options`, options, 'must be an object { gamma, tau0, heads? }');
  const p: AttentionParams = checkAttentionParams(options);
  const keyWidth = options.keyWidth ?? null;
  if (keyWidth !== null && !(Number.isInteger(keyWidth) && keyWidth >= 1)) throw new InputError('keyWidth', keyWidth, 'must be an integer >= 1 (or null: nk = n)');
  const spec: ArchitectureSpec = keyWidth === null ? { kind, ...p } : { kind, ...p, keyWidth };
  const label = `${kind}(gamma=${p.gamma}, tau0=${p.tau0}, H=${p.heads}${keyWidth === null ? '' : `, nk=${keyWidth}`})`;
  return {
    name: kind,
    spec,
    description:
      kind === 'attention'
        ? `shaped attention X <- lambda X + gamma H^{-1/2} sum_h A_h X WV_h / sqrt(n) at ${label}`
        : `the shaped Transformer (attention block, then the shaped residual MLP block) at ${label}`,
    label,
    text: `${kind}:${p.gamma},${p.tau0},${p.heads}${keyWidth === null ? '' : `,${keyWidth}`}`,
    ignoresActivation: kind === 'attention',
    sde: (activation) => attentionSde(kind, p, activation),
    samplers: attentionSamplers(kind, { ...p, keyWidth }),
    defaultSampler: 'chain',
    outputShape: (outputs, side) => [outputs, side],
    references: references(kind),
    ref: { module: REF_MODULE, name: kind, args: [{ ...p, keyWidth }] },
  };
}

/**
 * Shaped attention (docs/maths.md, section 14): m tokens, logits Q K^T / (tau0 sqrt(n nk)), A = I +
 * softmax - 11^T/m, residual branch gamma, H heads. The activation plays no part.
 * @example
 * const sol = solveSync({ sde: attention({ gamma: 0.7, tau0: 1, heads: 2 }).sde(shapedRelu({ cPlus: 0, cMinus: -1 })), T: 0.5, v0: [[1, 0.5], [0.5, 1]], paths: 1000, seed: 1 });
 */
export function attention(options: AttentionOptions): Architecture {
  return build('attention', options);
}

/** The shaped Transformer: each layer is the attention block, then the shaped residual MLP block (same gamma). */
export function transformer(options: AttentionOptions): Architecture {
  return build('transformer', options);
}

function entry(kind: AttentionKind): ArchitectureEntry {
  const grammar = `${kind}:<gamma>,<tau0>[,<heads>[,<nk>]]`;
  const usage = `must be ${grammar} with gamma in (0, 1], tau0 > 0, heads an integer in [1, ${MAX_HEADS}] and the key width nk an integer >= 1 (default n)`;
  return {
    name: kind,
    grammar,
    description:
      kind === 'attention'
        ? 'shaped attention: tokens X <- sqrt(1 - gamma^2) X + gamma H^{-1/2} sum_h (I + softmax(Q K^T / (tau0 sqrt(n nk))) - 11^T/m) X WV_h / sqrt(n)'
        : 'the shaped Transformer: the attention block, then the shaped residual MLP block with the same gamma',
    parse(args, field) {
      const text = `${kind}:${args}`;
      const parts = args.split(',');
      if (parts.length < 2 || parts.length > 4 || parts.some((x) => !DECIMAL.test(x))) throw new InputError(field, text, usage);
      const [gamma, tau0, heads, keyWidth] = parts.map(Number);
      const at = { gamma: field, tau0: field, heads: field };
      try {
        checkAttentionParams({ gamma, tau0, heads: heads ?? 1 }, at);
      } catch {
        throw new InputError(field, text, usage);
      }
      if (keyWidth !== undefined && !(Number.isInteger(keyWidth) && keyWidth >= 1)) throw new InputError(field, text, usage);
      return build(kind, { gamma, tau0, heads: heads ?? 1, keyWidth: keyWidth ?? null });
    },
    axes: [
      { key: 'gamma', kind: { type: 'number', min: 0, max: 1, exclusiveMin: true }, help: 'residual branch weight gamma (resnet, attention, transformer)' },
      { key: 'tau0', kind: { type: 'number', min: 0, max: 1e6, exclusiveMin: true }, help: 'attention temperature tau0 (attention, transformer)' },
      { key: 'heads', kind: { type: 'integer', min: 1, max: MAX_HEADS }, help: 'attention heads H (attention, transformer)' },
    ],
    withAxes(architecture, values, field) {
      const spec = architecture.spec;
      const p = checkAttentionParams(
        { gamma: values.gamma ?? spec.gamma, tau0: values.tau0 ?? spec.tau0, heads: values.heads ?? spec.heads ?? 1 },
        { gamma: `${field} gamma`, tau0: `${field} tau0`, heads: `${field} heads` },
      );
      return build(kind, { ...p, keyWidth: (spec.keyWidth as number | null | undefined) ?? null });
    },
    fromSpec(spec, field) {
      const p = checkAttentionParams({ gamma: spec.gamma, tau0: spec.tau0, heads: spec.heads ?? 1 }, { gamma: `${field}.gamma`, tau0: `${field}.tau0`, heads: `${field}.heads` });
      return build(kind, { ...p, keyWidth: (spec.keyWidth as number | null | undefined) ?? null });
    },
    builders: { attention, transformer, attentionSdeFromSpec, attentionSampler },
  };
}

/** The ARCHITECTURES entries: `--architecture attention:<gamma>,<tau0>[,<heads>[,<nk>]]` and `transformer:...`. */
export const ATTENTION_ENTRY: ArchitectureEntry = entry('attention');
export const TRANSFORMER_ENTRY: ArchitectureEntry = entry('transformer');
