// The compiled WebAssembly module of the kernels (asm/, embedded by scripts/build-wasm.mjs), compiled
// once per thread on first use; null where the engine has no WebAssembly or no v128 SIMD.
import { KERNELS_BASE64 } from './bytes.js';
import { engineWasm, type WasmApi } from './engine.js';

function decodeBase64(text: string): Uint8Array {
  const buffer = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (buffer) return new Uint8Array(buffer.from(text, 'base64'));
  const binary = (globalThis as unknown as { atob(s: string): string }).atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// A cache of an immutable value (the compiled code), keyed by the WebAssembly object it came from.
const compiled = new WeakMap<object, object | null>();

/**
 * The kernels' module for this engine, or null when it has no WebAssembly SIMD (or, in a browser's main
 * thread, refuses to compile synchronously: `prepareKernels()` compiles asynchronously beforehand).
 */
export function wasmModule(wasm: WasmApi | null = engineWasm() ?? null): object | null {
  if (wasm === null) return null;
  const known = compiled.get(wasm);
  if (known !== undefined) return known;
  const bytes = decodeBase64(KERNELS_BASE64);
  if (!wasm.validate(bytes)) {
    compiled.set(wasm, null);
    return null;
  }
  try {
    const module = new wasm.Module(bytes);
    compiled.set(wasm, module);
    return module;
  } catch {
    return null; // not cached: prepareKernels() may still compile it asynchronously
  }
}

/**
 * Compile the kernels asynchronously (for browsers, whose main thread may refuse a synchronous compile);
 * afterwards every sampler and solver on this thread can use them. Resolves to whether they are usable.
 */
export async function prepareKernels(wasm: WasmApi | null = engineWasm() ?? null): Promise<boolean> {
  if (wasm === null) return false;
  if (compiled.get(wasm)) return true;
  const bytes = decodeBase64(KERNELS_BASE64);
  if (!wasm.validate(bytes)) return false;
  compiled.set(wasm, await wasm.compile(bytes));
  return true;
}
