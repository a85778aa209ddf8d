// Run a test body under NCSDE_KERNELS=name (js: the TypeScript reference; wasm: the SIMD twins), restoring
// the variable after; the kernels are chosen per call, so one process checks both.
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
