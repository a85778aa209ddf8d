// Seeds and the streams derived from them. One rule for every entry point: a seed is an integer in
// [0, 2^53 - 1]. Every random number the package draws comes from a stream named by
// (seed, purpose, index): the purpose says who draws (the SDE's paths, the networks, a bootstrap, ...),
// the index which block of work, so different sides of a comparison never share numbers and a block's
// numbers do not depend on how blocks are spread over threads.
import { InputError } from '../errors.js';
import { slowNormal, K, W } from './ziggurat.js';
import { Xor4096 } from './xor4096.js';
import { Xoshiro128pp } from './xoshiro.js';

export { Xor4096 } from './xor4096.js';
export { Xoshiro128pp } from './xoshiro.js';

/** The largest seed: 2^53 - 1, so that every seed is exact in a JSON number. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Uniform sources: xoshiro128++ (the default, fast) or seedrandom's xor4096 (reproducible by seedrandom). */
export type GeneratorName = 'xoshiro128++' | 'xor4096';
/** The uniform sources a stream can use: xoshiro128++ (default) and seedrandom's xor4096. */
export const GENERATORS: readonly GeneratorName[] = ['xoshiro128++', 'xor4096'];

/** A seeded uniform source with the package's ziggurat normals. */
export type RandomStream = Xoshiro128pp | Xor4096;

/**
 * The purposes that name stream families. A caller may qualify one (`sde/width=64`) to get a family
 * independent of every other; the list is the documented set the package itself uses.
 */
export const PURPOSES = {
  /** The SDE solver's Brownian increments, one stream per block of 64 paths. */
  sde: 'sde',
  /** Ninomiya-Victoir's fair coins (the order of the noise flows): the Brownian family's purpose + '/coins'. */
  coins: '/coins',
  /** Finite networks (chain or explicit weights), one stream per network. */
  network: 'network',
  /** Bootstrap resampling. */
  bootstrap: 'bootstrap',
} as const;

/** A seed as the API takes it: an integer in [0, 2^53 - 1]. */
export function requireSeed(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InputError(field, value, `must be an integer in [0, ${MAX_SEED}]`);
  }
  return value;
}

/** A seed as a user types it: decimal digits only, so `1.0`, `1e3` and `-1` are refused, not reinterpreted. */
export function parseSeed(field: string, text: string): number {
  if (!/^[0-9]{1,16}$/.test(text))
    throw new InputError(field, text, `must be an integer in [0, ${MAX_SEED}] written in digits`);
  return requireSeed(field, Number(text));
}

/** The key of stream `index` of family (seed, purpose): stable across versions and platforms. */
export function streamKey(seed: number, purpose: string, index: number): string {
  return `${seed}/${purpose}/${index}`;
}

/** Stream `index` of the family (seed, purpose). */
export function openStream(
  seed: number,
  purpose: string,
  index: number,
  generator: GeneratorName = 'xoshiro128++',
): RandomStream {
  requireSeed('seed', seed);
  if (typeof purpose !== 'string' || purpose.length === 0)
    throw new InputError('purpose', purpose, 'must be a non-empty string');
  if (!Number.isSafeInteger(index) || index < 0) throw new InputError('stream index', index, 'must be an integer >= 0');
  const key = streamKey(seed, purpose, index);
  switch (generator) {
    case 'xoshiro128++':
      return Xoshiro128pp.fromKey(key);
    case 'xor4096':
      return Xor4096.fromKey(key);
    default:
      throw new InputError('generator', generator, `must be one of ${GENERATORS.join(', ')}`);
  }
}

/** One standard normal, the same as the next one `stream.fillNormals` would give; kernels that need
 *  many call fillNormals. */
export function nextNormal(rng: RandomStream): number {
  const u = rng.nextInt32();
  const j = u >> 8;
  return Math.abs(j) < K[u & 255] ? j * W[u & 255] : slowNormal(rng.auxiliary(), u);
}
