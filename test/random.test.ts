import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { nextNormal, openStream, parseSeed, requireSeed, Xoshiro128pp } from '../src/random/streams.js';
import { normalCdf } from '../src/special.js';
import { ksOneSample } from '../src/stats/tests.js';

describe('xoshiro128++', () => {
  it('matches the reference C implementation (Blackman & Vigna) word for word', () => {
    // Printed by the authors' xoshiro128plusplus.c next(), compiled with gcc, from state {1, 2, 3, 4}.
    const rng = new Xoshiro128pp(1, 2, 3, 4);
    expect(Array.from({ length: 10 }, () => rng.nextInt32())).toEqual([
      641, 1573767, -1072155769, -777110782, 836907274, -47752528, -427852564, 1355841295, 495546011, 621204420,
    ]);
    const far = new Xoshiro128pp(0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x85a308d3);
    for (let i = 0; i < 1000; i++) far.nextInt32();
    expect(far.nextInt32()).toBe(1674509340);
  });

  it('keyed streams are reproducible and distinct across seeds, purposes and indices', () => {
    const word = (seed: number, purpose: string, index: number) => openStream(seed, purpose, index).nextInt32();
    expect(word(1, 'sde', 0)).toBe(word(1, 'sde', 0));
    const words = new Set([
      word(1, 'sde', 0),
      word(1, 'sde', 1),
      word(2, 'sde', 0),
      word(1, 'network', 0),
      word(1, 'sde/coins', 0),
    ]);
    expect(words.size).toBe(5);
  });

  it('streams of neighbouring keys are uncorrelated (|r| < 4/sqrt(N) over 64 stream pairs)', () => {
    // Under independence the sample correlation of N uniforms has SE 1/sqrt(N); 4 SE bounds all 64 pairs.
    const N = 4000;
    for (let k = 0; k < 64; k++) {
      const a = openStream(7, 'sde', k);
      const b = openStream(7, 'sde', k + 1);
      let sab = 0;
      for (let i = 0; i < N; i++) sab += (a.nextUniform() - 0.5) * (b.nextUniform() - 0.5);
      expect(Math.abs(sab / N / (1 / 12))).toBeLessThan(4 / Math.sqrt(N));
    }
  });
});

describe('xor4096 option', () => {
  it('gives seedrandom.xor4096 words for the same key (seedrandom is the oracle)', () => {
    const rng = openStream(42, 'sde', 7, 'xor4096');
    const oracle = seedrandom.xor4096('42/sde/7');
    for (let k = 0; k < 5000; k++) expect(rng.nextInt32()).toBe(oracle.int32());
  });
});

describe('seeds', () => {
  it('one rule: integers in [0, 2^53 - 1], typed in digits', () => {
    expect(parseSeed('--seed', '12')).toBe(12);
    for (const bad of ['1.0', '1e3', '-1', '', ' 1', '0x10', '99999999999999999'])
      expect(() => parseSeed('--seed', bad)).toThrow(/^--seed must be an integer in \[0, 9007199254740991\]/);
    for (const bad of [-1, 1.5, NaN, '3', 2 ** 53])
      expect(() => requireSeed('seed', bad)).toThrow(/^seed must be an integer/);
  });
});

describe('ziggurat normals', () => {
  for (const generator of ['xoshiro128++', 'xor4096'] as const) {
    const N = 2_000_000;
    const xs = new Float64Array(N);
    openStream(2024, 'test', 0, generator).fillNormals(xs);

    it(`${generator}: mean 0, variance 1, kurtosis 3 within 5 SE`, () => {
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

    it(`${generator}: one-sample KS against the exact normal CDF (p > 1e-3), and the tail beyond R`, () => {
      expect(ksOneSample(xs.subarray(0, 400_000), normalCdf).pValue).toBeGreaterThan(1e-3);
      const p = 2 * normalCdf(-3.6541528853610088);
      let k = 0;
      for (const x of xs) if (Math.abs(x) > 3.6541528853610088) k++;
      expect(Math.abs(k / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    });
  }

  it('normal k is the same however the fills are split (and equals nextNormal)', () => {
    const whole = new Float64Array(10_000);
    openStream(9, 'split', 3).fillNormals(whole);
    const parts = new Float64Array(10_000);
    const rng = openStream(9, 'split', 3);
    let at = 0;
    for (const size of [1, 2, 3, 1024, 1025, 7, 2047, 5891]) {
      rng.fillNormals(parts, at, size);
      at += size;
    }
    expect(Array.from(parts)).toEqual(Array.from(whole));
    const single = openStream(9, 'split', 3);
    for (let k = 0; k < 3000; k++) expect(nextNormal(single)).toBe(whole[k]);
  });
});
