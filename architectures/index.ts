// architectures/: one value per architecture, in one table. ARCHITECTURES gives the names, the grammar
// and help of --architecture (and the `architecture` config key and scan axis), the parse of its text and
// the rebuild from a spec; validation/ and entry/ use only this table and the Architecture contract.
import { InputError } from '../src/errors.js';
import type { OptionSpec } from '../src/options.js';
import type { Architecture, ArchitectureEntry, ArchitectureSpec } from './architecture.js';
import { activationFromSpec, type ActivationSpec } from '../src/activations/index.js';
import { mlpSampler, type SamplerFactory } from '../networks/index.js';
import type { Sde } from '../sde/index.js';
import { mlp, sdeFromSpec } from './mlp/index.js';
import { RESNET_ENTRY } from './resnet/index.js';
import { ATTENTION_ENTRY, TRANSFORMER_ENTRY } from './attention/index.js';
import { BLOCKS, BLOCK_GRAMMAR, blockFromSpec, composition, parseBlock } from './blocks/index.js';

export type {
  Architecture,
  ArchitectureEntry,
  ArchitectureReferences,
  ArchitectureSpec,
  Reference,
  TheoryValue,
} from './architecture.js';
export { referencesOf } from './architecture.js';
export { momentTheory, piecewiseSlopes, fourthMomentConstant, activationSpecOf } from './mlp/theory.js';
export type { ActivationInput } from './mlp/theory.js';
export {
  mlp,
  mlpLimit,
  requireFacts,
  covarianceSde,
  correlationSde,
  diagonalSde,
  sdeFromSpec,
  limitReferences,
  finiteWidthCorrelation,
  SDE_KINDS,
} from './mlp/index.js';
export type { MlpLimit, SdeKind } from './mlp/index.js';
export { resnet, resnetClocks } from './resnet/index.js';
export { attention, transformer } from './attention/index.js';
export type { AttentionOptions } from './attention/index.js';
export * from './blocks/index.js';

/** Every architecture by name; the first is the default. */
export const ARCHITECTURES: Readonly<Record<string, ArchitectureEntry>> = {
  mlp: {
    name: 'mlp',
    grammar: 'mlp',
    description: 'the shaped MLP (the default)',
    parse(args, field) {
      if (args !== '') throw new InputError(field, `mlp:${args}`, 'must be mlp (it takes no parameters)');
      return mlp();
    },
    fromSpec: () => mlp(),
    builders: { mlp, sdeFromSpec, mlpSampler },
  },
  resnet: RESNET_ENTRY,
  attention: ATTENTION_ENTRY,
  transformer: TRANSFORMER_ENTRY,
  // Any composition of blocks, by its text (docs/maths.md, section 17); configs' { kind: 'blocks', block }.
  blocks: {
    name: 'blocks',
    grammar: '<block>',
    description: `a composition of blocks, <block> = ${BLOCK_GRAMMAR()} (e.g. residual(parallel(shapedAttention(1),dense),0.7))`,
    // Its texts open with a block's name: dense, residual(...), ...
    matches(text) {
      const head = /^[A-Za-z]+/.exec(text)?.[0] ?? '';
      return Object.hasOwn(BLOCKS, head) && (text.length === head.length || text[head.length] === '(');
    },
    parse: (text, field) => composition(parseBlock(text, field)),
    fromSpec: (spec, field) => composition(blockFromSpec(spec.block, `${field}.block`)),
    builders: { architectureFromSpec, architectureSampler, architectureSde },
  },
};

/** The names of ARCHITECTURES. */
export const ARCHITECTURE_NAMES: readonly string[] = Object.keys(ARCHITECTURES);

/** The grammar of --architecture, from the table. */
export function architectureGrammar(): string {
  return ARCHITECTURE_NAMES.map((name) => ARCHITECTURES[name].grammar).join(' | ');
}

/** Help text for --architecture, from each entry's description. */
export function architectureHelp(): string {
  return ARCHITECTURE_NAMES.map((name) => `${ARCHITECTURES[name].grammar}: ${ARCHITECTURES[name].description}`).join(
    '; ',
  );
}

/** Parse `name[:args]` (the CLI, configs and scan axes); errors name `field` as the user wrote it. */
export function parseArchitecture(text: unknown, field = 'architecture'): Architecture {
  if (typeof text !== 'string' || text.length === 0)
    throw new InputError(field, text, `must be ${architectureGrammar()}`);
  const owner = Object.values(ARCHITECTURES).find((e) => e.matches?.(text));
  if (owner) return owner.parse(text, field);
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const entry = Object.hasOwn(ARCHITECTURES, name) && !ARCHITECTURES[name].matches ? ARCHITECTURES[name] : undefined;
  if (!entry) throw new InputError(field, text, `must be ${architectureGrammar()}`);
  return entry.parse(colon < 0 ? '' : text.slice(colon + 1), field);
}

/** Rebuild an architecture from its spec ({ kind: 'mlp' }, { kind: 'resnet', gamma: 0.7 }). */
export function architectureFromSpec(spec: ArchitectureSpec, field = 'architecture'): Architecture {
  const entry =
    spec && typeof spec === 'object' && Object.hasOwn(ARCHITECTURES, spec.kind) ? ARCHITECTURES[spec.kind] : undefined;
  if (!entry) throw new InputError(field, spec, `must be the spec of one of ${ARCHITECTURE_NAMES.join(', ')}`);
  return entry.fromSpec(spec, field);
}

/** A sampler of the architecture a spec rebuilds (a worker's reference: one for every composition). */
export function architectureSampler(spec: ArchitectureSpec, name: string): SamplerFactory {
  const samplers = architectureFromSpec(spec).samplers;
  if (!Object.hasOwn(samplers, name))
    throw new InputError('sampler', name, `must be one of ${Object.keys(samplers).join(', ')}`);
  return samplers[name];
}

/** The covariance SDE of the architecture a spec rebuilds, for an activation spec (a worker's reference). */
export function architectureSde(spec: ArchitectureSpec, activation: ActivationSpec): Sde {
  return architectureFromSpec(spec).sde(activationFromSpec(activation));
}

/** The scan axes the architectures' parameters add (each owned by one entry), in table order. */
export function architectureAxes(): ReadonlyArray<{ readonly owner: string; readonly axis: OptionSpec }> {
  // A parameter several architectures share (gamma: resnet, attention, transformer) is one axis, named by
  // its first owner; each entry's withAxes applies it to its own architectures.
  const seen = new Set<string>();
  return ARCHITECTURE_NAMES.flatMap((name) =>
    (ARCHITECTURES[name].axes ?? []).map((axis) => ({ owner: name, axis })),
  ).filter(({ axis }) => !seen.has(axis.key) && (seen.add(axis.key), true));
}

/**
 * The architecture text of a scan point: the base's, with the values of the parameter axes applied by
 * the entry that owns them (an axis of another architecture is refused, naming `--grid key`).
 */
export function architectureWithAxes(text: string, values: Readonly<Record<string, number>>): string {
  const keys = Object.keys(values);
  if (keys.length === 0) return text;
  const architecture = parseArchitecture(text);
  const entry = ARCHITECTURES[architecture.name];
  for (const key of keys) {
    if (!(entry.axes ?? []).some((a) => a.key === key) || !entry.withAxes) {
      const owners = ARCHITECTURE_NAMES.filter((name) => (ARCHITECTURES[name].axes ?? []).some((a) => a.key === key));
      throw new InputError(
        `--grid ${key}`,
        values[key],
        owners.length > 0
          ? `applies to ${owners.join(', ')}, not to ${architecture.text}`
          : `is not a parameter of ${architecture.text}`,
      );
    }
  }
  return entry.withAxes!(architecture, values, 'grid').text;
}

/** Architecture option values: an Architecture, or its text (default mlp()). */
export function toArchitecture(value: Architecture | string | undefined, field = 'architecture'): Architecture {
  if (value === undefined) return mlp();
  if (typeof value === 'string') return parseArchitecture(value, field);
  if (!value || typeof value.sde !== 'function' || typeof value.samplers !== 'object')
    throw new InputError(field, value, 'must be an architecture value (mlp(), ...) or its name');
  return value;
}
