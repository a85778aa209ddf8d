// The part of the engine's WebAssembly API the kernels use, typed here so that the package compiles
// (and its declarations stay usable) without the DOM library or Node's globals.

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

/** The engine's WebAssembly object, undefined where it has none. */
export function engineWasm(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
