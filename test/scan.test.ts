import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanHtml } from '../reports/scan.js';
import { acquireLock } from '../src/files.js';
import {
  describeScanColumn,
  expandGrid,
  gridFromFlags,
  mergeScanShards,
  readProgress,
  resolveScan,
  runScan,
  runScanPoint,
  scanCsv,
  scanHash,
  shardFromEnvironment,
  type ScanRenderer,
} from '../validation/scan.js';
import { slurmScripts } from '../entry/cli/scan.js';
import { PACKAGE_VERSION } from '../src/version.js';

const render: ScanRenderer = async (result) => [['report.html', await scanHtml(result)]];
const tmp = () => mkdtempSync(join(tmpdir(), 'ncsde-scan-'));

const SMALL_VALIDATION = {
  kind: 'validation',
  base: { n: 8, paths: 64, samples: 64, steps: 4 },
  grid: { cMinus: [-1.5, -1, 0], T: [0.5, 1] },
  seed: 11,
};
// beta x x0 at T = 0.5 with a small sample: some points see no crossing, so their time cells are missing.
const SMALL_EXPLOSION = {
  kind: 'explosion',
  base: { activation: 'swish:1', T: 0.5, n: 16, paths: 200, steps: 8, samples: 30, threshold: 10 },
  grid: { beta: [0.25, 1, 3], x0: [0.5, 2] },
  seed: 3,
};

describe('resolving a scan', () => {
  it("orders points axis by axis (the last fastest) and builds each point's activation", () => {
    const scan = resolveScan(SMALL_VALIDATION);
    const points = expandGrid(scan);
    expect(points).toHaveLength(6);
    expect(points.map((p) => [p.at.cMinus, p.at.T])).toEqual([
      [-1.5, 0.5],
      [-1.5, 1],
      [-1, 0.5],
      [-1, 1],
      [0, 0.5],
      [0, 1],
    ]);
    expect(points[2].settings.activation).toBe('relu:0,-1');
    const explosion = expandGrid(resolveScan(SMALL_EXPLOSION));
    // beta = 0.75 / a^2 for swish: a = sqrt(0.75 / beta).
    expect(explosion[0].settings.activation).toBe(`swish:${Math.sqrt(0.75 / 0.25)}`);
    expect(explosion[1].settings.x0).toBe(2);
  });

  it('refuses axes that do not apply, conflicts, repeats and unknown keys, in one line naming them', () => {
    const cases: Array<[object, RegExp]> = [
      [{ grid: { beta: [1] } }, /^--grid beta .*applies to smooth activations, not to relu:0,-1/],
      [{ base: { activation: 'tanh:1' }, grid: { cMinus: [0] } }, /^--grid cMinus .*applies to ReLU-like activations/],
      [{ base: { activation: 'swish:1' }, grid: { a: [1], beta: [1] } }, /^--grid beta .*conflicts with the axis a/],
      [{ base: { activation: 'tanh:1' }, grid: { beta: [0.5] } }, /^--grid beta must have the sign of tanh's beta/],
      [{ grid: { T: [1, 1] } }, /^grid\.T must not repeat a value/],
      [{ grid: { T: [-1] } }, /^grid\.T\[0\] must be a number in \(0, 100\]/],
      [{ grid: JSON.parse('{"__proto__": [1]}') }, /^grid\.__proto__ is not an axis/],
      [{ grid: { toString: [1] } }, /^grid\.toString is not an axis/],
      [{ kind: 'explosion', grid: { rho0: [0.1] } }, /^grid\.rho0 is not an axis of an explosion scan/],
      [{ grid: {} }, /^grid must have at least one axis/],
      [{ grid: { T: [1] }, extra: 1 }, /^extra is not a scan key/],
      [{ base: { paths: 1 }, grid: { T: [1] } }, /^base: paths must be an integer in \[2, /],
      [{ base: { nope: 1 }, grid: { T: [1] } }, /^base: nope is not an option here/],
      [{ kind: 'sideways', grid: { T: [1] } }, /^kind must be one of validation, explosion, cumulant/],
    ];
    for (const [config, pattern] of cases)
      expect(() => resolveScan(config as Record<string, unknown>)).toThrow(pattern);
    expect(() => gridFromFlags(['T=1', 'T=2'])).toThrow(/^--grid names the axis T twice/);
    expect(() => gridFromFlags(['__proto__=1'])).toThrow(/^--grid must be axis=v1,v2/);
    expect(() => gridFromFlags(['T=1,abc'])).toThrow(/^--grid T must be a number/);
  });

  it('names a scan by a hash of its resolved settings', () => {
    expect(scanHash(resolveScan(SMALL_VALIDATION))).toBe(scanHash(resolveScan(SMALL_VALIDATION)));
    expect(scanHash(resolveScan({ ...SMALL_VALIDATION, seed: 12 }))).not.toBe(scanHash(resolveScan(SMALL_VALIDATION)));
  });
});

describe('running, sharding, merging, resuming', () => {
  it('rows equal single points; shards merge into the unsharded bytes (missing values included); a torn line resumes', async () => {
    const scan = resolveScan(SMALL_EXPLOSION);
    const dir = tmp();
    const whole = await runScan(scan, { outDir: join(dir, 'whole'), render });
    expect(whole.rows).toHaveLength(6);
    const point = expandGrid(scan)[4];
    expect(await runScanPoint(scan.kind, point)).toEqual(whole.rows[4]);
    const csv = readFileSync(join(dir, 'whole', 'scan.csv'), 'utf8');
    expect(csv).not.toMatch(/NaN|null|undefined/);
    expect(whole.rows.some((r) => r.sde_time === null || r.net_time === null)).toBe(true); // some cells are missing, and say why
    expect(whole.rows.filter((r) => r.net_time === null).every((r) => String(r.notes).includes('net_time:'))).toBe(
      true,
    );

    for (const index of [0, 1, 2]) await runScan(scan, { outDir: join(dir, 'sharded'), shard: { index, count: 3 } });
    const files = [2, 0, 1].map((i) => join(dir, 'sharded', `scan.shard-${i}-of-3.jsonl`));
    await mergeScanShards(files, join(dir, 'merged'), { render });
    for (const name of ['scan.csv', 'scan.json', 'report.html'])
      expect(readFileSync(join(dir, 'merged', name), 'utf8')).toBe(readFileSync(join(dir, 'whole', name), 'utf8'));

    // Resume: drop the last two rows and cut the one before short; the rerun computes only those.
    const progress = join(dir, 'whole', 'scan.jsonl');
    const lines = readFileSync(progress, 'utf8').trimEnd().split('\n');
    writeFileSync(progress, lines.slice(0, 4).join('\n') + '\n' + lines[4].slice(0, 25));
    const seen: number[] = [];
    const resumed = await runScan(scan, { outDir: join(dir, 'whole'), render, onPoint: (done) => seen.push(done) });
    expect(seen[0]).toBe(3);
    expect(scanCsv(resumed)).toBe(csv);
    expect(readFileSync(progress, 'utf8').trimEnd().split('\n')).toHaveLength(7);
    expect(readProgress(progress).rows.size).toBe(6);
    await expect(runScan(resolveScan({ ...SMALL_EXPLOSION, seed: 4 }), { outDir: join(dir, 'whole') })).rejects.toThrow(
      /holds scan.jsonl of a different scan/,
    );
  });

  it('merge refuses missing, duplicate and foreign shards in one line', async () => {
    const dir = tmp();
    const a = resolveScan(SMALL_VALIDATION);
    const b = resolveScan({ ...SMALL_VALIDATION, seed: 99 });
    await runScan(a, { outDir: join(dir, 'a'), shard: { index: 0, count: 2 } });
    await runScan(a, { outDir: join(dir, 'a'), shard: { index: 1, count: 2 } });
    await runScan(b, { outDir: join(dir, 'b'), shard: { index: 1, count: 2 } });
    const s0 = join(dir, 'a', 'scan.shard-0-of-2.jsonl');
    const s1 = join(dir, 'a', 'scan.shard-1-of-2.jsonl');
    await expect(mergeScanShards([s0], join(dir, 'm1'))).rejects.toThrow(
      /^shards miss points 1, 3, 5; run the remaining shards first \(got "3 of 6"\)$/,
    );
    await expect(mergeScanShards([s0, s0, s1], join(dir, 'm2'))).rejects.toThrow(/holds point 0, which .* holds too/);
    await expect(mergeScanShards([s0, join(dir, 'b', 'scan.shard-1-of-2.jsonl')], join(dir, 'm3'))).rejects.toThrow(
      /comes from a different scan/,
    );
    writeFileSync(join(dir, 'not.jsonl'), 'a,b,c\n1,2,3\n');
    await expect(mergeScanShards([join(dir, 'not.jsonl')], join(dir, 'm4'))).rejects.toThrow(
      /is not a scan progress file/,
    );
    expect(existsSync(join(dir, 'm1', 'scan.csv'))).toBe(false);
  });

  it("a lock held by a live process refuses a second writer; a dead owner's lock is taken over", () => {
    const dir = tmp();
    const lock = acquireLock('--out', join(dir, 'scan.lock'), 'another scan');
    expect(() => acquireLock('--out', join(dir, 'scan.lock'), 'another scan')).toThrow(
      /is in use: another scan \(pid \d+ on .*\) holds scan.lock/,
    );
    lock.release();
    writeFileSync(join(dir, 'scan.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    acquireLock('--out', join(dir, 'scan.lock'), 'another scan').release();
    expect(existsSync(join(dir, 'scan.lock'))).toBe(false);
  });
});

describe('array jobs', () => {
  it('reads the shard from Slurm or Kubernetes variables', () => {
    expect(shardFromEnvironment({})).toBeNull();
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({
      index: 2,
      count: 4,
    });
    expect(
      shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }),
    ).toEqual({ index: 2, count: 4 });
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '1', NCSDE_SHARD_COUNT: '3' })).toEqual({ index: 1, count: 3 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '1' })).toThrow(/^NCSDE_SHARD_COUNT must be set/);
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(
      /^SLURM_ARRAY_TASK_ID must be a non-negative integer/,
    );
  });

  it('writes an array script, a merge script and a submit script chaining them with afterok', () => {
    const scan = resolveScan(SMALL_VALIDATION);
    const files = Object.fromEntries(
      slurmScripts(scan, { dir: '/shared/scan', tasks: 3, cpus: 2, partition: 'debug', time: '00:10:00' }),
    );
    expect(JSON.parse(files['scan.config.json'])).toEqual(scan);
    expect(files['slurm/array.sbatch']).toMatch(/#SBATCH --array=0-2/);
    expect(files['slurm/array.sbatch']).toMatch(
      /scan --config \/shared\/scan\/scan.config.json --out \/shared\/scan --threads/,
    );
    expect(files['slurm/merge.sbatch']).toMatch(/scan merge \/shared\/scan/);
    expect(files['slurm/submit.sh']).toMatch(/sbatch --parsable --dependency=afterok:\$\{array\} slurm\/merge.sbatch/);
  });

  // The sbatch scripts run on nodes where Node and the package may live elsewhere than where they were
  // written: Node comes from the node's PATH, the CLI from the first candidate that reports this version.
  it('finds node on PATH and the CLI from the install, ncsde on PATH, or refuses in one line naming what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncsde-slurm-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const scan = resolveScan({ ...SMALL_VALIDATION, grid: { cMinus: [-1], T: [0.5] } });
    const runTask = (cli: string, path: string, out: string, env: Record<string, string> = {}) => {
      const files = Object.fromEntries(
        slurmScripts(scan, { dir: out, tasks: 1, cpus: 1, cli: { script: cli, nodeArgs: '' } }),
      );
      mkdirSync(join(out, 'slurm'), { recursive: true });
      writeFileSync(join(out, 'scan.config.json'), files['scan.config.json']);
      expect(files['slurm/array.sbatch']).not.toContain(process.execPath);
      writeFileSync(join(out, 'slurm', 'array.sbatch'), files['slurm/array.sbatch']);
      // --norc: no start-up file of this machine's user (sbatch runs the script as a file, without one).
      return spawnSync('/bin/bash', ['--norc', '--noprofile', join(out, 'slurm', 'array.sbatch')], {
        cwd: out,
        encoding: 'utf8',
        env: { PATH: path, SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '1', SLURM_CPUS_PER_TASK: '1', ...env },
      });
    };
    const built = resolve('dist/entry/cli.js');
    // The install that wrote the script, with node found on PATH.
    const first = runTask(built, bin, join(dir, 'a'));
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(join(dir, 'a', 'scan.csv'))).toBe(true);
    // That install gone (another path on this node): `ncsde` on PATH.
    const other = join(dir, 'other');
    mkdirSync(other);
    symlinkSync(built, join(other, 'ncsde'));
    const second = runTask(join(dir, 'moved', 'cli.js'), `${bin}:${other}`, join(dir, 'b'));
    expect(second.status, second.stderr).toBe(0);
    expect(readFileSync(join(dir, 'b', 'scan.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'scan.csv'), 'utf8'));
    // Neither: the package as Node resolves it from the submit directory (a project that installed it).
    const project = join(dir, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(resolve('.'), join(project, 'node_modules', 'neural-covariance-sde'));
    const third = runTask(join(dir, 'moved', 'cli.js'), bin, join(dir, 'e'), { SLURM_SUBMIT_DIR: project });
    expect(third.status, third.stderr).toBe(0);
    // No node on PATH, and only a CLI of another version: one line each, exit 127.
    const noNode = runTask(built, other, join(dir, 'c'));
    expect([noNode.status, noNode.stderr.trim()]).toEqual([
      127,
      expect.stringMatching(/^ncsde: no node on PATH on \S+ \(load Node 20.16 or later, or set NCSDE_NODE\)$/),
    ]);
    const old = join(dir, 'old.js');
    writeFileSync(old, "console.log('0.0.1');\n");
    const wrong = runTask(old, bin, join(dir, 'd'));
    expect(wrong.status).toBe(127);
    expect(wrong.stderr.trim()).toMatch(
      new RegExp(
        `^ncsde: no ncsde ${PACKAGE_VERSION.replace(/\./g, '\\.')} on \\S+ \\(tried .*: ${old.replace(/[.]/g, '\\.')}\\)$`,
      ),
    );
  });
});

describe('what the columns hold', () => {
  it('scan.json describes every column of scan.csv, for every kind; p_exact says it is a crossing probability at the threshold', async () => {
    const kinds = [
      SMALL_VALIDATION,
      SMALL_EXPLOSION,
      {
        kind: 'cumulant',
        base: { n: 8, samples: 60 },
        grid: { activation: ['relu:0,-1', 'tanh:1'], T: [0.5] },
        seed: 2,
      },
      { kind: 'collapse', base: { n: 8, paths: 40, samples: 10 }, grid: { T: [0.5] }, seed: 2 },
    ];
    const dir = tmp();
    for (const config of kinds) {
      const out = join(dir, config.kind);
      const result = await runScan(resolveScan(config), { outDir: out, render });
      const json = JSON.parse(readFileSync(join(out, 'scan.json'), 'utf8'));
      const header = readFileSync(join(out, 'scan.csv'), 'utf8').split('\n')[0].split(',');
      expect(Object.keys(json.columns), config.kind).toEqual(header);
      expect(json.columns).toEqual(result.columns);
      for (const name of header) {
        expect(describeScanColumn(config.kind, name), `${config.kind}: ${name}`).toBeDefined();
        expect(json.columns[name], `${config.kind}: ${name}`).not.toMatch(/not described/);
      }
      // The report lists them too.
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      for (const name of header) expect(html, `${config.kind}: ${name}`).toContain(`<td>${name}</td>`);
    }
    const explosion = JSON.parse(readFileSync(join(dir, 'explosion', 'scan.json'), 'utf8')).columns;
    expect(explosion.p_exact).toBe('P(V^aa crosses threshold * x0 by T), exact (Kolmogorov backward equation)');
    expect(explosion.p_sde).toMatch(/^P\(V\^aa crosses threshold \* x0 by T\), SDE/);
    expect(explosion.p_limit).toMatch(/^P\(explode ever\): blow-up as T -> infinity, no threshold/);
    expect(explosion.p_sde_lo).toBe('lower end of the 95% interval of p_sde');
    expect(explosion.x0).toMatch(/^grid axis: input variance/);
    // The check can fail: a column nobody describes is found.
    expect(describeScanColumn('explosion', 'p_made_up')).toBeUndefined();
    expect(describeScanColumn('explosion', 'p_made_up_se')).toBeUndefined();
  });
});

describe('scan report', () => {
  it("draws a heatmap per statistic with the closed form's level curves over the explosion maps, and a table", async () => {
    const dir = tmp();
    const result = await runScan(resolveScan(SMALL_EXPLOSION), { outDir: dir, render });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBe(3);
    expect(html).toContain('1 - exp(-beta X0)');
    expect(html).not.toMatch(/<script|NaN/);
    expect(html).toContain(`${result.rows[0].index}</td>`);
  });
});
