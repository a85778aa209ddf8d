// Every export a worker may be asked to call, by name, for hosts that cannot import modules by URL: a
// bundled page's Web Worker calls serveKernels(BLOCK_KERNELS), and the kernels then resolve their SDE,
// solver, sampler and architecture references (src/modules.ts) from the same table. The architectures
// list their own builders in ARCHITECTURES, so a new architecture stays one folder and one table entry
// (test/explorer-bundle.test.ts checks that every reference the package makes is here, under its name).
import { ARCHITECTURES } from '../architectures/index.js';
import { sampleRangeByRef } from '../networks/skeleton.js';
import { integrateRangeByRef, summarizeRangeByRef } from '../sde/integrate.js';
import { SOLVERS } from '../sde/solvers/index.js';

type Builder = (...args: never[]) => unknown;

/** The block kernels, the solvers and every architecture's reference builders, by name (unique). */
export const BLOCK_KERNELS: Readonly<Record<string, Builder>> = Object.assign(
  { integrateRangeByRef, summarizeRangeByRef, sampleRangeByRef } as Record<string, Builder>,
  // Under the name each solver's own reference declares (a minifier may rename the functions themselves).
  ...Object.values(SOLVERS).map((make) => {
    const ref = make().ref;
    return ref ? { [ref.name]: make as Builder } : {};
  }),
  ...Object.values(ARCHITECTURES).map((entry) => entry.builders),
);
