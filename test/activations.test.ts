import { describe, expect, it } from 'vitest';
import {
  activationFromSpec,
  customSmooth,
  parseActivation,
  parseActivationSpec,
  shapedRelu,
  shapedSmooth,
  smoothScaleForBeta,
  SMOOTH_FUNCTIONS,
  unshaped,
} from '../src/activations/index.js';
import { gaussHermite } from '../src/quadrature.js';
import { mlpLimit } from '../architectures/index.js';

// The one-object design is only sound if each activation's finite-width map and its SDE drift agree:
// n (c E[phi(z_a) phi(z_b)] - V^ab) -> b^ab(V) as n -> infinity, z ~ N(0, V).
describe('activation strings: a grammar with a table of names, exact arity, plain decimals', () => {
  it('accepts the documented forms', () => {
    expect(parseActivationSpec('relu:0,-1')).toEqual({ family: 'relu-like', cPlus: 0, cMinus: -1 });
    expect(parseActivationSpec('relu:1e-1,-.5')).toEqual({ family: 'relu-like', cPlus: 0.1, cMinus: -0.5 });
    expect(parseActivationSpec('gelu:0.75')).toEqual({ family: 'smooth', f: 'gelu', a: 0.75 });
    expect(parseActivationSpec('linear')).toEqual({ family: 'unshaped', f: 'linear' });
  });

  it('refuses inherited names, wrong arity, non-decimal numbers and a <= 0, naming the flag', () => {
    for (const bad of [
      'toString:1',
      '__proto__:1',
      'constructor:1',
      'hasOwnProperty',
      'tanh:1:2',
      'tanh:1,2',
      'relu:,',
      'relu:0x10,1',
      'relu:1',
      'relu:0,-1,2',
      'swish',
      'relu:',
      'tanh: 1',
      'tanh:Infinity',
      'tanh:NaN',
      'tanh:0',
      'tanh:-1',
      'relu:1_000,0',
      '',
    ]) {
      expect(() => parseActivationSpec(bad, '--activation'), bad).toThrow(/^--activation (must be|needs)/);
    }
  });
});

describe('finite-width activation and limiting drift agree', () => {
  it('ReLU-like: the arc-cosine kernel at width n reproduces nu(rho) to O(1/sqrt n)', () => {
    const act = shapedRelu({ cPlus: 0.7, cMinus: -1.3 });
    for (const rho of [-0.9, -0.3, 0, 0.5, 0.95]) {
      const drift = new Float64Array(4);
      mlpLimit(act).drift(Float64Array.from([1, rho, rho, 1]), 2, drift);
      const errors = [1e4, 1e6].map((n) => {
        const f = act.atWidth(n);
        const sp = f.phi(1);
        const sm = -f.phi(-1);
        // E[x+ y+] for unit-variance x, y with correlation rho.
        const j = (Math.sqrt(1 - rho * rho) + rho * (Math.PI - Math.acos(rho))) / (2 * Math.PI);
        const e = (sp - sm) ** 2 * j + sp * sm * rho;
        return Math.abs(n * (f.c * e - rho) - drift[1]);
      });
      expect(errors[1]).toBeLessThan(errors[0]);
      expect(errors[1]).toBeLessThan(5e-3);
    }
  });

  it('smooth: n (E phi(z_a) phi(z_b) - V^ab) -> b^ab for every catalog f (Gauss-Hermite, 2-D)', () => {
    const rule = gaussHermite(40);
    const v = [1.3, 0.4, 0.4, 0.8];
    const l11 = Math.sqrt(v[0]);
    const l21 = v[1] / l11;
    const l22 = Math.sqrt(v[3] - l21 * l21);
    for (const name of Object.keys(SMOOTH_FUNCTIONS) as Array<keyof typeof SMOOTH_FUNCTIONS>) {
      const act = shapedSmooth(name, { a: 0.8 });
      const drift = new Float64Array(4);
      mlpLimit(act).drift(Float64Array.from(v), 2, drift);
      const n = 1e6;
      const f = act.atWidth(n);
      let cross = 0;
      let diag = 0;
      for (let i = 0; i < rule.nodes.length; i++) {
        for (let k = 0; k < rule.nodes.length; k++) {
          const za = l11 * rule.nodes[i];
          const zb = l21 * rule.nodes[i] + l22 * rule.nodes[k];
          const w = rule.weights[i] * rule.weights[k];
          cross += w * f.phi(za) * f.phi(zb);
          diag += w * f.phi(za) ** 2;
        }
      }
      expect(Math.abs(n * (cross - v[1]) - drift[1])).toBeLessThan(2e-3 * (1 + Math.abs(drift[1])));
      expect(Math.abs(n * (diag - v[0]) - drift[0])).toBeLessThan(2e-3 * (1 + Math.abs(drift[0])));
      expect(drift[0]).toBeCloseTo(act.limit!.beta * v[0] * v[0], 12);
    }
  });

  it("the correlation-flow form reproduces the drift: b_ab = d/dt (r_ab sqrt(d_a d_b)) with d' = beta d^2", () => {
    // R' = P + G R + R G with the diagonal's own flow must be the same vector field as b(V).
    const v = Float64Array.from([1.3, 0.4, -0.2, 0.4, 0.8, 0.3, -0.2, 0.3, 1.1]);
    for (const act of [
      shapedRelu({ cPlus: 0.7, cMinus: -1.3 }),
      ...Object.keys(SMOOTH_FUNCTIONS).map((f) => shapedSmooth(f as 'tanh', { a: 0.8 })),
    ]) {
      const lim = mlpLimit(act);
      const b = new Float64Array(9);
      lim.drift(v, 3, b);
      for (const [i, j] of [
        [0, 1],
        [0, 2],
        [1, 2],
      ]) {
        const di = v[i * 3 + i];
        const dj = v[j * 3 + j];
        const r = v[i * 3 + j] / Math.sqrt(di * dj);
        const rDot =
          lim.correlationFlow.source(di, dj, r) + (lim.correlationFlow.gain(di) + lim.correlationFlow.gain(dj)) * r;
        const viaFlow =
          rDot * Math.sqrt(di * dj) +
          (r * (lim.beta * di * di * dj + di * lim.beta * dj * dj)) / (2 * Math.sqrt(di * dj));
        expect(viaFlow).toBeCloseTo(b[i * 3 + j], 12);
      }
      expect(lim.correlationFlow.source(1.7, 1.7, 1)).toBeCloseTo(-2 * lim.correlationFlow.gain(1.7), 12);
    }
  });

  it('the ReLU pair flow is second order against a fine RK4 solution, and never leaves [-1, 1]', () => {
    const act = shapedRelu({ cPlus: 0.4, cMinus: -1.6 });
    const flow = mlpLimit(act).correlationFlow;
    const rhs = (r: number) => flow.source(1, 1, r) + 2 * flow.gain(1) * r;
    const exact = (r: number, tau: number) => {
      const k = 4000;
      const h = tau / k;
      for (let i = 0; i < k; i++) {
        const k1 = rhs(r);
        const k2 = rhs(r + (h / 2) * k1);
        const k3 = rhs(r + (h / 2) * k2);
        const k4 = rhs(r + h * k3);
        r += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
      }
      return r;
    };
    // Local error O(tau^3): halving tau divides it by about 8 (between 6 and 10 allows the next term).
    for (const r0 of [-0.9, -0.3, 0.2, 0.7]) {
      const e1 = Math.abs(flow.pair!(r0, 0.2) - exact(r0, 0.2));
      const e2 = Math.abs(flow.pair!(r0, 0.1) - exact(r0, 0.1));
      expect(e1 / e2).toBeGreaterThan(6);
      expect(e1 / e2).toBeLessThan(10);
    }
    for (const r0 of [-1, -0.999, 0, 0.999, 1]) {
      for (const tau of [1e-3, 0.1, 1, 10, 100]) {
        const r = flow.pair!(r0, tau);
        expect(r).toBeGreaterThanOrEqual(-1);
        expect(r).toBeLessThanOrEqual(1);
      }
    }
    expect(mlpLimit(shapedSmooth('tanh', { a: 1 })).correlationFlow.pair).toBeNull();
  });

  it('beta as a scan axis: a = sqrt(beta_1 / beta), refused when the sign is wrong', () => {
    expect(shapedSmooth('swish', { a: smoothScaleForBeta('swish', 0.3) }).limit!.beta).toBeCloseTo(0.3, 12);
    expect(() => smoothScaleForBeta('tanh', 0.5)).toThrow(/^beta must have the sign of tanh's beta at a = 1/);
    expect(shapedSmooth('gelu', { beta: 0.7 }).limit!.beta).toBeCloseTo(0.7, 12);
    expect(() => shapedSmooth('tanh', { beta: 0.5 })).toThrow(/^activation\.beta must have the sign/);
    expect(() => shapedSmooth('tanh', { beta: -1, a: 1 } as never)).toThrow(/takes a or beta, not both/);
  });

  it("f(0) = 0 and f'(0) = 1 for the catalog, with the stated f''(0), f'''(0)", () => {
    const h = 1e-3;
    for (const fn of Object.values(SMOOTH_FUNCTIONS)) {
      expect(fn.f(0)).toBeCloseTo(0, 15);
      expect((fn.f(h) - fn.f(-h)) / (2 * h)).toBeCloseTo(1, 5);
      expect((fn.f(h) - 2 * fn.f(0) + fn.f(-h)) / (h * h)).toBeCloseTo(fn.fpp0, 5);
      expect((fn.f(2 * h) - 2 * fn.f(h) + 2 * fn.f(-h) - fn.f(-2 * h)) / (2 * h ** 3)).toBeCloseTo(fn.fppp0, 4);
      expect(fn.df(0.3)).toBeCloseTo((fn.f(0.3 + 1e-6) - fn.f(0.3 - 1e-6)) / 2e-6, 6);
    }
  });

  it('applyInPlace equals phi element-wise', () => {
    const xs = Float64Array.from({ length: 50 }, (_, i) => (i - 25) * 0.7);
    for (const act of [
      shapedRelu({ cPlus: 0, cMinus: -1 }),
      ...Object.keys(SMOOTH_FUNCTIONS).map((f) => shapedSmooth(f as 'tanh', { a: 0.5 })),
      unshaped('tanh'),
      unshaped('relu'),
    ]) {
      const f = act.atWidth(16);
      const ys = xs.slice();
      f.applyInPlace(ys, 0, ys.length);
      xs.forEach((x, i) => expect(ys[i]).toBeCloseTo(f.phi(x), 12));
    }
  });

  it('builds from JSON and strings, with clear errors', () => {
    expect(activationFromSpec({ family: 'smooth', f: 'gelu', a: 2 }).limit!.beta).toBeCloseTo(6 / Math.PI / 4, 12);
    expect(parseActivation('relu:0,-1').spec).toEqual({ family: 'relu-like', cPlus: 0, cMinus: -1 });
    expect(parseActivation('softplus:1').limit!.beta).toBeCloseTo(3 / 16, 12);
    expect(() => activationFromSpec({ family: 'smooth', f: 'relux', a: 1 })).toThrow(/activation.f must be one of/);
    expect(() => activationFromSpec({ family: 'magic' })).toThrow(/activation.family/);
    expect(() => activationFromSpec({ family: 'relu-like', cPlus: 0, cMinus: -1, a: 1 })).toThrow(
      /activation.a is not a field of a relu-like activation/,
    );
    expect(() => parseActivation('relux:1')).toThrow(/^activation must be relu:<c\+>,<c->/);
    expect(() => shapedSmooth('tanh', { a: -1 })).toThrow(/activation.a must be > 0 \(got -1\)/);
    expect(() => customSmooth({ name: 'bad', f: (x) => x + 1, fpp0: 0, fppp0: 0, a: 1 })).toThrow(/f\(0\) must be 0/);
    const cubic = customSmooth({ name: 'x-x^3/3', f: (x) => x - x ** 3 / 3, fpp0: 0, fppp0: -2, a: 1 });
    expect(cubic.limit!.beta).toBe(-2);
    expect(cubic.spec).toBeNull();
  });
});
