// Architectures are values: the table parses and names them, the API takes a value or its text, and the
// MLP's references say where they exist and why not elsewhere.
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth } from '../src/activations/index.js';
import {
  architectureFromSpec,
  ARCHITECTURE_NAMES,
  architectureHelp,
  mlp,
  parseArchitecture,
} from '../architectures/index.js';
import { covarianceChain, sampleNetworksSync } from '../networks/index.js';
import { criterion } from '../validation/explosion.js';
import { readPointSettings } from '../validation/settings.js';
import { referencesOf } from '../architectures/index.js';

describe('the architecture table', () => {
  it('parses the text, rebuilds from a spec, and gives help from the descriptions', () => {
    expect(ARCHITECTURE_NAMES[0]).toBe('mlp');
    expect(parseArchitecture('mlp').label).toBe('mlp');
    expect(architectureFromSpec({ kind: 'mlp' }).text).toBe('mlp');
    expect(architectureHelp()).toContain('mlp: the shaped MLP');
    expect(() => parseArchitecture('mlp:2', '--architecture')).toThrow(
      /^--architecture must be mlp \(it takes no parameters\)/,
    );
    expect(() => parseArchitecture('toString', '--architecture')).toThrow(/^--architecture must be mlp/);
    expect(() => architectureFromSpec({ kind: 'nope' })).toThrow(/^architecture must be the spec of one of mlp/);
  });

  it('the API takes an architecture value or its text', () => {
    expect(readPointSettings({ architecture: mlp() }).architecture).toBe('mlp');
    expect(readPointSettings({}).architecture).toBe('mlp');
    expect(() => readPointSettings({ architecture: 'nope:1' })).toThrow(/^architecture must be mlp/);
  });

  it("sampleNetworks with mlp() is the default sampler bit for bit; an unknown sampler names the architecture's samplers", () => {
    const options = {
      activation: shapedRelu({ cPlus: 0, cMinus: -1 }),
      n: 16,
      T: 1,
      v0: [
        [1, 0.3],
        [0.3, 1],
      ],
      samples: 20,
      seed: 4,
    };
    const a = covarianceChain(options);
    const b = sampleNetworksSync({ ...options, architecture: mlp() });
    expect(Array.from(b.values.data)).toEqual(Array.from(a.values.data));
    expect(b.architecture).toBe('mlp');
    expect(() => sampleNetworksSync({ ...options, architecture: mlp(), sampler: 'dense' })).toThrow(
      /^sampler must be one of chain, explicit/,
    );
  });
});

describe('the MLP references', () => {
  const refs = referencesOf(mlp());
  it('exist where the maths gives them and say why not elsewhere', () => {
    const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
    const swish = shapedSmooth('swish', { a: 1 });
    expect(refs.correlationExpectation(relu, { rho0: 0.5, T: 1 }).value).toBeCloseTo(0.48055, 4);
    const none = refs.correlationExpectation(swish, { rho0: 0.5, T: 1 });
    expect(none.value).toBeNull();
    expect(none.reason).toMatch(/not ReLU-like/);
    expect(refs.logDiagonal(relu, { x0: 2, T: 1.5 }).value).toEqual({ mean: Math.log(2) - 1.5, variance: 3 });
    expect(refs.logDiagonal(swish, { x0: 1, T: 1 }).value).toBeNull();
    expect(refs.explosionEver(swish, { x0: 0.7 }).value).toBe(criterion(swish, 0.7).explosionProbability);
    expect(refs.explosionEver(swish, { x0: 0.7 }).value).toBeCloseTo(1 - Math.exp(-0.75 * 0.7), 14);
  });
});

describe('architecture parameters as scan axes', () => {
  it('no parameter leaves the text; a parameter the architecture lacks is refused naming the grid axis', async () => {
    const { architectureWithAxes } = await import('../architectures/index.js');
    expect(architectureWithAxes('mlp', {})).toBe('mlp');
    expect(() => architectureWithAxes('mlp', { nope: 0.5 })).toThrow(/^--grid nope is not a parameter of mlp/);
    // gamma is owned by the architectures that have it: applied to such a base, refused on the MLP naming its owners.
    expect(architectureWithAxes('resnet:0.5', { gamma: 0.7 })).toBe('resnet:0.7');
    expect(() => architectureWithAxes('mlp', { gamma: 0.5 })).toThrow(
      /^--grid gamma applies to resnet, attention, transformer, not to mlp/,
    );
    expect(() => architectureWithAxes('resnet:0.5', { gamma: 1.5 })).toThrow(
      /gamma must be a number in \(0, 1\] \(got 1\.5\)/,
    );
    expect(architectureWithAxes('attention:1,1,2', { tau0: 0.5, heads: 4 })).toBe('attention:1,0.5,4');
  });
});

describe('references are optional members', () => {
  it('an architecture that declares none answers null with the reason, and its validate rows say so', () => {
    const bare = { ...mlp(), label: 'bare', references: {} };
    const r = referencesOf(bare);
    const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
    expect(r.correlationExpectation(relu, { rho0: 0.5, T: 1 })).toEqual({
      value: null,
      reason: 'bare declares no E rho_T reference',
    });
    expect(r.explosionProbability(relu, { x0: 1, T: 1 })).toEqual({
      value: null,
      reason: 'bare declares no P(explode by T) reference',
    });
    expect(r.finiteMoments({ family: 'relu-like', cPlus: 0, cMinus: -1 }, { n: 64, depth: 64, T: 1 })).toEqual({
      secondMoment: { exact: null, limit: null },
      kurtosis: { exact: null, limit: null },
    });
    expect(r.layerRecursion).toBe(false);
    // A declared member is used as it is.
    expect(referencesOf(mlp()).correlationExpectation(relu, { rho0: 0.5, T: 1 }).value).toBeCloseTo(0.4805462, 6);
  });
});
