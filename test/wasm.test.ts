// The WebAssembly kernels against their TypeScript references: the same bytes for every sampler, solver
// and SDE form with a wasm path (several seeds, exploding and repaired lanes), the same stream positions,
// the NCSDE_KERNELS choice and its errors, and the fallback where WebAssembly is missing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, unshaped } from '../src/activations/index.js';
import { kernelsInUse, openWasmKernels, prepareKernels, WasmNormals, wasmNormalsBytes } from '../src/kernels/index.js';
import { engineWasm, type WasmApi } from '../src/kernels/engine.js';
import { acos, exp, log } from '../src/math/index.js';
import { openStream } from '../src/random/streams.js';
import { R } from '../src/random/ziggurat.js';
import type { Xoshiro128pp } from '../src/random/xoshiro.js';
import { sampleNetworksSync, type NetworkOptions } from '../networks/index.js';
import { covarianceSde, diagonalSde } from '../architectures/index.js';
import {
  brownianSampling,
  constantSteps,
  eulerMaruyama,
  explosionDetection,
  LaneBook,
  ninomiyaVictoir,
  saveAt,
  solve,
  solveSync,
} from '../sde/index.js';

const saved = process.env.NCSDE_KERNELS;
afterEach(() => {
  if (saved === undefined) delete process.env.NCSDE_KERNELS;
  else process.env.NCSDE_KERNELS = saved;
});

/** Run under NCSDE_KERNELS=name; a promise keeps the setting until it settles. */
function withKernels<T>(name: 'js' | 'wasm', run: () => T): T {
  const before = process.env.NCSDE_KERNELS;
  const restore = () => {
    if (before === undefined) delete process.env.NCSDE_KERNELS;
    else process.env.NCSDE_KERNELS = before;
  };
  process.env.NCSDE_KERNELS = name;
  expect(kernelsInUse()).toBe(name);
  let result: T;
  try {
    result = run();
  } catch (e) {
    restore();
    throw e;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}

/** The bytes of every typed array in a result, by name, for an exact comparison. */
function bytesOf(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (ArrayBuffer.isView(value))
      out[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    else if (
      value &&
      typeof value === 'object' &&
      'data' in value &&
      ArrayBuffer.isView((value as { data: unknown }).data)
    ) {
      const data = (value as { data: ArrayBufferView }).data;
      out[key] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
    }
  }
  return out;
}

describe('kernel choice', () => {
  it('NCSDE_KERNELS picks js or wasm; unset, wasm where the engine validates SIMD', () => {
    expect(kernelsInUse('js')).toBe('js');
    expect(kernelsInUse('wasm')).toBe('wasm');
    expect(kernelsInUse(null)).toBe('wasm');
  });

  it('a bad value is a one-line error naming NCSDE_KERNELS and the value', () => {
    expect(() => kernelsInUse('simd')).toThrow(/^NCSDE_KERNELS must be one of js, wasm \(got "simd"\)$/);
  });

  it('without WebAssembly the default is js and asking for wasm is an error naming it', () => {
    expect(kernelsInUse(null, null)).toBe('js');
    expect(() => kernelsInUse('wasm', null)).toThrow(/^NCSDE_KERNELS needs WebAssembly SIMD/);
  });

  it('an engine that refuses synchronous compilation (a browser main thread) gets wasm after prepareKernels()', async () => {
    const engine = engineWasm()!;
    const refusing: WasmApi = {
      validate: (bytes: Uint8Array) => engine.validate(bytes),
      compile: (bytes: Uint8Array) => engine.compile(bytes),
      Module: class {
        constructor() {
          throw new RangeError('WebAssembly.Module is disallowed on the main thread');
        }
      },
      Instance: engine.Instance,
      Memory: engine.Memory,
    };
    expect(kernelsInUse(null, refusing)).toBe('js');
    expect(await prepareKernels(refusing)).toBe(true);
    expect(kernelsInUse(null, refusing)).toBe('wasm');
  });

  it('a process without WebAssembly runs the js kernels and gets the same bits', () => {
    const script = `
      delete globalThis.WebAssembly;
      const { kernelsInUse } = await import('./dist/src/kernels/index.js');
      const { sampleNetworksSync } = await import('./dist/networks/index.js');
      const { shapedRelu } = await import('./dist/src/activations/index.js');
      const s = sampleNetworksSync({ activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n: 50, depth: 20, v0: [[1, 0.3], [0.3, 1]], samples: 40, seed: 5, sampler: 'chain' });
      process.stdout.write(JSON.stringify({ kernels: kernelsInUse(), values: Buffer.from(s.values.data.buffer).toString('base64') }));`;
    const env = { ...process.env };
    delete env.NCSDE_KERNELS;
    const got = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }),
    );
    expect(got.kernels).toBe('js');
    const here = withKernels('wasm', () =>
      sampleNetworksSync({
        activation: shapedRelu({ cPlus: 0, cMinus: -1 }),
        n: 50,
        depth: 20,
        v0: [
          [1, 0.3],
          [0.3, 1],
        ],
        samples: 40,
        seed: 5,
        sampler: 'chain',
      }),
    );
    expect(got.values).toBe(Buffer.from(here.values.data.buffer).toString('base64'));
  });

  it('the committed kernel bytes are those the asm/ sources compile to', () => {
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toBe('');
    expect(readFileSync('src/kernels/bytes.ts', 'utf8')).toMatch(/^\/\/ Generated by scripts\/build-wasm\.mjs/);
  });
});

describe('normals: the wasm fill is Xoshiro128pp.fillNormals, bit for bit', () => {
  for (const seed of [1, 2024, 2 ** 53 - 1]) {
    it(`seed ${seed}: values, split fills, and the stream's position afterwards`, () => {
      const capacity = 4096;
      const kernels = openWasmKernels(wasmNormalsBytes(capacity))!;
      const source = new WasmNormals(kernels, capacity);
      const reference = openStream(seed, 'wasm-test', 7) as Xoshiro128pp;
      const tested = openStream(seed, 'wasm-test', 7) as Xoshiro128pp;
      const sizes = [capacity, 1, 7, capacity, capacity, 115, ...Array<number>(60).fill(capacity)];
      const total = sizes.reduce((a, b) => a + b, 0);
      const expected = new Float64Array(total);
      reference.fillNormals(expected);
      // Both branches of the slow path ran: the tail beyond R (layer 0) and a wedge.
      expect(expected.some((x) => Math.abs(x) > R)).toBe(true);
      const got = new Float64Array(total);
      let at = 0;
      for (const count of sizes) {
        source.fill(tested, count);
        got.set(source.values.subarray(0, count), at);
        at += count;
      }
      expect(at).toBe(total);
      expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      // The auxiliary streams are at the same place too.
      expect(reference.nextInt32()).toBe(tested.nextInt32());
      expect(reference.auxiliary().nextInt32()).toBe(tested.auxiliary().nextInt32());
      const words = new Int32Array(100);
      const refWords = new Int32Array(100);
      source.words(tested, words);
      reference.fillInt32(refWords);
      expect(Array.from(words)).toEqual(Array.from(refWords));
    });
  }
});

describe('covariance chain: wasm and js give the same bytes', () => {
  const V0 = [
    [1, 0.3],
    [0.3, 1],
  ];
  const cases: Array<[string, Omit<NetworkOptions, 'threads'>]> = [
    [
      'shaped relu, m = 2 (the fused pair pass)',
      { activation: shapedRelu({ cPlus: 0, cMinus: -1 }), n: 100, depth: 30, v0: V0, samples: 50, seed: 1 },
    ],
    [
      'unshaped relu, m = 2, exploding',
      { activation: unshaped('relu'), n: 4, depth: 200, v0: V0, samples: 40, seed: 2, explosion: { threshold: 50 } },
    ],
    [
      'shaped relu, m = 2 with derivatives (side 4)',
      {
        activation: shapedRelu({ cPlus: 1, cMinus: -1 }),
        n: 60,
        depth: 10,
        v0: V0,
        samples: 20,
        seed: 3,
        derivatives: true,
      },
    ],
    [
      'linear, m = 3',
      {
        activation: unshaped('linear'),
        n: 40,
        depth: 10,
        v0: [
          [1, 0.2, 0.1],
          [0.2, 1, 0.3],
          [0.1, 0.3, 1],
        ],
        samples: 20,
        seed: 4,
      },
    ],
  ];
  for (const [name, options] of cases) {
    for (const seedShift of [0, 10]) {
      it(`${name}, seed ${options.seed! + seedShift}`, () => {
        const o = { ...options, seed: options.seed! + seedShift, sampler: 'chain' as const, outputs: 3 };
        const js = withKernels('js', () => sampleNetworksSync(o));
        const wasm = withKernels('wasm', () => sampleNetworksSync(o));
        expect(bytesOf(wasm as unknown as Record<string, unknown>)).toEqual(
          bytesOf(js as unknown as Record<string, unknown>),
        );
        if (name.includes('exploding')) expect(js.counts.exploded).toBeGreaterThan(0);
      });
    }
  }
});

// chainLayer (asm/chain.ts) runs rows in blocks of four and chunks of 64, outputs in blocks of four with
// padding columns, and its own Cholesky: odd m, m not a multiple of four, n not a multiple of four and
// beyond a chunk, zero pivots (two equal inputs) and an exploding chain all against the js path.
describe('covariance chain for m >= 3: chainLayer gives the bytes of the js path', () => {
  const equi = (m: number, rho: number) =>
    Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : rho)));
  // Inputs 0 and 1 equal: V has rank 2 at every layer, so the Cholesky meets a zero pivot.
  const twins = [
    [1, 1, 0.3],
    [1, 1, 0.3],
    [0.3, 0.3, 1],
  ];
  const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
  const cases: Array<[string, Omit<NetworkOptions, 'threads'>]> = [
    ['m = 3, n = 41', { activation: relu, n: 41, depth: 12, v0: equi(3, 0.3), samples: 12, seed: 7 }],
    [
      'm = 5, n = 131 (two chunks and three rows)',
      { activation: shapedRelu({ cPlus: 0.5, cMinus: -0.7 }), n: 131, depth: 8, v0: equi(5, 0.6), samples: 6, seed: 8 },
    ],
    ['m = 6, n = 70', { activation: relu, n: 70, depth: 8, v0: equi(6, -0.1), samples: 6, seed: 9 }],
    ['m = 32, n = 67', { activation: relu, n: 67, depth: 4, v0: equi(32, 0.3), samples: 3, seed: 10 }],
    ['m = 3, two equal inputs', { activation: relu, n: 45, depth: 10, v0: twins, samples: 8, seed: 11 }],
    [
      'm = 4, unshaped relu, exploding',
      { activation: unshaped('relu'), n: 5, depth: 200, v0: equi(4, 0.5), samples: 30, seed: 12, threshold: 50 },
    ],
  ];
  for (const [name, options] of cases) {
    it(name, () => {
      const o = { ...options, sampler: 'chain' as const, outputs: 2 };
      const js = withKernels('js', () => sampleNetworksSync(o));
      const wasm = withKernels('wasm', () => sampleNetworksSync(o));
      expect(bytesOf(wasm as unknown as Record<string, unknown>)).toEqual(
        bytesOf(js as unknown as Record<string, unknown>),
      );
      if (name.includes('exploding')) expect(js.counts.exploded).toBeGreaterThan(0);
      if (name.includes('equal')) {
        // The twins' 2 x 2 block stays singular to rounding at the last layer: the zero pivot was met.
        const [layers, samples] = js.values.shape;
        for (let s = 0; s < samples; s++) {
          const at = (a: number, b: number) => js.values.get(layers - 1, s, a, b);
          expect(Math.abs(at(0, 0) * at(1, 1) - at(0, 1) ** 2)).toBeLessThan(1e-9 * at(0, 0) * at(1, 1));
        }
      }
    });
  }
});

describe('exp, acos (scalar and f64x2) and log in WebAssembly are src/math, bit for bit', () => {
  // Arguments on every branch boundary of the fdlibm algorithms (by high word), specials, and random ones.
  const edges = (): number[] => {
    const words = [0x3fd62e42, 0x3ff0a2b2, 0x3e300000, 0x40862e42, 0x3fe00000, 0x3c600000, 0x3ff00000, 0x7ff00000];
    const out = [
      0,
      -0,
      1,
      -1,
      0.5,
      -0.5,
      NaN,
      Infinity,
      -Infinity,
      709.782712893384,
      709.79,
      -745.1332191019411,
      -745.2,
      -708.5,
      -740,
      1e-300,
      5e-324,
      2 ** -28,
      2 ** -57,
      1 - 2 ** -53,
      -1 + 2 ** -53,
    ];
    const f = new Float64Array(1);
    const w = new Int32Array(f.buffer);
    for (const hi of words) {
      for (const d of [-1, 0, 1]) {
        for (const lo of [0, 1, 0x7fffffff, -1]) {
          w[1] = hi + d;
          w[0] = lo;
          out.push(f[0], -f[0]);
        }
      }
    }
    return out;
  };
  for (const [which, name, reference] of [
    [0, 'exp', exp],
    [1, 'acos', acos],
    [2, 'log', log],
  ] as const) {
    it(`${name}: edges, and 2^16 random arguments in each of three ranges`, () => {
      const random = openStream(3, 'wasm-math', which) as Xoshiro128pp;
      const args = edges();
      const scales = which === 0 ? [0.3, 20, 1500] : [1, 1, 1];
      for (const s of scales) {
        for (let i = 0; i < 1 << 16; i++) {
          const u = random.nextUniform();
          args.push(
            which === 0 ? (u - 0.5) * s : which === 1 ? u * 2 - 1 : s === scales[0] ? u : Math.exp((u - 0.5) * 1400),
          );
        }
      }
      if (args.length % 2) args.push(0.25);
      const kernels = openWasmKernels(args.length * 16 + 64)!;
      const input = kernels.alloc(args.length * 8);
      const output = kernels.alloc(args.length * 8);
      kernels.f64(input, args.length).set(args);
      const expected = Float64Array.from(args, (x) => reference(x));
      for (const map of which === 2 ? (['mathMap'] as const) : (['mathMap', 'mathMap2'] as const)) {
        kernels.exports[map](which, input, output, args.length);
        const got = kernels.f64(output, args.length);
        const bad = args.filter((_, i) => !Object.is(got[i], expected[i]));
        expect(bad, `${map} ${name}`).toEqual([]);
      }
    });
  }

  // The f64x2 ports run one branch's operations when both lanes take it and each lane's own branch
  // otherwise: every ordered pair of edge arguments in the two lanes, and arguments within 48 ulps of the
  // branch boundaries +-1/2 of acos (where the neighbouring branch's formula differs in the last bits for
  // about one argument in five) beside each edge argument, in both lanes. The bits must be src/math's.
  for (const [which, name, reference] of [
    [0, 'exp', exp],
    [1, 'acos', acos],
  ] as const) {
    it(`${name} on two lanes: every pairing of branches gives each lane its own bits`, () => {
      const single = [...edges(), 0.1, -0.1, 0.3, -0.3, 0.7, -0.7, 0.999, -0.999, 1.2, -1.2, 3, -3, 40, -40];
      const f = new Float64Array(1);
      const u = new BigInt64Array(f.buffer);
      const near: number[] = [];
      for (const half of [0.5, -0.5]) {
        for (let k = 1; k <= 48; k++) {
          for (const d of [-k, k]) {
            f[0] = half;
            u[0] += BigInt(d);
            near.push(f[0]);
          }
        }
      }
      const pairs: number[] = [];
      for (const x of single) for (const y of single) pairs.push(x, y);
      if (which === 1) for (const x of near) for (const y of single) pairs.push(x, y, y, x);
      const kernels = openWasmKernels(pairs.length * 16 + 64)!;
      const input = kernels.alloc(pairs.length * 8);
      const output = kernels.alloc(pairs.length * 8);
      kernels.f64(input, pairs.length).set(pairs);
      kernels.exports.mathMap2(which, input, output, pairs.length);
      const got = new BigUint64Array(kernels.memory.buffer, output, pairs.length);
      const expected = new BigUint64Array(Float64Array.from(pairs, (x) => reference(x)).buffer);
      const bad: string[] = [];
      for (let i = 0; i < pairs.length; i++) {
        if (got[i] !== expected[i]) bad.push(`lane ${i & 1} of (${pairs[i & ~1]}, ${pairs[i | 1]})`);
      }
      expect(bad.slice(0, 10), `${bad.length} lanes differ`).toEqual([]);
    });
  }
});

describe('the ReLU-like drift and drift flow tiles (m >= 3) on correlations in every branch of acos', () => {
  // The wasm tiles (asm/dense.ts, driftRelu2x, flowRelu2x) against the term's per-lane TypeScript on lanes
  // whose correlations are exact: every branch of acos and its boundaries (+-1/2 and their neighbours, +-1,
  // +-0, beyond +-1 before the clamp, a zero scale), with the two lanes of each pair in different branches.
  it('drift and drift flow at m = 5 give the per-lane bits', () => {
    const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
    const m = 5;
    const B = 64;
    const E = (m * (m + 1)) / 2;
    const f = new Float64Array(1);
    const word = new BigInt64Array(f.buffer);
    const step = (x: number, ulps: number) => {
      f[0] = x;
      word[0] += BigInt(ulps);
      return f[0];
    };
    const targets = [
      0.3,
      -0.3,
      0.7,
      -0.7,
      0.5,
      -0.5,
      step(0.5, -1),
      step(0.5, 1),
      step(-0.5, -1),
      step(-0.5, 1),
      1,
      -1,
      0,
      -0,
      1e-20,
      1 + 1e-9,
      -1 - 1e-9,
      step(1, -1),
      0.999,
      -0.999,
      0.05,
      0.45,
      step(0.5, 7),
      step(-0.5, -7),
    ];
    // V^aa = d on every diagonal (a power of 2, so rho = V^ab / d exactly); lane 5 has V^00 = 0.
    const x = new Float64Array(E * B);
    for (let j = 0; j < B; j++) {
      const d = [1, 4, 0.25][j % 3];
      for (let a = 0; a < m; a++) {
        const ra = (a * (a + 1)) / 2;
        x[(ra + a) * B + j] = j === 5 && a === 0 ? 0 : d;
        for (let b = 0; b < a; b++) x[(ra + b) * B + j] = d * targets[(7 * j + 3 * (ra + b)) % targets.length];
      }
    }
    const run = (kernels: 'js' | 'wasm') =>
      withKernels(kernels, () => {
        const sde = covarianceSde(relu);
        const { v0 } = sde.checkInitial(
          Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => (a === b ? 1 : 0))),
          'v0',
        );
        const term = sde.term(B, v0, m, 1e4);
        const book = new LaneBook(B);
        const drift = new Float64Array(E * B);
        term.drift(x, drift, book);
        const flowed = Float64Array.from(x);
        term.flows!.drift(flowed, 0.3, 0, book);
        return bytesOf({ drift, flowed });
      });
    const js = run('js');
    expect(run('wasm')).toEqual(js);
    // The flow moved the correlations (it is not the identity on these lanes).
    expect(js.flowed).not.toBe(bytesOf({ x }).x);
  });
});

describe('SDE solvers: wasm and js give the same bytes (every solver and form with a wasm path, m = 2)', () => {
  const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
  const steep = shapedRelu({ cPlus: 1.5, cMinus: -2 });
  const equi = (rho: number) => [
    [1, rho],
    [rho, 1],
  ];
  type Case = [string, () => Parameters<typeof solveSync>[0], (s: ReturnType<typeof solveSync>) => void];
  const cases: Case[] = [];
  for (const [solverName, solver] of [
    ['euler-maruyama', eulerMaruyama],
    ['ninomiya-victoir', ninomiyaVictoir],
  ] as const) {
    for (const seed of [1, 2, 3]) {
      cases.push([
        `${solverName}, shaped relu, seed ${seed}, 4 saves`,
        () => ({
          sde: covarianceSde(relu),
          solver: solver(),
          T: 1,
          v0: equi(0.5),
          stepping: constantSteps(40),
          saveAt: saveAt({ count: 4 }),
          paths: 300,
          seed,
        }),
        () => {},
      ]);
    }
    cases.push([
      `${solverName}, exploding lanes (threshold 2)`,
      () => ({
        sde: covarianceSde(steep),
        solver: solver(),
        T: 2,
        saveAt: saveAt({ t1: true }),
        v0: equi(0.3),
        stepping: constantSteps(30),
        paths: 256,
        seed: 4,
        explosion: explosionDetection({ threshold: 2 }),
      }),
      (s) => expect(s.counts.exploded).toBeGreaterThan(0),
    ]);
    cases.push([
      `${solverName}, Brownian path finer than the steps (summed increments)`,
      () => ({
        sde: covarianceSde(steep),
        solver: solver(),
        T: 1,
        saveAt: saveAt({ t1: true }),
        v0: equi(-0.4),
        stepping: constantSteps(8),
        brownian: brownianSampling({ resolution: 32 }),
        paths: 200,
        seed: 5,
      }),
      () => {},
    ]);
  }
  for (const seed of [1, 2]) {
    cases.push([
      `ninomiya-victoir, diagonal SDE (swish, beta = 0.75), exploding lanes, seed ${seed}`,
      () => ({
        sde: diagonalSde(shapedSmooth('swish', { a: 1 })),
        solver: ninomiyaVictoir(),
        T: 1,
        saveAt: saveAt({ t1: true }),
        v0: 1,
        stepping: constantSteps(16),
        paths: 640,
        seed,
        explosion: explosionDetection({ threshold: 50 }),
      }),
      (s) => expect(s.counts.exploded).toBeGreaterThan(0),
    ]);
  }
  cases.push([
    'euler-maruyama, repaired lanes (few large steps near rho = 1)',
    () => ({
      sde: covarianceSde(steep),
      solver: eulerMaruyama(),
      T: 2,
      saveAt: saveAt({ t1: true }),
      v0: equi(0.98),
      stepping: constantSteps(3),
      paths: 512,
      seed: 6,
    }),
    (s) => expect(s.counts.repaired).toBeGreaterThan(0),
  ]);
  for (const [name, options, check] of cases) {
    it(name, () => {
      const js = withKernels('js', () => solveSync(options()));
      const wasm = withKernels('wasm', () => solveSync(options()));
      check(js);
      expect(bytesOf(wasm as unknown as Record<string, unknown>)).toEqual(
        bytesOf(js as unknown as Record<string, unknown>),
      );
    });
  }

  it('a ReLU-like m = 2 term installs the wasm steps under wasm, the TypeScript ones under js (the cases above are not vacuous)', () => {
    const marks = (name: 'js' | 'wasm') =>
      withKernels(name, () => {
        const term = covarianceSde(relu).term(64, [1, 0.5, 0.5, 1], 2, Infinity);
        return [eulerMaruyama().fusedStep(term), ninomiyaVictoir().fusedStep(term)].map(
          (f) => (f as { kernels?: string } | null)?.kernels ?? 'js',
        );
      });
    expect(marks('wasm')).toEqual(['wasm', 'wasm']);
    expect(marks('js')).toEqual(['js', 'js']);
    const diagonal = (name: 'js' | 'wasm') =>
      withKernels(
        name,
        () =>
          (
            diagonalSde(shapedSmooth('swish', { a: 1 })).term(64, [1], 1, Infinity).flows!.noiseBlock as
              | { kernels?: string }
              | undefined
          )?.kernels ?? 'js',
      );
    expect([diagonal('wasm'), diagonal('js')]).toEqual(['wasm', 'js']);
  });

  it('two worker threads with wasm give the bytes of one thread with js', async () => {
    const options = {
      sde: covarianceSde(relu),
      solver: ninomiyaVictoir(),
      T: 1,
      saveAt: saveAt({ t1: true }),
      v0: equi(0.5),
      stepping: constantSteps(20),
      paths: 1000,
      seed: 7,
    };
    const js = withKernels('js', () => solveSync(options));
    const wasm = await withKernels('wasm', () => solve({ ...options, threads: 2 }));
    expect(bytesOf(wasm as unknown as Record<string, unknown>)).toEqual(
      bytesOf(js as unknown as Record<string, unknown>),
    );
  });
});
