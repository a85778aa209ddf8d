// The scan kinds as one table of values: --kind's choices and help, each kind's options and axes, and
// the runner of its points all come from here. A new kind is one file in kinds/ and one line below.
import { InputError } from '../../src/errors.js';
import type { ScanKindSpec } from './kind.js';
import { collapseKind } from './kinds/collapse.js';
import { cumulantKind } from './kinds/cumulant.js';
import { explosionKind } from './kinds/explosion.js';
import { validationKind } from './kinds/validation.js';

/** Every scan kind by name; the first is the default. */
export const SCAN_KIND_TABLE: Readonly<Record<string, ScanKindSpec>> = {
  validation: validationKind,
  explosion: explosionKind,
  cumulant: cumulantKind,
  collapse: collapseKind,
};
/** The names of SCAN_KIND_TABLE. */
export const SCAN_KIND_NAMES: readonly string[] = Object.keys(SCAN_KIND_TABLE);

/** The kind of a name; errors name `field`. */
export function scanKind(name: unknown, field = 'kind'): ScanKindSpec {
  if (typeof name !== 'string' || !Object.hasOwn(SCAN_KIND_TABLE, name))
    throw new InputError(field, name, `must be one of ${SCAN_KIND_NAMES.join(', ')}`);
  return SCAN_KIND_TABLE[name];
}

/** --kind's help, from each kind's description. */
export function scanKindHelp(): string {
  return SCAN_KIND_NAMES.map((k) => `${k}: ${SCAN_KIND_TABLE[k].description}`).join('; ');
}
