// One instance of the kernels with its own memory, laid out once by its owner (a sampler, a range of
// SDE blocks): no state is shared between owners, and the memory never grows after layout, so typed
// views taken at layout stay valid.
import { F, K, W } from '../random/ziggurat.js';
import { kernelsInUse } from './choice.js';
import { engineWasm, type WasmApi, type WasmMemory } from './engine.js';
import { wasmModule } from './module.js';

/** The kernels' exports (asm/index.ts); pointers are byte offsets into the instance's memory. */
export interface KernelExports {
  setTables(k: number, w: number, f: number): void;
  fillNormalsFinished(state: number, aux: number, out: number, count: number): void;
  fillWords(state: number, out: number, count: number): void;
  pairLayer(z: number, rows: number, l00: number, l10: number, l11: number, a: number, b: number, out: number): void;
  chainLayer(
    v: number,
    z: number,
    rows: number,
    m: number,
    tol: number,
    a: number,
    b: number,
    scale: number,
    work: number,
    chunk: number,
  ): number;
  mathMap(which: number, input: number, out: number, count: number): void;
  mathMap2(which: number, input: number, out: number, count: number): void;
  eulerRelu2x(
    x: number,
    chol: number,
    g: number,
    alive: number,
    lanes: number,
    h: number,
    root: number,
    root2: number,
    beta: number,
    kOff: number,
    threshold: number,
    troubled: number,
    before: number,
  ): number;
  diagonalNoise2x(
    x: number,
    g: number,
    alive: number,
    lanes: number,
    root: number,
    hn: number,
    threshold: number,
    exploded: number,
  ): number;
  splitRelu2x(
    x: number,
    g: number,
    coins: number,
    alive: number,
    lanes: number,
    tau: number,
    kappa: number,
    e0: number,
    e1: number,
    rootHalfH: number,
    rootH: number,
    threshold: number,
    exploded: number,
  ): number;
  choleskyColumnSums2x(v: number, l: number, m: number, w: number, c: number): void;
  noiseTile2x(l: number, g: number, m: number, w: number, root: number, ls: number, sf: number, out: number): void;
  gramTile2x(l: number, m: number, w: number, out: number): void;
  flowsTile2x(
    l: number,
    f: number,
    m: number,
    w: number,
    u0: number,
    u1: number,
    descending: number,
    pair: number,
  ): void;
  driftRelu2x(x: number, out: number, m: number, w: number, k: number, beta: number, clock: number): void;
  flowRelu2x(x: number, m: number, w: number, kappa: number, d0: number, w0: number, d1: number, w1: number): void;
  diffusionGroups(
    X: number,
    chol: number,
    fact: number,
    G: number,
    alive: number,
    flags: number,
    group: number,
    pv: number,
    pg: number,
    nz: number,
    ls: number,
    sf: number,
    m: number,
    B: number,
    from: number,
    trusted: number,
    root: number,
  ): number;
  settleGroups(
    X: number,
    chol: number,
    fact: number,
    alive: number,
    flags: number,
    group: number,
    pv: number,
    pl: number,
    m: number,
    B: number,
    tol: number,
  ): void;
  eulerGroups(
    X: number,
    chol: number,
    fact: number,
    G: number,
    alive: number,
    flags: number,
    group: number,
    pv: number,
    pl: number,
    pg: number,
    d: number,
    nz: number,
    ls: number,
    sf: number,
    D: number,
    m: number,
    B: number,
    from: number,
    trusted: number,
    h: number,
    root: number,
    k: number,
    beta: number,
    clock: number,
    threshold: number,
    tol: number,
  ): number;
  splitBlock(
    X: number,
    G: number,
    alive: number,
    up: number,
    flags: number,
    group: number,
    pv: number,
    l: number,
    l2: number,
    pg: number,
    edge: number,
    m: number,
    B: number,
    rootHalfH: number,
    rootH: number,
    tol: number,
    threshold: number,
    flow: number,
    kappa: number,
    d0: number,
    w0: number,
    d1: number,
    w1: number,
  ): void;
}

const PAGE = 65536;
// The first page is left to the module's own data; the tables follow.
const BASE = PAGE;

export class WasmKernels {
  readonly exports: KernelExports;
  readonly memory: WasmMemory;
  private top: number;

  /** An instance whose layout may use `bytes` bytes after the tables. */
  constructor(wasm: WasmApi, module: object, bytes: number) {
    const tables = 256 * 4 + 2 * 256 * 8;
    const pages = Math.ceil((BASE + tables + bytes + 64 * 16) / PAGE);
    this.memory = new wasm.Memory({ initial: pages });
    this.exports = new wasm.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
    this.top = BASE;
    const k = this.alloc(256 * 4);
    const w = this.alloc(256 * 8);
    const f = this.alloc(256 * 8);
    new Int32Array(this.memory.buffer, k, 256).set(K);
    new Float64Array(this.memory.buffer, w, 256).set(W);
    new Float64Array(this.memory.buffer, f, 256).set(F);
    this.exports.setTables(k, w, f);
  }

  /** `bytes` bytes of the instance's memory, 16-byte aligned (for v128 loads). */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = at + Math.ceil(bytes / 16) * 16;
    if (this.top > this.memory.buffer.byteLength)
      throw new RangeError('wasm kernels: layout exceeds the memory reserved for it');
    return at;
  }

  f64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }
}

/** A fresh instance with room for `bytes` bytes of layout, or null where the kernels in use are js. */
export function openWasmKernels(bytes: number): WasmKernels | null {
  if (kernelsInUse() !== 'wasm') return null;
  const wasm = engineWasm() ?? null;
  const module = wasmModule(wasm);
  return module === null || wasm === null ? null : new WasmKernels(wasm, module, bytes);
}
