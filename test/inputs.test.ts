// Inputs from data (README, "Many inputs"): --inputs X (P x d) feeds the networks those vectors and starts
// the SDE at V0 = X X^T / d; --v0 gives V0 itself; .npy (any order, float or integer), .csv (with or
// without a header) and .json read to the same rows; --m follows from the file; a matrix that is not
// finite, not symmetric or not PSD is refused in one line (naming the smallest eigenvalue) before anything
// runs, and a result records V0 (and the inputs) so that its --config reruns it bit for bit.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRows, gramOfRows, rowsFromCsv, rowsFromJson, rowsFromNpy } from '../src/io/matrix.js';
import { npyChunks, npyHeader } from '../src/io/npy.js';
import { ncsde, workdir } from './helpers/cli.js';

const X = [
  [1, 0.5, -2, 0],
  [0.25, 1, 1, -1],
  [2, -1, 0.5, 0.75],
];

function npy(rows: number[][]): Uint8Array {
  const chunks = npyChunks({ dtype: 'f8', shape: [rows.length, rows[0].length], data: Float64Array.from(rows.flat()) });
  return Buffer.concat(chunks);
}

describe('reading a matrix', () => {
  it('.npy (C and Fortran order, float64 and int32), .csv (header or not) and .json give the same rows', () => {
    expect(rowsFromNpy(npy(X), 'x')).toEqual(X);
    // Fortran order: the same header with fortran_order True and the data column by column.
    const text = Buffer.from(npyHeader('<f8', [3, 4]))
      .toString('latin1')
      .replace("'fortran_order': False", "'fortran_order': True ");
    const columnMajor = Float64Array.from({ length: 12 }, (_, k) => X[k % 3][Math.floor(k / 3)]);
    expect(rowsFromNpy(Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from(columnMajor.buffer)]), 'x')).toEqual(X);
    const ints = Buffer.concat(npyChunks({ dtype: 'i4', shape: [2, 2], data: Int32Array.of(1, 2, 3, 4) }));
    expect(rowsFromNpy(ints, 'x')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const csv = X.map((r) => r.join(',')).join('\n');
    expect(rowsFromCsv(csv, 'x')).toEqual(X);
    expect(rowsFromCsv(`a,b,c,d\n${csv}\n`, 'x')).toEqual(X);
    expect(rowsFromJson(JSON.stringify(X), 'x')).toEqual(X);
  });

  it('refuses what is not a matrix of finite numbers, naming the place', () => {
    expect(() => rowsFromCsv('1,2\n3,x\n', '--inputs')).toThrow(/^--inputs line 2 must be a finite number \(got "x"\)/);
    expect(() => checkRows([[1, 2], [3]], '--inputs')).toThrow(/^--inputs row 1 must have 2 numbers like row 0/);
    expect(() => rowsFromNpy(new Uint8Array(12), '--v0')).toThrow(/is not a NumPy .npy file/);
  });

  it('the Gram matrix is X X^T / d', () => {
    const g = gramOfRows(X);
    expect(g[0][1]).toBe((1 * 0.25 + 0.5 * 1 + -2 * 1 + 0 * -1) / 4);
    expect(g[1][0]).toBe(g[0][1]);
  });
});

describe('ncsde with --inputs and --v0', () => {
  it('--inputs sets m and V0 = X X^T / d for the SDE; --v0 with that matrix gives the same bits', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'x.npy'), npy(X));
    writeFileSync(join(dir, 'v.json'), JSON.stringify(gramOfRows(X)));
    const a = ncsde(['sde', '--inputs', 'x.npy', '--paths', '50', '--steps', '8', '--threads', '1'], dir);
    const b = ncsde(['sde', '--v0', 'v.json', '--paths', '50', '--steps', '8', '--threads', '1'], dir);
    expect(a.status).toBe(0);
    const ja = JSON.parse(a.stdout);
    expect(ja.shape).toEqual([2, 50, 3, 3]);
    expect(ja.settings.v0).toEqual(gramOfRows(X));
    expect(ja.settings.inputs).toEqual(X);
    expect(ja.saves).toEqual(JSON.parse(b.stdout).saves);
  });

  it('networks are fed the vectors (explicit weights: the first layer W x / sqrt(d)), and the output reruns from itself', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'x.csv'), X.map((r) => r.join(',')).join('\n'));
    expect(
      ncsde(
        [
          'network',
          '--inputs',
          'x.csv',
          '--sampler',
          'explicit',
          '--n',
          '16',
          '--T',
          '0.25',
          '--samples',
          '20',
          '--out',
          'a.json',
        ],
        dir,
      ).status,
    ).toBe(0);
    expect(ncsde(['network', '--config', 'a.json', '--out', 'b.json'], dir).status).toBe(0);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
    // Power: the same V0 without the vectors draws the first layer another way, so the bits differ.
    writeFileSync(join(dir, 'v.json'), JSON.stringify(gramOfRows(X)));
    expect(
      ncsde(
        [
          'network',
          '--v0',
          'v.json',
          '--sampler',
          'explicit',
          '--n',
          '16',
          '--T',
          '0.25',
          '--samples',
          '20',
          '--out',
          'c.json',
        ],
        dir,
      ).status,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')).saves).not.toEqual(
      JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).saves,
    );
  });

  it.each([
    [
      'indefinite',
      [
        [1, 2],
        [2, 1],
      ],
      /^ncsde: --v0 must be positive semi-definite \(smallest eigenvalue -1\.000\)/,
    ],
    [
      'not symmetric',
      [
        [1, 0.2],
        [0.3, 1],
      ],
      /^ncsde: --v0\[1\]\[0\] must equal --v0\[0\]\[1\] = 0\.2 \(symmetric\)/,
    ],
    ['not square', [[1, 0.2, 0]], /^ncsde: --v0 must be a square matrix \(got "1 x 3"\)/],
  ])('refuses a V0 that is %s, in one line, exit 2, nothing written', (_, v, message) => {
    const dir = workdir();
    writeFileSync(join(dir, 'v.json'), JSON.stringify(v));
    const run = ncsde(['sde', '--v0', 'v.json', '--out', 'r.json'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
  });

  it('refuses --m against a file and --inputs with --v0', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'x.json'), JSON.stringify(X));
    expect(ncsde(['sde', '--inputs', 'x.json', '--m', '2'], dir).stderr).toMatch(
      /^ncsde: --m conflicts with --inputs, which holds 3 inputs/,
    );
    expect(ncsde(['sde', '--inputs', 'x.json', '--v0', 'x.json'], dir).stderr).toMatch(
      /^ncsde: --v0 conflicts with --inputs/,
    );
    expect(ncsde(['sde', '--inputs', 'x.txt'], dir).stderr).toMatch(
      /^ncsde: --inputs must name a .npy, .csv or .json file/,
    );
  });
});
