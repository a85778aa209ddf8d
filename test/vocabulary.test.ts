// The one vocabulary (README, "One vocabulary"): every command's flags are kebab-case (T, the depth-to-width
// ratio, keeps its case), no flag is listed twice, every command that takes a depth-to-width ratio takes
// it as --T; config files take every flag as a key (out, threads, json included), flags win before any
// value is checked, unknown keys are refused with the valid ones, a previous output is a config that
// reproduces it bit for bit, and old spellings still work for one release with a one-line note.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ncsde, workdir } from './helpers/cli.js';

const COMMANDS = [
  'sde',
  'network',
  'validate',
  'criterion',
  'cumulants',
  'collapse',
  'scan',
  'scan merge',
  'scan report',
  'scan slurm',
  'explore',
];
/** Commands that take a depth-to-width ratio (one, or a list). */
const TAKES_T = ['sde', 'network', 'validate', 'criterion', 'cumulants', 'collapse', 'scan', 'scan slurm'];

/** The long flags a command's --help lists (the first flag of each option line). */
function flags(command: string): string[] {
  const run = ncsde([...command.split(' '), '--help']);
  expect(run.status).toBe(0);
  return run.stdout
    .split('\n')
    .map((line) => /^ {2}(?:-\w, )?(--[A-Za-z0-9-]+)/.exec(line)?.[1])
    .filter((f): f is string => f !== undefined);
}

describe('one vocabulary across commands', () => {
  it('every flag is kebab-case (T keeps its case), none is listed twice, and --T is the depth-to-width ratio everywhere', () => {
    const kebab = /^--(?:[a-z0-9]+|T)(?:-(?:[a-z0-9]+|T))*$/;
    for (const command of COMMANDS) {
      const list = flags(command);
      expect(list.length, command).toBeGreaterThan(0);
      for (const flag of list) expect(flag, `${command} ${flag}`).toMatch(kebab);
      expect(new Set(list).size, `${command}: ${list.join(' ')}`).toBe(list.length);
      if (TAKES_T.includes(command)) expect(list, command).toContain('--T');
      for (const old of [
        '--ratio',
        '--ratios',
        '--ts',
        '--networkTs',
        '--stepsPerUnit',
        '--gammas',
        '--tau0s',
        '--method',
      ])
        expect(list, command).not.toContain(old);
    }
    // The check itself can fail: a camelCase flag is not kebab-case.
    expect('--stepsPerUnit').not.toMatch(kebab);
  });

  it('old spellings still run, each with a one-line deprecation note, and give the same bits as the new names', () => {
    const dir = workdir();
    const old = ncsde(
      ['network', '--ratio', '0.25', '--method', 'explicit', '--n', '8', '--samples', '10', '--threads', '1'],
      dir,
    );
    const now = ncsde(
      ['network', '--T', '0.25', '--sampler', 'explicit', '--n', '8', '--samples', '10', '--threads', '1'],
      dir,
    );
    expect(old.status).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(
      old.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('ncsde: note:')),
    ).toEqual([
      'ncsde: note: --ratio is deprecated and will be removed in the next release; use --T',
      'ncsde: note: --method is deprecated and will be removed in the next release; use --sampler',
    ]);
    const both = ncsde(['network', '--ratio', '0.25', '--T', '0.5'], dir);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--ratio sets the same option as --T; give one of them/);
  });
});

describe('cumulants takes the activation grammar', () => {
  const small = ['--widths', '8', '--T', '0.5', '--samples', '60', '--threads', '1', '--json'];
  it('--activations is a list of activation texts (relu:0,-1 keeps its comma); the old name shaped-relu is relu:0,-1, with one note', () => {
    const dir = workdir();
    const now = ncsde(['cumulants', '--activations', 'relu:0,-1,tanh:1,relu', ...small, '--out', 'a'], dir);
    expect(now.status, now.stderr).toBe(0);
    const report = JSON.parse(now.stdout);
    expect(report.settings.activations).toEqual(['relu:0,-1', 'tanh:1', 'relu']);
    expect(report.rows.map((r: { activation: string }) => r.activation)).toEqual(['relu:0,-1', 'tanh:1', 'relu']);
    const old = ncsde(['cumulants', '--activations', 'shaped-relu', ...small, '--out', 'b'], dir);
    expect(old.status, old.stderr).toBe(0);
    expect(old.stderr.split('\n').filter((l) => l.startsWith('ncsde: note:'))).toEqual([
      'ncsde: note: the activation name shaped-relu is deprecated and will be removed in the next release; use relu:0,-1',
    ]);
    // The same bits as the grammar's text: the old name is that activation, not another.
    const same = ncsde(['cumulants', '--activations', 'relu:0,-1', ...small, '--out', 'c'], dir);
    expect(old.stdout).toBe(same.stdout);
    expect(JSON.parse(same.stdout).rows[0].pooled[0]).toEqual(report.rows[0].pooled[0]);
    const twice = ncsde(['cumulants', '--activations', 'shaped-relu,relu:0,-1', ...small, '--out', 'd'], dir);
    expect(twice.status).toBe(2);
    expect(twice.stderr.trim().split('\n').at(-1)).toMatch(
      /^ncsde: --activations must not repeat an activation \(shaped-relu is relu:0,-1\)/,
    );
    // A cumulant scan takes the same texts, as its base --activation and on its activation axis.
    const scan = ncsde(
      ['scan', '--kind', 'cumulant', '--grid', 'activation=relu:0,-1,tanh:1', '--n', '8', '--T', '0.5'].concat([
        '--samples',
        '60',
        '--threads',
        '1',
        '--out',
        'scan',
      ]),
      dir,
    );
    expect(scan.status, scan.stderr).toBe(0);
    const rows = JSON.parse(readFileSync(join(dir, 'scan', 'scan.json'), 'utf8')).rows;
    expect(rows.map((r: { activation: string }) => r.activation)).toEqual(['relu:0,-1', 'tanh:1']);
  });
});

describe('config files mean what the README says', () => {
  it('out, threads and json are config keys and are honoured', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ paths: 10, steps: 4, out: 'r.json', threads: 1, json: true }));
    const run = ncsde(['sde', '--config', 'c.json'], dir);
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, 'r.json'))).toBe(true);
    // json: the summary on stdout as well as in the file
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')));
  });

  it('a flag overrides a config value before the config value is checked; unknown keys are refused with the valid ones', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ paths: -5, steps: 4 }));
    expect(ncsde(['sde', '--config', 'bad.json', '--paths', '10'], dir).status).toBe(0);
    const refused = ncsde(['sde', '--config', 'bad.json'], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^ncsde: bad\.json: paths must be an integer/);
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ pathz: 10 }));
    const typo = ncsde(['sde', '--config', 'typo.json'], dir);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(
      /^ncsde: typo\.json: pathz is not an option here \(options: activation, m, .*paths.*out, threads, json, force\)/,
    );
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a scan config takes its base options at the top level, like every config (the base nesting is read too)', () => {
    const dir = workdir();
    const flat = {
      kind: 'explosion',
      grid: { x0: [1] },
      T: 0.5,
      paths: 50,
      samples: 10,
      n: 8,
      steps: 8,
      out: 'flat',
      threads: 1,
    };
    writeFileSync(join(dir, 'flat.json'), JSON.stringify(flat));
    const { T, paths, samples, n, steps, out: _out, threads: _threads, ...rest } = flat;
    writeFileSync(join(dir, 'nested.json'), JSON.stringify({ ...rest, base: { T, paths, samples, n, steps } }));
    expect(ncsde(['scan', '--config', 'flat.json'], dir).status).toBe(0);
    expect(ncsde(['scan', '--config', 'nested.json', '--out', 'nested', '--threads', '1'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'flat', 'scan.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'nested', 'scan.csv'), 'utf8'),
    );
  });
});

describe('a result reruns from itself', () => {
  it('criterion: a point takes --T, --threads and --config (a config file, or its own output, which reruns it byte for byte)', () => {
    const dir = workdir();
    const flags = ['--T', '0.5,1', '--paths', '300', '--steps-per-unit', '16', '--n', '16', '--samples', '60'];
    const first = ncsde(
      ['criterion', '--activation', 'swish:1', ...flags, '--network-T', '0.5', '--threads', '1'],
      dir,
    );
    expect(first.status, first.stderr).toBe(0);
    const point = JSON.parse(first.stdout);
    expect(point).toMatchObject({ schema: 'ncsde.criterion-point/2', beta: 0.75, regime: 'explodes' });
    expect(point.settings).toMatchObject({ activation: 'swish:1', T: [0.5, 1], paths: 300, networkT: [0.5] });
    // P(explode by T) at each T, exactly and from the SDE with its Wilson interval, beside P(explode ever).
    expect(point.exact).toHaveLength(2);
    expect(point.sde[1]).toMatchObject({ total: 300, method: 'Wilson score' });
    expect(point.sde[1].lower).toBeLessThan(point.exact[1]);
    expect(point.sde[1].upper).toBeGreaterThan(point.exact[1]);
    expect(point.explosionProbability).toBeCloseTo(1 - Math.exp(-0.75), 12);
    writeFileSync(join(dir, 'a.json'), first.stdout);
    expect(ncsde(['criterion', '--config', 'a.json'], dir).stdout).toBe(first.stdout);
    // Threads never change a result; a config file takes the same keys as the flags.
    expect(
      ncsde(['criterion', '--activation', 'swish:1', ...flags, '--network-T', '0.5', '--threads', '2'], dir).stdout,
    ).toBe(first.stdout);
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({
        activation: 'swish:1',
        T: [0.5, 1],
        paths: 300,
        stepsPerUnit: 16,
        n: 16,
        samples: 60,
        networkT: [0.5],
        threads: 1,
      }),
    );
    expect(ncsde(['criterion', '--config', 'c.json'], dir).stdout).toBe(first.stdout);
    // Another seed over the same config differs (the comparison can fail).
    expect(ncsde(['criterion', '--config', 'a.json', '--seed', '2'], dir).stdout).not.toBe(first.stdout);
  });

  it('sde: --config of a previous output gives the same bits (architecture, V0, solver, seed recorded)', () => {
    const dir = workdir();
    const first = ncsde(
      [
        'sde',
        '--architecture',
        'resnet:0.5',
        '--rho0',
        '0.2',
        '--x0',
        '2',
        '--solver',
        'ninomiya-victoir',
        '--paths',
        '300',
        '--steps',
        '16',
        '--saves',
        '4',
        '--seed',
        '9',
        '--out',
        'a.json',
      ],
      dir,
    );
    expect(first.status).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(a.settings).toMatchObject({
      architecture: 'resnet:0.5',
      v0: [
        [2, 0.4],
        [0.4, 2],
      ],
      solver: 'ninomiya-victoir',
      steps: 16,
      seed: 9,
      activation: 'relu:0,-1',
      threshold: 1e4,
      generator: 'xoshiro128++',
    });
    expect(typeof a.settings.version).toBe('string');
    expect(['js', 'wasm']).toContain(a.settings.kernels);
    expect(ncsde(['sde', '--config', 'a.json', '--out', 'b.json'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
    // Power: another seed over the same config differs.
    expect(ncsde(['sde', '--config', 'a.json', '--seed', '10', '--out', 'c.json'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'c.json'), 'utf8')).not.toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
  });

  it('network: --config of a previous output (.json or .npz settings) gives the same bits', () => {
    const dir = workdir();
    expect(
      ncsde(
        [
          'network',
          '--architecture',
          'resnet:0.7',
          '--activation',
          'tanh:1',
          '--m',
          '3',
          '--rho0',
          '0.1',
          '--n',
          '16',
          '--T',
          '0.5',
          '--sampler',
          'explicit',
          '--samples',
          '30',
          '--seed',
          '4',
          '--out',
          'a.json',
        ],
        dir,
      ).status,
    ).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(a.settings).toMatchObject({
      architecture: 'resnet:0.7',
      activation: 'tanh:1',
      sampler: 'explicit',
      T: 0.5,
      n: 16,
      samples: 30,
      seed: 4,
    });
    expect(a.settings.v0).toHaveLength(3);
    expect(ncsde(['network', '--config', 'a.json', '--out', 'b.json'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
    // The .npz output keeps the same settings: rerun from it, byte for byte.
    expect(ncsde(['network', '--config', 'a.json', '--out', 'a.npz'], dir).status).toBe(0);
    expect(ncsde(['network', '--config', 'a.npz', '--out', 'b.npz'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'b.npz')).equals(readFileSync(join(dir, 'a.npz')))).toBe(true);
    const sde = ['sde', '--m', '3', '--rho0', '0.2', '--paths', '40', '--steps', '8', '--seed', '3'];
    expect(ncsde([...sde, '--out', 's.npz'], dir).status).toBe(0);
    expect(ncsde(['sde', '--config', 's.npz', '--out', 's2.npz'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 's2.npz')).equals(readFileSync(join(dir, 's.npz')))).toBe(true);
  });

  it('validate: --config of a previous report gives the same report, byte for byte (V0 recorded beside x0 and rho0)', () => {
    const dir = workdir();
    const args = [
      '--architecture',
      'resnet:0.7',
      '--rho0',
      '0.3',
      '--paths',
      '200',
      '--samples',
      '200',
      '--n',
      '8',
      '--widths',
      '4,6,8,10',
      '--threads',
      '1',
    ];
    expect(ncsde(['validate', ...args, '--out', 'r1'], dir).status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'r1', 'validation.json'), 'utf8'));
    expect(report.settings).toMatchObject({
      architecture: 'resnet:0.7',
      rho0: 0.3,
      v0: [
        [1, 0.3],
        [0.3, 1],
      ],
      solver: 'auto',
    });
    expect(ncsde(['validate', '--config', 'r1/validation.json', '--threads', '1', '--out', 'r2'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'r2', 'validation.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'r1', 'validation.json'), 'utf8'),
    );
  });
});
