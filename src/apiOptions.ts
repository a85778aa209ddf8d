// The checks every API function applies to its options object before reading it: unknown or misspelt
// keys refused in one line that lists the valid ones (as the CLI refuses an unknown flag), old names
// taken one release with a one-line deprecation note, and thread counts refused where a call cannot honour them.
import { InputError, requireInteger } from './errors.js';
import { activationLabel } from './activations/parse.js';
import type { Activation } from './activations/types.js';

/** Refuse any own key of `options` not in `keys`: `steps is not an option of solve (options: sde, ...)`.
 *  The deprecated names of listed keys (RENAMED_KEYS; `explosion` where `threshold` is listed) pass, unlisted. */
export function requireKnownKeys(where: string, options: object, keys: readonly string[], prefix = ''): void {
  for (const key of Object.keys(options)) {
    if (keys.includes(key) || keys.includes(DEPRECATED_KEYS[key] ?? '')) continue;
    throw new InputError(
      `${prefix}${key}`,
      (options as Record<string, unknown>)[key],
      `is not an option of ${where} (options: ${keys.join(', ')})`,
    );
  }
}

const warned = new Set<string>();

/** A one-line DeprecationWarning, once per process and name (a browser without `process` gets console.warn). */
export function deprecationNote(name: string, text: string): void {
  if (warned.has(name)) return;
  warned.add(name);
  const proc = (
    globalThis as { process?: { emitWarning?: (message: string, options: { type: string; code: string }) => void } }
  ).process;
  if (typeof proc?.emitWarning === 'function')
    proc.emitWarning(text, { type: 'DeprecationWarning', code: 'NCSDE_DEPRECATED' });
  else console.warn(`DeprecationWarning: ${text}`);
}

/**
 * The options with each deprecated key moved to its new name (a note per old name, once): `aliases` maps
 * old -> new. Both names given is refused. Keys not listed are left as they are.
 */
export function withRenamedKeys<T extends object>(
  where: string,
  options: T,
  aliases: Readonly<Record<string, string>>,
): T {
  let out: Record<string, unknown> | null = null;
  for (const [old, now] of Object.entries(aliases)) {
    if (!Object.hasOwn(options, old)) continue;
    const source = options as Record<string, unknown>;
    if (Object.hasOwn(options, now) && source[now] !== undefined && source[old] !== undefined) {
      throw new InputError(old, source[old], `is the deprecated name of ${now}; give ${now} only`, [now]);
    }
    deprecationNote(
      `${where}.${old}`,
      `${where}: the option \`${old}\` is deprecated; use \`${now}\` (${old} is accepted for one release)`,
    );
    out ??= { ...source };
    if (source[old] !== undefined) out[now] = source[old];
    delete out[old];
  }
  return (out ?? options) as T;
}

/** Options of a synchronous call: it runs on the calling thread, so `threads` can only be 1. */
export type OnThisThread<T> = T extends unknown ? Omit<T, 'threads'> & { threads?: 1 | undefined } : never;

/** A thread count for a call that can run on worker threads (1, the default: this thread). */
export function requireThreads(threads: unknown): number {
  return threads === undefined ? 1 : requireInteger('threads', threads, 1, 1024);
}

/** A synchronous call runs on this thread: `threads` other than 1 is refused, naming the async twin. */
export function refuseThreads(where: string, threads: unknown, instead: string): void {
  if (threads !== undefined && threads !== 1)
    throw new InputError(
      'threads',
      threads,
      `cannot be honoured by ${where}, which runs on the calling thread; use ${instead} for worker threads`,
    );
}

/** The largest input variance max_a V0^aa of a flat side x side matrix over its first m inputs: the unit of every explosion threshold. */
export function largestVariance(v0: ArrayLike<number>, side: number, m = side): number {
  let scale = 0;
  for (let a = 0; a < m; a++) scale = Math.max(scale, v0[a * side + a]);
  return scale;
}

/** The default explosion threshold, in units of the largest input variance, everywhere in the package. */
export const DEFAULT_THRESHOLD = 1e4;

/**
 * The absolute explosion level from the one rule: `threshold` (relative, a plain number, default 1e4) times
 * the largest input variance `scale`; or the deprecated absolute `explosion.threshold`. Refuses both, and
 * a level that does not exceed `scale`.
 */
export function explosionLevel(
  where: string,
  threshold: unknown,
  explosion: { readonly threshold?: number } | undefined,
  scale: number,
): number {
  if (explosion !== undefined) {
    if (threshold !== undefined)
      throw new InputError(
        'explosion',
        explosion,
        'is the deprecated absolute form of threshold; give threshold only',
        ['threshold'],
      );
    deprecationNote(
      `${where}.explosion`,
      `${where}: the option \`explosion\` (an absolute level) is deprecated; use \`threshold\`, a plain number in units of the largest input variance max_a V0^aa (default 1e4)`,
    );
    if (explosion === null || typeof explosion !== 'object')
      throw new InputError('explosion', explosion, 'must be { threshold } (deprecated; use threshold)');
    if (explosion.threshold !== undefined) {
      if (
        typeof explosion.threshold !== 'number' ||
        !(explosion.threshold > scale) ||
        !Number.isFinite(explosion.threshold)
      ) {
        throw new InputError(
          'explosion.threshold',
          explosion.threshold,
          `must exceed the largest input variance ${scale}`,
        );
      }
      return explosion.threshold;
    }
  }
  const relative = threshold ?? DEFAULT_THRESHOLD;
  if (typeof relative !== 'number' || !Number.isFinite(relative) || !(relative > 1)) {
    throw new InputError(
      'threshold',
      relative,
      'must be a number > 1, in units of the largest input variance max_a V0^aa',
    );
  }
  return relative * scale;
}

/** Old API names of the vocabulary (VOCAB.md) and the names that replace them. */
export const RENAMED_KEYS: Readonly<Record<string, string>> = {
  t1: 'T',
  ratio: 'T',
  method: 'sampler',
  networkTs: 'networkT',
};

/** Every deprecated key and the current one it stands for (the renamed ones, and the absolute `explosion`). */
const DEPRECATED_KEYS: Readonly<Record<string, string>> = { ...RENAMED_KEYS, explosion: 'threshold' };

/**
 * An API caller's settings object made ready for an option table whose keys are `tableKeys`: an
 * activation value becomes its text (as an architecture value already does), an old name becomes the
 * table's new one with a deprecation note, and, while a table still has an old key, the new name is
 * taken for it without a note.
 */
export function apiSettings(
  where: string,
  values: Readonly<Record<string, unknown>>,
  tableKeys: readonly string[],
): Record<string, unknown> {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return values as Record<string, unknown>;
  let out: Record<string, unknown> = { ...values };
  const forward: Record<string, string> = {};
  for (const [old, now] of Object.entries(RENAMED_KEYS)) {
    if (tableKeys.includes(now) && !tableKeys.includes(old)) forward[old] = now;
    else if (
      tableKeys.includes(old) &&
      !tableKeys.includes(now) &&
      Object.hasOwn(out, now) &&
      !Object.hasOwn(out, old)
    ) {
      out[old] = out[now];
      delete out[now];
    }
  }
  out = withRenamedKeys(where, out, forward);
  const activation = out.activation;
  if (
    activation !== null &&
    typeof activation === 'object' &&
    typeof (activation as Activation).atWidth === 'function'
  ) {
    const spec = (activation as Activation).spec;
    if (!spec)
      throw new InputError(
        'activation',
        (activation as Activation).name,
        'is a custom activation, which has no text form: give a catalogue activation or its text',
      );
    out.activation = activationLabel(spec);
  }
  return out;
}
