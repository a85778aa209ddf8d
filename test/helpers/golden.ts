// The fixed-seed runs whose hashes test/golden.test.ts pins and scripts/golden-print.ts prints: one list of
// cases, so the test and the script that records the table cannot disagree on what is hashed.
import { shapedRelu, shapedSmooth, type Activation } from '../../src/activations/index.js';
import { hashFloat64 } from '../../src/math/index.js';
import { sampleNetworksSync } from '../../networks/index.js';
import { correlationSde, covarianceSde, diagonalSde } from '../../architectures/index.js';
import { constantSteps, eulerMaruyama, ninomiyaVictoir, saveAt, solveSync, type Solver } from '../../sde/index.js';

// Golden hashes of full fixed-seed runs: the SDE solvers (m = 2 and 3, the scalar forms) and the chain and
// explicit network samplers, with ReLU-like and smooth activations, so every kernel's elementary functions
// (src/math: exp, log, acos, tanh, atanh, sin, ...) and the streams are pinned to the bit. The maths is
// built from IEEE-exact operations only, so these hashes hold on every engine and platform; a change of
// any bit must be deliberate: run `npx tsx scripts/golden-print.ts`, check why, and update the table.
// The hash covers the values and the per-path status (FNV-1a 64 over little-endian bytes); each case runs
// under both kernel choices (NCSDE_KERNELS=js and wasm).

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const tanh = shapedSmooth('tanh', { a: 1 });
const gelu = shapedSmooth('gelu', { a: 1 });
const sine = shapedSmooth('sin', { a: 1 });
const equi = (m: number, rho: number) =>
  Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : rho)));
const SOLVERS: Array<[string, () => Solver]> = [
  ['em', eulerMaruyama],
  ['nv', ninomiyaVictoir],
];

function digest(values: Float64Array, status: Uint8Array): string {
  const all = new Float64Array(values.length + status.length);
  all.set(values);
  all.set(status, values.length);
  return hashFloat64(all);
}

export const CASES: Array<[string, () => string]> = [];
for (const [name, solver] of SOLVERS) {
  for (const [label, act] of [
    ['relu', relu],
    ['tanh', tanh],
  ] as Array<[string, Activation]>) {
    for (const m of [2, 3]) {
      CASES.push([
        `covariance ${label} m=${m} ${name}`,
        () => {
          const s = solveSync({
            sde: covarianceSde(act),
            solver: solver(),
            T: 1,
            saveAt: saveAt({ t1: true }),
            v0: equi(m, 0.4),
            stepping: constantSteps(16),
            paths: 130,
            seed: 11 + m,
          });
          return digest(s.values.data, s.status);
        },
      ]);
    }
    if (label === 'relu') {
      // the autonomous correlation SDE exists for ReLU-like activations only
      CASES.push([
        `correlation ${label} ${name}`,
        () => {
          const s = solveSync({
            sde: correlationSde(act),
            solver: solver(),
            T: 1,
            saveAt: saveAt({ t1: true }),
            v0: 0.3,
            stepping: constantSteps(16),
            paths: 130,
            seed: 21,
          });
          return digest(s.values.data, s.status);
        },
      ]);
    }
    CASES.push([
      `diagonal ${label} ${name}`,
      () => {
        const s = solveSync({
          sde: diagonalSde(act),
          solver: solver(),
          T: 1,
          saveAt: saveAt({ t1: true }),
          v0: 1,
          stepping: constantSteps(16),
          paths: 130,
          seed: 31,
          threshold: 1e6,
        });
        return digest(s.values.data, s.status);
      },
    ]);
  }
}
for (const method of ['chain', 'explicit'] as const) {
  for (const [label, act] of [
    ['relu', relu],
    ['tanh', tanh],
    ['gelu', gelu],
    ['sin', sine],
  ] as Array<[string, Activation]>) {
    CASES.push([
      `network ${method} ${label}`,
      () => {
        const s = sampleNetworksSync({
          activation: act,
          n: 16,
          depth: 8,
          v0: equi(2, 0.3),
          samples: 40,
          seed: 41,
          sampler: method,
          record: { count: 3 },
        });
        return digest(s.values.data, s.status) + ':' + hashFloat64(s.logits.data);
      },
    ]);
  }
}

/** Run under NCSDE_KERNELS=name (js: the TypeScript reference; wasm: the SIMD twins), restoring it after. */
export function withKernels<T>(name: string, run: () => T): T {
  const saved = process.env.NCSDE_KERNELS;
  process.env.NCSDE_KERNELS = name;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.NCSDE_KERNELS;
    else process.env.NCSDE_KERNELS = saved;
  }
}
