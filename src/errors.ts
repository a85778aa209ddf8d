// Errors the package raises on bad input. Every message names the offending field and its value,
// so a user scanning a log of a thousand-point scan can tell which knob was wrong.

/** Raised for invalid user input; `field` is the dotted path of the offending value. */
export class InputError extends Error {
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown, requirement: string) {
    super(`${field} ${requirement} (got ${formatValue(value)})`);
    this.name = 'InputError';
    this.field = field;
    this.value = value;
  }
}

export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

export function requireFinite(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(field, value, 'must be a finite number');
  return value;
}

export function requirePositive(field: string, value: number): number {
  requireFinite(field, value);
  if (!(value > 0)) throw new InputError(field, value, 'must be > 0');
  return value;
}

export function requireInteger(field: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InputError(field, value, `must be an integer >= ${min}`);
  }
  return value;
}

/** Seeds are non-negative integers or non-empty strings; they name a family of streams. */
export function requireSeed(field: string, value: unknown): number | string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && value.length > 0) return value;
  throw new InputError(field, value, 'must be a non-negative integer or a non-empty string');
}
