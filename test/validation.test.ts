import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival, ksTwoSample, wasserstein1, wilsonInterval } from '../src/stats.js';
import { parseConfig, pointSchema, scanSchema, validationSchema } from '../validation/config.js';
import { pointRow, runPoint } from '../validation/point.js';
import { expandGrid, mergeScanShards, runScan, scanCsv } from '../validation/scan.js';
import { validate, VALIDATION_SCHEMA } from '../validation/validate.js';

describe('distances and intervals', () => {
  it('Kolmogorov survival function at known points', () => {
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 3);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 3);
  });

  it('KS and W1 of shifted and identical samples', () => {
    const a = Float64Array.from({ length: 1024 }, (_, i) => i / 1024); // exact in binary, so shifted values tie exactly
    const b = a.map((x) => x + 0.25);
    expect(wasserstein1(a, b)).toBeCloseTo(0.25, 10);
    expect(ksTwoSample(a, b).statistic).toBeCloseTo(0.25, 10);
    expect(ksTwoSample(a, a).statistic).toBe(0);
    expect(ksTwoSample(a, a).pValue).toBe(1);
  });

  it('Wilson interval covers and is inside [0, 1]', () => {
    const w = wilsonInterval(0, 100);
    expect(w.lower).toBe(0);
    expect(w.upper).toBeCloseTo(0.037, 3);
    const v = wilsonInterval(50, 100);
    expect(v.lower).toBeCloseTo(0.4038, 3);
    expect(v.upper).toBeCloseTo(0.5962, 3);
  });
});

const SMALL = { n: 16, sde: { paths: 300, steps: 40 }, network: { samples: 300 } };

describe('validation report', () => {
  it('compares SDE and networks with every statistic, status and plot data', async () => {
    const report = await validate({ ...SMALL, widths: [8, 16] });
    expect(report.schema).toBe(VALIDATION_SCHEMA);
    for (const name of ['rho', 'logVaa', 'Vaa', 'Vab'] as const) {
      const c = report.comparisons[name]!;
      expect(c.n).toEqual([300, 300]);
      expect(c.ks.pValue).toBeGreaterThan(0);
      expect(c.qq).toHaveLength(49);
      expect(report.histograms[name]!.edges).toHaveLength(41);
    }
    expect(report.widths.map((w) => w.observable)).toEqual(['rho', 'logVaa']);
    expect(report.widths[0].levels.map((l) => l.n)).toEqual([8, 16]);
    expect(report.paths.rho.sde.ts).toHaveLength(41);
    expect(report.paths.rho.network.examples.length).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(report)).summary.rho_net_mean).toBe(report.summary.rho_net_mean);
  });

  it('malformed configs get one-line errors naming the field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ sde: { paths: -5 } }, /^config: sde\.paths: .*>=2 \(got -5\)$/],
      [{ activation: { family: 'relu-like', cPlus: 0 } }, /^config: activation\.cMinus: /],
      [{ activation: { family: 'smooth', f: 'relux', a: 1 } }, /^config: activation\.f: .*\(got "relux"\)$/],
      [{ rho0: 2 }, /^config: rho0: .*\(got 2\)$/],
      [{ widths: [16] }, /^config: widths: /],
      [{ nn: 3 }, /^config: .*nn/],
    ];
    for (const [input, pattern] of cases) {
      expect(() => parseConfig(validationSchema, input)).toThrow(pattern);
      try {
        parseConfig(validationSchema, input);
      } catch (e) {
        expect((e as Error).message.includes('\n')).toBe(false);
      }
    }
    expect(() => parseConfig(scanSchema, { grid: { cMinsu: [1] } })).toThrow(/grid: .*cMinsu/);
    expect(() => parseConfig(scanSchema, { grid: { T: [-1, 1] } })).toThrow(/grid\.T\.0: .*\(got -1\)/);
  });
});

describe('parameter scans', () => {
  const scan = {
    base: { ...SMALL, sde: { paths: 120, steps: 20 }, network: { samples: 120 } },
    grid: { cMinus: [-1.5, -1, -0.5, 0], T: [0.25, 0.5, 1] },
    seed: 11,
  };

  it('12 grid points whose rows equal single runs with the same seed; shards merge to the same CSV; resume', async () => {
    const points = expandGrid(parseConfig(scanSchema, scan));
    expect(points).toHaveLength(12);
    const dir = mkdtempSync(join(tmpdir(), 'ncsde-scan-'));
    const whole = await runScan(scan, { outDir: join(dir, 'whole') });
    expect(whole.rows).toHaveLength(12);
    const csv = readFileSync(join(dir, 'whole', 'scan.csv'), 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(13);

    for (const k of [0, 5, 11]) {
      const single = pointRow(await runPoint(parseConfig(pointSchema, points[k].config)));
      expect({ index: k, ...single }).toEqual(whole.rows[k]);
      expect(whole.rows[k].cMinus).toBe(scan.grid.cMinus[Math.floor(k / 3)]);
      expect(whole.rows[k].T).toBe(scan.grid.T[k % 3]);
    }

    await runScan(scan, { outDir: join(dir, 's0'), shard: { index: 0, count: 2 } });
    await runScan(scan, { outDir: join(dir, 's1'), shard: { index: 1, count: 2 } });
    const merged = mergeScanShards([join(dir, 's1', 'scan.shard-1-of-2.jsonl'), join(dir, 's0', 'scan.shard-0-of-2.jsonl')], join(dir, 'merged'));
    expect(scanCsv(merged)).toBe(csv);
    expect(readFileSync(join(dir, 'merged', 'scan.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole', 'scan.json'), 'utf8'));
    expect(() => mergeScanShards([join(dir, 's0', 'scan.shard-0-of-2.jsonl')], join(dir, 'bad'))).toThrow(/missing 6 point/);

    // Resume: drop the last 4 rows (and cut one line short), re-run, get the same result computing only those.
    const jsonl = join(dir, 'whole', 'scan.jsonl');
    const lines = readFileSync(jsonl, 'utf8').trim().split('\n');
    writeFileSync(jsonl, lines.slice(0, 9).join('\n') + '\n' + lines[9].slice(0, 20));
    const progress: number[] = [];
    const resumed = await runScan(scan, { outDir: join(dir, 'whole'), onPoint: (done) => progress.push(done) });
    expect(progress[0]).toBe(8);
    expect(scanCsv(resumed)).toBe(csv);
    await expect(runScan({ ...scan, seed: 12 }, { outDir: join(dir, 'whole') })).rejects.toThrow(/different scan config/);
  });
});

describe('threads', () => {
  it('a validation point (solver and networks on a worker pool) equals the single-threaded one', async () => {
    const config = parseConfig(pointSchema, { ...SMALL, seed: 'threads' });
    expect(pointRow(await runPoint(config, { threads: 2 }))).toEqual(pointRow(await runPoint(config)));
  });
});

describe('command line', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8' });

  it('validate writes JSON, Markdown and HTML whose plots show both distributions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncsde-cli-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ ...SMALL, widths: [8, 16] }));
    const run = cli(['validate', '--config', config, '--out', dir, '--threads', '1']);
    expect(run.status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'validation.json'), 'utf8'));
    expect(json.schema).toBe(VALIDATION_SCHEMA);
    const html = readFileSync(join(dir, 'validation.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(10);
    expect(html).toContain('>SDE</text>');
    expect(html).toContain('>network</text>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(readFileSync(join(dir, 'validation.md'), 'utf8')).toContain('| rho^{ab} |');
  });

  it('reports malformed input in one line with exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ncsde-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ network: { samples: 'many' } }));
    const run = cli(['validate', '--config', bad, '--out', dir]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^ncsde: .*bad\.json: network\.samples: .*\(got "many"\)$/);
    const neg = cli(['network', '--n', '-4']);
    expect(neg.status).toBe(2);
    expect(neg.stderr).toMatch(/n: .*\(got -4\)/);
    const act = cli(['sde', '--activation', 'relux:1']);
    expect(act.stderr.trim()).toMatch(/^ncsde: activation is not a known activation/);
  });

  it('sde and network print JSON summaries', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sde', '--paths', '50', '--steps', '20', '--saves', '2', '--threads', '1'], { encoding: 'utf8' });
    const parsed = JSON.parse(out);
    expect(parsed.shape).toEqual([3, 50, 2, 2]);
    expect(parsed.mean[0][0][1].value).toBe(0.5);
  });
});
