// Schemas (zod) for the JSON configs of `validate` and `scan`, with defaults, and a formatter that
// turns a schema failure into one line naming the field, e.g. "sde.paths: must be >= 2 (got -5)".
import { z } from 'zod';
import type { ActivationSpec } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';

const seedSchema = z.union([z.number().int().nonnegative(), z.string().min(1)]);

export const activationSchema = z.discriminatedUnion('family', [
  z.object({ family: z.literal('relu-like'), cPlus: z.number(), cMinus: z.number() }).strict(),
  z.object({ family: z.literal('smooth'), f: z.enum(['tanh', 'sin', 'swish', 'softplus', 'gelu']), a: z.number().positive() }).strict(),
]);

/** One comparison of SDE and networks: the unit of `validate` and of every scan grid point. */
export const pointSchema = z
  .object({
    activation: activationSchema.default({ family: 'relu-like', cPlus: 0, cMinus: -1 }),
    rho0: z.number().min(-1).max(1).default(0.5),
    T: z.number().positive().max(100).default(1),
    n: z.number().int().min(2).default(128),
    sde: z
      .object({ paths: z.number().int().min(2).default(4000), steps: z.number().int().min(1).default(200) })
      .strict()
      .prefault({}),
    network: z
      .object({ samples: z.number().int().min(2).default(4000), method: z.enum(['chain', 'explicit']).default('chain') })
      .strict()
      .prefault({}),
    seed: seedSchema.default(1),
  })
  .strict();

export const validationSchema = pointSchema
  .extend({
    widths: z.array(z.number().int().min(2)).min(2).default([4, 8, 16, 32, 64, 128]),
  })
  .strict();

export const gridSchema = z
  .object({
    activation: z.array(z.enum(['relu', 'tanh', 'sin', 'swish', 'softplus', 'gelu'])).min(1).optional(),
    cPlus: z.array(z.number()).min(1).optional(),
    cMinus: z.array(z.number()).min(1).optional(),
    a: z.array(z.number().positive()).min(1).optional(),
    T: z.array(z.number().positive().max(100)).min(1).optional(),
    n: z.array(z.number().int().min(2)).min(1).optional(),
    rho0: z.array(z.number().min(-1).max(1)).min(1).optional(),
  })
  .strict();

export const scanSchema = z
  .object({
    base: pointSchema.omit({ seed: true }).prefault({}),
    grid: gridSchema,
    seed: seedSchema.default(1),
  })
  .strict();

export type PointConfig = z.infer<typeof pointSchema>;
export type ValidationConfig = z.infer<typeof validationSchema>;
export type ScanConfig = z.infer<typeof scanSchema>;
export type GridConfig = z.infer<typeof gridSchema>;
export type ShapedActivationSpec = Extract<ActivationSpec, { family: 'relu-like' | 'smooth' }>;

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(config)';
  let value: unknown = input;
  for (const key of issue.path) value = value != null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  const got = issue.code === 'unrecognized_keys' ? '' : ` (got ${JSON.stringify(value) ?? 'undefined'})`;
  return `${path}: ${issue.message}${got}`;
}

/** Parse with a schema; on failure throw an InputError whose message is one line naming the field. */
export function parseConfig<T extends z.ZodType>(schema: T, input: unknown, source = 'config'): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String).join('.') || source;
  const err = new InputError(path, undefined, '');
  err.message = `${source}: ${describeIssue(issue, input)}`;
  throw err;
}
