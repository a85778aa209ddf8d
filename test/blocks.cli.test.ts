// Compositions on the command line: `ncsde check` prints the per-layer z-scores of a block's declared limit
// and refuses bad text with one line (exit 2); a block expression is an --architecture like the presets.
import { describe, expect, it } from 'vitest';
import { listing, ncsde, workdir } from './helpers/cli.js';

describe('ncsde check and block expressions', () => {
  it('check prints the drift table and the worst noise entries of a GPT-J block', () => {
    const run = ncsde([
      'check',
      '--architecture',
      'residual(parallel(0.6*shapedAttention(1),0.8*dense),0.7)',
      '--n',
      '32',
      '--draws',
      '40',
      '--m',
      '2',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'block residual(parallel(0.6*shapedAttention(1,1),0.8*dense),0.7): widths 32, 128, 512',
    );
    expect(run.stdout).toMatch(
      /drift: max \|z\| \d+\.\d\d over 3 entries, Bonferroni p = [\d.e-]+\nnoise: max \|z\| \d+\.\d\d over 6 entries, Bonferroni p = [\d.e-]+\nverdict: the declared limit agrees/,
    );
  });

  for (const [bad, words] of [
    ['residual(residual(dense,0.5),0.5)', 'must end in fresh weights'],
    ['residual(dense,2)', 'residual(<block>,<gamma>) needs gamma must be a number in (0, 1]'],
    ['serial(dense', 'unbalanced parentheses'],
  ] as const) {
    it(`check --architecture ${bad}: one line, exit 2`, () => {
      const run = ncsde(['check', '--architecture', bad]);
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain('--architecture');
      expect(run.stderr).toContain(words);
    });
  }

  it('network --architecture <block expression> runs and its settings name the spec tree; a bad one writes nothing', () => {
    const dir = workdir();
    const ok = ncsde(
      [
        'network',
        '--architecture',
        'serial(residual(shapedAttention(1),0.7),residual(dense,0.7))',
        '--n',
        '8',
        '--samples',
        '4',
        '--out',
        'net.json',
      ],
      dir,
    );
    expect(ok.status).toBe(0);
    const bad = ncsde(
      ['network', '--architecture', 'parallel(0.6*dense,0.6*dense)', '--n', '8', '--samples', '4', '--out', 'x.json'],
      dir,
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('squares summing to 1');
    expect(listing(dir).filter((f) => f.startsWith('x'))).toEqual([]);
  });
});
