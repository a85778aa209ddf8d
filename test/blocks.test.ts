// Blocks and their composition (docs/maths.md, section 17): the text grammar and the spec tree parse back,
// the presets are their compositions, the combinators' limits follow the rules (the Transformer's by
// serial and residual), the MLP form is found by capability, compositions rebuild in workers with the
// same numbers, and no architecture is switched on by name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';
import { hashFloat64 } from '../src/math/index.js';
import { sampleNetworks, sampleNetworksSync } from '../networks/index.js';
import { constantSteps, eulerMaruyama, ninomiyaVictoir, saveAt, solve, solveSync } from '../sde/index.js';
import {
  architectureFromSpec,
  attention,
  composition,
  dense,
  limitCovariance,
  limitDrift,
  mlpForm,
  parallel,
  parseArchitecture,
  parseBlock,
  residual,
  resnet,
  resnetClocks,
  serial,
  shapedAttention,
  transformer,
  WISHART,
} from '../architectures/index.js';
import { attentionDrift } from '../architectures/attention/limit.js';
import { referencesOf } from '../architectures/index.js';

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const tanh = shapedSmooth('tanh', { a: 1 });
const V = Float64Array.from([1.2, 0.3, -0.1, 0.3, 0.9, 0.4, -0.1, 0.4, 1.1]);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('block text and spec trees', () => {
  const texts = [
    'dense',
    'dense(tanh:1)',
    'residual(dense,0.7)',
    'shapedAttention(1.5,2,8)',
    'serial(residual(shapedAttention(1,2),0.7),residual(dense,0.7))',
    'residual(parallel(0.6*shapedAttention(1),0.8*dense),0.5)',
    'residual(parallel(dense(relu:0,-1),dense(tanh:1)),0.8)',
    'serial(dense(relu:1,-1),dense)',
  ];
  for (const text of texts) {
    it(`${text} parses back from its text and from its spec`, () => {
      const arch = parseArchitecture(text);
      expect(parseArchitecture(arch.text).text).toBe(arch.text);
      const again = architectureFromSpec(JSON.parse(JSON.stringify(arch.spec)));
      expect(again.text).toBe(arch.text);
      expect(hashFloat64(limitDrift(again.block.limit(relu), V, 3))).toBe(
        hashFloat64(limitDrift(arch.block.limit(relu), V, 3)),
      );
    });
  }

  it('equal weights are written out; the preset texts stay names for their compositions', () => {
    const w = 1 / Math.sqrt(2);
    expect(parseBlock('parallel(dense,dense(tanh:1))').text).toBe(`parallel(${w}*dense,${w}*dense(tanh:1))`);
    expect(resnet({ gamma: 0.7 }).block.text).toBe('residual(dense,0.7)');
    expect(attention({ gamma: 0.7, tau0: 1.5, heads: 2 }).block.text).toBe('residual(shapedAttention(1.5,2),0.7)');
    expect(transformer({ gamma: 0.6, tau0: 1, heads: 2, keyWidth: 8 }).block.text).toBe(
      'serial(residual(shapedAttention(1,2,8),0.6),residual(dense,0.6))',
    );
    expect(parseArchitecture('mlp').block.text).toBe('dense');
    expect(parseArchitecture('resnet:0.7').text).toBe('resnet:0.7');
  });

  it('refuses what has no limit or no meaning, with one line naming the field', () => {
    const refuse = (text: string, words: RegExp) => {
      let error: unknown;
      try {
        parseArchitecture(text, '--architecture');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/^--architecture /);
      expect((error as Error).message).toMatch(words);
    };
    refuse('residual(residual(dense,0.5),0.5)', /fresh weights/);
    refuse('parallel(residual(dense,0.5),dense)', /fresh weights/);
    refuse('parallel(0.6*dense,0.6*dense)', /squares summing to 1/);
    refuse('parallel(0.6*dense,dense)', /every branch or for none/);
    refuse('residual(dense,1.5)', /gamma/);
    refuse('residual(dense)', /<block>,<gamma>/);
    refuse('serial(dense', /must be/);
    refuse('conv(3)', /must be/);
    refuse('dense(relu:0)', /relu/);
    refuse('shapedAttention(0)', /tau0/);
  });
});

describe('the limits by the rules', () => {
  it('residual(dense) is the MLP on the resnet clocks (section 13), found by capability', () => {
    for (const gamma of [0.3, 0.7, 1]) {
      const form = mlpForm(residual(dense(), { gamma }).limit(tanh));
      expect(form?.activation).toBe(tanh);
      // To the bit: the resnet's SDE is the MLP's covariance SDE on these clocks.
      expect(form?.clocks).toEqual(resnetClocks(gamma));
    }
    expect(mlpForm(dense().limit(relu))?.clocks).toEqual({ driftClock: 1, noiseClock: 1 });
  });

  it('the Transformer = serial(residual(attention), residual(dense)): drift b_att + gamma^2 b, noise 2 s^2 Sigma + Sigma_att / H (section 14.5)', () => {
    const p = { gamma: 0.8, tau0: 0.6, heads: 3 };
    const limit = transformer(p).block.limit(tanh);
    const g2 = p.gamma ** 2;
    const s2 = g2 * (2 - g2);
    const mlpB = limitDrift(dense().limit(tanh), V, 3);
    const want = attentionDrift(V, 3, p).map((x, k) => x + g2 * mlpB[k]);
    expect(maxDiff(limitDrift(limit, V, 3), want)).toBeLessThan(1e-14);
    expect(limit.noises.find((q) => q.part === WISHART)?.clock).toBe(2 * s2);
    // The attention noise on clock gamma^4, i.e. Sigma_att / H with gamma in Sigma_att.
    const att = limitCovariance({ drifts: [], noises: limit.noises.filter((q) => q.part !== WISHART) }, V, 3);
    const attAlone = limitCovariance(
      {
        drifts: [],
        noises: attention(p)
          .block.limit(tanh)
          .noises.filter((q) => q.part !== WISHART),
      },
      V,
      3,
    );
    expect(maxDiff(att, attAlone)).toBe(0);
    expect(Math.max(...att)).toBeGreaterThan(0);
  });

  it('parallel: drift sum w^2 b_i, noise sum w^4 (N_i - Sigma) + Sigma; serial adds; several ReLU-like drifts are one of k = sum', () => {
    const w = [0.6, 0.8];
    const p = parallel([dense(relu), dense(tanh)], { weights: w });
    const want = limitDrift(dense().limit(relu), V, 3).map(
      (x, k) => w[0] ** 2 * x + w[1] ** 2 * limitDrift(dense().limit(tanh), V, 3)[k],
    );
    expect(maxDiff(limitDrift(p.limit(relu), V, 3), want)).toBeLessThan(1e-14);
    expect(p.limit(relu).noises).toEqual([{ clock: 1, part: WISHART }]);
    const a = parallel([shapedAttention({ tau0: 1 }), dense()], { weights: w }).limit(relu);
    expect(a.noises.map((q) => q.clock)).toEqual([1, w[0] ** 4]);
    // serial(dense, dense) of one activation: one MLP drift on clock 2, Wishart on clock 2.
    expect(mlpForm(serial(dense(), dense()).limit(tanh))).toEqual({
      activation: tanh,
      clocks: { driftClock: 2, noiseClock: 2 },
    });
    // Two ReLU-like drifts: the drift of k = k_1 + k_2 (an equivalent activation), with its references.
    const leaky = shapedRelu({ cPlus: 1, cMinus: -1 });
    const form = mlpForm(serial(dense(relu), dense(leaky)).limit(relu));
    const k = (x: typeof relu) => (x.limit as { k: number }).k;
    expect(k(form!.activation!)).toBeCloseTo(k(relu) + k(leaky), 14);
    // Mixed ReLU-like and smooth: the summed drift, no single activation.
    expect(mlpForm(serial(dense(relu), dense(tanh)).limit(relu))?.activation).toBeUndefined();
  });
});

describe('compositions run everywhere an architecture does', () => {
  it('a GPT-J block: SDE (Euler-Maruyama; the splitting solver refuses it) and networks, the same on 1 and 2 threads', async () => {
    const arch = parseArchitecture('residual(parallel(0.6*shapedAttention(1,2),0.8*dense),0.7)');
    const v0 = [
      [1, 0.3],
      [0.3, 1],
    ];
    const options = {
      sde: arch.sde(relu),
      solver: eulerMaruyama(),
      T: 0.3,
      saveAt: saveAt({ t1: true }),
      v0,
      stepping: constantSteps(8),
      paths: 64,
      seed: 3,
    };
    const one = solveSync(options);
    const two = await solve({ ...options, threads: 2 });
    expect(hashFloat64(two.values.data)).toBe(hashFloat64(one.values.data));
    expect(() => solveSync({ ...options, solver: ninomiyaVictoir() })).toThrow(/exact sub-flows/);
    const net = { architecture: arch, activation: relu, n: 16, depth: 4, v0, samples: 8, seed: 5 };
    const a = sampleNetworksSync(net);
    const b = await sampleNetworks({ ...net, threads: 2 });
    expect(hashFloat64(b.values.data)).toBe(hashFloat64(a.values.data));
    expect(hashFloat64(sampleNetworksSync({ ...net, sampler: 'explicit' }).values.data)).not.toBe(
      hashFloat64(a.values.data),
    );
  });

  it("a composition whose limit is the MLP's on clocks gets the splitting solver and the exact references", () => {
    const arch = composition(
      residual(parallel([dense(relu), dense(shapedRelu({ cPlus: 1, cMinus: -1 }))], { weights: [0.6, 0.8] }), {
        gamma: 0.7,
      }),
    );
    const sol = solveSync({
      sde: arch.sde(relu),
      solver: ninomiyaVictoir(),
      T: 0.5,
      saveAt: saveAt({ t1: true }),
      v0: [
        [1, 0.5],
        [0.5, 1],
      ],
      stepping: constantSteps(8),
      paths: 32,
      seed: 1,
    });
    expect(sol.values.data.every(Number.isFinite)).toBe(true);
    expect(referencesOf(arch).correlationExpectation(relu, { rho0: 0.5, T: 0.5 }).value).toBeGreaterThan(0.4);
    expect(referencesOf(arch).logDiagonal(relu, { x0: 1, T: 1 }).value?.variance).toBeCloseTo(
      2 * 0.49 * (2 - 0.49),
      12,
    );
    expect(arch.diagonalSde).toBeDefined();
    const att = parseArchitecture('residual(shapedAttention(1),0.7)');
    expect(att.diagonalSde).toBeUndefined();
    expect(referencesOf(att).explosionEver(relu, { x0: 1 }).reason).toMatch(/not the MLP's on clocks/);
  });
});

describe('what went away', () => {
  it('no architecture is switched on by name in the package sources', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    for (const dir of ['architectures', 'networks', 'sde', 'validation', 'entry', 'explorer']) walk(dir);
    const names = [
      'mlp',
      'resnet',
      'attention',
      'transformer',
      'blocks',
      'dense',
      'residual',
      'serial',
      'parallel',
      'shapedAttention',
    ].join('|');
    const pattern = new RegExp(`(kind|name|block)\\s*[!=]==\\s*'(${names})'`);
    const hits = files.filter((f) => pattern.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });

  it("no term imports a solver: the solvers build their fused steps from a term's capability", () => {
    for (const name of readdirSync('sde/terms'))
      expect(readFileSync(join('sde/terms', name), 'utf8'), name).not.toMatch(/from '\.\.\/solvers/);
  });
});
