// Every block kernel by the name runBlocks sends to workers, for hosts that cannot import kernel
// modules by URL: a bundled page's Web Worker calls serveKernels(BLOCK_KERNELS). A kernel added to
// sde/ or networks/ must be listed here (test/explorer-bundle.test.ts checks it).
import { sampleRange } from '../networks/range.js';
import { integrateRange } from '../sde/integrate.js';

/** The block kernels by name: the SDE integrator and the network sampler. */
export const BLOCK_KERNELS = { integrateRange, sampleRange } as const;
