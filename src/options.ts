// One table per command of the options a user can set, and the one mechanism that reads them: from
// command-line text (strict grammars: integers in digits, plain decimals, comma lists) or from JSON
// config values, with defaults, ranges and units stated once. Errors are InputErrors naming the
// option as the user wrote it (`--paths`, or `paths` in a config file) with the allowed range.
import { InputError } from './errors.js';
import { DECIMAL } from './activations/parse.js';
import { MAX_SEED } from './random/streams.js';

/** The type and range of an option (integer, number, seed, choice, list, matrix, ...), used to parse and to describe it. */
export type OptionKind =
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly exclusiveMin?: boolean }
  | { readonly type: 'seed' }
  | { readonly type: 'choice'; readonly choices: readonly string[] }
  | { readonly type: 'choices'; readonly choices: readonly string[]; readonly minItems: number }
  /** Texts of one grammar (activations): a comma list whose items may hold commas before numbers. */
  | { readonly type: 'texts'; readonly pattern: string; readonly minItems: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'text'; readonly pattern: string }
  | { readonly type: 'integers'; readonly min: number; readonly max: number; readonly minItems: number }
  | {
      readonly type: 'numbers';
      readonly min: number;
      readonly max: number;
      readonly exclusiveMin?: boolean;
      readonly minItems: number;
    }
  | { readonly type: 'matrix' }
  /** A matrix given as a file (a flag's text is its path: .npy, .csv or .json) or, in a config, as rows or a path. */
  | { readonly type: 'rows'; readonly square: boolean };

/** One option, stated once: its key (= config key = long flag), kind, help, default and extra check. */
export interface OptionSpec {
  /** The config key, and the long flag `--key` (unless `flag` is false). */
  readonly key: string;
  readonly kind: OptionKind;
  /** One line for --help, with units. */
  readonly help: string;
  /** Shown in --help and used when neither config nor flag sets the option (undefined: no default). */
  readonly default?: unknown;
  /** A further check of a parsed value (the activation grammar, say); throws an InputError naming `field`. */
  readonly check?: (value: unknown, field: string) => void;
  /** False for config-only options (a matrix has no flag form). */
  readonly flag?: boolean;
  /** A value an API caller may give instead of the option's text (an architecture value), turned into
   *  that text before it is parsed like any config value. */
  readonly fromValue?: (value: unknown) => unknown;
  /** Old spellings of the key (config keys; their flags are `--<alias>` as written), accepted for one
   *  release with a one-line deprecation note. */
  readonly aliases?: readonly string[];
}

/**
 * The long flag of an option: the key in kebab-case (`stepsPerUnit` -> `steps-per-unit`). A capital that
 * stands for a symbol of the maths (T, the depth-to-width ratio) keeps its case: `T` -> `T`,
 * `networkT` -> `network-T`. Commander's attribute for that flag is the key again.
 */
export function flagName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, (_, a: string, b: string) => `${a}-${b}`)
    .replace(/-([A-Z])(?=[a-z])/g, (_, b: string) => `-${b.toLowerCase()}`);
}

/** Notes of deprecated spellings go through one hook (the CLI prints them on stderr; the API warns once). */
let deprecationHook: (text: string) => void = (text) => {
  if (warned.has(text)) return;
  warned.add(text);
  (
    globalThis as { process?: { emitWarning?: (m: string, o: { type: string; code: string }) => void } }
  ).process?.emitWarning?.(text, { type: 'DeprecationWarning', code: 'NCSDE_DEPRECATED' });
};
const warned = new Set<string>();

/** Route deprecation notes (the CLI sends them to its one-line notes on stderr). */
export function onDeprecation(hook: (text: string) => void): void {
  deprecationHook = hook;
}

/** Say once that an old spelling was used. */
export function deprecated(old: string, now: string): void {
  deprecationHook(`${old} is deprecated and will be removed in the next release; use ${now}`);
}

const INTEGER = /^-?[0-9]+$/;

/**
 * The items of a comma list of texts whose items may hold commas themselves before numbers
 * (`relu,relu:0,-1,tanh:1` is relu, relu:0,-1 and tanh:1): a comma followed by a number continues the
 * item before it. Every grammar the lists take starts an item with a letter.
 */
export function splitTexts(text: string): string[] {
  return text.split(/,(?![-+.0-9])/);
}

function rangeText(min: number, max: number, exclusiveMin = false): string {
  const hi = max === Infinity ? 'inf)' : `${max}]`;
  return `${exclusiveMin ? '(' : '['}${min}, ${hi}`;
}

/** What a value must be, for messages and --help. */
export function describeKind(kind: OptionKind): string {
  switch (kind.type) {
    case 'integer':
      return `an integer in ${rangeText(kind.min, kind.max)}`;
    case 'number':
      return `a number in ${rangeText(kind.min, kind.max, kind.exclusiveMin)}`;
    case 'seed':
      return `an integer in [0, ${MAX_SEED}]`;
    case 'choice':
      return `one of ${kind.choices.join(', ')}`;
    case 'choices':
      return `a list of at least ${kind.minItems} of ${kind.choices.join(', ')}`;
    case 'texts':
      return `a list of at least ${kind.minItems} of ${kind.pattern}`;
    case 'boolean':
      return 'true or false';
    case 'text':
      return kind.pattern;
    case 'integers':
      return `a list of at least ${kind.minItems} integers in ${rangeText(kind.min, kind.max)}`;
    case 'numbers':
      return `a list of at least ${kind.minItems} numbers in ${rangeText(kind.min, kind.max, kind.exclusiveMin)}`;
    case 'matrix':
      return 'a square matrix (array of rows)';
    case 'rows':
      return `a .npy, .csv or .json file of ${kind.square ? 'a square matrix' : 'rows'}`;
  }
}

function checkNumber(
  kind: { min: number; max: number; exclusiveMin?: boolean },
  x: number,
  field: string,
  raw: unknown,
  integer: boolean,
): number {
  const below = kind.exclusiveMin ? !(x > kind.min) : !(x >= kind.min);
  if (!Number.isFinite(x) || below || x > kind.max || (integer && !Number.isInteger(x))) {
    throw new InputError(
      field,
      raw,
      `must be ${integer ? 'an integer' : 'a number'} in ${rangeText(kind.min, kind.max, kind.exclusiveMin)}`,
    );
  }
  return x;
}

/** Parse command-line text for an option; `field` is the flag as typed (`--paths`). */
export function parseOptionText(spec: OptionSpec, text: string, field = `--${flagName(spec.key)}`): unknown {
  const kind = spec.kind;
  let value: unknown;
  switch (kind.type) {
    case 'integer':
      if (!INTEGER.test(text))
        throw new InputError(field, text, `must be an integer in ${rangeText(kind.min, kind.max)}, written in digits`);
      value = checkNumber(kind, Number(text), field, text, true);
      break;
    case 'number':
      if (!DECIMAL.test(text))
        throw new InputError(
          field,
          text,
          `must be a number in ${rangeText(kind.min, kind.max, kind.exclusiveMin)}, written as a plain decimal`,
        );
      value = checkNumber(kind, Number(text), field, text, false);
      break;
    case 'seed':
      if (!/^[0-9]{1,16}$/.test(text) || Number(text) > MAX_SEED)
        throw new InputError(field, text, `must be an integer in [0, ${MAX_SEED}] written in digits`);
      value = Number(text);
      break;
    case 'choice':
      if (!kind.choices.includes(text)) throw new InputError(field, text, `must be one of ${kind.choices.join(', ')}`);
      value = text;
      break;
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new InputError(field, text, 'must be true or false');
      value = text === 'true';
      break;
    case 'text':
      value = text;
      break;
    case 'choices': {
      const items = text.split(',');
      if (items.length < kind.minItems || items.some((x) => !kind.choices.includes(x)))
        throw new InputError(field, text, `must be ${describeKind(kind)}, comma-separated`);
      if (new Set(items).size !== items.length) throw new InputError(field, text, 'must not repeat an entry');
      value = items;
      break;
    }
    case 'texts': {
      const items = splitTexts(text);
      if (items.length < kind.minItems || items.some((x) => x === ''))
        throw new InputError(field, text, `must be ${describeKind(kind)}, comma-separated`);
      if (new Set(items).size !== items.length) throw new InputError(field, text, 'must not repeat an entry');
      value = items;
      break;
    }
    case 'integers':
    case 'numbers': {
      const items = text.split(',');
      const grammar = kind.type === 'integers' ? INTEGER : DECIMAL;
      if (items.some((x) => !grammar.test(x)) || items.length < kind.minItems)
        throw new InputError(field, text, `must be ${describeKind(kind)}, comma-separated`);
      const integer = kind.type === 'integers';
      value = items.map((x) => {
        const v = Number(x);
        const below = 'exclusiveMin' in kind && kind.exclusiveMin ? !(v > kind.min) : !(v >= kind.min);
        if (below || v > kind.max || (integer && !Number.isInteger(v)))
          throw new InputError(field, text, `must be ${describeKind(kind)}, comma-separated`);
        return v;
      });
      break;
    }
    case 'matrix':
      throw new InputError(field, text, 'can only be given in a --config file (a matrix)');
    case 'rows':
      if (!/\.(npy|csv|json)$/i.test(text)) throw new InputError(field, text, 'must name a .npy, .csv or .json file');
      value = { file: text };
      break;
  }
  spec.check?.(value, field);
  return value;
}

/** Check a JSON config value for an option; `field` is the config key as written (`paths`, `base.T`). */
export function parseOptionValue(spec: OptionSpec, raw: unknown, field = spec.key): unknown {
  const kind = spec.kind;
  let value: unknown = raw;
  switch (kind.type) {
    case 'integer':
    case 'number':
      if (typeof raw !== 'number') throw new InputError(field, raw, `must be ${describeKind(kind)}`);
      checkNumber(kind, raw, field, raw, kind.type === 'integer');
      break;
    case 'seed':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0)
        throw new InputError(field, raw, `must be an integer in [0, ${MAX_SEED}]`);
      break;
    case 'choice':
      if (typeof raw !== 'string' || !kind.choices.includes(raw))
        throw new InputError(field, raw, `must be one of ${kind.choices.join(', ')}`);
      break;
    case 'boolean':
      if (typeof raw !== 'boolean') throw new InputError(field, raw, 'must be true or false');
      break;
    case 'text':
      if (typeof raw !== 'string') throw new InputError(field, raw, `must be a string: ${kind.pattern}`);
      break;
    case 'choices':
      if (
        !Array.isArray(raw) ||
        raw.length < kind.minItems ||
        raw.some((x) => typeof x !== 'string' || !kind.choices.includes(x))
      )
        throw new InputError(field, raw, `must be ${describeKind(kind)}`);
      if (new Set(raw).size !== raw.length) throw new InputError(field, raw, 'must not repeat an entry');
      value = [...raw];
      break;
    case 'texts':
      if (!Array.isArray(raw) || raw.length < kind.minItems || raw.some((x) => typeof x !== 'string' || x === ''))
        throw new InputError(field, raw, `must be ${describeKind(kind)}, as an array of strings`);
      if (new Set(raw).size !== raw.length) throw new InputError(field, raw, 'must not repeat an entry');
      value = [...raw];
      break;
    case 'integers':
    case 'numbers':
      if (!Array.isArray(raw) || raw.length < kind.minItems)
        throw new InputError(field, raw, `must be ${describeKind(kind)}`);
      raw.forEach((x, i) => {
        if (typeof x !== 'number')
          throw new InputError(
            `${field}[${i}]`,
            x,
            `must be ${kind.type === 'integers' ? 'an integer' : 'a number'} in ${rangeText(kind.min, kind.max, 'exclusiveMin' in kind ? kind.exclusiveMin : false)}`,
          );
        checkNumber(kind, x, `${field}[${i}]`, x, kind.type === 'integers');
      });
      value = [...raw];
      break;
    case 'matrix':
      if (
        !Array.isArray(raw) ||
        raw.length === 0 ||
        !raw.every(
          (row) =>
            Array.isArray(row) &&
            row.length === raw.length &&
            row.every((x) => typeof x === 'number' && Number.isFinite(x)),
        )
      ) {
        throw new InputError(field, raw, 'must be a square matrix of finite numbers (array of rows)');
      }
      break;
    case 'rows':
      if (typeof raw === 'string') {
        if (!/\.(npy|csv|json)$/i.test(raw))
          throw new InputError(field, raw, 'must name a .npy, .csv or .json file, or hold the rows');
        value = { file: raw };
      } else if (
        !Array.isArray(raw) ||
        raw.length === 0 ||
        !raw.every(
          (row) =>
            Array.isArray(row) &&
            row.length === (raw[0] as unknown[]).length &&
            (!kind.square || row.length === raw.length) &&
            row.every((x) => typeof x === 'number' && Number.isFinite(x)),
        )
      ) {
        throw new InputError(
          field,
          raw,
          `must be ${kind.square ? 'a square matrix' : 'rows of one length'} of finite numbers (array of rows), or a .npy, .csv or .json file name`,
        );
      }
      break;
  }
  spec.check?.(value, field);
  return value;
}

/** A rows option's value: the rows themselves, or the file that holds them (read by the caller). */
export type RowsValue = number[][] | { readonly file: string };

/** Where option values come from: a parsed JSON config or an API caller's object (`source` names it in
 *  messages: a file name, or '' for no prefix) and flag texts. */
export interface OptionSources {
  readonly config?: { readonly values: Readonly<Record<string, unknown>>; readonly source: string };
  /** Flag texts as typed, by key (only the flags the user gave). */
  readonly flags?: Readonly<Record<string, string | boolean>>;
}

/**
 * Settings of type T read with one option table: from an API caller's plain object (errors name its keys
 * as written) or from the CLI's sources (errors name the flags). Every settings reader is one of these.
 */
export function readSettings<T>(
  specs: readonly OptionSpec[],
  values: Readonly<Record<string, unknown>> = {},
  sources?: OptionSources,
): T {
  return readOptions(specs, sources ?? { config: { values, source: '' } }) as unknown as T;
}

/**
 * Read a command's options: defaults, then the config file, then flags (a flag wins). Unknown config
 * keys are refused (own keys only: `__proto__` or `toString` are never options).
 */
export function readOptions(
  specs: readonly OptionSpec[],
  sources: OptionSources,
  prefix = '',
): Record<string, unknown> {
  const byKey = new Map(specs.map((s) => [s.key, s]));
  const byAlias = new Map(specs.flatMap((s) => (s.aliases ?? []).map((a) => [a, s] as const)));
  const out: Record<string, unknown> = Object.create(null);
  for (const spec of specs) if (spec.default !== undefined) out[spec.key] = spec.default;
  const flags = sources.flags ?? {};
  const config = sources.config;
  if (config) {
    const values = config.values;
    if (values === null || typeof values !== 'object' || Array.isArray(values))
      throw new InputError(config.source || 'settings', values, 'must be an object of options');
    const where = config.source ? `${config.source}: ` : '';
    const seen = new Map<string, string>();
    for (const written of Object.keys(values)) {
      let spec = byKey.get(written);
      if (!spec && byAlias.has(written)) {
        spec = byAlias.get(written)!;
        deprecated(`${where}${prefix}${written}`, `${prefix}${spec.key}`);
      }
      if (!spec)
        throw new InputError(
          `${where}${prefix}${written}`,
          values[written],
          `is not an option here (options: ${specs.map((s) => s.key).join(', ')})`,
        );
      const twice = seen.get(spec.key);
      if (twice !== undefined)
        throw new InputError(
          `${where}${prefix}${written}`,
          values[written],
          `sets ${spec.key}, which ${twice} sets too; give it once`,
        );
      seen.set(spec.key, written);
      // A flag given on the command line overrides the config value before anything is checked.
      if (flags[spec.key] !== undefined) continue;
      out[spec.key] = parseOptionValue(
        spec,
        spec.fromValue ? spec.fromValue(values[written]) : values[written],
        `${where}${prefix}${written}`,
      );
    }
  }
  for (const [key, text] of Object.entries(flags)) {
    const spec = byKey.get(key);
    if (!spec || text === undefined) continue;
    out[key] = typeof text === 'boolean' ? text : parseOptionText(spec, text);
  }
  return out;
}

/** Whether the user set option `key` (a flag, or a key of the config or the API caller's object), not its default. */
export function isGiven(key: string, sources: OptionSources): boolean {
  return (
    sources.flags?.[key] !== undefined || (sources.config !== undefined && Object.hasOwn(sources.config.values, key))
  );
}

/** The name the user wrote for option `key`: `--key` when a flag set it, `<source>: key` when a config
 *  file set it, else `key` (its default, or an API caller's plain object). */
export function givenName(key: string, sources: OptionSources): string {
  if (sources.flags?.[key] !== undefined) return `--${flagName(key)}`;
  const config = sources.config;
  return config?.source && Object.hasOwn(config.values, key) ? `${config.source}: ${key}` : key;
}

/**
 * The one mechanism that names an option as the user wrote it: run a call of the API (the one validator)
 * and re-express an InputError about an API field, and the fields its requirement names, as the options
 * that set them. `fields` maps API field names (and their sub-fields `f[i]`, `f.x`) to option keys; a field
 * not listed is taken to be an option key itself. Errors already named as written pass through.
 */
export function asGiven<T>(sources: OptionSources, run: () => T, fields: Readonly<Record<string, string>> = {}): T {
  const rename = (field: string): string => {
    const api = Object.keys(fields)
      .filter((f) => field === f || field.startsWith(`${f}[`) || field.startsWith(`${f}.`))
      .sort((a, b) => b.length - a.length)[0];
    const key = api !== undefined ? fields[api] : field.split(/[.[]/)[0];
    return givenName(key, sources) + field.slice(api !== undefined ? api.length : key.length);
  };
  try {
    return run();
  } catch (e) {
    if (e instanceof InputError && !e.field.startsWith('-') && !e.field.includes(': '))
      throw e.renamed(rename(e.field), rename);
    throw e;
  }
}

/** `--help` text of an option: its help, what it must be, and its default. */
export function optionHelp(spec: OptionSpec): string {
  const what = spec.kind.type === 'boolean' ? '' : ` [${describeKind(spec.kind)}]`;
  const shown =
    spec.default === undefined
      ? ''
      : ` (default: ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)})`;
  return `${spec.help}${what}${shown}`;
}
