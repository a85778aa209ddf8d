import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth, type Activation } from '../src/activations/index.js';
import { hashFloat64 } from '../src/math/index.js';
import { sampleNetworksSync } from '../networks/index.js';
import { correlationSde, covarianceSde, diagonalSde } from '../architectures/index.js';
import { constantSteps, saveAt, eulerMaruyama, explosionDetection, ninomiyaVictoir, solveSync, type Solver } from '../sde/index.js';

// Golden hashes of full fixed-seed runs: the SDE solvers (m = 2 and 3, the scalar forms) and the chain and
// explicit network samplers, with ReLU-like and smooth activations, so every kernel's elementary functions
// (src/math: exp, log, acos, tanh, atanh, sin, ...) and the streams are pinned to the bit. The maths is
// built from IEEE-exact operations only, so these hashes hold on every engine and platform; a change of
// any bit must be deliberate: rerun with GOLDEN_PRINT=1, check why, and update the table.
// The hash covers the values and the per-path status (FNV-1a 64 over little-endian bytes); each case runs
// under both kernel choices (NCSDE_KERNELS=js and wasm).

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const tanh = shapedSmooth('tanh', { a: 1 });
const gelu = shapedSmooth('gelu', { a: 1 });
const sine = shapedSmooth('sin', { a: 1 });
const equi = (m: number, rho: number) => Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : rho)));
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

const CASES: Array<[string, () => string]> = [];
for (const [name, solver] of SOLVERS) {
  for (const [label, act] of [
    ['relu', relu],
    ['tanh', tanh],
  ] as Array<[string, Activation]>) {
    for (const m of [2, 3]) {
      CASES.push([
        `covariance ${label} m=${m} ${name}`,
        () => {
          const s = solveSync({ sde: covarianceSde(act), solver: solver(), T: 1, saveAt: saveAt({ t1: true }), v0: equi(m, 0.4), stepping: constantSteps(16), paths: 130, seed: 11 + m });
          return digest(s.values.data, s.status);
        },
      ]);
    }
    if (label === 'relu') {
      // the autonomous correlation SDE exists for ReLU-like activations only
      CASES.push([
        `correlation ${label} ${name}`,
        () => {
          const s = solveSync({ sde: correlationSde(act), solver: solver(), T: 1, saveAt: saveAt({ t1: true }), v0: 0.3, stepping: constantSteps(16), paths: 130, seed: 21 });
          return digest(s.values.data, s.status);
        },
      ]);
    }
    CASES.push([
      `diagonal ${label} ${name}`,
      () => {
        const s = solveSync({ sde: diagonalSde(act), solver: solver(), T: 1, saveAt: saveAt({ t1: true }), v0: 1, stepping: constantSteps(16), paths: 130, seed: 31, explosion: explosionDetection({ threshold: 1e6 }) });
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
        const s = sampleNetworksSync({ activation: act, n: 16, depth: 8, v0: equi(2, 0.3), samples: 40, seed: 41, method, record: { count: 3 } });
        return digest(s.values.data, s.status) + ':' + hashFloat64(s.logits.data);
      },
    ]);
  }
}

// Recorded at 'MATHS-KERNELS' (src/math in every kernel), Node 20, x86-64.
const GOLDEN: Record<string, string> = {
  'covariance relu m=2 em': '390652dc413f102d',
  'covariance relu m=3 em': 'fc73ef28a514eb7e',
  'correlation relu em': '59bee8236e16e4fc',
  'diagonal relu em': 'e78eecc35419a712',
  'covariance tanh m=2 em': 'a01b8a80ac3aa7c6',
  'covariance tanh m=3 em': '9c0f4c6c81349d71',
  'diagonal tanh em': '2a4623637a37faf5',
  'covariance relu m=2 nv': 'c3f6d8e983141c53',
  'covariance relu m=3 nv': '5170a81edf20daf1',
  'correlation relu nv': 'dd6bd55787cabdcc',
  'diagonal relu nv': 'c87f2109a079220e',
  'covariance tanh m=2 nv': '070251792fe80087',
  'covariance tanh m=3 nv': '0f2957337625d39c',
  'diagonal tanh nv': 'af08967f5af8607d',
  'network chain relu': '811d3b74e5333264:6dee1b031057c44a',
  'network chain tanh': '26356d1d588d0919:4f7020f0679eb2ba',
  'network chain gelu': '25aaaf89f1a1b1b5:de1912082e88c099',
  'network chain sin': '22e097f38579c0ed:e6eb16eaf48d10b4',
  'network explicit relu': '5eaf108da715a25d:3b6ad47e4435de34',
  'network explicit tanh': '4740352c9d839cb5:b641b8c93666e25d',
  'network explicit gelu': '78903a6a14ff49e2:2b2ec46671cfce8c',
  'network explicit sin': '191ea216a8cdb464:45c016e9e1da9ef6',
};

/** Run under NCSDE_KERNELS=name (js: the TypeScript reference; wasm: the SIMD twins), restoring it after. */
function withKernels<T>(name: string, run: () => T): T {
  const saved = process.env.NCSDE_KERNELS;
  process.env.NCSDE_KERNELS = name;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.NCSDE_KERNELS;
    else process.env.NCSDE_KERNELS = saved;
  }
}

describe('golden hashes of fixed-seed runs', () => {
  if (process.env.GOLDEN_PRINT) {
    it('prints the table', () => {
      const table = Object.fromEntries(CASES.map(([name, run]) => [name, withKernels('js', run)]));
      console.log(JSON.stringify(table, null, 2));
    });
    return;
  }
  // Both kernel choices must give the recorded bits (the wasm twins are byte-identical by design).
  for (const kernels of ['js', 'wasm']) {
    for (const [name, run] of CASES) {
      it(`${name} (${kernels})`, () => {
        expect(GOLDEN[name], 'no golden hash recorded').toBeDefined();
        expect(withKernels(kernels, run)).toBe(GOLDEN[name]);
      });
    }
  }
  it('every recorded hash has a case', () => {
    expect(Object.keys(GOLDEN).sort()).toEqual(CASES.map(([n]) => n).sort());
  });
});
