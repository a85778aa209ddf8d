import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ncsde, workdir } from './helpers/cli.js';

/** Why the integration test cannot run here, or null when a Slurm cluster answers (.ci/run starts one). */
function unavailable(): string | null {
  const sinfo = spawnSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8' });
  if (sinfo.error)
    return 'no Slurm on this machine (sinfo not found; .ci/run starts one with scripts/slurm-local.sh where root and apt are available)';
  if (sinfo.status !== 0) return `Slurm does not answer (sinfo: ${sinfo.stderr.trim().split('\n')[0]})`;
  if (!/^(idle|mix|alloc)/m.test(sinfo.stdout))
    return `no usable node (sinfo states: ${sinfo.stdout.trim().replace(/\n/g, ', ')})`;
  return null;
}

const reason = unavailable();
if (reason) console.warn(`test/slurm.test.ts skipped: ${reason}`);

const SCAN = [
  '--grid',
  'cMinus=-1.5,-1,0',
  '--grid',
  'T=0.5,1',
  '--n',
  '8',
  '--paths',
  '64',
  '--samples',
  '64',
  '--steps',
  '4',
];

describe.skipIf(reason !== null)(`a 4-task array scan on a real Slurm${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('runs the generated sbatch scripts, merges after all tasks succeed, and equals the local scan byte for byte', async () => {
    const dir = workdir();
    const written = ncsde(
      ['scan', 'slurm', ...SCAN, '--tasks', '4', '--cpus-per-task', '1', '--out', join(dir, 'cluster'), '--json'],
      dir,
    );
    expect(written.status, written.stderr).toBe(0);
    const submitted = execFileSync('bash', [join(dir, 'cluster', 'slurm', 'submit.sh')], { encoding: 'utf8' });
    const ids = [...submitted.matchAll(/job (\d+)/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    // Wait for both jobs to leave the queue; still there after 120 s is a failure that says so.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const queue = spawnSync('squeue', ['-h', '-j', ids.join(','), '-o', '%i %T %R'], { encoding: 'utf8' });
      // A job purged from the controller (MinJobAge) is done too: squeue calls its id invalid.
      if (queue.status !== 0 && !/Invalid job id/i.test(queue.stderr))
        throw new Error(`squeue failed while waiting for jobs ${ids.join(', ')}: ${queue.stderr.trim()}`);
      if (queue.stdout.trim() === '') break;
      if (Date.now() > deadline)
        throw new Error(
          `jobs ${ids.join(', ')} still queued or running after 120 s: ${queue.stdout.trim().replace(/\n/g, '; ')}`,
        );
      await new Promise((ok) => setTimeout(ok, 500));
    }
    expect(readFileSync(join(dir, 'cluster', 'slurm', 'merge.out'), 'utf8')).toMatch(
      /merged 6 points from 4 shard files/,
    );
    for (let task = 0; task < 4; task++)
      expect(readFileSync(join(dir, 'cluster', 'slurm', `task-${task}.out`), 'utf8')).toMatch(
        new RegExp(`shard ${task}/4`),
      );
    const local = ncsde(['scan', ...SCAN, '--out', join(dir, 'local')], dir);
    expect(local.status, local.stderr).toBe(0);
    for (const name of ['scan.csv', 'scan.json', 'report.html'])
      expect(readFileSync(join(dir, 'cluster', name), 'utf8')).toBe(readFileSync(join(dir, 'local', name), 'utf8'));
  });
});
