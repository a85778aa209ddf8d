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

/** The kernels' module for this engine, or null when it cannot validate or compile them. */
export function wasmModule(wasm: WasmApi | null = engineWasm() ?? null): object | null {
  if (wasm === null) return null;
  let module = compiled.get(wasm);
  if (module === undefined) {
    module = null;
    try {
      const bytes = decodeBase64(KERNELS_BASE64);
      if (wasm.validate(bytes)) module = new wasm.Module(bytes);
    } catch {
      module = null; // e.g. a browser's main thread refusing synchronous compilation of a large module
    }
    compiled.set(wasm, module);
  }
  return module;
}
