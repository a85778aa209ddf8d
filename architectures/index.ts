// architectures/: one value per architecture, in one table. ARCHITECTURES gives the names, the grammar
// and help of --architecture (and the `architecture` config key and scan axis), the parse of its text and
// the rebuild from a spec; validation/ and entry/ use only this table and the Architecture contract.
import { InputError } from '../src/errors.js';
import type { OptionSpec } from '../src/options.js';
import type { Architecture, ArchitectureEntry, ArchitectureSpec } from './architecture.js';
import { mlpSampler } from '../networks/index.js';
import { mlp, sdeFromSpec } from './mlp/index.js';
import { RESNET_ENTRY } from './resnet/index.js';
import { ATTENTION_ENTRY, TRANSFORMER_ENTRY } from './attention/index.js';

export type { Architecture, ArchitectureEntry, ArchitectureReferences, ArchitectureSpec, Reference, TheoryValue } from './architecture.js';
export { momentTheory, piecewiseSlopes, fourthMomentConstant, activationSpecOf } from './mlp/theory.js';
export type { ActivationInput } from './mlp/theory.js';
export { mlp, mlpLimit, requireFacts, covarianceSde, correlationSde, diagonalSde, sdeFromSpec, limitReferences, SDE_KINDS } from './mlp/index.js';
export type { MlpLimit, SdeKind } from './mlp/index.js';
export { resnet, resnetClocks } from './resnet/index.js';
export { attention, transformer } from './attention/index.js';
export type { AttentionOptions } from './attention/index.js';

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
};

/** The names of ARCHITECTURES. */
export const ARCHITECTURE_NAMES: readonly string[] = Object.keys(ARCHITECTURES);

/** The grammar of --architecture, from the table. */
export function architectureGrammar(): string {
  return ARCHITECTURE_NAMES.map((name) => ARCHITECTURES[name].grammar).join(' | ');
}

/** Help text for --architecture, from each entry's description. */
export function architectureHelp(): string {
  return ARCHITECTURE_NAMES.map((name) => `${ARCHITECTURES[name].grammar}: ${ARCHITECTURES[name].description}`).join('; ');
}

/** Parse `name[:args]` (the CLI, configs and scan axes); errors name `field` as the user wrote it. */
export function parseArchitecture(text: unknown, field = 'architecture'): Architecture {
  if (typeof text !== 'string' || text.length === 0) throw new InputError(field, text, `must be ${architectureGrammar()}`);
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const entry = Object.hasOwn(ARCHITECTURES, name) ? ARCHITECTURES[name] : undefined;
  if (!entry) throw new InputError(field, text, `must be ${architectureGrammar()}`);
  return entry.parse(colon < 0 ? '' : text.slice(colon + 1), field);
}

/** Rebuild an architecture from its spec ({ kind: 'mlp' }, { kind: 'resnet', gamma: 0.7 }). */
export function architectureFromSpec(spec: ArchitectureSpec, field = 'architecture'): Architecture {
  const entry = spec && typeof spec === 'object' && Object.hasOwn(ARCHITECTURES, spec.kind) ? ARCHITECTURES[spec.kind] : undefined;
  if (!entry) throw new InputError(field, spec, `must be the spec of one of ${ARCHITECTURE_NAMES.join(', ')}`);
  return entry.fromSpec(spec, field);
}

/** The scan axes the architectures' parameters add (each owned by one entry), in table order. */
export function architectureAxes(): ReadonlyArray<{ readonly owner: string; readonly axis: OptionSpec }> {
  // A parameter several architectures share (gamma: resnet, attention, transformer) is one axis, named by
  // its first owner; each entry's withAxes applies it to its own architectures.
  const seen = new Set<string>();
  return ARCHITECTURE_NAMES.flatMap((name) => (ARCHITECTURES[name].axes ?? []).map((axis) => ({ owner: name, axis }))).filter(({ axis }) => !seen.has(axis.key) && (seen.add(axis.key), true));
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
      throw new InputError(`--grid ${key}`, values[key], owners.length > 0 ? `applies to ${owners.join(', ')}, not to ${architecture.text}` : `is not a parameter of ${architecture.text}`);
    }
  }
  return entry.withAxes!(architecture, values, 'grid').text;
}

/** Architecture option values: an Architecture, or its text (default mlp()). */
export function toArchitecture(value: Architecture | string | undefined, field = 'architecture'): Architecture {
  if (value === undefined) return mlp();
  if (typeof value === 'string') return parseArchitecture(value, field);
  if (!value || typeof value.sde !== 'function' || typeof value.samplers !== 'object') throw new InputError(field, value, 'must be an architecture value (mlp(), ...) or its name');
  return value;
}
