// The resnet's two finite samplers (docs/maths.md, section 13): the stream chain and explicit weights
// agree in law, one layer from a fixed stream and whole networks, with and without input derivatives;
// each comparison is shown to reject a wrong law (the MLP's gamma = 1) at the same sample sizes.
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, type FiniteActivation } from '../src/activations/index.js';
import { openStream } from '../src/random/streams.js';
import { ksTwoSample, meanEstimate } from '../src/stats/index.js';
import { dense, residual } from '../architectures/index.js';
import { inputStream, streamGram } from '../networks/index.js';
import { PATH_EXPLODED } from '../src/results.js';
import { sampleNetworks, sampleNetworksSync, type NetworkOptions, type NetworkSample } from '../networks/index.js';
import { architectureFromSpec, parseArchitecture, resnet } from '../architectures/index.js';
import type { Architecture, SamplerFactory } from '../entry/index.js';

const GAMMA = Math.sqrt(0.5);
const V0 = [
  [1, 0.5],
  [0.5, 1],
];

type Entry = (v: Float64Array) => number;
const ENTRIES: Array<[string, Entry]> = [
  ['V^00', (v) => v[0]],
  ['V^01', (v) => v[1]],
  ['rho', (v) => v[1] / Math.sqrt(v[0] * v[3])],
];
const minP = (a: Float64Array[], b: Float64Array[], entries: Array<[string, Entry]>) =>
  Math.min(...entries.map(([, f]) => ksTwoSample(a.map(f), b.map(f)).pValue));

describe('one layer from a fixed stream: the chain is the whole-layer definition in law (n = 16)', () => {
  // Exact two-sample KS on V_{l+1}'s entries, 4000 layers per side from one z, independent streams.
  const n = 16;
  const layers = (method: 'chain' | 'explicit', gamma: number, seed: number, act: FiniteActivation) => {
    const z = new Float64Array(n * 2);
    inputStream(openStream(3, 'test/resnet-one-layer/z', 0), [1, 0.2, 0.2, 1.5], n, 2, z, new Float64Array(4));
    const next = new Float64Array(n * 2);
    const rng = openStream(seed, `test/resnet-one-layer/${method}`, 0);
    const layer = residual(dense(), { gamma }).layer(act, { n, m: 2, side: 2, derivatives: false });
    return Array.from({ length: 4000 }, () => {
      if (method === 'chain') layer.chain(rng, z, null, next);
      else layer.explicit(rng, z, next);
      const v = new Float64Array(4);
      streamGram(next, n, 2, v);
      return v;
    });
  };
  for (const [name, act] of [
    ['shaped relu c+=0, c-=-1', shapedRelu({ cPlus: 0, cMinus: -1 }).atWidth(n)],
    ['shaped tanh a=1', shapedSmooth('tanh', { a: 1 }).atWidth(n)],
  ] as const) {
    it(`${name}: p > 1e-3 on V^00, V^01, rho; gamma = 1 against gamma^2 = 0.5 rejected (p < 1e-6)`, () => {
      const chain = layers('chain', GAMMA, 1, act);
      expect(minP(chain, layers('explicit', GAMMA, 2, act), ENTRIES)).toBeGreaterThan(1e-3);
      expect(minP(chain, layers('explicit', 1, 3, act), ENTRIES)).toBeLessThan(1e-6);
    });
  }
});

describe('whole networks through sampleNetworks: chain and explicit weights agree in law', () => {
  // Exact two-sample KS on the last layer's V^00, V^01 and rho (2000 networks per side, independent
  // streams). Power: the chain at gamma = 1 (the MLP's clocks) against explicit weights at gamma^2 = 0.5.
  const last = (s: NetworkSample) =>
    Array.from({ length: s.samples }, (_, p) =>
      Float64Array.from({ length: s.side * s.side }, (_, k) =>
        s.values.get(s.layers.length - 1, p, Math.floor(k / s.side), k % s.side),
      ),
    );
  const run = (
    gamma: number,
    method: 'chain' | 'explicit',
    options: Omit<NetworkOptions, 'architecture' | 'sampler' | 'samples' | 'threads'> & { samples?: number },
  ) => sampleNetworksSync({ samples: 2000, ...options, architecture: resnet({ gamma }), sampler: method });
  for (const [n, depth] of [
    [8, 16],
    [32, 16],
  ]) {
    it(`shaped relu c+=0 c-=-1, n = ${n}, depth ${depth}`, () => {
      const common = { activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n, depth, v0: V0 };
      const chain = run(GAMMA, 'chain', { ...common, seed: 1 });
      const explicit = run(GAMMA, 'explicit', { ...common, seed: 2 });
      expect(chain.architecture).toBe(`resnet(gamma=${GAMMA})`);
      expect(minP(last(chain), last(explicit), ENTRIES)).toBeGreaterThan(1e-3);
      expect(minP(last(run(1, 'chain', { ...common, seed: 3 })), last(explicit), ENTRIES)).toBeLessThan(1e-4);
    });
  }

  it('with input derivatives (state side 4): the derivative block agrees, and the primal block matches the plain run', () => {
    const activation = shapedSmooth('swish', { a: 1 });
    // Over (z^0, z^1, dz^0, dz^1).
    const v0 = [
      [1, 0.5, 0.3, 0],
      [0.5, 1, 0, 0.3],
      [0.3, 0, 1, 0.2],
      [0, 0.3, 0.2, 1],
    ];
    const common = { activation, n: 16, depth: 8, v0, derivatives: true };
    const chain = last(run(GAMMA, 'chain', { ...common, seed: 4 }));
    const explicit = last(run(GAMMA, 'explicit', { ...common, seed: 5 }));
    const blocks: Array<[string, Entry]> = [
      ['dV^00', (v) => v[10]],
      ['dV^01', (v) => v[11]],
      ['V^0 dV^0', (v) => v[2]],
      ['V^00', (v) => v[0]],
    ];
    expect(minP(chain, explicit, blocks)).toBeGreaterThan(1e-3);
    const plain = last(run(GAMMA, 'chain', { activation, n: 16, depth: 8, v0: V0, seed: 6 }));
    const primal: Array<[string, Entry]> = [
      ['V^00', (v) => v[0]],
      ['V^01', (v) => v[1]],
    ];
    expect(minP(chain, plain, primal)).toBeGreaterThan(1e-3);
  });

  it('the readout has variance V_d given V_d (mean of z^2 / V_d is 1 within 4 SE), explicit and chain', () => {
    for (const [method, seed] of [
      ['explicit', 7],
      ['chain', 8],
    ] as const) {
      const s = run(GAMMA, method, {
        activation: shapedRelu({ cPlus: 1, cMinus: -1 }),
        n: 16,
        depth: 8,
        v0: V0,
        samples: 3000,
        seed,
        outputs: 4,
      });
      const ratios = new Float64Array(s.samples * 4);
      for (let p = 0; p < s.samples; p++)
        for (let o = 0; o < 4; o++) ratios[p * 4 + o] = s.logits.get(p, o, 0) ** 2 / s.values.get(0, p, 0, 0);
      const e = meanEstimate(ratios);
      expect(Math.abs(e.value - 1)).toBeLessThan(4 * e.se);
    }
  });

  it('same seed, same numbers on 1 and 3 threads', async () => {
    const options = {
      architecture: resnet({ gamma: GAMMA }),
      activation: shapedRelu({ cPlus: 0, cMinus: -1 }),
      n: 16,
      depth: 8,
      v0: V0,
      samples: 40,
      seed: 11,
    };
    const one = await sampleNetworks({ ...options, threads: 1 });
    const three = await sampleNetworks({ ...options, threads: 3 });
    expect(Array.from(three.values.data)).toEqual(Array.from(one.values.data));
    expect(Array.from(three.logits.data)).toEqual(Array.from(one.logits.data));
  });

  it('refuses a width below the state side (one line naming n)', () => {
    expect(() =>
      run(GAMMA, 'chain', { activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n: 1, depth: 1, v0: V0, seed: 1 }),
    ).toThrow(/^n must be at least the state side 2 .*\(got 1\)$/);
  });
});

describe('explosion: the stream of a smooth activation with beta > 0 crosses the threshold and stays finite', () => {
  it('swish a = 0.4 (beta = 4.7), n = 64, ratio 2, threshold 1e4', () => {
    const s = sampleNetworksSync({
      architecture: resnet({ gamma: GAMMA }),
      activation: shapedSmooth('swish', { a: 0.4 }),
      n: 64,
      T: 2,
      v0: [[1]],
      samples: 300,
      seed: 9,
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
});

describe('the resnet value rebuilds from its text, its spec and its module references', () => {
  it('text, spec and ref give the same architecture; sampler refs give the same factory', async () => {
    const net = resnet({ gamma: 0.3 });
    expect(parseArchitecture(net.text).label).toBe('resnet(gamma=0.3)');
    expect(architectureFromSpec(JSON.parse(JSON.stringify(net.spec))).text).toBe('resnet:0.3');
    // Rebuilt as a worker does (src/modules.ts resolveRef), by importing the module and calling the export;
    // worker threads running these refs are exercised by the thread test above.
    const build = async <T>(ref: { module: string; name: string; args: readonly unknown[] }) =>
      ((await import(ref.module)) as Record<string, (...a: unknown[]) => T>)[ref.name](...ref.args);
    expect((await build<Architecture>(net.ref)).text).toBe('resnet:0.3');
    for (const name of ['chain', 'explicit']) {
      const factory = await build<SamplerFactory>(net.samplers[name].ref!);
      expect(factory.name).toBe(name);
      expect(factory.ref).toEqual(net.samplers[name].ref);
    }
    expect(() => resnet({ gamma: 0 })).toThrow(/^gamma must be a number in \(0, 1\] \(got 0\)$/);
    expect(() => architectureFromSpec({ kind: 'resnet', gamma: 2 })).toThrow(
      /^architecture\.gamma must be a number in \(0, 1\] \(got 2\)$/,
    );
  });
});
