// A tile of lanes for the m x m kernels of src/batched.ts, laid out once, with its pure-arithmetic sums run
// by the TypeScript reference or, where the kernels in use are wasm, by their SIMD twins (asm/dense.ts) on
// buffers in the instance's memory: the same bits either way. The owner fills v / l / g through the views.
import { choleskyColumnSums, flowsTile, gramTile, noiseTile, row } from '../batched.js';
import { openWasmKernels } from './instance.js';

export interface DenseTile {
  readonly m: number;
  /** Lanes per tile (the stride of every buffer; a multiple of 8). */
  readonly w: number;
  /** Packed m x m matrices (m(m+1)/2 * w entries each): input / output, factors, normals or factors of flows. */
  readonly v: Float64Array;
  readonly l: Float64Array;
  readonly g: Float64Array;
  readonly kernels: 'js' | 'wasm';
  /** Column c's Cholesky sums from v into l (lanes [0, n) at least). */
  choleskySums(c: number, n: number): void;
  /** The Euler-Maruyama noise of l and g into v (lanes [0, n) at least). */
  noise(n: number, root: number): void;
  /** The lower triangle of l l^T into v. */
  gram(n: number): void;
  /** The noise directions' flows of lanes [u0, u1), factors in g. */
  flows(u0: number, u1: number, descending: boolean): void;
  /** WebAssembly only (null for js, where the term's own drift runs): the ReLU-like drift of v into g,
   *  clock * k (sqrt(1 - rho^2) - rho acos rho) sqrt(V^aa V^bb) off the diagonal, beta (V^aa)^2 on it. */
  readonly driftRelu: ((k: number, beta: number, clock: number) => void) | null;
  /** WebAssembly only: the ReLU-like drift flow of v in place (asm/dense.ts, flowRelu2x), the exponential
   *  midpoint's weights (decay, weight) over tau / 2 and tau. */
  readonly flowRelu: ((kappa: number, d0: number, w0: number, d1: number, w1: number) => void) | null;
  /** WebAssembly only: the splitting noise step of the tile (asm/dense.ts, splitNoiseTile8) from V in v and
   *  the normals in g, lanes [0, ascending) ascending and [ascending, n) descending, edge[a] set by the
   *  owner; the new V in v. */
  readonly split: {
    readonly edge: Float64Array;
    step(ascending: number, n: number, rootHalfH: number, rootH: number, tol: number): void;
  } | null;
  /** WebAssembly only, on a tile opened with the noise scratch: Euler-Maruyama's whole step with the
   *  ReLU-like drift (asm/dense.ts, eulerTile8) on x = v, the cached factor l and the normals g; the lanes'
   *  alive bytes in `alive`; `flags` (1: needs the term's per-lane policy) and the new factors come back. */
  readonly euler: {
    readonly alive: Uint8Array;
    readonly flags: Uint8Array;
    step(h: number, root: number, k: number, beta: number, clock: number, threshold: number, tol: number): void;
  } | null;
}

/** A tile of `w` lanes (a multiple of 8) of m x m matrices; `noise`: with the Euler-Maruyama scratch. */
export function openDenseTile(m: number, w: number, noise: boolean): DenseTile {
  const E = row(m);
  const lsSize = noise ? m * m * w : 0;
  const eulerSize = noise ? 2 * E * w * 8 + 2 * w : 0;
  const kernels = openWasmKernels((3 * E * w + 2 * lsSize + m) * 8 + eulerSize + 192);
  if (kernels === null) {
    const v = new Float64Array(E * w);
    const l = new Float64Array(E * w);
    const g = new Float64Array(E * w);
    const ls = new Float64Array(lsSize);
    return {
      m,
      w,
      v,
      l,
      g,
      kernels: 'js',
      choleskySums: (c, n) => choleskyColumnSums(v, l, m, w, n, c),
      noise: (n, root) => noiseTile(l, g, m, w, n, root, ls, v),
      gram: (n) => gramTile(l, m, w, n, v),
      flows: (u0, u1, descending) => flowsTile(l, g, m, w, u0, u1, descending),
      driftRelu: null,
      flowRelu: null,
      euler: null,
      split: null,
    };
  }
  const pv = kernels.alloc(E * w * 8);
  const pl = kernels.alloc(E * w * 8);
  const pg = kernels.alloc(E * w * 8);
  const pls = kernels.alloc(Math.max(8, lsSize * 8));
  // The full S of the noise (asm/dense.ts, noiseTile8), beside ls.
  const psf = kernels.alloc(Math.max(8, lsSize * 8));
  const x = kernels.exports;
  const euler = noise
    ? (() => {
        const pd = kernels.alloc(E * w * 8);
        const pn = kernels.alloc(E * w * 8);
        const pa = kernels.alloc(w);
        const pf = kernels.alloc(w);
        return {
          alive: kernels.u8(pa, w),
          flags: kernels.u8(pf, w),
          step: (h: number, root: number, k: number, beta: number, clock: number, threshold: number, tol: number) =>
            x.eulerTile8(pv, pl, pg, pls, psf, pd, pn, pa, pf, m, w, h, root, k, beta, clock, threshold, tol),
        };
      })()
    : null;
  const pe = kernels.alloc(m * 8);
  const split = {
    edge: kernels.f64(pe, m),
    step: (ascending: number, n: number, rootHalfH: number, rootH: number, tol: number) =>
      x.splitNoiseTile8(pv, pl, pg, pe, m, w, ascending, n, rootHalfH, rootH, tol),
  };
  return {
    m,
    w,
    v: kernels.f64(pv, E * w),
    l: kernels.f64(pl, E * w),
    g: kernels.f64(pg, E * w),
    kernels: 'wasm',
    choleskySums: (c) => x.choleskyColumnSums8(pv, pl, m, w, c),
    noise: (_n, root) => x.noiseTile8(pl, pg, m, w, root, pls, pv, psf),
    gram: () => x.gramTile8(pl, m, w, pv),
    flows: (u0, u1, descending) => x.flowsTile2(pl, pg, m, w, u0, u1, descending ? 1 : 0),
    driftRelu: (k, beta, clock) => x.driftRelu2x(pv, pg, m, w, k, beta, clock),
    flowRelu: (kappa, d0, w0, d1, w1) => x.flowRelu2x(pv, m, w, kappa, d0, w0, d1, w1),
    euler,
    split,
  };
}
