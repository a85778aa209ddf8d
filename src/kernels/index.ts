// The WebAssembly kernels: the choice (NCSDE_KERNELS), the per-owner instance, and the normal source.
export { kernelsInUse, KERNELS_NAMES, type KernelsName } from './choice.js';
export { prepareKernels } from './module.js';
export { openWasmKernels, WasmKernels, type KernelExports } from './instance.js';
export { WasmNormals, wasmNormalsBytes } from './normals.js';
