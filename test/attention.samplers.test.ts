// The chain samplers of shaped attention and of the shaped Transformer (no n x n matrix) against explicit
// weights: equal in law (exact two-sample KS on V^00, V^01 and rho^01 after 4 layers at n = 16, nk = 4,
// H = 2, 8000 networks a side, independent streams, p > 1e-3), and the same comparison rejects a chain
// whose temperature is off by a factor 2 (power).
import { describe, expect, it } from 'vitest';
import { shapedRelu } from '../src/activations/index.js';
import { openStream } from '../src/random/streams.js';
import { ksOneSample, ksTwoSample } from '../src/stats/index.js';
import { chiSquareCdf } from '../src/special.js';
import { chiSquare, crossGramBartlett } from '../architectures/attention/wishart.js';
import { gramInto, residualGaussianStep, residualGaussianStepGram4, type NetworkJob } from '../networks/index.js';
import { attention, transformer, type Architecture } from '../architectures/index.js';
import type { AttentionParams } from '../architectures/attention/params.js';

const m = 3;
const n = 16;
const nk = 4;
const depth = 4;
const N = 8000;
const v0 = [1, 0.3, 0.1, 0.3, 1, 0.5, 0.1, 0.5, 1];

type Observables = Record<'v00' | 'v01' | 'rho', Float64Array>;

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
/** A preset's sampler of a name, on a minimal job (m tokens, no input directions). */
const samplerOf = (arch: Architecture, name: string, width = n, outputs = 1) =>
  arch.samplers[name].build(
    { m, n: width, v0, outputs, derivatives: false } as unknown as NetworkJob,
    relu.atWidth(width),
  );

function run(kind: 'chain' | 'explicit', p: AttentionParams, preset: typeof attention, purpose: string): Observables {
  const sampler = samplerOf(preset({ ...p, keyWidth: nk }), kind);
  const out = { v00: new Float64Array(N), v01: new Float64Array(N), rho: new Float64Array(N) };
  const v = new Float64Array(m * m);
  for (let q = 0; q < N; q++) {
    const rng = openStream(5, purpose, q);
    v.set(v0);
    sampler.start(rng, Float64Array.from(v0));
    for (let l = 0; l < depth; l++) expect(sampler.layer(rng, v)).toBeLessThan(1e6);
    out.v00[q] = v[0];
    out.v01[q] = v[1];
    out.rho[q] = v[1] / Math.sqrt(v[0] * v[4]);
  }
  return out;
}

const minP = (a: Observables, b: Observables) =>
  Math.min(...(['v00', 'v01', 'rho'] as const).map((k) => ksTwoSample(a[k], b[k]).pValue));

describe('attention samplers: chain and explicit weights agree in law', () => {
  const p: AttentionParams = { gamma: 0.8, tau0: 0.3, heads: 2 };
  const cases: Array<[string, typeof attention]> = [
    ['attention', attention],
    ['transformer (shaped ReLU c+ = 0, c- = -1)', transformer],
  ];
  for (const [name, blocks] of cases) {
    it(`${name}: same law (KS p > 1e-3); a chain with tau0 x 2 is rejected (p < 1e-3)`, () => {
      const explicit = run('explicit', p, blocks, 'test/explicit');
      expect(minP(run('chain', p, blocks, 'test/chain'), explicit)).toBeGreaterThan(1e-3);
      expect(minP(run('chain', { ...p, tau0: 2 * p.tau0 }, blocks, 'test/chain-wrong'), explicit)).toBeLessThan(1e-3);
    });
  }

  it('the chain keeps X X^T / n = V: the token Gram after a layer is the V it returns', () => {
    const sampler = samplerOf(attention(p), 'chain', 64, 2);
    const rng = openStream(6, 'test/gram', 0);
    const v = Float64Array.from(v0);
    sampler.start(rng, Float64Array.from(v0));
    const max = sampler.layer(rng, v);
    expect(max).toBe(Math.max(v[0], v[4], v[8]));
    const logits = new Float64Array(2 * m);
    sampler.logits(rng, v, logits);
    expect(logits.every(Number.isFinite)).toBe(true);
  });
});

describe('the logits cross-Gram P = G^T G by Bartlett (O(m^3), exact in law)', () => {
  it('chi-square variates: exact one-sample KS against the chi-square CDF (k = 1, 3, 256; p > 1e-3), k = 4 rejected at k = 3', () => {
    const rng = openStream(7, 'test/chi-square', 0);
    const draw = (k: number) => Float64Array.from({ length: 20000 }, () => chiSquare(rng, k));
    for (const k of [1, 3, 256]) expect(ksOneSample(draw(k), (x) => chiSquareCdf(x, k)).pValue).toBeGreaterThan(1e-3);
    expect(ksOneSample(draw(4), (x) => chiSquareCdf(x, 3)).pValue).toBeLessThan(1e-3);
  });

  it('entries of P agree in law with G^T G drawn directly (k = 5, m = 3; KS p > 1e-3 on P00, P10, P22, P12), and differ from k = 6', () => {
    const m = 3;
    const draws = 20000;
    const entries = [0, 3, 8, 5];
    const direct = (k: number, purpose: string) => {
      const rng = openStream(8, purpose, 0);
      const g = new Float64Array(k * m);
      const h = new Float64Array(k * m);
      const out = entries.map(() => new Float64Array(draws));
      for (let d = 0; d < draws; d++) {
        rng.fillNormals(g);
        rng.fillNormals(h);
        entries.forEach((e, i) => {
          const [a, b] = [Math.floor(e / m), e % m];
          let s = 0;
          for (let c = 0; c < k; c++) s += g[c * m + a] * h[c * m + b];
          out[i][d] = s;
        });
      }
      return out;
    };
    const rng = openStream(8, 'test/bartlett', 0);
    const t = new Float64Array(m * m);
    const z = new Float64Array(m * m);
    const p = new Float64Array(m * m);
    const bartlett = entries.map(() => new Float64Array(draws));
    for (let d = 0; d < draws; d++) {
      crossGramBartlett(rng, 5, m, t, z, p);
      entries.forEach((e, i) => (bartlett[i][d] = p[e]));
    }
    const same = direct(5, 'test/direct');
    for (let i = 0; i < entries.length; i++) expect(ksTwoSample(bartlett[i], same[i]).pValue).toBeGreaterThan(1e-3);
    const other = direct(6, 'test/direct6');
    expect(Math.min(...entries.map((_, i) => ksTwoSample(bartlett[i], other[i]).pValue))).toBeLessThan(1e-3);
  });
});

describe('the fused m = 4 residual step', () => {
  it('gives the same bits as residualGaussianStep then gramInto (stream, V and max diag)', () => {
    const n = 64;
    const k = Float64Array.from([1, 0.3, 0.2, 0.1, 0.3, 1.2, 0.4, 0.2, 0.2, 0.4, 0.9, 0.3, 0.1, 0.2, 0.3, 1.1]);
    const z = Float64Array.from({ length: n * 4 }, (_, i) => Math.sin(i + 1));
    const [a, b] = [new Float64Array(n * 4), new Float64Array(n * 4)];
    const [va, vb] = [new Float64Array(16), new Float64Array(16)];
    const l = new Float64Array(16);
    residualGaussianStep(openStream(9, 'test/fused', 0), z, n, 4, k, 0.6, 0.8, l, a);
    const ma = gramInto(a, n, 4, 1 / n, va);
    const mb = residualGaussianStepGram4(openStream(9, 'test/fused', 0), z, n, k, 0.6, 0.8, l, b, vb);
    expect(mb).toBe(ma);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(vb)).toEqual(Array.from(va));
  });
});
