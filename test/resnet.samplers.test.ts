// The resnet's two finite samplers (docs/maths.md, section 11): the stream chain and explicit weights
// agree in law, one layer from a fixed stream and whole networks, with and without input derivatives;
// each comparison is shown to reject a wrong law (the MLP's gamma = 1) at the same sample sizes.
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, type FiniteActivation } from '../src/activations/index.js';
import { openStream } from '../src/random/streams.js';
import { ksTwoSample, meanEstimate } from '../src/stats/index.js';
import { chainLayer, resnetChainSampler } from '../architectures/resnet/chain.js';
import { explicitLayer, resnetExplicitSampler } from '../architectures/resnet/explicit.js';
import { inputStream, streamGram } from '../architectures/resnet/stream.js';
import type { NetworkJob } from '../networks/job.js';
import { resnetJob, runResnets } from './helpers/resnet.js';

const GAMMA = Math.sqrt(0.5);
const V0 = [1, 0.5, 0.5, 1];
const chainAt = (gamma: number) => (job: NetworkJob, act: FiniteActivation) => resnetChainSampler(job, act, gamma);
const explicitAt = (gamma: number) => (job: NetworkJob, act: FiniteActivation) => resnetExplicitSampler(job, act, gamma);

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
    const chainScratch = { a: new Float64Array(n * 2), k: new Float64Array(4), l: new Float64Array(4) };
    const explicitScratch = { a: new Float64Array(n * 2), w: new Float64Array(n), acc: new Float64Array(2) };
    return Array.from({ length: 4000 }, () => {
      if (method === 'chain') chainLayer(rng, z, n, 2, false, act, gamma, chainScratch, next);
      else explicitLayer(rng, z, n, 2, false, act, gamma, explicitScratch, next);
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

describe('whole networks: chain and explicit weights agree in law', () => {
  // Exact two-sample KS on the last layer's V^00, V^01 and rho (2000 networks per side, independent
  // streams). Power: the chain at gamma = 1 (the MLP's clocks) against explicit weights at gamma^2 = 0.5.
  for (const [n, depth] of [
    [8, 16],
    [32, 16],
  ]) {
    it(`shaped relu c+=0 c-=-1, n = ${n}, depth ${depth}`, () => {
      const act = shapedRelu({ cPlus: 0, cMinus: -1 }).atWidth(n);
      const job = resnetJob({ n, depth, v0: V0 });
      const chain = runResnets(job, act, chainAt(GAMMA), 2000, 1, 'test/resnet-law/chain').v;
      const explicit = runResnets(job, act, explicitAt(GAMMA), 2000, 2, 'test/resnet-law/explicit').v;
      expect(minP(chain, explicit, ENTRIES)).toBeGreaterThan(1e-3);
      const mlpClock = runResnets(job, act, chainAt(1), 2000, 3, 'test/resnet-law/chain-gamma1').v;
      expect(minP(mlpClock, explicit, ENTRIES)).toBeLessThan(1e-4);
    });
  }

  it('with input derivatives (state side 4): the derivative block agrees, and the primal block matches the plain run', () => {
    const n = 16;
    const act = shapedSmooth('swish', { a: 1 }).atWidth(n);
    // (z^a, dz^a) with unit directions: V0 over (z^0, z^1, dz^0, dz^1).
    const v0 = [1, 0.5, 0.3, 0, 0.5, 1, 0, 0.3, 0.3, 0, 1, 0.2, 0, 0.3, 0.2, 1];
    const job = resnetJob({ n, depth: 8, v0, m: 2, derivatives: true });
    const chain = runResnets(job, act, chainAt(GAMMA), 2000, 4, 'test/resnet-deriv/chain').v;
    const explicit = runResnets(job, act, explicitAt(GAMMA), 2000, 5, 'test/resnet-deriv/explicit').v;
    const blocks: Array<[string, Entry]> = [
      ['dV^00', (v) => v[10]],
      ['dV^01', (v) => v[11]],
      ['V^0 dV^0', (v) => v[2]],
      ['V^00', (v) => v[0]],
    ];
    expect(minP(chain, explicit, blocks)).toBeGreaterThan(1e-3);
    const plain = runResnets(resnetJob({ n, depth: 8, v0: [1, 0.5, 0.5, 1] }), act, chainAt(GAMMA), 2000, 6, 'test/resnet-deriv/plain').v;
    expect(minP(chain, plain, [ENTRIES[0], ENTRIES[1]])).toBeGreaterThan(1e-3);
  });

  it('explicit readout has variance V_d given V_d (mean of z^2 / V_d is 1 within 4 SE); the chain likewise', () => {
    const n = 16;
    const act = shapedRelu({ cPlus: 1, cMinus: -1 }).atWidth(n);
    const job = resnetJob({ n, depth: 8, v0: V0, outputs: 4 });
    for (const [build, seed] of [
      [explicitAt(GAMMA), 7],
      [chainAt(GAMMA), 8],
    ] as const) {
      const r = runResnets(job, act, build, 3000, seed, 'test/resnet-readout');
      const ratios = new Float64Array(3000 * 4);
      r.logits.forEach((out, p) => {
        for (let o = 0; o < 4; o++) ratios[p * 4 + o] = out[o * 2] ** 2 / r.v[p][0];
      });
      const e = meanEstimate(ratios);
      expect(Math.abs(e.value - 1)).toBeLessThan(4 * e.se);
    }
  });
});

describe('explosion: the stream of a smooth activation with beta > 0 crosses the threshold and stays finite', () => {
  it('swish a = 0.4 (beta = 4.7), n = 64, depth 128, threshold 1e4', () => {
    const n = 64;
    const act = shapedSmooth('swish', { a: 0.4 }).atWidth(n);
    const job = resnetJob({ n, depth: 128, v0: [1], threshold: 1e4 });
    const r = runResnets(job, act, chainAt(GAMMA), 300, 9, 'test/resnet-explode');
    const exploded = r.explosionLayer.filter((l) => l > 0).length;
    expect(exploded).toBeGreaterThan(30);
    for (const v of r.v) expect(Number.isFinite(v[0])).toBe(true);
  });
});
