// checkBlock (docs/maths.md, section 17): each combinator's rule against its finite layer, per layer, at
// several V (generic, near-collinear, near-singular), z-scores from the draws' own SEs after extrapolation
// to infinite width; power: wrong rules are rejected. A block written here (a shaped leaky-abs layer with
// its own finite layer and declared limit) composes with the package's blocks and runs through solve and
// sampleNetworks, and checkBlock rejects it with a wrong declared drift. Fixed seeds throughout.
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, type Activation, type FiniteActivation } from '../src/activations/index.js';
import { acos } from '../src/math/index.js';
import type { RandomStream } from '../src/random/streams.js';
import { meanEstimate, type Estimate } from '../src/stats/index.js';
import { normalCdf } from '../src/special.js';
import { PATH_EXPLODED } from '../src/results.js';
import { gaussianMatmul, gramInto, sampleNetworks } from '../networks/index.js';
import { constantSteps, eulerMaruyama, solve, type Sde } from '../sde/index.js';
import { validate } from '../validation/validate.js';
import {
  checkBlock,
  composition,
  dense,
  freshLayer,
  parallel,
  residual,
  serial,
  shapedAttention,
  WISHART,
  type Block,
  type BlockLimit,
  type StreamShape,
} from '../architectures/index.js';

// |z| < 4.5 entrywise over at most 21 drift and 231 noise entries: a family-wise false alarm below 2e-3.
const Z = 4.5;
const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const tanh = shapedSmooth('tanh', { a: 1 });
const GENERIC = [
  [1.2, 0.3, -0.1],
  [0.3, 0.9, 0.4],
  [-0.1, 0.4, 1.1],
];
const COLLINEAR = [
  [1, 0.99, 0.97],
  [0.99, 1, 0.98],
  [0.97, 0.98, 1],
];
// Near-singular: the third input almost the mean of the first two (smallest eigenvalue ~1e-3).
const SINGULAR = [
  [1, 0.2, 0.6],
  [0.2, 1, 0.6],
  [0.6, 0.6, 0.601],
];

/** The same block with another declared limit (what a wrong rule would give). */
const declaring = (block: Block, limit: (a: Activation) => BlockLimit): Block => ({ ...block, limit, spec: null });

describe('each combinator against its finite layer, per layer (extrapolated through n = 128, 512, 2048)', () => {
  const cases: Array<[string, Block, Activation]> = [
    [
      'residual(dense, 0.7), symmetric leaky ReLU',
      residual(dense(), { gamma: 0.7 }),
      shapedRelu({ cPlus: 1, cMinus: -1 }),
    ],
    ['residual(dense, 0.4), tanh', residual(dense(), { gamma: 0.4 }), tanh],
    ['serial(dense(relu), dense(tanh))', serial(dense(relu), dense(tanh)), relu],
    ['parallel(0.6 dense(relu), 0.8 dense(tanh))', parallel([dense(relu), dense(tanh)], { weights: [0.6, 0.8] }), relu],
    [
      'residual(parallel(shapedAttention(1), dense), 0.8)',
      residual(parallel([shapedAttention({ tau0: 1 }), dense()]), { gamma: 0.8 }),
      relu,
    ],
  ];
  for (const [name, block, activation] of cases) {
    for (const [label, v] of [
      ['generic V', GENERIC],
      ['near-collinear V', COLLINEAR],
      ['near-singular V', SINGULAR],
    ] as const) {
      it(`${name} at ${label}`, () => {
        const r = checkBlock(block, { v, n: 128, draws: 300, seed: 7, activation });
        expect(r.method).toBe('conditional');
        expect(r.drift.maxAbsZ).toBeLessThan(Z);
        expect(r.noise.maxAbsZ).toBeLessThan(Z);
      });
    }
  }
});

describe('power: a wrong rule is rejected', () => {
  const v = GENERIC;
  const leaky = shapedRelu({ cPlus: 1, cMinus: -1 });
  const check = (block: Block, activation: Activation = leaky) =>
    checkBlock(block, { v, n: 64, draws: 300, seed: 7, activation });

  it('residual without its skip-branch cross terms (noise gamma^4 N_f) or with its drift on clock gamma', () => {
    const gamma = 0.7;
    const right = residual(dense(), { gamma });
    expect(check(right).noise.maxAbsZ).toBeLessThan(Z);
    const noCross = declaring(right, (a) => ({
      drifts: right.limit(a).drifts,
      noises: [{ clock: gamma ** 4, part: WISHART }],
    }));
    expect(check(noCross).noise.maxAbsZ).toBeGreaterThan(Z);
    const clock = declaring(right, (a) => ({
      drifts: dense()
        .limit(a)
        .drifts.map((d) => ({ clock: gamma, part: d.part })),
      noises: right.limit(a).noises,
    }));
    expect(check(clock).drift.maxAbsZ).toBeGreaterThan(Z);
  });

  it('serial whose noises do not add (one Wishart noise for two dense blocks)', () => {
    const right = serial(dense(), dense(tanh));
    const wrong = declaring(right, (a) => ({ drifts: right.limit(a).drifts, noises: [{ clock: 1, part: WISHART }] }));
    expect(check(wrong, relu).noise.maxAbsZ).toBeGreaterThan(Z);
  });

  it('parallel with drifts weighted by w instead of w^2', () => {
    const w = [0.6, 0.8];
    const right = parallel([dense(relu), dense(tanh)], { weights: w });
    const wrong = declaring(right, () => ({
      drifts: [
        ...dense(relu)
          .limit(relu)
          .drifts.map((d) => ({ clock: w[0], part: d.part })),
        ...dense(tanh)
          .limit(relu)
          .drifts.map((d) => ({ clock: w[1], part: d.part })),
      ],
      noises: [{ clock: 1, part: WISHART }],
    }));
    expect(check(wrong, relu).drift.maxAbsZ).toBeGreaterThan(Z);
  });
});

// A block of its own: the shaped leaky-abs layer y = W (z + s |z| / sqrt(n)) / sqrt(n (1 + s^2 / n)), whose
// row covariance given z is K = phi(z)^T phi(z) / (n (1 + s^2/n)); its limit is b^ab = k (sqrt(1 - rho^2) -
// rho arccos rho) sqrt(V^aa V^bb), k = 2 s^2 / pi, on the diagonal 0 (section 13's drift for h = s |x|),
// with the Wishart noise of a fresh block. Everything below is written here, from the contract alone.
function leakyAbs(s: number, k = (2 * s * s) / Math.PI): Block {
  const limit = (): BlockLimit => ({
    drifts: [
      {
        clock: 1,
        part: {
          name: `the leaky-abs drift (s = ${s})`,
          into(v, m, clock, out) {
            for (let a = 0; a < m; a++) {
              for (let b = 0; b < m; b++) {
                const scale = Math.sqrt(v[a * m + a] * v[b * m + b]);
                const rho = a === b ? 1 : Math.max(-1, Math.min(1, v[a * m + b] / scale));
                out[a * m + b] = clock * k * (Math.sqrt(Math.max(0, 1 - rho * rho)) - rho * acos(rho)) * scale;
              }
            }
          },
        },
      },
    ],
    noises: [{ clock: 1, part: WISHART }],
  });
  return {
    text: `leakyAbs(${s})`,
    spec: null,
    fresh: true,
    usesActivation: false,
    derivatives: false,
    limit,
    layer(_act: FiniteActivation, shape: StreamShape) {
      const { n, m } = shape;
      const a = new Float64Array(n * m);
      const w = new Float64Array(n);
      const acc = new Float64Array(m);
      const gain = 1 / (1 + (s * s) / n);
      const features = (z: Float64Array) => {
        for (let i = 0; i < n * m; i++) a[i] = z[i] + (s * Math.abs(z[i])) / Math.sqrt(n);
      };
      const rowCovariance = (
        _rng: RandomStream,
        z: Float64Array,
        _v: Float64Array | null,
        out: Float64Array,
        control?: Float64Array,
      ) => {
        features(z);
        gramInto(a, n, m, gain / n, out);
        control?.fill(0);
      };
      // Its explicit weights; the chain step (Gaussian rows of K) comes with freshLayer.
      return freshLayer(shape, rowCovariance, (rng, z, next) => {
        features(z);
        gaussianMatmul(rng, w, a, n, m, n, Math.sqrt(gain / n), next, acc);
      });
    },
  };
}

describe('a block written outside the package', () => {
  it('composed with the package blocks, it runs through validate too (an architecture value the grammar does not know, on one thread), recorded by its text', async () => {
    const arch = composition(residual(leakyAbs(1.5), { gamma: 0.7 }));
    const report = await validate(
      { architecture: arch, T: 0.5, n: 16, widths: [4, 8, 12, 16], paths: 400, samples: 300, steps: 16, seed: 5 },
      { threads: 1 },
    );
    expect(report.settings.architecture).toBe('residual(leakyAbs(1.5),0.7)');
    expect(report.solver).toBe('euler-maruyama');
    const rho = report.comparisons.rho;
    expect('missing' in rho).toBe(false);
    // The networks and the SDE of the block agree on E rho at T = 0.5 (the difference's z within 4).
    if (!('missing' in rho)) expect(Math.abs(rho.mean.difference.value / rho.mean.difference.se)).toBeLessThan(4);
  });

  it('passes checkBlock with its derived drift and fails it with a wrong one (k doubled), at two V', () => {
    for (const v of [GENERIC, COLLINEAR]) {
      const right = checkBlock(leakyAbs(1.5), { v, n: 64, draws: 300, seed: 3 });
      expect(right.drift.maxAbsZ).toBeLessThan(Z);
      expect(right.noise.maxAbsZ).toBeLessThan(Z);
      const wrong = checkBlock(leakyAbs(1.5, (4 * 1.5 * 1.5) / Math.PI), { v, n: 64, draws: 300, seed: 3 });
      expect(wrong.drift.maxAbsZ).toBeGreaterThan(Z);
    }
  });

  it('composed with the package blocks, it runs through solve and sampleNetworks (chain and explicit agree in law)', async () => {
    const arch = composition(
      serial(residual(shapedAttention({ tau0: 1 }), { gamma: 0.7 }), residual(leakyAbs(1.5), { gamma: 0.7 })),
    );
    expect(arch.text).toBe('serial(residual(shapedAttention(1,1),0.7),residual(leakyAbs(1.5),0.7))');
    const v0 = [
      [1, 0.3],
      [0.3, 1],
    ];
    const sol = await solve({
      sde: arch.sde(relu),
      solver: eulerMaruyama(),
      T: 0.5,
      v0,
      stepping: constantSteps(32),
      paths: 4000,
      seed: 9,
    });
    const last = (x: { values: { shape: number[] } }, count: number) => (x.values.shape[0] - 1) * count;
    const sdeRho = correlation(sol.values.data as Float64Array, sol.status, 2, last(sol, 4000));
    const nets = async (sampler: string) =>
      sampleNetworks({
        architecture: arch,
        activation: relu,
        n: 64,
        depth: 32,
        v0,
        samples: 1500,
        seed: 11,
        sampler,
        threshold: 1e4,
      });
    const chain = await nets('chain');
    const explicit = await nets('explicit');
    const netRho = correlation(chain.values.data as Float64Array, chain.status, 2, 0);
    const expRho = correlation(explicit.values.data as Float64Array, explicit.status, 2, 0);
    // Calibrated: two-sided normal p-values of the mean correlation at T = 0.5 (its SEs from the samples).
    expect(pValue(netRho, expRho)).toBeGreaterThan(1e-3);
    expect(pValue(netRho, sdeRho)).toBeGreaterThan(1e-3);
    // Power: the same comparison rejects the SDE of the composition without the leaky-abs block's drift.
    const noDrift = composition(
      serial(residual(shapedAttention({ tau0: 1 }), { gamma: 0.7 }), residual(leakyAbs(1.5, 0), { gamma: 0.7 })),
    );
    const wrong = await solve({
      sde: noDrift.sde(relu) as Sde,
      solver: eulerMaruyama(),
      T: 0.5,
      v0,
      stepping: constantSteps(32),
      paths: 4000,
      seed: 9,
    });
    expect(
      pValue(netRho, correlation(wrong.values.data as Float64Array, wrong.status, 2, last(wrong, 4000))),
    ).toBeLessThan(1e-3);
  });
});

/** Mean of rho = V01 / sqrt(V00 V11) over kept (not exploded) paths of the last saved time. */
function correlation(values: Float64Array, status: Uint8Array, m: number, offset: number): Estimate {
  const xs: number[] = [];
  for (let q = 0; q < status.length; q++) {
    if (status[q] === PATH_EXPLODED) continue;
    const at = (offset + q) * m * m;
    xs.push(values[at + 1] / Math.sqrt(values[at] * values[at + 3]));
  }
  return meanEstimate(xs);
}

const pValue = (a: Estimate, b: Estimate) => 2 * normalCdf(-Math.abs(a.value - b.value) / Math.hypot(a.se, b.se));
