import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStream } from '../src/random/streams.js';
import { ncsde, start, workdir } from './helpers/cli.js';

const SCAN = [
  'scan',
  '--grid',
  'cMinus=-1.5,-1,-0.5,0',
  '--grid',
  'T=0.5,1,1.5',
  '--n',
  '16',
  '--paths',
  '400',
  '--samples',
  '400',
  '--steps',
  '8',
  '--threads',
  '1',
];
const VALIDATE_CONFIG = { n: 16, paths: 1500, samples: 1500, steps: 8, widths: [4, 8, 12, 16] };
const OUTPUTS = ['scan.csv', 'scan.json', 'report.html'];

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
/** Kill times at seeded random fractions (15% to 85%) of an uninterrupted run's duration on this machine. */
const killTimes = (label: string, durationMs: number) => {
  const rng = openStream(2026, `faults/${label}`, 0);
  return [0, 1].map(() => Math.round(durationMs * (0.15 + 0.7 * rng.nextUniform())));
};
const timed = <T>(run: () => T): [T, number] => {
  const t0 = performance.now();
  const out = run();
  return [out, performance.now() - t0];
};

describe('killed and resumed', () => {
  it('a scan killed by TERM and then KILL at random points resumes to the bytes of an uninterrupted run', async () => {
    const reference = workdir();
    const [ok, duration] = timed(() => ncsde([...SCAN, '--out', 'out'], reference));
    expect(ok.status).toBe(0);
    const dir = workdir();
    const [term, kill] = killTimes('scan', duration);
    let interrupted = 0;
    for (const [signal, delay] of [
      ['SIGTERM', term],
      ['SIGKILL', kill],
    ] as const) {
      const run = start([...SCAN, '--out', 'out'], dir);
      await sleep(delay);
      run.child.kill(signal);
      const end = await run.done;
      if (end.signal !== null || end.status !== 0) interrupted++;
      // Never a torn output: each of them is absent or complete.
      for (const name of OUTPUTS)
        if (existsSync(join(dir, 'out', name)))
          expect(readFileSync(join(dir, 'out', name), 'utf8')).toBe(readFileSync(join(reference, 'out', name), 'utf8'));
    }
    expect(interrupted).toBeGreaterThan(0);
    const finish = ncsde([...SCAN, '--out', 'out'], dir);
    expect(finish.status, finish.stderr).toBe(0);
    for (const name of OUTPUTS)
      expect(readFileSync(join(dir, 'out', name), 'utf8')).toBe(readFileSync(join(reference, 'out', name), 'utf8'));
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.lock') || f.includes('.tmp-'))).toEqual([]);
    // The progress file holds each point once.
    const indices = readFileSync(join(dir, 'out', 'scan.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l).index);
    expect(new Set(indices).size).toBe(indices.length);
  });

  it('validate killed by TERM and then KILL leaves its report absent or whole, and a rerun gives the same bytes', async () => {
    const reference = workdir();
    writeFileSync(join(reference, 'c.json'), JSON.stringify(VALIDATE_CONFIG));
    const [ok, duration] = timed(() =>
      ncsde(['validate', '--config', 'c.json', '--out', 'report', '--threads', '1'], reference),
    );
    expect(ok.status).toBe(0);
    const dir = workdir();
    writeFileSync(join(dir, 'c.json'), JSON.stringify(VALIDATE_CONFIG));
    const files = ['validation.json', 'validation.md', 'validation.html', 'manifest.json'];
    const [term, kill] = killTimes('validate', duration);
    let interrupted = 0;
    for (const [signal, delay] of [
      ['SIGTERM', term],
      ['SIGKILL', kill],
    ] as const) {
      const run = start(['validate', '--config', 'c.json', '--out', 'report', '--threads', '1'], dir);
      await sleep(delay);
      run.child.kill(signal);
      const end = await run.done;
      if (end.signal !== null || end.status !== 0) interrupted++;
      if (existsSync(join(dir, 'report'))) expect(readdirSync(join(dir, 'report')).sort()).toEqual([...files].sort());
    }
    expect(interrupted).toBeGreaterThan(0);
    const finish = ncsde(['validate', '--config', 'c.json', '--out', 'report', '--threads', '1'], dir);
    expect(finish.status, finish.stderr).toBe(0);
    for (const name of files)
      expect(readFileSync(join(dir, 'report', name), 'utf8')).toBe(
        readFileSync(join(reference, 'report', name), 'utf8'),
      );
    expect(readdirSync(dir).filter((f) => f.includes('ncsde-tmp') || f.includes('ncsde-old'))).toEqual([]);
  });
});

describe('concurrent writers', () => {
  it('a second scan into the same directory is refused while the first runs; the first completes', async () => {
    const dir = workdir();
    const first = start([...SCAN, '--out', 'out'], dir);
    // Wait until the first holds the lock (its progress file exists).
    for (let i = 0; i < 200 && !existsSync(join(dir, 'out', 'scan.lock')); i++) await sleep(25);
    const second = ncsde([...SCAN, '--out', 'out'], dir);
    expect(second.status).toBe(2);
    expect(second.stderr.trim()).toMatch(
      /^ncsde: --out is in use: another scan \(pid \d+ on .*\) holds scan.lock; wait for it, or remove the file if that process is gone \(got ".*out"\)$/,
    );
    const end = await first.done;
    expect(end.status, end.stderr).toBe(0);
    const reference = workdir();
    expect(ncsde([...SCAN, '--out', 'out'], reference).status).toBe(0);
    for (const name of OUTPUTS)
      expect(readFileSync(join(dir, 'out', name), 'utf8')).toBe(readFileSync(join(reference, 'out', name), 'utf8'));
  });

  it('sharded runs (Slurm array variables) merged equal the one-machine scan, and scan report re-renders it', () => {
    const reference = workdir();
    expect(ncsde([...SCAN, '--out', 'out'], reference).status).toBe(0);
    const dir = workdir();
    for (const task of ['0', '1', '2']) {
      const r = ncsde([...SCAN, '--out', 'out'], dir, { SLURM_ARRAY_TASK_ID: task, SLURM_ARRAY_TASK_COUNT: '3' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`shard ${task}/3`));
    }
    expect(existsSync(join(dir, 'out', 'scan.csv'))).toBe(false);
    const merged = ncsde(['scan', 'merge', 'out'], dir);
    expect(merged.status, merged.stderr).toBe(0);
    for (const name of OUTPUTS)
      expect(readFileSync(join(dir, 'out', name), 'utf8')).toBe(readFileSync(join(reference, 'out', name), 'utf8'));
    const again = ncsde(['scan', 'report', 'out', '--stats', 'rho_ks', '--out', 'again.html'], dir);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'again.html'), 'utf8')).toContain('rho: KS distance');
  });
});
