import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, type Activation } from '../src/activations/index.js';
import { choleskyColumnSums, choleskyTile, flowsTile, gramTile, noiseTile, row } from '../src/batched.js';
import { openDenseTile } from '../src/kernels/dense.js';
import { choleskyPsd, symmetricEigen } from '../src/linalg.js';
import { hashFloat64 } from '../src/math/index.js';
import { openStream } from '../src/random/streams.js';
import { covarianceSde } from '../architectures/index.js';
import { sampleNetworksSync } from '../networks/index.js';
import { withKernels } from './helpers/kernels.js';
import { constantSteps, eulerMaruyama, ninomiyaVictoir, saveAt, solveSync, type Solver } from '../sde/index.js';
import { LaneBook } from '../sde/term.js';

// The m >= 3 kernels over many paths at once (src/batched.ts, sde/terms/covariance.mk.ts). Each lane must
// see the one-matrix loops' operations in their order, so (1) the kernels equal straightforward loops to
// the bit at m = 3, 8 and 33 (33: no multiple of the tile of 8 lanes or of any power of two), and ml-matrix
// to rounding; (2) full solves keep the bits the per-lane code gave before the kernels (hashes recorded
// from the 0.2.0 per-lane term, under js and wasm kernels), rank-deficient V0 included.

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const tanh = shapedSmooth('tanh', { a: 1 });
const equi = (m: number, rho: number) =>
  Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : rho)));

/** V0 = X X^T / d for a fixed m x d matrix of normals: rank d (< m: the usual real batch). */
function gram(m: number, d: number, seed: number): number[][] {
  const x = new Float64Array(m * d);
  openStream(seed, 'batched-test', 0).fillNormals(x);
  return Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
      return s / d;
    }),
  );
}

function digest(values: Float64Array, status: Uint8Array, repairs: Uint32Array): string {
  const all = new Float64Array(values.length + 2 * status.length);
  all.set(values);
  all.set(status, values.length);
  all.set(repairs, values.length + status.length);
  return hashFloat64(all);
}

const CASES: Array<[string, () => string]> = [];
const SOLVERS: Array<[string, () => Solver]> = [
  ['em', eulerMaruyama],
  ['nv', ninomiyaVictoir],
];
for (const [name, solver] of SOLVERS) {
  for (const [label, act, m, v0, steps, paths] of [
    ['relu m=8', relu, 8, equi(8, 0.4), 16, 70],
    ['tanh m=33', tanh, 33, equi(33, 0.2), 3, 67],
    ['relu rank 4 m=16', relu, 16, gram(16, 4, 3), 8, 64],
  ] as Array<[string, Activation, number, number[][], number, number]>) {
    CASES.push([
      `${label} ${name}`,
      () => {
        const s = solveSync({
          sde: covarianceSde(act),
          solver: solver(),
          T: 1,
          saveAt: saveAt({ t1: true }),
          v0,
          stepping: constantSteps(steps),
          paths,
          seed: 5 + m,
        });
        return digest(s.values.data, s.status, s.repairs) + ` repairs ${s.counts.repairedSteps}`;
      },
    ]);
  }
}

// Recorded from the per-lane term of 0.2.0 (before the lane kernels), Node 20, x86-64.
// The covariance chain beyond two inputs (the WebAssembly rows pass for a piecewise-linear phi).
for (const [label, act, m] of [
  ['relu', relu, 3],
  ['relu', relu, 8],
  ['relu', shapedRelu({ cPlus: 0.5, cMinus: -0.7 }), 33],
  ['tanh', tanh, 8],
] as Array<[string, Activation, number]>) {
  CASES.push([
    `chain ${label} m=${m}`,
    () => {
      const s = sampleNetworksSync({
        activation: act,
        n: 40,
        depth: 6,
        v0: equi(m, 0.3),
        samples: 9,
        seed: 4,
        record: { count: 2 },
      });
      return digest(s.values.data, s.status, new Uint32Array(0)) + ':' + hashFloat64(s.logits.data);
    },
  ]);
}

const GOLDEN: Record<string, string> = {
  'relu m=8 em': 'f58304c2f50f0f6d repairs 585',
  'tanh m=33 em': 'c1e7c269fbc055a1 repairs 201',
  'relu rank 4 m=16 em': 'cb438a92e19a56b7 repairs 472',
  'relu m=8 nv': '3fa67518cd3a53cc repairs 0',
  'tanh m=33 nv': '892bc43c9a8661c1 repairs 0',
  'relu rank 4 m=16 nv': '4b75bd76e9793150 repairs 0',
  'chain relu m=3': '53c064393ce703a8:4761e6737e840771',
  'chain relu m=8': 'a351e0ece16a96a5:854a487618e9c48b',
  'chain relu m=33': '45c6a8b19c3622d0:13f97ec87c49e4ea',
  'chain tanh m=8': '8a556935ab2550c7:49314545c5e7c413',
};

describe('full solves and chains at m >= 3 keep the per-lane bits', () => {
  if (process.env.GOLDEN_PRINT) {
    it('prints the table', () => {
      console.log(JSON.stringify(Object.fromEntries(CASES.map(([n, run]) => [n, run()])), null, 2));
    });
    return;
  }
  for (const kernels of ['js', 'wasm']) {
    for (const [name, run] of CASES) {
      it(`${name} (${kernels})`, () => {
        expect(withKernels(kernels, run)).toBe(GOLDEN[name]);
      });
    }
  }
});

/** n lanes of packed m x m matrices in a tile of stride w: lane u = V of rank `rank` from its own normals. */
function tileOf(m: number, w: number, n: number, rank: number, seed: number): Float64Array {
  const out = new Float64Array(row(m) * w);
  for (let u = 0; u < n; u++) {
    const v = gram(m, rank, seed + u);
    for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) out[(row(a) + b) * w + u] = v[a][b];
  }
  return out;
}
const lane = (t: Float64Array, m: number, w: number, u: number) => {
  const full = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) full[a * m + b] = full[b * m + a] = t[(row(a) + b) * w + u];
  return full;
};
const bits = (x: Float64Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length * 2));

describe('tile kernels against one-matrix loops (m = 3, 8, 33) and ml-matrix', () => {
  for (const m of [3, 8, 33]) {
    it(`Cholesky of 11 lanes = choleskyPsd lane by lane to the bit, and ml-matrix to rounding (m = ${m})`, () => {
      const w = 16;
      const n = 11;
      const v = tileOf(m, w, n, m + 2, m);
      const l = new Float64Array(v.length);
      const scratch = { fail: new Int32Array(w), inv: new Float64Array(w), unit: new Float64Array(w) };
      choleskyTile(v, l, m, w, n, 1e-12, false, true, scratch, (c) => choleskyColumnSums(v, l, m, w, n, c));
      for (let u = 0; u < n; u++) {
        expect(scratch.fail[u]).toBe(-1);
        const full = lane(v, m, w, u);
        const ref = new Float64Array(m * m);
        expect(choleskyPsd(full, m, ref)).toBe(-1);
        const mine = new Float64Array(m * m);
        for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) mine[a * m + b] = l[(row(a) + b) * w + u];
        expect(bits(mine)).toEqual(bits(ref));
        const oracle = new CholeskyDecomposition(
          new Matrix(Array.from({ length: m }, (_, i) => Array.from(full.subarray(i * m, i * m + m)))),
        ).lowerTriangularMatrix;
        for (let a = 0; a < m; a++)
          for (let b = 0; b <= a; b++) expect(Math.abs(mine[a * m + b] - oracle.get(a, b))).toBeLessThan(1e-12 * m);
      }
    });

    it(`Euler-Maruyama noise, Gram and noise flows = straightforward loops to the bit (m = ${m})`, () => {
      const w = 8;
      const n = 5;
      const E = row(m);
      const l = tileOf(m, w, n, m, 100 + m);
      const g = new Float64Array(E * w);
      openStream(m, 'batched-test', 1).fillNormals(g);
      const root = Math.sqrt(0.01);
      const out = new Float64Array(E * w);
      noiseTile(l, g, m, w, n, root, new Float64Array(m * m * w), out);
      const gramOut = new Float64Array(E * w);
      gramTile(l, m, w, n, gramOut);
      const flowed = Float64Array.from(l);
      flowsTile(flowed, g, m, w, 0, 2, false);
      flowsTile(flowed, g, m, w, 2, n, true);
      for (let u = 0; u < n; u++) {
        const L = (a: number, r: number) => (r <= a ? l[(row(a) + r) * w + u] : 0);
        const S = (r: number, c: number) =>
          r === c ? Math.SQRT2 * g[(row(r) + r) * w + u] : g[(r > c ? row(r) + c : row(c) + r) * w + u];
        // The one-lane loop of 0.2.0: ls = L S over every column, then the lower triangle of ls L^T.
        const ls = new Float64Array(m * m);
        for (let a = 0; a < m; a++)
          for (let c = 0; c < m; c++) {
            let acc = 0;
            for (let r = 0; r <= a; r++) acc += L(a, r) * S(r, c);
            ls[a * m + c] = acc * root;
          }
        for (let a = 0; a < m; a++)
          for (let b = 0; b <= a; b++) {
            let acc = 0;
            for (let r = 0; r <= b; r++) acc += ls[a * m + r] * L(b, r);
            expect(out[(row(a) + b) * w + u]).toBe(acc);
            let gr = 0;
            for (let r = 0; r <= b; r++) gr += L(a, r) * L(b, r);
            expect(gramOut[(row(a) + b) * w + u]).toBe(gr);
          }
        // The directions one at a time on a full lower factor, ascending for lanes 0, 1, descending after.
        const lower = new Float64Array(m * m);
        for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) lower[a * m + b] = L(a, b);
        const order = Array.from({ length: E }, (_, k) => k);
        if (u >= 2) order.reverse();
        for (const k of order) {
          let a = 0;
          while (row(a + 1) <= k) a++;
          const b = k - row(a);
          const f = g[k * w + u];
          for (let i = a; i < m; i++) {
            if (a === b) lower[i * m + a] *= f;
            else lower[i * m + b] += f * lower[i * m + a];
          }
        }
        for (let a = 0; a < m; a++)
          for (let b = 0; b <= a; b++) expect(flowed[(row(a) + b) * w + u]).toBe(lower[a * m + b]);
      }
    });
  }

  it('the WebAssembly tile gives the bits of the TypeScript one (m = 3, 5, 8, 10, 33; rank 4 at m = 16)', () => {
    for (const [m, rank] of [
      [3, 3],
      [5, 5],
      [8, 8],
      [10, 10],
      [33, 33],
      [16, 4],
    ]) {
      const run = (kernels: string) =>
        withKernels(kernels, () => {
          const tile = openDenseTile(m, 16, true);
          expect(tile.kernels).toBe(kernels);
          const E = row(m);
          tile.v.set(tileOf(m, 16, 16, rank, 7 * m));
          const scratch = { fail: new Int32Array(16), inv: new Float64Array(16), unit: new Float64Array(16) };
          choleskyTile(tile.v, tile.l, m, 16, 16, 1e-12, false, true, scratch, (c) => tile.choleskySums(c, 16));
          const factor = Float64Array.from(tile.l);
          openStream(m, 'batched-test', 2).fillNormals(tile.g);
          tile.noise(16, 0.1);
          const noise = Float64Array.from(tile.v);
          tile.gram(16);
          const gramOut = Float64Array.from(tile.v);
          for (let p = 0; p < E * 16; p++) tile.g[p] = 1 + 0.01 * tile.g[p];
          tile.flows(0, 7, false);
          tile.flows(7, 16, true);
          const flowed = Float64Array.from(tile.l);
          let drift: number[] = [];
          let flowRelu: number[] = [];
          if (tile.driftRelu && tile.flowRelu) {
            tile.v.set(tileOf(m, 16, 16, rank, 9 * m));
            tile.driftRelu(0.2, 0, 1);
            drift = bits(Float64Array.from(tile.g));
            tile.flowRelu(0.6, 0.9, 0.01, 0.8, 0.02);
            flowRelu = bits(Float64Array.from(tile.v));
          }
          return {
            factor: bits(factor),
            fail: Array.from(scratch.fail),
            noise: bits(noise),
            gram: bits(gramOut),
            flowed: bits(flowed),
            drift,
            flowRelu,
          };
        });
      const js = run('js');
      const wasm = run('wasm');
      expect(wasm.factor).toEqual(js.factor);
      expect(wasm.fail).toEqual(js.fail);
      expect(wasm.noise).toEqual(js.noise);
      expect(wasm.gram).toEqual(js.gram);
      expect(wasm.flowed).toEqual(js.flowed);
      // The ReLU-like drift and flow have no TypeScript tile: the term's per-lane code is their reference,
      // pinned by the full solves above (js and wasm hashes equal).
      expect(wasm.drift.length).toBeGreaterThan(0);
    }
  });
});

describe('rank-deficient V0 (rank 4 at m = 16)', () => {
  const m = 16;
  const v0 = gram(m, 4, 3);
  it('the strict Cholesky factors it with zero columns: L L^T = V0', () => {
    const w = 8;
    const v = tileOf(m, w, 3, 4, 3);
    const l = new Float64Array(v.length);
    const scratch = { fail: new Int32Array(w), inv: new Float64Array(w), unit: new Float64Array(w) };
    choleskyTile(v, l, m, w, 3, 1e-12, false, true, scratch, (c) => choleskyColumnSums(v, l, m, w, 3, c));
    for (let u = 0; u < 3; u++) {
      expect(scratch.fail[u]).toBe(-1);
      let zeros = 0;
      for (let a = 0; a < m; a++) if (l[(row(a) + a) * w + u] === 0) zeros++;
      expect(zeros).toBe(m - 4);
      for (let a = 0; a < m; a++)
        for (let b = 0; b <= a; b++) {
          let s2 = 0;
          for (let r = 0; r <= b; r++) s2 += l[(row(a) + r) * w + u] * l[(row(b) + r) * w + u];
          expect(Math.abs(s2 - v[(row(a) + b) * w + u])).toBeLessThan(1e-12);
        }
    }
  });
  /** The smallest eigenvalue of every path's V at the final time, relative to its trace. */
  const worst = (values: Float64Array, paths: number) => {
    let low = Infinity;
    const eig = new Float64Array(m);
    for (let p = 0; p < paths; p++) {
      const v = values.subarray(p * m * m, (p + 1) * m * m);
      symmetricEigen(v, m, eig, new Float64Array(m * m), new Float64Array(m * m));
      let trace = 0;
      for (let a = 0; a < m; a++) trace += v[a * m + a];
      low = Math.min(low, Math.min(...eig) / trace);
    }
    return low;
  };
  it('splitting stays in the cone without a repair; Euler-Maruyama leaves it, is repaired and counts it', () => {
    const run = (solver: Solver) =>
      solveSync({
        sde: covarianceSde(relu),
        solver,
        T: 0.5,
        saveAt: saveAt({ t1: true }),
        v0,
        stepping: constantSteps(4),
        paths: 64,
        seed: 2,
      });
    const nv = run(ninomiyaVictoir());
    expect(nv.counts.repairedSteps).toBe(0);
    // PSD to rounding: Jacobi's eigenvalues of a PSD matrix are >= -1e-15 or so of its trace.
    expect(worst(nv.values.data, 64)).toBeGreaterThan(-1e-12);
    const em = run(eulerMaruyama());
    expect(em.counts.repairedSteps).toBeGreaterThan(0);
    expect(em.counts.repaired).toBeGreaterThan(0);
    expect(worst(em.values.data, 64)).toBeGreaterThan(-1e-12);
  });
});

describe('the steps inside WebAssembly (src/kernels/dense.ts, DenseBlock) give the TypeScript tiles bits', () => {
  // m = 3, 5, 10, 13, 22: odd and even sides off the multiples of the register blocks (2 x 4 and 4 x 2
  // outputs, column pairs), Euler-Maruyama's drift over the whole block (m <= 16) and pair by pair (22); a
  // threshold (a few V0^aa) that many lanes cross on the way, so lanes not alive sit beside alive ones in a
  // pair and in a group of pairs; 70 paths, so the second block is mostly not written.
  // ReLU: the fused steps; tanh: Euler-Maruyama's drift, diffusion and settle one by one.
  for (const [label, act, cases] of [
    [
      'relu',
      relu,
      [
        [3, 3],
        [5, 3],
        [10, 3],
        [13, 3],
        [22, 4.5],
      ],
    ],
    [
      'tanh',
      tanh,
      [
        [5, 1.8],
        [10, 1.8],
      ],
    ],
  ] as Array<[string, Activation, Array<[number, number]>]>) {
    for (const [m, threshold] of cases) {
      for (const [name, solver] of SOLVERS) {
        it(`${label} ${name} at m = ${m} with explosions: js and wasm to the bit`, () => {
          const run = (kernels: string) =>
            withKernels(kernels, () => {
              const s = solveSync({
                sde: covarianceSde(act),
                solver: solver(),
                T: 1,
                // saves along the way: the splitting solver's owed half flow on a copy of the state
                saveAt: saveAt({ count: 3 }),
                v0: equi(m, 0.4),
                stepping: constantSteps(12),
                paths: 70,
                seed: 11 + m,
                threshold,
              });
              return { digest: digest(s.values.data, s.status, s.repairs), ...s.counts };
            });
          const js = run('js');
          expect(run('wasm')).toEqual(js);
          expect(js.exploded).toBeGreaterThan(5);
          expect(js.exploded).toBeLessThan(65);
        });
      }
    }
  }

  it.each([
    ['relu', relu],
    ['tanh', tanh],
  ] as Array<[string, Activation]>)(
    'Euler-Maruyama (%s) refactors a lane whose state changed under its cached factor (m = 7)',
    (_, act) => {
      const m = 7;
      const B = 64;
      const run = (kernels: string) =>
        withKernels(kernels, () => {
          const sde = covarianceSde(act);
          const term = sde.term(B, equi(m, 0.3).flat(), m, 100);
          const solver = eulerMaruyama();
          const book = new LaneBook(B);
          const state = solver.init(term, book);
          const x = state.x;
          const E = row(m);
          // Lanes 3 and 12 scaled (still in the cone), lane 20 pushed outside it (its factor is then the PSD
          // part's, never cached as valid), lanes 5, 6 and 9 not alive: stale factors in pairs and groups.
          for (let p = 0; p < E; p++) {
            x[p * B + 3] *= 1.001;
            x[p * B + 12] *= 0.999;
          }
          x[(row(1) + 0) * B + 20] = 1.5;
          for (const j of [5, 6, 9]) book.explode(j, 0);
          const g = new Float64Array(E * B);
          const out: number[][] = [];
          for (let k = 0; k < 3; k++) {
            openStream(k, 'batched-test', 3).fillNormals(g);
            solver.step(term, state, g, null, k * 0.01, 0.01, book);
            out.push(bits(Float64Array.from(x)));
          }
          return { out, repairs: Array.from(book.repairs), alive: Array.from(book.alive) };
        });
      const js = run('js');
      const wasm = run('wasm');
      expect(wasm.alive).toEqual(js.alive);
      expect(wasm.repairs).toEqual(js.repairs);
      expect(wasm.out).toEqual(js.out);
      // lane 20's first step starts outside the cone: the settle repairs it
      expect(js.repairs[20]).toBeGreaterThan(0);
    },
  );
});
