// architectures/: one value per architecture, in one table. ARCHITECTURES gives the names, the grammar
// and help of --architecture (and the `architecture` config key and scan axis), the parse of its text and
// the rebuild from a spec; validation/ and entry/ use only this table and the Architecture contract.
import { InputError } from '../src/errors.js';
import type { Architecture, ArchitectureEntry, ArchitectureSpec } from './architecture.js';
import { mlp } from './mlp/index.js';
import { ATTENTION_ENTRY, TRANSFORMER_ENTRY } from './attention/index.js';

export type { Architecture, ArchitectureEntry, ArchitectureReferences, ArchitectureSpec, Reference, TheoryValue } from './architecture.js';
export { momentTheory, piecewiseSlopes, fourthMomentConstant } from './mlp/theory.js';
export { mlp, mlpLimit, requireFacts, covarianceSde, correlationSde, diagonalSde, sdeFromSpec, limitReferences, SDE_KINDS } from './mlp/index.js';
export type { MlpLimit, SdeKind } from './mlp/index.js';
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
  },
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

/** Architecture option values: an Architecture, or its text (default mlp()). */
export function toArchitecture(value: Architecture | string | undefined, field = 'architecture'): Architecture {
  if (value === undefined) return mlp();
  if (typeof value === 'string') return parseArchitecture(value, field);
  if (!value || typeof value.sde !== 'function' || typeof value.samplers !== 'object') throw new InputError(field, value, 'must be an architecture value (mlp(), ...) or its name');
  return value;
}
