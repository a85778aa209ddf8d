// A scan's config: resolved from its JSON ({ kind, base, grid, seed }) and the CLI's flag overrides, every
// value checked by the option it sets, and hashed (with the package version) so that shards of one scan,
// and only they, share the hash.
import { node } from '../../src/nodeBuiltins.js';
import { InputError } from '../../src/errors.js';
import { parseOptionValue, readOptions } from '../../src/options.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { OPTION } from '../options.js';
import { ARCHITECTURE_AXIS_KEYS, AXES, AXIS_KEYS, expandGrid } from './grid.js';
import { SCAN_KIND_NAMES, scanKind } from './kinds.js';
import type { Grid, ScanConfig } from './types.js';
// Node modules through the platform, so that the ./validation entry bundles for a browser.
const { createHash } = node.crypto;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the scan (and the package version): shards of one scan, and only they, share it. */
export function scanHash(scan: ScanConfig): string {
  return createHash('sha256')
    .update(canonical({ scan, version: PACKAGE_VERSION }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Resolve a scan from its config object ({ kind, base, grid, seed }) with the flag overrides the CLI
 * passes: base options, grid axes and the seed, every value checked by the option it sets.
 */
export function resolveScan(
  config: Readonly<Record<string, unknown>>,
  source = '',
  flags: { base?: Readonly<Record<string, string>>; grid?: Grid; kind?: string; seed?: number } = {},
): ScanConfig {
  const where = source ? `${source}: ` : '';
  for (const key of Object.keys(config))
    if (!['kind', 'base', 'grid', 'seed'].includes(key))
      throw new InputError(`${where}${key}`, config[key], 'is not a scan key (keys: kind, base, grid, seed)');
  const kindText = flags.kind ?? config.kind ?? SCAN_KIND_NAMES[0];
  const spec = scanKind(kindText, flags.kind !== undefined ? '--kind' : `${where}kind`);
  const kind = spec.name;
  const specs = spec.options.filter((s) => s.key !== 'seed');
  const baseValues = config.base ?? {};
  const base = readOptions(specs, {
    config: { values: baseValues as Record<string, unknown>, source: source ? `${source}: base` : 'base' },
    flags: flags.base,
  });
  const seedSpec = OPTION.seed;
  const seed = (flags.seed ??
    (config.seed === undefined ? seedSpec.default : parseOptionValue(seedSpec, config.seed, `${where}seed`))) as number;
  const rawGrid = { ...((config.grid as Record<string, unknown>) ?? {}) };
  for (const key of Object.keys(flags.grid ?? {}))
    if (key in rawGrid)
      throw new InputError('--grid', key, `sets the axis ${key} that the config's grid already sets; give it once`);
  Object.assign(rawGrid, flags.grid ?? {});
  const grid: Record<string, Array<number | string>> = {};
  for (const axis of AXES) {
    if (!(axis.key in rawGrid)) continue;
    const field = flags.grid?.[axis.key] !== undefined ? `--grid ${axis.key}` : `${where}grid.${axis.key}`;
    const applies =
      spec.axes.includes(axis.key) || (spec.axes.includes('architecture') && ARCHITECTURE_AXIS_KEYS.includes(axis.key));
    if (!applies)
      throw new InputError(
        field,
        rawGrid[axis.key],
        `is not an axis of ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} scan (axes: ${spec.axes.join(', ')})`,
      );
    const values = rawGrid[axis.key];
    if (!Array.isArray(values) || values.length === 0)
      throw new InputError(field, values, 'must be a non-empty list of values');
    if (new Set(values).size !== values.length) throw new InputError(field, values, 'must not repeat a value');
    grid[axis.key] = values.map((v, i) => {
      if (axis.key === 'activation') {
        // A kind that takes the axis value as its activation checks it by that option (the grammar).
        const own = spec.pointActivation ? spec.options.find((o) => o.key === 'activation') : undefined;
        if (own) return parseOptionValue(own, v, `${field}[${i}]`) as string;
        const names = spec.activationNames;
        if (typeof v !== 'string' || !names.includes(v))
          throw new InputError(`${field}[${i}]`, v, `must be one of ${names.join(', ')}`);
        return v;
      }
      return parseOptionValue(axis, v, `${field}[${i}]`) as number | string;
    });
  }
  for (const key of Object.keys(rawGrid))
    if (!AXIS_KEYS.includes(key))
      throw new InputError(`${where}grid.${key}`, rawGrid[key], `is not an axis (axes: ${AXIS_KEYS.join(', ')})`);
  if (Object.keys(grid).length === 0)
    throw new InputError('grid', undefined, 'must have at least one axis (--grid axis=v1,v2 or "grid" in the config)');
  if ('a' in grid && 'beta' in grid)
    throw new InputError(
      '--grid beta',
      grid.beta,
      'conflicts with the axis a (beta sets a = sqrt(beta_1 / beta)); give one of them',
    );
  const scan: ScanConfig = { kind, base, grid, seed };
  expandGrid(scan); // refuses combinations that do not apply, before anything runs
  return scan;
}
