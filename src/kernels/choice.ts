// Which kernels run: the WebAssembly SIMD twins of the hot loops, or the TypeScript reference. The
// environment variable NCSDE_KERNELS=js|wasm chooses; unset, wasm runs wherever this engine validates
// the package's SIMD module. Both give the same bits, so the choice only changes speed.
import { InputError, requireChoice } from '../errors.js';
import { engineWasm, type WasmApi } from './engine.js';
import { wasmModule } from './module.js';

/** The kernels: `js`, the TypeScript reference, or `wasm`, its WebAssembly SIMD twins (the same bits). */
export type KernelsName = 'js' | 'wasm';
/** The values NCSDE_KERNELS accepts. */
export const KERNELS_NAMES: readonly KernelsName[] = ['js', 'wasm'];

/** NCSDE_KERNELS as set (undefined when unset or empty); read on every call, so a test may change it. */
function requestedKernels(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.NCSDE_KERNELS;
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The kernels in use: `wasm` or `js` (what every JSON output states as `settings.kernels`). A bad
 * NCSDE_KERNELS, or `wasm` on an engine without WebAssembly SIMD, is an InputError naming it.
 * Both arguments default to the environment and the engine; null means unset / no WebAssembly (tests).
 */
export function kernelsInUse(
  requested: string | null = requestedKernels() ?? null,
  wasm: WasmApi | null = engineWasm() ?? null,
): KernelsName {
  if (requested !== null) {
    const name = requireChoice('NCSDE_KERNELS', requested, KERNELS_NAMES);
    if (name === 'wasm' && wasmModule(wasm) === null)
      throw new InputError(
        'NCSDE_KERNELS',
        requested,
        'needs WebAssembly SIMD, which this JavaScript engine lacks (use js)',
      );
    return name;
  }
  return wasmModule(wasm) === null ? 'js' : 'wasm';
}
