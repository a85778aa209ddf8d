// What every ncsde command shares: flags registered from the option tables (help with defaults and
// units; a flag given twice is refused), the flag texts read back as typed, config files, thread
// counts capped at the cores, notes on stderr, work estimates, and outputs checked before computing.
import { readFileSync } from 'node:fs';
import { type Command } from 'commander';
import { InputError, LimitError } from '../../src/errors.js';
import { capThreads } from '../../src/limits.js';
import { optionHelp, parseOptionText, type OptionSpec } from '../../src/options.js';
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
    case 'choice':
      return 'name';
    case 'text':
      return spec.key === 'activation' ? 'spec' : 'text';
    default:
      return 'value';
  }
}

/** Take a flag's text once; a second occurrence is refused, not silently dropped. */
export function once(flag: string) {
  return (value: string, previous: unknown) => {
    if (previous !== undefined) throw new InputError(flag, value, `is given twice (first ${JSON.stringify(previous)}); give it once`);
    return value;
  };
}

/** Register the flags of a command's option table (config-only options have no flag). */
export function addOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) {
    if (spec.flag === false || spec.kind.type === 'matrix') continue;
    if (spec.kind.type === 'boolean') cmd.option(`--${spec.key}`, optionHelp(spec));
    else cmd.option(`--${spec.key} <${placeholder(spec)}>`, optionHelp(spec), once(`--${spec.key}`));
  }
  return cmd;
}

/** The CLI-only flags most commands take. */
export function addCommonOptions(cmd: Command, out: { help: string; default?: string }, extra: { config?: boolean; json?: boolean; threads?: boolean } = {}): Command {
  if (extra.config !== false) cmd.option('--config <file>', 'JSON config whose keys are the long flag names (flags given on the command line win)', once('--config'));
  cmd.option('--out <path>', `${out.help}${out.default ? ` (default: ${out.default})` : ''}`, once('--out'));
  if (extra.threads !== false) cmd.option('--threads <int>', 'worker threads, at most the cores of this machine (default: all cores); results do not depend on it', once('--threads'));
  if (extra.json !== false) cmd.option('--json', 'print a JSON summary on stdout');
  return cmd;
}

/** The flag texts the user typed for the keys of a table (commander keeps them by attribute name). */
export function flagTexts(cmd: Command, specs: readonly OptionSpec[]): Record<string, string | boolean> {
  const opts = cmd.opts() as Record<string, unknown>;
  const out: Record<string, string | boolean> = {};
  for (const spec of specs) {
    const v = opts[spec.key];
    if (v !== undefined && cmd.getOptionValueSource(spec.key) === 'cli') out[spec.key] = v as string | boolean;
  }
  return out;
}

/** Read a JSON config file: one line naming --config when it cannot be read or is not a JSON object. */
export function readConfigFile(path: string | undefined): { values: Record<string, unknown>; source: string } | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('--config', path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError('--config', path, `is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError('--config', path, 'must hold a JSON object whose keys are option names');
  return { values: parsed as Record<string, unknown>, source: path };
}

/** A note on stderr (never on stdout, which may carry JSON). */
export function note(text: string): void {
  process.stderr.write(`ncsde: note: ${text}\n`);
}

/** A run whose own work estimate exceeds this is refused unless --force. */
export const WORK_LIMIT_SECONDS = 7 * 24 * 3600;

/** Register --force, which lets a run past the work limit start. */
export function addForceOption(cmd: Command): Command {
  return cmd.option('--force', `run even when the work estimate exceeds ${WORK_LIMIT_SECONDS / 86400} days on the chosen threads`);
}

/** A run whose fixed-rate estimate exceeds this many seconds is timed by a pilot before it starts. */
const PILOT_FROM_SECONDS = 10;

/**
 * Before a large run starts, say how long it will take (a note past a minute), and refuse one whose
 * estimate exceeds seven days unless --force. The refusal uses the fixed-rate model `seconds`, so a
 * refused run computes nothing and the same command is refused on any load; the note uses the
 * `pilot`'s measurement on this machine now where one is cheap. `drivers` are the flags (as the user
 * wrote them) and values that set the work, the first named as the field of the one-line error.
 */
export async function guardWork(cmd: Command, estimate: { seconds: number; threads: number; drivers: ReadonlyArray<readonly [string, unknown]>; pilot?: Pilot }): Promise<void> {
  const { seconds, threads, drivers, pilot } = estimate;
  const on = `on ${threads} thread${threads > 1 ? 's' : ''}`;
  if (seconds > WORK_LIMIT_SECONDS && !cmd.opts().force) {
    const [[field, value], ...rest] = drivers;
    const others = rest.map(([flag, v]) => `${flag} ${v}`).join(', ');
    throw new LimitError(field, value, `${others ? `with ${others} ` : ''}asks for about ${duration(seconds)} of work ${on}, above the ${WORK_LIMIT_SECONDS / 86400}-day limit; lower them, or give --force to run anyway`);
  }
  const measured = pilot && seconds > PILOT_FROM_SECONDS ? await measureWork(pilot, seconds) : undefined;
  const expected = measured?.seconds ?? seconds;
  if (expected > 60) note(`this asks for about ${duration(expected)} of work ${on}${measured ? `, measured now on this machine (${measured.what} took ${measured.took.toFixed(2)} s)` : ''}`);
}

/** --threads: at most the core count, with a note when lowered. */
export function threadsFrom(cmd: Command): number {
  const text = cmd.opts().threads as string | undefined;
  if (text === undefined) return capThreads(undefined).threads;
  const requested = parseOptionText({ key: 'threads', kind: { type: 'integer', min: 1, max: 1_000_000 }, help: '' }, text) as number;
  const { threads, capped, cores } = capThreads(requested);
  if (capped) note(`--threads ${requested} lowered to ${cores}, the cores of this machine`);
  return threads;
}

/** Refuse flags that do not apply in this mode, naming the first. */
export function refuseFlags(cmd: Command, keys: readonly string[], reason: string): void {
  for (const key of keys) if (cmd.getOptionValueSource(key) === 'cli') throw new InputError(`--${key}`, cmd.opts()[key], reason);
}

/** JSON text with typed arrays as plain arrays and non-finite numbers refused (they never reach output). */
export function jsonText(data: unknown, indent = 1): string {
  return (
    JSON.stringify(
      data,
      (_, v) => {
        if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
        if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`a non-finite number (${v}) reached the output`);
        return v;
      },
      indent,
    ) + '\n'
  );
}
