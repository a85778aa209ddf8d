// The command line with shaped attention: --architecture on network and sde, the note when --activation is
// given to attention alone, `ncsde collapse` writing its report, and bad input refused in one line (exit 2,
// nothing written).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listing, ncsde, workdir } from './helpers/cli.js';

describe('ncsde with --architecture attention/transformer', () => {
  it('network: the architecture is in the settings; --activation to attention alone gets a note', () => {
    const run = ncsde([
      'network',
      '--architecture',
      'attention:0.7,1,2',
      '--activation',
      'tanh:1',
      '--m',
      '3',
      '--n',
      '16',
      '--T',
      '0.25',
      '--samples',
      '20',
      '--threads',
      '1',
    ]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).settings.architecture).toBe('attention:0.7,1,2');
    expect(run.stderr).toContain('--activation is ignored');
    const t = ncsde([
      'network',
      '--architecture',
      'transformer:0.7,1',
      '--m',
      '3',
      '--n',
      '16',
      '--T',
      '0.25',
      '--samples',
      '20',
      '--threads',
      '1',
    ]);
    expect(t.status).toBe(0);
    expect(t.stderr).not.toContain('ignored');
  });

  it('sde: the splitting solver is refused for attention in one line, exit 2', () => {
    const run = ncsde([
      'sde',
      '--architecture',
      'attention:0.7,1',
      '--solver',
      'ninomiya-victoir',
      '--paths',
      '10',
      '--threads',
      '1',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('ninomiya-victoir');
  });

  it('validate with the splitting solver named on attention: one line, exit 2 (checked before any worker starts)', () => {
    const dir = workdir();
    // The default, auto, takes Euler-Maruyama here (test/defaults.test.ts); naming the splitting scheme is refused.
    const run = ncsde(
      ['validate', '--architecture', 'attention:1,1', '--solver', 'ninomiya-victoir', '--out', 'v'],
      dir,
    );
    expect(run.status).toBe(2);
    expect(
      run.stderr
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('ncsde:')),
    ).toEqual([expect.stringContaining('exact sub-flows')]);
    expect(run.stderr).not.toContain('internal error');
  });

  it('bad architecture text: one line naming the flag and the value, exit 2', () => {
    const run = ncsde(['network', '--architecture', 'attention:0.7', '--samples', '4']);
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--architecture');
    expect(run.stderr).toContain('attention:0.7');
  });

  it('collapse writes json, md and html; a bad list is refused before anything is written', () => {
    const dir = workdir();
    const run = ncsde(
      [
        'collapse',
        '--gamma',
        '1',
        '--tau0',
        '1',
        '--heads',
        '1',
        '--T',
        '0.25',
        '--paths',
        '50',
        '--samples',
        '10',
        '--n',
        '16',
        '--m',
        '3',
        '--threads',
        '1',
        '--out',
        'c',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    expect(listing(join(dir, 'c'))).toEqual(['collapse.html', 'collapse.json', 'collapse.md', 'manifest.json']);
    const bad = ncsde(['collapse', '--tau0', '0', '--out', 'd'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--tau0');
    expect(existsSync(join(dir, 'd'))).toBe(false);
  });

  it('scan --kind collapse: one row per point with SDE and network columns', () => {
    const dir = workdir();
    const run = ncsde(
      [
        'scan',
        '--kind',
        'collapse',
        '--architecture',
        'attention:1,1,2',
        '--grid',
        'T=0.25,0.5',
        '--paths',
        '40',
        '--samples',
        '10',
        '--n',
        '16',
        '--m',
        '3',
        '--threads',
        '1',
        '--out',
        's',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    const csv = readFileSync(join(dir, 's', 'scan.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(3);
    for (const column of ['corr_sde', 'corr_net', 'collapsed_sde', 'explode_net', 'explode_diff_p'])
      expect(csv[0].split(',')).toContain(column);
  });

  it('scan axes tau0 and heads set the architecture of each point; on an architecture without them they are refused', () => {
    const dir = workdir();
    const run = ncsde(
      [
        'scan',
        '--kind',
        'collapse',
        '--architecture',
        'attention:1,1',
        '--grid',
        'tau0=0.5,2',
        '--grid',
        'heads=1,3',
        '--grid',
        'T=0.25',
        '--paths',
        '20',
        '--samples',
        '6',
        '--n',
        '8',
        '--m',
        '2',
        '--threads',
        '1',
        '--out',
        's',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    const labels = readFileSync(join(dir, 's', 'scan.csv'), 'utf8').match(
      /attention\(gamma=1, tau0=[0-9.]+, H=[0-9]+\)/g,
    );
    expect(labels).toEqual([
      'attention(gamma=1, tau0=0.5, H=1)',
      'attention(gamma=1, tau0=0.5, H=3)',
      'attention(gamma=1, tau0=2, H=1)',
      'attention(gamma=1, tau0=2, H=3)',
    ]);
    const bad = ncsde(['scan', '--kind', 'collapse', '--architecture', 'mlp', '--grid', 'tau0=0.5', '--out', 't'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--grid tau0');
    expect(existsSync(join(dir, 't'))).toBe(false);
  });
});
