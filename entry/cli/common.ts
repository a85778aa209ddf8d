// What every ncsde command shares: flags registered from the option tables (help with defaults and
// units; a flag given twice is refused), the flag texts read back as typed, config files, thread
// counts capped at the cores, notes on stderr, work estimates, and outputs checked before computing.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { InputError, LimitError } from '../../src/errors.js';
import { capThreads } from '../../src/limits.js';
import {
  deprecated,
  flagName,
  givenName,
  optionHelp,
  readOptions,
  type OptionSources,
  type OptionSpec,
} from '../../src/options.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { npyTextValue, npzMember } from '../../src/io/npz.js';
import { duration, measureWork, type Pilot } from './estimate.js';

/** Placeholder shown in --help for an option's value. */
function placeholder(spec: OptionSpec): string {
  switch (spec.kind.type) {
    case 'integer':
    case 'seed':
      return 'int';
    case 'number':
      return 'x';
    case 'integers':
      return 'n1,n2,...';
    case 'numbers':
      return 'x1,x2,...';
    case 'choices':
      return 'a,b,...';
    case 'texts':
      return 'spec1,spec2,...';
    case 'choice':
      return 'name';
    case 'text':
      return spec.key === 'activation' ? 'spec' : 'text';
    case 'rows':
      return 'file';
    default:
      return 'value';
  }
}

/** Take a flag's text once; a second occurrence is refused, not silently dropped. */
export function once(flag: string) {
  return (value: string, previous: unknown) => {
    if (previous !== undefined)
      throw new InputError(flag, value, `is given twice (first ${JSON.stringify(previous)}); give it once`);
    return value;
  };
}

/** Register the flags of a command's option table (config-only options have no flag): `--<flagName(key)>`,
 *  and each old spelling as a hidden flag that says it is deprecated. */
export function addOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) {
    if (spec.flag === false || spec.kind.type === 'matrix') continue;
    const flag = `--${flagName(spec.key)}`;
    if (spec.kind.type === 'boolean') cmd.option(flag, optionHelp(spec));
    else cmd.option(`${flag} <${placeholder(spec)}>`, optionHelp(spec), once(flag));
    for (const alias of spec.aliases ?? []) {
      const option = new Option(
        spec.kind.type === 'boolean' ? `--${alias}` : `--${alias} <${placeholder(spec)}>`,
      ).hideHelp();
      if (spec.kind.type !== 'boolean') option.argParser(once(`--${alias}`));
      cmd.addOption(option);
      // An alias may share the key's attribute (--stepsPerUnit and --steps-per-unit): the event tells them apart.
      cmd.on(`option:${alias}`, () => {
        usedAliases(cmd).add(alias);
        deprecated(`--${alias}`, flag);
      });
    }
  }
  return cmd;
}

const aliasesUsed = new WeakMap<Command, Set<string>>();
function usedAliases(cmd: Command): Set<string> {
  let set = aliasesUsed.get(cmd);
  if (!set) aliasesUsed.set(cmd, (set = new Set()));
  return set;
}

/** Options every computing command takes, each also a config key: where to write, threads, JSON, force. */
export function commonOptions(
  out: { help: string; default?: string },
  extra: { json?: boolean; threads?: boolean; force?: boolean } = {},
): OptionSpec[] {
  return [
    {
      key: 'out',
      kind: { type: 'text', pattern: 'a path' },
      help: out.help,
      ...(out.default !== undefined ? { default: out.default } : {}),
    },
    ...(extra.threads !== false
      ? [
          {
            key: 'threads',
            kind: { type: 'integer', min: 1, max: 1_000_000 },
            help: 'worker threads, at most the cores of this machine (default: all cores); results do not depend on it',
          } as const,
        ]
      : []),
    ...(extra.json !== false
      ? [{ key: 'json', kind: { type: 'boolean' }, help: 'print a JSON summary on stdout' } as const]
      : []),
    ...(extra.force
      ? [
          {
            key: 'force',
            kind: { type: 'boolean' },
            help: `run even when the work estimate exceeds ${WORK_LIMIT_SECONDS / 86400} days on the chosen threads`,
          } as const,
        ]
      : []),
  ];
}

/** Register --config (a JSON object whose keys are the option names of the table, or a previous output). */
export function addConfigOption(cmd: Command): Command {
  return cmd.option(
    '--config <file>',
    'JSON config whose keys are the option names (the flags in camelCase: steps-per-unit -> stepsPerUnit), or a previous JSON output of this command (its settings); flags given on the command line win',
    once('--config'),
  );
}

/** A command's option values, read once: defaults, then --config, then the flags (a flag wins before anything is checked). */
export function readCommand(
  cmd: Command,
  specs: readonly OptionSpec[],
): { values: Record<string, unknown>; sources: OptionSources; where: (key: string) => string } {
  const config = readConfigFile(cmd.opts().config as string | undefined);
  const flags = flagTexts(cmd, specs);
  const sources: OptionSources = { config, flags };
  const values = readOptions(specs, sources);
  return { values, sources, where: (key: string) => givenName(key, sources) };
}

/** The flag texts the user typed for the keys of a table (commander keeps them by attribute name);
 *  an old spelling counts as its key. */
export function flagTexts(cmd: Command, specs: readonly OptionSpec[]): Record<string, string | boolean> {
  const opts = cmd.opts() as Record<string, unknown>;
  const out: Record<string, string | boolean> = {};
  const used = usedAliases(cmd);
  for (const spec of specs) {
    const v = opts[spec.key];
    if (v !== undefined && cmd.getOptionValueSource(spec.key) === 'cli') out[spec.key] = v as string | boolean;
    for (const alias of spec.aliases ?? []) {
      if (!used.has(alias) || alias === spec.key) continue;
      const attribute = alias.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      if (attribute === spec.key) continue; // same attribute: already read above
      if (out[spec.key] !== undefined)
        throw new InputError(
          `--${alias}`,
          opts[attribute],
          `sets the same option as --${flagName(spec.key)}; give one of them`,
        );
      out[spec.key] = opts[attribute] as string | boolean;
    }
  }
  return out;
}

/** Read a JSON config file: one line naming --config when it cannot be read or is not a JSON object. A
 *  previous output of a command (an object with `schema` and `settings`) stands for its settings: what is
 *  recorded only for the record (the kernels that ran, which give the same bits; the package version) is
 *  set aside, with a note when the version differs from this one. */
export function readConfigFile(
  path: string | undefined,
): { values: Record<string, unknown>; source: string } | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = /\.npz$/i.test(path) ? npzSettingsText(readFileSync(path), path) : readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('--config', path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError('--config', path, `is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InputError('--config', path, 'must hold a JSON object whose keys are option names');
  const object = parsed as Record<string, unknown>;
  // A scan's scan.json holds its config under `scan` ({ kind, base, grid, seed }).
  if (
    typeof object.schema === 'string' &&
    object.scan !== null &&
    typeof object.scan === 'object' &&
    !Array.isArray(object.scan)
  )
    return { values: object.scan as Record<string, unknown>, source: `${path} (scan)` };
  if (
    typeof object.schema === 'string' &&
    object.settings !== null &&
    typeof object.settings === 'object' &&
    !Array.isArray(object.settings)
  ) {
    const { kernels: _kernels, version, ...settings } = object.settings as Record<string, unknown>;
    if (version !== undefined && version !== PACKAGE_VERSION)
      note(`${path} was written by version ${String(version)}; this is ${PACKAGE_VERSION}, and its numbers may differ`);
    return { values: settings, source: `${path} (settings)` };
  }
  return { values: object, source: path };
}

/** The JSON that a .npz output keeps in its settings member (schema, settings, shape, counts). */
function npzSettingsText(bytes: Uint8Array, path: string): string {
  try {
    const member = npzMember(bytes, 'settings.npy');
    if (!member) throw new Error('it has no settings member (it was not written by ncsde)');
    return npyTextValue(member);
  } catch (e) {
    throw new InputError('--config', path, `is not an ncsde .npz output: ${(e as Error).message}`);
  }
}

/** A note on stderr (never on stdout, which may carry JSON). */
export function note(text: string): void {
  process.stderr.write(`ncsde: note: ${text}\n`);
}

/** A run whose own work estimate exceeds this is refused unless --force. */
export const WORK_LIMIT_SECONDS = 7 * 24 * 3600;

/** A run whose fixed-rate estimate exceeds this many seconds is timed by a pilot before it starts. */
const PILOT_FROM_SECONDS = 10;

/**
 * Before a large run starts, say how long it will take (a note past a minute), and refuse one whose
 * estimate exceeds seven days unless --force. The refusal uses the fixed-rate model `seconds`, so a
 * refused run computes nothing and the same command is refused on any load; the note uses the
 * `pilot`'s measurement on this machine now where one is cheap. `drivers` are the flags (as the user
 * wrote them) and values that set the work, the first named as the field of the one-line error.
 */
export async function guardWork(estimate: {
  seconds: number;
  threads: number;
  force: boolean;
  drivers: ReadonlyArray<readonly [string, unknown]>;
  pilot?: Pilot;
}): Promise<void> {
  const { seconds, threads, drivers, force, pilot } = estimate;
  const on = `on ${threads} thread${threads > 1 ? 's' : ''}`;
  if (seconds > WORK_LIMIT_SECONDS && !force) {
    const [[field, value], ...rest] = drivers;
    const others = rest.map(([flag, v]) => `${flag} ${v}`).join(', ');
    throw new LimitError(
      field,
      value,
      `${others ? `with ${others} ` : ''}asks for about ${duration(seconds)} of work ${on}, above the ${WORK_LIMIT_SECONDS / 86400}-day limit; lower them, or give --force to run anyway`,
    );
  }
  const measured = pilot && seconds > PILOT_FROM_SECONDS ? await measureWork(pilot, seconds) : undefined;
  const expected = measured?.seconds ?? seconds;
  if (expected > 60)
    note(
      `this asks for about ${duration(expected)} of work ${on}${measured ? `, measured now on this machine (${measured.what} took ${measured.took.toFixed(2)} s)` : ''}`,
    );
}

/** The threads option: at most the core count, with a note when lowered. */
export function threadsFrom(values: Record<string, unknown>, where: (key: string) => string): number {
  const requested = values.threads as number | undefined;
  if (requested === undefined) return capThreads(undefined).threads;
  const { threads, capped, cores } = capThreads(requested);
  if (capped) note(`${where('threads')} ${requested} lowered to ${cores}, the cores of this machine`);
  return threads;
}

/** Refuse flags that do not apply in this mode, naming the first. */
export function refuseFlags(cmd: Command, keys: readonly string[], reason: string): void {
  for (const key of keys)
    if (cmd.getOptionValueSource(key) === 'cli') throw new InputError(`--${flagName(key)}`, cmd.opts()[key], reason);
}

/** JSON text with typed arrays as plain arrays and non-finite numbers refused (they never reach output). */
export function jsonText(data: unknown, indent = 1): string {
  return (
    JSON.stringify(
      data,
      (_, v) => {
        if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
        if (typeof v === 'number' && !Number.isFinite(v))
          throw new Error(`a non-finite number (${v}) reached the output`);
        return v;
      },
      indent,
    ) + '\n'
  );
}
