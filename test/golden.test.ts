// Golden hashes of fixed-seed runs (the cases: test/helpers/golden.ts): every case under both kernel
// choices must give the recorded bits. A deliberate change: `npx tsx scripts/golden-print.ts` prints the table.
import { describe, expect, it } from 'vitest';
import { CASES, withKernels } from './helpers/golden.js';

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

describe('golden hashes of fixed-seed runs', () => {
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
