// The package's typed errors and the checks that raise them. Every message is one line that names
// the field as the caller wrote it (an API option such as `paths`, a CLI flag such as `--paths`, or a
// config key such as `network.samples`), states the allowed range and quotes the value received.

/** Invalid user input. `field` is the name the user wrote; the message is `<field> <requirement> (got <value>)`. */
export class InputError extends Error {
  readonly field: string;
  readonly value: unknown;
  readonly requirement: string;
  /** Other fields the requirement names, word for word (renamed with the field). */
  readonly refs: readonly string[];
  constructor(field: string, value: unknown, requirement: string, refs: readonly string[] = []) {
    super(`${field} ${requirement} (got ${formatValue(value)})`);
    this.name = 'InputError';
    this.field = field;
    this.value = value;
    this.requirement = requirement;
    this.refs = refs;
  }

  /** The same error reported under another name (an API field re-expressed as the CLI flag that set it);
   *  `rename` re-expresses the fields the requirement names too. */
  renamed(field: string, rename: (ref: string) => string = (ref) => ref): InputError {
    let requirement = this.requirement;
    for (const ref of this.refs) requirement = requirement.split(ref).join(rename(ref));
    const refs = this.refs.map(rename);
    return new (
      this.constructor as new (
        field: string,
        value: unknown,
        requirement: string,
        refs: readonly string[],
      ) => InputError
    )(field, this.value, requirement, refs);
  }
}

/** A request too large for this machine (memory, array sizes); raised before anything is allocated. */
export class LimitError extends InputError {
  constructor(field: string, value: unknown, requirement: string, refs: readonly string[] = []) {
    super(field, value, requirement, refs);
    this.name = 'LimitError';
  }
}

/** An output path that cannot be written (missing parent, a file where a directory is needed, no permission). */
export class OutputError extends InputError {
  constructor(field: string, value: unknown, requirement: string, refs: readonly string[] = []) {
    super(field, value, requirement, refs);
    this.name = 'OutputError';
  }
}

/** A value for a one-line message: numbers as written, strings quoted, long structures cut at 80 characters. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

export function requireFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InputError(field, value, 'must be a finite number');
  return value;
}

export function requirePositive(field: string, value: unknown): number {
  requireFinite(field, value);
  if (!((value as number) > 0)) throw new InputError(field, value, 'must be > 0');
  return value as number;
}

/** A finite number in [min, max] (either bound may be infinite). */
export function requireInRange(field: string, value: unknown, min: number, max: number): number {
  requireFinite(field, value);
  const x = value as number;
  if (x < min || x > max) throw new InputError(field, value, `must be in [${min}, ${max}]`);
  return x;
}

/** An integer >= min (and <= max when given). */
export function requireInteger(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      field,
      value,
      max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer in [${min}, ${max}]`,
    );
  }
  return value;
}

/** An own key of a table of choices: inherited keys such as `toString` or `__proto__` never match. */
export function requireChoice<T extends string>(field: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !choices.includes(value as T))
    throw new InputError(field, value, `must be one of ${choices.join(', ')}`);
  return value as T;
}
