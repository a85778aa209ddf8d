// The limit SDEs of shaped attention and of the shaped Transformer through the package's solvers
// (docs/maths.md, section 14): Euler-Maruyama integrates them with measured weak order 1, the splitting
// solver refuses them with a one-line error (no exact flows for the attention noise), the term's
// Ito-Stratonovich correction matches the closed form where one exists, and the architecture values
// parse and refuse bad input by the table's grammar.
import { describe, expect, it } from 'vitest';
import { shapedRelu, unshaped } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';
import { choleskyPsd } from '../src/linalg.js';
import {
  constantSteps,
  saveAt,
  convergenceStudy,
  eulerMaruyama,
  LaneBook,
  ninomiyaVictoir,
  packed,
  solveSync,
} from '../sde/index.js';
import { architectureFromSpec, parseArchitecture } from '../architectures/index.js';
import { attention, transformer } from '../architectures/attention/index.js';
import { limitMaths } from '../architectures/index.js';
import { matrixTerm } from '../sde/index.js';
import { presetLimit } from './helpers/attention.js';

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const V0 = [
  [1, 0.2, 0.1],
  [0.2, 1, 0.3],
  [0.1, 0.3, 1.2],
];

describe('Euler-Maruyama on the attention covariance SDE', () => {
  it('weak order 1: WLS slope over 8, 16, 32, 64 steps coupled to 256 (95% CI, widened by 0.15, contains 1)', () => {
    const study = convergenceStudy({
      sde: attention({ gamma: 0.8, tau0: 1.5 }).sde(relu),
      solver: eulerMaruyama(),
      v0: V0,
      T: 0.5,
      stepsList: [8, 16, 32, 64],
      referenceSteps: 256,
      paths: 8000,
      seed: 3,
      // Bounded, so that the rare paths near explosion do not dominate the weak errors.
      observable: (v) => Math.tanh(v[0] + v[1] + v[2] + v[5]),
    });
    expect(study.weakOrder).not.toBeNull();
    expect(study.weakOrder!.lower - 0.15).toBeLessThan(1);
    expect(study.weakOrder!.upper + 0.15).toBeGreaterThan(1);
  });

  it('transformer and attention solve with per-path explosion status, never NaN in kept values', () => {
    for (const arch of [attention({ gamma: 0.9, tau0: 0.6, heads: 2 }), transformer({ gamma: 0.8, tau0: 0.8 })]) {
      const s = solveSync({
        sde: arch.sde(relu),
        solver: eulerMaruyama(),
        T: 0.5,
        saveAt: saveAt({ t1: true }),
        v0: V0,
        stepping: constantSteps(50),
        paths: 2000,
        seed: 4,
      });
      expect(s.counts.finished + s.counts.exploded + s.counts.repaired).toBe(2000);
      expect(Array.from(s.values.data as Float64Array).every(Number.isFinite)).toBe(true);
    }
  });

  it('the splitting solver refuses the attention SDE with one line naming the solver', () => {
    expect(() =>
      solveSync({
        sde: attention({ gamma: 0.8, tau0: 1 }).sde(relu),
        solver: ninomiyaVictoir(),
        T: 0.1,
        saveAt: saveAt({ t1: true }),
        v0: V0,
        stepping: constantSteps(4),
        paths: 10,
        seed: 1,
      }),
    ).toThrow(InputError);
  });
});

describe('the term', () => {
  it('Ito-Stratonovich correction: equals the value noise closed form s^2 L diag(1..m) L^T when attention is off (tau0 huge)', () => {
    const gamma = 0.7;
    const s2 = gamma * gamma * (2 - gamma * gamma);
    const m = 3;
    const v = Float64Array.from(V0.flat());
    const term = matrixTerm({
      maths: limitMaths(presetLimit('attention', { gamma, tau0: 1e9, heads: 1 })),
      v0: v,
      m,
      lanes: 1,
      threshold: 1e6,
    });
    const x = new Float64Array(term.dimension);
    term.initialise(x);
    const out = new Float64Array(term.dimension);
    term.correction(x, out, new LaneBook(1));
    const l = new Float64Array(m * m);
    choleskyPsd(v, m, l);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        let want = 0;
        for (let r = 0; r <= b; r++) want += (r + 1) * l[a * m + r] * l[b * m + r];
        expect(out[packed(a, b)]).toBeCloseTo(s2 * want, 6);
      }
    }
  });
});

describe('the term at a state it did not settle', () => {
  it('diffusion uses the factor of the state it is given (a Stratonovich predictor), not the last settled one', () => {
    const m = 3;
    const p = { gamma: 0.8, tau0: 0.7, heads: 2 };
    const maths = limitMaths(presetLimit('attention', p));
    const v = Float64Array.from(V0.flat());
    const term = matrixTerm({ maths, v0: v, m, lanes: 2, threshold: 1e6 });
    const x = new Float64Array(term.dimension * 2);
    term.initialise(x);
    // Move lane 1 elsewhere without settling it.
    const w = Float64Array.from([2, 0.5, -0.3, 0.5, 1.5, 0.2, -0.3, 0.2, 3]);
    for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) x[packed(a, b) * 2 + 1] = w[a * m + b];
    const g = Float64Array.from({ length: term.noise * 2 }, (_, k) => Math.sin(k + 1));
    const out = new Float64Array(term.dimension * 2);
    term.diffusion(x, g, 0.01, out, new LaneBook(2));
    const l = new Float64Array(m * m);
    choleskyPsd(Float64Array.from(w), m, l);
    const lane = Float64Array.from({ length: term.noise }, (_, k) => g[k * 2 + 1]);
    const want = new Float64Array(m * m);
    maths.diffusion(w, m, l, lane, 0.1, want);
    for (let a = 0; a < m; a++)
      for (let b = 0; b <= a; b++) expect(out[packed(a, b) * 2 + 1]).toBeCloseTo(want[a * m + b], 12);
  });
});

describe('architecture values', () => {
  it('parse attention:<gamma>,<tau0>[,<heads>] and transformer:..., rebuild from their specs', () => {
    const a = parseArchitecture('attention:0.7,1.5,4');
    expect(a.spec).toEqual({ kind: 'attention', gamma: 0.7, tau0: 1.5, heads: 4 });
    expect(a.label).toBe('attention(gamma=0.7, tau0=1.5, H=4)');
    expect(architectureFromSpec(a.spec).label).toBe(a.label);
    expect(parseArchitecture(a.text).label).toBe(a.label);
    const k = parseArchitecture('attention:0.7,1.5,4,32');
    expect(k.spec).toEqual({ kind: 'attention', gamma: 0.7, tau0: 1.5, heads: 4, keyWidth: 32 });
    expect(parseArchitecture(k.text).label).toBe(k.label);
    const t = parseArchitecture('transformer:1,2');
    expect(t.spec).toEqual({ kind: 'transformer', gamma: 1, tau0: 2, heads: 1 });
    expect(Object.keys(t.samplers)).toEqual(['chain', 'explicit']);
  });

  it('refuse bad text with one line naming the flag and the value', () => {
    for (const bad of [
      'attention:0.7',
      'attention:1.2,1',
      'attention:0.5,0',
      'attention:0.5,1,0',
      'attention:0.5,1,1.5',
      'transformer:0.5,x',
    ]) {
      let error: unknown = null;
      try {
        parseArchitecture(bad, '--architecture');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain('--architecture');
      expect((error as Error).message).toContain(bad);
      expect((error as Error).message.includes('\n')).toBe(false);
    }
  });

  it('the transformer needs a shaped activation; attention alone does not use it', () => {
    expect(() => transformer({ gamma: 0.5, tau0: 1 }).sde(unshaped('relu'))).toThrow(InputError);
    expect(attention({ gamma: 0.5, tau0: 1 }).sde(unshaped('relu')).description).toContain('no activation enters');
  });
});
