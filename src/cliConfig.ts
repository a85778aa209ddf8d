// Schemas of the `sde` and `network` commands' JSON configs (keys equal the long flag names), and the
// reading of config files with one-line errors.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from './errors.js';

const seed = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const activation = z.string().min(1);

export const sdeCommandSchema = z
  .object({
    activation: activation.default('relu:0,-1'),
    m: z.number().int().min(1).default(2),
    rho0: z.number().min(-1).max(1).default(0.5),
    v0: z.array(z.array(z.number())).optional(),
    T: z.number().positive().default(1),
    steps: z.number().int().min(1).default(200),
    paths: z.number().int().min(1).default(1000),
    saves: z.number().int().min(1).default(10),
    threshold: z.number().positive().optional(),
    seed: seed.default(1),
    values: z.boolean().default(false),
  })
  .strict();

export const networkCommandSchema = z
  .object({
    activation: activation.default('relu:0,-1'),
    m: z.number().int().min(1).default(2),
    rho0: z.number().min(-1).max(1).default(0.5),
    v0: z.array(z.array(z.number())).optional(),
    n: z.number().int().min(1).default(128),
    ratio: z.number().positive().optional(),
    depth: z.number().int().min(1).optional(),
    method: z.enum(['chain', 'explicit']).default('chain'),
    samples: z.number().int().min(1).default(1000),
    record: z.number().int().min(1).default(10),
    outputs: z.number().int().min(1).default(1),
    threshold: z.number().positive().optional(),
    seed: seed.default(1),
    values: z.boolean().default(false),
  })
  .strict();

/** Read a JSON config file; errors name the file. */
export function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('--config', path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new InputError('--config', path, `is not a JSON object (${(e as Error).message})`);
  }
}

/** An equicorrelated m x m Gram matrix with unit variances. */
export function equicorrelated(m: number, rho: number): number[][] {
  return Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : rho)));
}
