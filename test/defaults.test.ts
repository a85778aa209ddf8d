// Defaults that work (issue 25, item 5): the solver `auto` (the default of validate, the scans and the
// explorer) takes the splitting scheme where the SDE has exact sub-flows and Euler-Maruyama elsewhere,
// saying why; a solver named by the user that cannot integrate the SDE is refused in one line that names
// the one that can.
import { describe, expect, it } from 'vitest';
import { attention, mlp, transformer } from '../architectures/index.js';
import { shapedRelu } from '../src/activations/index.js';
import { solverForSde } from '../sde/index.js';
import { ncsde, workdir } from './helpers/cli.js';

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const v0 = [
  [1, 0.5],
  [0.5, 1],
];

describe('solver auto', () => {
  it('picks the splitting scheme for the MLP and Euler-Maruyama, with the reason, for attention and the transformer', () => {
    expect(solverForSde('auto', mlp().sde(relu), v0)).toMatchObject({ name: 'ninomiya-victoir', note: null });
    for (const arch of [attention({ gamma: 1, tau0: 1 }), transformer({ gamma: 0.6, tau0: 1 })]) {
      const chosen = solverForSde('auto', arch.sde(relu), v0);
      expect(chosen.name).toBe('euler-maruyama');
      expect(chosen.note).toMatch(
        /^solver auto: euler-maruyama, because ninomiya-victoir cannot integrate .* \(it composes exact sub-flows of the noise directions, and this SDE has none\)$/,
      );
    }
  });

  it('a named solver that cannot work is refused, naming the alternative; one that can is taken as named', () => {
    expect(() => solverForSde('ninomiya-victoir', transformer({ gamma: 0.6, tau0: 1 }).sde(relu), v0)).toThrow(
      /^solver cannot integrate .*; use euler-maruyama \(or auto\)/,
    );
    expect(solverForSde('euler-maruyama', mlp().sde(relu), v0).name).toBe('euler-maruyama');
    expect(() => solverForSde('heun', mlp().sde(relu), v0)).toThrow(
      /must be one of auto, euler-maruyama, ninomiya-victoir/,
    );
  });

  it('ncsde validate --architecture transformer runs at its defaults and says which solver ran', () => {
    const dir = workdir();
    const run = ncsde(
      [
        'validate',
        '--architecture',
        'transformer:0.6,1',
        '--paths',
        '200',
        '--samples',
        '100',
        '--n',
        '16',
        '--widths',
        '4,8,12,16',
        '--threads',
        '1',
        '--json',
      ],
      dir,
    );
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.settings.solver).toBe('auto');
    expect(report.solver).toBe('euler-maruyama');
    expect(report.notes[0]).toMatch(/^solver auto: euler-maruyama/);
    const refused = ncsde(['validate', '--architecture', 'transformer:0.6,1', '--solver', 'ninomiya-victoir'], dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /^ncsde: --solver cannot integrate .*; use euler-maruyama \(or auto\) \(got "ninomiya-victoir"\)\n$/,
    );
  });
});
