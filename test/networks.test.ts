import { describe, expect, it } from 'vitest';
import {
  reluLikeFourthMomentConstant,
  shapedRelu,
  shapedSmooth,
  unshaped,
  type Activation,
} from '../src/activations/index.js';
import { PATH_EXPLODED } from '../src/results.js';
import { ksTwoSample, meanEstimate } from '../src/stats/index.js';
import { sampleNetworks, sampleNetworksSync, type NetworkSample } from '../networks/index.js';

const V0 = [
  [1, 0.5],
  [0.5, 1],
];

function entry(s: NetworkSample, record: number, f: (g: (i: number, j: number) => number) => number): Float64Array {
  return Float64Array.from({ length: s.samples }, (_, p) => f((i, j) => s.values.get(record, p, i, j)));
}
const rho = (g: (i: number, j: number) => number) => g(0, 1) / Math.sqrt(g(0, 0) * g(1, 1));

describe('explicit weights and the covariance chain agree in law', () => {
  for (const [n, depth] of [
    [8, 8],
    [32, 8],
    [64, 4],
  ]) {
    it(`n = ${n}, depth ${depth}: exact two-sample KS on V^aa, V^ab and rho (p > 1e-3)`, () => {
      const activation = shapedRelu({ cPlus: 0, cMinus: -1 });
      const common = { activation, n, depth, v0: V0, samples: 2000 };
      const chain = sampleNetworksSync({ ...common, seed: 1, sampler: 'chain' });
      const explicit = sampleNetworksSync({ ...common, seed: 2, sampler: 'explicit' });
      for (const f of [
        (g: (i: number, j: number) => number) => g(0, 0),
        (g: (i: number, j: number) => number) => g(0, 1),
        rho,
      ]) {
        expect(ksTwoSample(entry(chain, 0, f), entry(explicit, 0, f)).pValue).toBeGreaterThan(1e-3);
      }
    });
  }

  it('explicit logits have variance V_d given V_d (mean of z^2 / V_d is 1 within 4 SE)', () => {
    const s = sampleNetworksSync({
      activation: shapedRelu({ cPlus: 1, cMinus: -1 }),
      n: 32,
      depth: 8,
      v0: V0,
      samples: 3000,
      seed: 3,
      sampler: 'explicit',
      outputs: 4,
    });
    const ratios = new Float64Array(s.samples * 4);
    for (let p = 0; p < s.samples; p++)
      for (let o = 0; o < 4; o++) ratios[p * 4 + o] = s.logits.get(p, o, 0) ** 2 / s.values.get(0, p, 0, 0);
    const e = meanEstimate(ratios);
    expect(Math.abs(e.value - 1)).toBeLessThan(4 * e.se);
  });
});

describe('exact finite-width fourth moments E[(V_l)^2] = V_0^2 (1 + k/n)^l (docs/maths.md, section 5)', () => {
  const cases: Array<[string, Activation, number, number, number]> = [];
  // The explicit sampler costs n^2 normals per layer, so it runs at the two smaller (n, l).
  for (const [n, l] of [
    [16, 8],
    [32, 16],
    [64, 32],
  ]) {
    const s = 1 / Math.sqrt(n);
    cases.push([
      'shaped relu c+=0, c-=-1',
      shapedRelu({ cPlus: 0, cMinus: -1 }),
      n,
      l,
      reluLikeFourthMomentConstant(1, 1 - s),
    ]);
    cases.push(['linear (k = 2)', unshaped('linear'), n, l, 2]);
    cases.push(['unshaped relu (k = 5)', unshaped('relu'), n, l, 5]);
  }
  cases.forEach(([name, activation, n, l, k], caseIndex) => {
    const methods = n <= 32 ? (['chain', 'explicit'] as const) : (['chain'] as const);
    it(`${name}, n = ${n}, l = ${l}: ${methods.join(' and ')}`, () => {
      const v00 = 1.5;
      for (const method of methods) {
        const samples = method === 'chain' ? 40_000 : n <= 16 ? 8000 : 2000;
        const s = sampleNetworksSync({
          activation,
          n,
          depth: l,
          v0: [[v00]],
          samples,
          seed: 100 + 2 * caseIndex + (method === 'chain' ? 0 : 1),
          sampler: method,
        });
        const e = meanEstimate(entry(s, 0, (g) => g(0, 0) ** 2));
        const exact = v00 * v00 * (1 + k / n) ** l;
        expect(Math.abs(e.value - exact)).toBeLessThan(4 * e.se);
      }
    });
  });
});

describe('explosion and bookkeeping', () => {
  it('records the layer at which V^aa crosses the threshold and keeps values finite', () => {
    const swish = shapedSmooth('swish', { a: 0.4 });
    const s = sampleNetworksSync({
      activation: swish,
      n: 64,
      T: 2,
      v0: [[1]],
      samples: 300,
      seed: 4,
      explosion: { threshold: 1e4 },
      record: { count: 4 },
    });
    expect(s.counts.exploded).toBeGreaterThan(30);
    expect(s.values.data.every(Number.isFinite)).toBe(true);
    for (let p = 0; p < s.samples; p++) {
      if (s.status[p] === PATH_EXPLODED) {
        expect(s.explosionLayer[p]).toBeGreaterThan(0);
        expect(s.values.get(4, p, 0, 0)).toBeGreaterThan(1e4);
      } else expect(s.explosionLayer[p]).toBe(-1);
    }
  });

  it('shapes, layer times and recorded layers', () => {
    const s = sampleNetworksSync({
      activation: shapedRelu({ cPlus: 0, cMinus: -1 }),
      n: 10,
      T: 1,
      v0: V0,
      samples: 5,
      seed: 5,
      record: { layers: [0, 5, 10] },
      outputs: 3,
    });
    expect(s.values.shape).toEqual([3, 5, 2, 2]);
    expect(s.logits.shape).toEqual([5, 3, 2]);
    expect(Array.from(s.ts)).toEqual([0, 0.5, 1]);
    expect(s.values.get(0, 2, 0, 1)).toBe(0.5);
  });

  it('builds the Gram matrix from explicit inputs', () => {
    const s = sampleNetworksSync({
      activation: unshaped('linear'),
      n: 4,
      depth: 1,
      inputs: [
        [1, 0, 0],
        [1, 1, 1],
      ],
      samples: 2,
      seed: 1,
      record: { layers: [0] },
    });
    expect(s.values.get(0, 0, 0, 1)).toBeCloseTo(1 / 3, 14);
    expect(s.values.get(0, 0, 1, 1)).toBeCloseTo(1, 14);
  });

  it('sample p is the same whatever the total, and the sde and network families are independent', () => {
    const opts = { activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n: 16, depth: 4, v0: V0, seed: 5 };
    const small = sampleNetworksSync({ ...opts, samples: 3 });
    const large = sampleNetworksSync({ ...opts, samples: 30 });
    for (let p = 0; p < 3; p++) expect(large.values.get(0, p, 0, 1)).toBe(small.values.get(0, p, 0, 1));
    const other = sampleNetworksSync({ ...opts, samples: 3, streams: { purpose: 'network/width=16' } });
    expect(other.values.get(0, 0, 0, 1)).not.toBe(small.values.get(0, 0, 0, 1));
  });

  it('the fused one-pair ReLU layer gives the same bits as the separate passes', () => {
    const relu = shapedRelu({ cPlus: 0.3, cMinus: -1.2 });
    const plain: Activation = { ...relu, atWidth: (n: number) => ({ ...relu.atWidth(n), piecewise: null }) };
    const opts = { n: 24, depth: 12, v0: V0, samples: 20, seed: 3, record: { count: 4 } };
    const fused = sampleNetworksSync({ ...opts, activation: relu });
    const separate = sampleNetworksSync({ ...opts, activation: plain });
    expect(Array.from(fused.values.data)).toEqual(Array.from(separate.values.data));
  });

  it('is bit-identical across thread counts for both samplers', async () => {
    for (const method of ['chain', 'explicit'] as const) {
      const opts = {
        activation: shapedSmooth('tanh', { a: 1 }),
        n: 16,
        depth: 6,
        v0: V0,
        samples: 40,
        seed: 77,
        sampler: method,
        record: { count: 3 },
      };
      const one = sampleNetworksSync(opts);
      const two = await sampleNetworks({ ...opts, threads: 2 });
      expect(Array.from(two.values.data)).toEqual(Array.from(one.values.data));
      expect(Array.from(two.logits.data)).toEqual(Array.from(one.logits.data));
    }
  });

  it('rejects bad input naming the field', () => {
    const base = { activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n: 8, depth: 2, v0: V0, samples: 2, seed: 1 };
    expect(() => sampleNetworksSync({ ...base, n: -3 })).toThrow(/^n must be an integer in \[1, 1048576\] \(got -3\)$/);
    expect(() => sampleNetworksSync({ ...base, depth: undefined })).toThrow(/depth/);
    expect(() =>
      sampleNetworksSync({
        ...base,
        v0: [
          [1, 3],
          [3, 1],
        ],
      }),
    ).toThrow(/v0 must be positive semi-definite/);
    expect(() => sampleNetworksSync({ ...base, sampler: 'magic' as 'chain' })).toThrow(
      /^sampler must be one of chain, explicit/,
    );
    expect(() => sampleNetworksSync({ ...base, depth: 5, T: 2 })).toThrow(/^T conflicts with depth \(5\)/);
    expect(() => sampleNetworksSync({ ...base, depth: undefined, T: 1e-6 })).toThrow(/^T gives depth round/);
    expect(() => sampleNetworksSync({ ...base, explosion: { threshold: 0.5 } })).toThrow(
      /explosion.threshold must exceed the largest input variance 1/,
    );
    expect(() => sampleNetworksSync({ ...base, record: { layers: [5] } })).toThrow(/record.layers\[0\]/);
    expect(() => sampleNetworksSync({ ...base, v0: undefined, inputs: [[1, 2], [1]] })).toThrow(
      /inputs\[1\] must have length 2/,
    );
  });
});
