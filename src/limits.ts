// Limits checked before anything is allocated: a memory estimate of a request against what this
// machine has free, and thread counts capped at the core count. Both the API and the CLI call these,
// so a request too large fails with one line naming the option instead of a RangeError deep inside.
// Memory and cores come from the platform (src/platform.ts): node:os on Node, navigator in a browser.
import { LimitError } from './errors.js';
import { platform } from './platform.js';

/** The share of free memory one request may plan to use. */
export const MEMORY_SHARE = 0.5;
/** The most inputs m of an m x m covariance (SDE and MLP networks): the step costs O(m^3) per path and the
 *  work guard and memory checks size it; 512 covers the batches of kernel-method users (issue 28). */
export const MAX_INPUTS = 512;
/** The largest typed array the package allocates (elements); V8's own limit is near 2^32. */
export const MAX_ARRAY_ELEMENTS = 2 ** 31;

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 3 : 1)} GiB`;
}

/**
 * Refuse a request whose planned arrays exceed MEMORY_SHARE of free memory (or the array size limit).
 * `field` names what the user can lower; `elements` is the largest single array, `bytes` the total.
 */
export function requireMemory(field: string, value: unknown, bytes: number, elements = 0, what = 'the result'): void {
  const memory = platform().memory();
  if (elements > MAX_ARRAY_ELEMENTS || !Number.isFinite(bytes)) {
    throw new LimitError(
      field,
      value,
      `asks for ${what} of ${elements.toExponential(2)} entries, above the ${MAX_ARRAY_ELEMENTS.toExponential(2)} limit of one array; lower it`,
    );
  }
  if (memory && bytes > MEMORY_SHARE * memory.bytes) {
    throw new LimitError(
      field,
      value,
      `needs about ${gib(bytes)} for ${what}, more than half of the ${gib(memory.bytes)} ${memory.what}; lower it`,
    );
  }
}

/** Threads to use: at most the core count. `capped` says the request was lowered (the CLI prints a note). */
export function capThreads(requested: number | undefined): { threads: number; capped: boolean; cores: number } {
  const cores = platform().cores();
  const want = requested ?? cores;
  return { threads: Math.max(1, Math.min(want, cores)), capped: want > cores, cores };
}
