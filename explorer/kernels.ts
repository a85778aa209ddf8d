// The kernel worker of the explorer bundle: serves the package's block kernels by name, the browser's
// counterpart of Node's worker threads (src/blocks.ts splits the work and assembles it by position).
import { BLOCK_KERNELS, serveKernels } from '../entry/index.js';

serveKernels(BLOCK_KERNELS);
