// Every export a worker may be asked to call, by name, for hosts that cannot import modules by URL: a
// bundled page's Web Worker calls serveKernels(BLOCK_KERNELS), and the kernels then resolve their SDE,
// solver, sampler and architecture references (src/modules.ts) from the same table. A kernel or a
// reference builder added to the package must be listed here (test/explorer-bundle.test.ts checks it).
import { attentionSampler } from '../architectures/attention/samplers.js';
import { attentionSdeFromSpec } from '../architectures/attention/sdes.js';
import { attention, transformer } from '../architectures/attention/index.js';
import { mlp } from '../architectures/mlp/index.js';
import { sdeFromSpec } from '../architectures/mlp/sdes.js';
import { resnet } from '../architectures/resnet/index.js';
import { resnetSampler } from '../architectures/resnet/samplers.js';
import { mlpSampler } from '../networks/samplers.js';
import { sampleRangeByRef } from '../networks/skeleton.js';
import { integrateRangeByRef } from '../sde/integrate.js';
import { eulerMaruyama } from '../sde/solvers/eulerMaruyama.js';
import { ninomiyaVictoir } from '../sde/solvers/ninomiyaVictoir.js';

/** The block kernels and reference builders by name (names are unique across the package). */
export const BLOCK_KERNELS = {
  integrateRangeByRef,
  sampleRangeByRef,
  eulerMaruyama,
  ninomiyaVictoir,
  mlp,
  sdeFromSpec,
  mlpSampler,
  resnet,
  resnetSampler,
  attention,
  transformer,
  attentionSdeFromSpec,
  attentionSampler,
} as const;
