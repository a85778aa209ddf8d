// Shards of a scan: shard i of k runs the points with index % k == i; the shard an array job (Slurm,
// Kubernetes indexed jobs) assigns to this process; the file stem of a shard's progress file and lock.
import { InputError } from '../../src/errors.js';

/** Shard i of k: the points with index % k == i. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parse "i/k" (0 <= i < k). */
export function parseShard(text: string, field = '--shard'): Shard {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : null;
  if (!shard || shard.count < 1 || shard.index >= shard.count)
    throw new InputError(field, text, 'must be i/k with 0 <= i < k, e.g. 0/4');
  return shard;
}

/**
 * The shard an array job assigns to this process: Slurm's SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN)
 * of SLURM_ARRAY_TASK_COUNT, or Kubernetes' JOB_COMPLETION_INDEX of NCSDE_SHARD_COUNT (the Job's
 * completions); null outside an array job.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Shard | null {
  const int = (name: string): number | null => {
    const v = env[name];
    if (v === undefined) return null;
    if (!/^\d+$/.test(v)) throw new InputError(name, v, 'must be a non-negative integer (an array job variable)');
    return Number(v);
  };
  const task = int('SLURM_ARRAY_TASK_ID');
  const count = int('SLURM_ARRAY_TASK_COUNT');
  if (task !== null && count !== null) {
    const index = task - (int('SLURM_ARRAY_TASK_MIN') ?? 0);
    if (index < 0 || index >= count)
      throw new InputError(
        'SLURM_ARRAY_TASK_ID',
        task,
        `must be in [min, min + ${count}) for an array of ${count} tasks`,
      );
    return { index, count };
  }
  const k8s = int('JOB_COMPLETION_INDEX');
  if (k8s !== null) {
    const total = int('NCSDE_SHARD_COUNT');
    if (total === null)
      throw new InputError(
        'NCSDE_SHARD_COUNT',
        undefined,
        "must be set to the Job's completions when JOB_COMPLETION_INDEX is",
      );
    if (k8s >= total) throw new InputError('JOB_COMPLETION_INDEX', k8s, `must be below NCSDE_SHARD_COUNT (${total})`);
    return { index: k8s, count: total };
  }
  return null;
}

/** The file stem of a shard's progress file (and lock). */
export function shardStem(shard: Shard): string {
  return shard.count > 1 ? `scan.shard-${shard.index}-of-${shard.count}` : 'scan';
}
