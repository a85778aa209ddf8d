// --architecture resnet:<gamma> on the command line: bad values give one line naming the flag and the
// value, exit 2 and write nothing; good ones run and name the architecture in their JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listing, ncsde, workdir } from './helpers/cli.js';

describe('--architecture resnet:<gamma>', () => {
  for (const [command, extra] of [
    ['sde', ['--paths', '8', '--steps', '4']],
    ['network', ['--n', '8', '--samples', '4']],
    ['validate', []],
    ['criterion', ['--activation', 'swish:1']],
  ] as const) {
    for (const bad of ['resnet:1.5', 'resnet:0', 'resnet:-0.5', 'resnet:abc', 'resnet:', 'resnet:0.5,2', 'resnet']) {
      it(`${command} --architecture ${bad}: one line, exit 2, nothing written`, () => {
        const dir = workdir();
        // criterion writes only with --report (and refuses --out); the others get an output file they must not create.
        const run = ncsde(
          [command, '--architecture', bad, ...extra, ...(command === 'criterion' ? [] : ['--out', 'x.json'])],
          dir,
        );
        expect(run.status).toBe(2);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toContain('--architecture must be resnet:<gamma> with gamma in (0, 1]');
        // 'resnet' and 'resnet:' both reach the entry with no parameters, quoted as 'resnet'.
        expect(run.stderr).toContain(`(got "${bad === 'resnet:' ? 'resnet' : bad}")`);
        expect(listing(dir)).toEqual([]);
      });
    }
  }

  it('a config file names the key as written: architecture', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ architecture: 'resnet:2' }));
    const run = ncsde(['sde', '--config', 'c.json', '--paths', '8', '--steps', '4'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^ncsde: c\.json: architecture must be resnet:<gamma> with gamma in \(0, 1\] \(got "resnet:2"\)\n$/,
    );
  });

  it('sde and network run and name the architecture in their JSON; the chain is the default method', () => {
    const sde = ncsde([
      'sde',
      '--architecture',
      'resnet:0.5',
      '--paths',
      '16',
      '--steps',
      '4',
      '--threads',
      '1',
      '--json',
      '--out',
      '-',
    ]);
    expect(sde.status).toBe(0);
    const s = JSON.parse(sde.stdout);
    expect(s.architecture).toBe('resnet(gamma=0.5)');
    expect(s.sde).toMatch(/drift on clock 0\.25, noise on clock 0\.4375/);
    for (const method of ['chain', 'explicit']) {
      const net = ncsde([
        'network',
        '--architecture',
        'resnet:0.5',
        '--n',
        '8',
        '--samples',
        '8',
        '--sampler',
        method,
        '--threads',
        '1',
        '--json',
        '--out',
        '-',
      ]);
      expect(net.status).toBe(0);
      const out = JSON.parse(net.stdout);
      expect(out.architecture).toBe('resnet(gamma=0.5)');
      expect(out.settings.sampler).toBe(method);
    }
    const help = ncsde(['network', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/resnet:<gamma>/);
  });

  it('criterion: P(explode ever) = 1 - exp(-beta x0 / (2 - gamma^2)) and the label', () => {
    const run = ncsde(['criterion', '--architecture', 'resnet:0.5', '--activation', 'swish:1']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.architecture).toBe('resnet(gamma=0.5)');
    expect(out.explosionProbability).toBeCloseTo(1 - Math.exp(-0.75 / 1.75), 12);
  });

  it('cumulants: direct estimates only (no pooled estimator, no finite-width theory for a residual stream)', () => {
    const dir = workdir();
    const run = ncsde(
      [
        'cumulants',
        '--architecture',
        'resnet:0.5',
        '--activations',
        'relu:0,-1',
        '--widths',
        '16',
        '--T',
        '0.5',
        '--samples',
        '100',
        '--threads',
        '1',
        '--json',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.settings.architecture).toBe('resnet:0.5');
    expect(out.rows[0].pooled).toBeNull();
    expect(out.rows[0].theory.kind).toBe('none');
    expect(out.rows[0].direct[0].method).toBe('BCa bootstrap');
  });

  it('scan: gamma is a grid axis of a resnet base; on an MLP base it is refused naming the axis', () => {
    const dir = workdir();
    const run = ncsde(
      [
        'scan',
        '--kind',
        'validation',
        '--architecture',
        'resnet:0.5',
        '--grid',
        'gamma=0.5,1',
        '--n',
        '8',
        '--paths',
        '100',
        '--samples',
        '100',
        '--steps',
        '4',
        '--threads',
        '1',
        '--out',
        'sc',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    const csv = readFileSync(join(dir, 'sc', 'scan.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0].split(',')[1]).toBe('gamma');
    expect(csv.slice(1).map((line) => line.split(',')[1])).toEqual(['0.5', '1']);
    const bad = ncsde(['scan', '--kind', 'explosion', '--grid', 'gamma=0.5', '--out', 'sc2'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /^ncsde: --grid gamma applies to resnet, attention, transformer, not to mlp \(got 0\.5\)\n$/,
    );
    expect(listing(dir).some((p) => p.startsWith('sc2'))).toBe(false);
  });
});
