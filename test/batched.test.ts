import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, type Activation } from '../src/activations/index.js';
import { choleskyLanes, gramLanes, noiseLanes } from '../src/batched.js';
import { choleskyPsd } from '../src/linalg.js';
import { hashFloat64 } from '../src/math/index.js';
import { openStream } from '../src/random/streams.js';
import { covarianceSde } from '../architectures/index.js';
import { constantSteps, eulerMaruyama, ninomiyaVictoir, solveSync, type Solver } from '../sde/index.js';

// The m >= 3 kernels over many paths at once (src/batched.ts, sde/terms/covariance.mk.ts). Each lane must
// see the one-matrix loops' operations in their order, so (1) the kernels equal straightforward loops to
// the bit at m = 3, 8 and 33 (33: no multiple of the tile of 8 lanes or of any power of two), and ml-matrix
// to rounding; (2) full solves keep the bits the per-lane code gave before the kernels (hashes recorded
// from the 0.2.0 per-lane term, under js and wasm kernels), rank-deficient V0 included.

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const tanh = shapedSmooth('tanh', { a: 1 });
const equi = (m: number, rho: number) => Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : rho)));
const row = (a: number) => (a * (a + 1)) / 2;

/** V0 = X X^T / d for a fixed m x d matrix of normals: rank d (< m: the usual real batch). */
function gram(m: number, d: number, seed: number): number[][] {
  const x = new Float64Array(m * d);
  openStream(seed, 'batched-test', 0).fillNormals(x);
  return Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
    return s / d;
  }));
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
    ['tanh m=33', tanh, 33, equi(33, 0.2), 6, 67],
    ['relu rank 4 m=16', relu, 16, gram(16, 4, 3), 8, 64],
  ] as Array<[string, Activation, number, number[][], number, number]>) {
    CASES.push([
      `${label} ${name}`,
      () => {
        const s = solveSync({ sde: covarianceSde(act), solver: solver(), t1: 1, v0, stepping: constantSteps(steps), paths, seed: 5 + m });
        return digest(s.values.data, s.status, s.repairs) + ` repairs ${s.counts.repairedSteps}`;
      },
    ]);
  }
}

// Recorded from the per-lane term of 0.2.0 (before the lane kernels), Node 20, x86-64.
const GOLDEN: Record<string, string> = {
  'relu m=8 em': 'f58304c2f50f0f6d repairs 585',
  'tanh m=33 em': '0e074b1d665cd0c0 repairs 402',
  'relu rank 4 m=16 em': 'cb438a92e19a56b7 repairs 472',
  'relu m=8 nv': '3fa67518cd3a53cc repairs 0',
  'tanh m=33 nv': 'd857affa28fe3f94 repairs 0',
  'relu rank 4 m=16 nv': '4b75bd76e9793150 repairs 0',
};

describe('full solves at m >= 3 keep the per-lane bits', () => {
  if (process.env.GOLDEN_PRINT) {
    it('prints the table', () => {
      console.log(JSON.stringify(Object.fromEntries(CASES.map(([n, run]) => [n, run()])), null, 2));
    });
    return;
  }
  for (const kernels of ['js', 'wasm']) {
    for (const [name, run] of CASES) {
      it(`${name} (${kernels})`, () => {
        const saved = process.env.NCSDE_KERNELS;
        process.env.NCSDE_KERNELS = kernels;
        try {
          expect(run()).toBe(GOLDEN[name]);
        } finally {
          if (saved === undefined) delete process.env.NCSDE_KERNELS;
          else process.env.NCSDE_KERNELS = saved;
        }
      });
    }
  }
});
