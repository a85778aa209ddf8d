import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { fillNormals, nextNormal } from '../src/gaussian.js';
import { uniformStream, uniformStreamBySeedrandom } from '../src/rng.js';
import { erf, erfc, normalCdf } from '../src/special.js';
import { ksOneSample } from '../src/stats.js';

describe('xor4096 stream', () => {
  it('reproduces seedrandom.xor4096 exactly (seedrandom is the oracle)', () => {
    for (const [seed, index] of [[0, 0], [42, 7], ['run-a', 123456]] as const) {
      const fast = uniformStream(seed, index);
      const oracle = seedrandom.xor4096(`${seed}:${index}`);
      for (let k = 0; k < 20000; k++) expect(fast.nextInt32()).toBe(oracle.int32());
    }
  });

  it('seeds exactly as seedrandom does, state word for state word', () => {
    for (const key of [[0, 0], ['a-much-longer-seed-string-that-exceeds-one-hundred-and-twenty-eight-characters-'.repeat(3), 5], [7, 99999]] as const) {
      const fast = uniformStream(key[0], key[1]);
      const oracle = uniformStreamBySeedrandom(key[0], key[1]);
      expect(Array.from(fast.x)).toEqual(Array.from(oracle.x));
      expect([fast.i, fast.w]).toEqual([oracle.i, oracle.w]);
    }
  });

  it('gives distinct streams for distinct indices and identical ones for equal (seed, index)', () => {
    const a = uniformStream(1, 0).nextInt32();
    expect(uniformStream(1, 0).nextInt32()).toBe(a);
    expect(uniformStream(1, 1).nextInt32()).not.toBe(a);
    expect(uniformStream(2, 0).nextInt32()).not.toBe(a);
  });

  it('rejects bad seeds and indices naming the field', () => {
    expect(() => uniformStream(-1, 0)).toThrow(/seed/);
    expect(() => uniformStream(1.5, 0)).toThrow(/seed/);
    expect(() => uniformStream(1, -2)).toThrow(/stream index/);
  });
});

describe('special functions', () => {
  it('erf and erfc match reference values to 1e-14 relative', () => {
    const cases: Array<[number, number]> = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
    ];
    for (const [x, want] of cases) expect(Math.abs(erf(x) - want)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(3) / 2.209049699858544e-5 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(normalCdf(-8) / 6.220960574271785e-16 - 1)).toBeLessThan(1e-12);
    expect(erf(-1)).toBe(-erf(1));
  });
});

describe('ziggurat normals', () => {
  const N = 2_000_000;
  const xs = new Float64Array(N);
  fillNormals(uniformStream(2024, 0), xs);

  it('has mean 0, variance 1 and kurtosis 3 within 5 standard errors', () => {
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    for (const x of xs) {
      s1 += x;
      s2 += x * x;
      s4 += x ** 4;
    }
    // SE: mean sqrt(1/N); E x^2: sqrt(2/N); E x^4: sqrt((105 - 9)/N).
    expect(Math.abs(s1 / N)).toBeLessThan(5 * Math.sqrt(1 / N));
    expect(Math.abs(s2 / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(s4 / N - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it('passes a one-sample KS test against the exact normal CDF (p > 1e-3)', () => {
    expect(ksOneSample(xs.subarray(0, 200_000), normalCdf).pValue).toBeGreaterThan(1e-3);
  });

  it('puts the right mass beyond the ziggurat base edge R = 3.654 (exact binomial SE)', () => {
    const p = 2 * normalCdf(-3.6541528853610088);
    let k = 0;
    for (const x of xs) if (Math.abs(x) > 3.6541528853610088) k++;
    expect(Math.abs(k / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
  });

  it('fillNormals and nextNormal draw the same sequence', () => {
    const a = new Float64Array(5000);
    fillNormals(uniformStream(9, 9), a);
    const rng = uniformStream(9, 9);
    for (let k = 0; k < a.length; k++) expect(nextNormal(rng)).toBe(a[k]);
  });
});
