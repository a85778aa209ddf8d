import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { choleskyPsd, projectPsdInPlace, symmetricEigen, validateCovariance } from '../src/linalg.js';
import { openStream } from '../src/random/streams.js';

function randomSpd(m: number, rank: number, seed: number): Float64Array {
  const g = new Float64Array(m * rank);
  openStream(seed, 'linalg-test', 0).fillNormals(g);
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) for (let k = 0; k < rank; k++) a[i * m + j] += g[i * rank + k] * g[j * rank + k];
  return a;
}

describe('Cholesky (PSD-tolerant)', () => {
  it('matches ml-matrix on positive definite input', () => {
    for (const m of [1, 2, 5, 8]) {
      const a = randomSpd(m, m + 3, m);
      const l = new Float64Array(m * m);
      expect(choleskyPsd(a, m, l)).toBe(-1);
      const oracle = new Matrix(Array.from({ length: m }, (_, i) => Array.from(a.subarray(i * m, i * m + m))));
      const ref = new CholeskyDecomposition(oracle).lowerTriangularMatrix;
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) expect(l[i * m + j]).toBeCloseTo(ref.get(i, j), 10);
    }
  });

  it('factors singular PSD matrices (rank-deficient) so that L L^T = A', () => {
    const m = 6;
    const a = randomSpd(m, 3, 11);
    const l = new Float64Array(m * m);
    expect(choleskyPsd(a, m, l)).toBe(-1);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += l[i * m + k] * l[j * m + k];
        expect(Math.abs(s - a[i * m + j])).toBeLessThan(1e-9 * (1 + Math.abs(a[i * m + j])));
      }
    }
  });

  it('reports the first negative pivot of an indefinite matrix', () => {
    const a = Float64Array.from([1, 2, 2, 1]);
    expect(choleskyPsd(a, 2, new Float64Array(4))).toBe(1);
  });

  it('a zero pivot with a non-zero column below it is not PSD ([[0, c], [c, b]]), unless clamped', () => {
    const a = Float64Array.from([0, 0.5, 0.5, 1]);
    expect(choleskyPsd(a, 2, new Float64Array(4))).toBe(0);
    expect(choleskyPsd(a, 2, new Float64Array(4), 1e-12, true)).toBe(-1);
  });
});

describe('Jacobi eigen-decomposition and PSD projection', () => {
  it('eigenvalues agree with ml-matrix', () => {
    const m = 7;
    const a = randomSpd(m, 4, 5);
    for (let i = 0; i < m; i++) a[i * m + i] -= 2; // make it indefinite
    const values = new Float64Array(m);
    symmetricEigen(a, m, values, new Float64Array(m * m), new Float64Array(m * m));
    const ref = new EigenvalueDecomposition(
      new Matrix(Array.from({ length: m }, (_, i) => Array.from(a.subarray(i * m, i * m + m)))),
      {
        assumeSymmetric: true,
      },
    ).realEigenvalues.sort((x, y) => x - y);
    const got = Array.from(values).sort((x, y) => x - y);
    got.forEach((v, k) => expect(v).toBeCloseTo(ref[k], 10));
  });

  it('projection removes negative eigenvalues and leaves PSD input unchanged', () => {
    const m = 3;
    const a = Float64Array.from([1, 0.9, 0.2, 0.9, 0.5, 0.1, 0.2, 0.1, -0.1]);
    const worst = projectPsdInPlace(a, m, new Float64Array(3 * m * m + m));
    expect(worst).toBeLessThan(0);
    expect(choleskyPsd(a, m, new Float64Array(m * m))).toBe(-1);
    const b = randomSpd(m, 5, 3);
    const copy = b.slice();
    expect(projectPsdInPlace(b, m, new Float64Array(3 * m * m + m))).toBe(0);
    b.forEach((x, k) => expect(x).toBeCloseTo(copy[k], 10));
  });
});

describe('covariance validation', () => {
  it('names the entry at fault', () => {
    expect(() => validateCovariance('v0', Float64Array.from([1, 0.5, 0.4, 1]), 2)).toThrow(/v0\[1\]\[0\].*symmetric/);
    expect(() => validateCovariance('v0', Float64Array.from([1, 2, 2, 1]), 2)).toThrow(
      /v0 must be positive semi-definite/,
    );
    expect(() => validateCovariance('v0', Float64Array.from([1, 0, 0, NaN]), 2)).toThrow(
      /v0\[1\]\[1\] must be finite \(got NaN\)/,
    );
    expect(() => validateCovariance('v0', Float64Array.from([0, 0, 0, 1]), 2)).toThrow(/v0\[0\]\[0\] must be > 0/);
    expect(() => validateCovariance('v0', Float64Array.from([1, 1, 1, 1]), 2)).not.toThrow(); // rho = 1 is legitimate
  });
});
