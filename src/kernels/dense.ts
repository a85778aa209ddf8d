// The m x m kernels of src/batched.ts on their data: a tile of lanes, laid out once, with its pure-arithmetic
// sums run by the TypeScript reference or, where the kernels in use are wasm, by their SIMD twins
// (asm/dense.ts) on buffers in the instance's memory; and, wasm only, a whole block of the integrator's
// lanes whose steps run one lane pair at a time inside WebAssembly. The same bits either way.
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
}

/** Entries of the noise's scratch per lane pair (ls: m rows of m rounded up to 4; S's strip needs less). */
const noiseScratch = (m: number) => m * (Math.ceil(m / 4) * 4);

/** A tile of `w` lanes (a multiple of 8) of m x m matrices; `noise`: with the Euler-Maruyama scratch. */
export function openDenseTile(m: number, w: number, noise: boolean): DenseTile {
  const E = row(m);
  const lsSize = noise ? m * m * w : 0;
  const pairScratch = noise ? noiseScratch(m) : 0;
  const kernels = openWasmKernels((3 * E * w + 4 * pairScratch + 4 * E) * 8 + 192);
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
    };
  }
  const pv = kernels.alloc(E * w * 8);
  const pl = kernels.alloc(E * w * 8);
  const pg = kernels.alloc(E * w * 8);
  const pls = kernels.alloc(Math.max(16, pairScratch * 16));
  const psf = kernels.alloc(Math.max(16, pairScratch * 16));
  // One lane pair's factor and directions, for a pair that flows cuts (asm/dense.ts, flowsTile2x).
  const pair = kernels.alloc(2 * E * 16);
  const x = kernels.exports;
  return {
    m,
    w,
    v: kernels.f64(pv, E * w),
    l: kernels.f64(pl, E * w),
    g: kernels.f64(pg, E * w),
    kernels: 'wasm',
    choleskySums: (c) => x.choleskyColumnSums2x(pv, pl, m, w, c),
    noise: (_n, root) => x.noiseTile2x(pl, pg, m, w, root, pls, psf, pv),
    gram: () => x.gramTile2x(pl, m, w, pv),
    flows: (u0, u1, descending) => x.flowsTile2x(pl, pg, m, w, u0, u1, descending ? 1 : 0, pair),
    driftRelu: (k, beta, clock) => x.driftRelu2x(pv, pg, m, w, k, beta, clock),
    flowRelu: (kappa, d0, w0, d1, w1) => x.flowRelu2x(pv, m, w, kappa, d0, w0, d1, w1),
  };
}

/**
 * A block of B lanes of packed m x m matrices in WebAssembly memory: the state X and the step's normals G
 * in the integrator's layout (entry p of lane j at p * B + j; copied in and out by the owner), and the
 * Cholesky cache that lives here, pair-major (entry p of lane j at cache(p, j): each lane pair's factors
 * contiguous, as the steps read them): chol, and the states it factors, fact. The steps run over lane
 * pairs (asm/dense.ts), gathered a group at a time into dense pairs, stepped and scattered back.
 */
export interface DenseBlock {
  readonly m: number;
  readonly lanes: number;
  /** The solvers' state array (the term's allocateState), on which the steps run in place when `own`;
   *  otherwise they run on X, which the owner copies the state into and back out of. */
  readonly state: Float64Array;
  readonly X: Float64Array;
  readonly G: Float64Array;
  readonly chol: Float64Array;
  readonly fact: Float64Array;
  /** Where entry p of lane j lies in chol and fact. */
  cache(p: number, j: number): number;
  /** Lane 0's entries of chol and fact copied to every lane. */
  broadcastCache(): void;
  /** One byte per lane: alive and the splitting directions (1: ascending) in, the steps' flags out. */
  readonly alive: Uint8Array;
  readonly up: Uint8Array;
  readonly flags: Uint8Array;
  /** The splitting step's edge[a] = exp(-(a + 1) h / 4). */
  readonly edge: Float64Array;
  /** Euler-Maruyama with the ReLU-like drift over the lane pairs from lane `from` (asm/dense.ts,
   *  eulerGroups): -1 when done, else the first lane of a group with flags = 2 (a stale factor) where
   *  nothing was done. */
  eulerStep(
    own: boolean,
    from: number,
    trusted: boolean,
    h: number,
    root: number,
    k: number,
    beta: number,
    clock: number,
    threshold: number,
    tol: number,
  ): number;
  /** The noise L S L^T root of the alive lanes (0 elsewhere) from the cached factors into G, with the
   *  stale-factor protocol of eulerStep (asm/dense.ts, diffusionGroups). */
  diffusionStep(own: boolean, from: number, trusted: boolean, root: number): number;
  /** The cone check of the alive lanes: the strict factor of X into the cache where it passes, flags = 1
   *  where it fails (asm/dense.ts, settleGroups). */
  settleStep(own: boolean, tol: number): void;
  /** The splitting noise step of the alive lanes (asm/dense.ts, splitBlock), each pair's ReLU-like drift
   *  flow first where `flow` gives its weights. */
  splitStep(
    own: boolean,
    rootHalfH: number,
    rootH: number,
    tol: number,
    threshold: number,
    flow: {
      readonly kappa: number;
      readonly d0: number;
      readonly w0: number;
      readonly d1: number;
      readonly w1: number;
    } | null,
  ): void;
  /** The ReLU-like drift flow of every lane in place (asm/dense.ts, flowRelu2x). */
  flowRelu(own: boolean, kappa: number, d0: number, w0: number, d1: number, w1: number): void;
}

/** Lane pairs gathered and stepped together: four (eight lanes, one cache line of each entry). */
export const GROUP_PAIRS = 4;
/** Up to this m, Euler-Maruyama's drift runs over the whole block at once (the lane loop inside), not pair
 *  by pair: measured faster where a pair's m(m-1)/2 entries are few. */
export const BLOCK_DRIFT_M = 16;

/** A block of `lanes` lanes of m x m matrices in WebAssembly; null where the kernels in use are js, or for
 *  an odd number of lanes (the steps go by lane pairs: the integrator's blocks are 64 lanes). */
export function openDenseBlock(m: number, lanes: number, group = GROUP_PAIRS): DenseBlock | null {
  if (lanes % 2 !== 0) return null;
  const E = row(m);
  const B = lanes;
  const scratch = noiseScratch(m);
  const pairBytes = E * 16;
  const blockDrift = m <= BLOCK_DRIFT_M;
  const kernels = openWasmKernels(
    (blockDrift ? 6 : 5) * E * B * 8 + (2 * group + 3) * pairBytes + 2 * scratch * 16 + m * 8 + 3 * B + 256,
  );
  if (kernels === null) return null;
  const pS = kernels.alloc(E * B * 8);
  const pX = kernels.alloc(E * B * 8);
  const pG = kernels.alloc(E * B * 8);
  const pChol = kernels.alloc(E * B * 8);
  const pFact = kernels.alloc(E * B * 8);
  const pAlive = kernels.alloc(B);
  const pUp = kernels.alloc(B);
  const pFlags = kernels.alloc(B);
  const pEdge = kernels.alloc(8 * m);
  const pv = kernels.alloc(group * pairBytes);
  const pl = kernels.alloc(pairBytes);
  const pg = kernels.alloc(group * pairBytes);
  const pd = kernels.alloc(pairBytes);
  const pn = kernels.alloc(pairBytes);
  const pls = kernels.alloc(scratch * 16);
  const psf = kernels.alloc(scratch * 16);
  const pD = blockDrift ? kernels.alloc(E * B * 8) : 0;
  const chol = kernels.f64(pChol, E * B);
  const fact = kernels.f64(pFact, E * B);
  const x = kernels.exports;
  return {
    m,
    lanes: B,
    state: kernels.f64(pS, E * B),
    X: kernels.f64(pX, E * B),
    G: kernels.f64(pG, E * B),
    chol,
    fact,
    alive: kernels.u8(pAlive, B),
    up: kernels.u8(pUp, B),
    flags: kernels.u8(pFlags, B),
    edge: kernels.f64(pEdge, m),
    cache: (p, j) => ((j >> 1) * E + p) * 2 + (j & 1),
    broadcastCache() {
      for (const a of [chol, fact]) {
        for (let p = 0; p < E; p++) a[2 * p + 1] = a[2 * p];
        for (let q = 1; q < B / 2; q++) a.copyWithin(2 * E * q, 0, 2 * E);
      }
    },
    eulerStep: (own, from, trusted, h, root, k, beta, clock, threshold, tol) =>
      x.eulerGroups(
        own ? pS : pX,
        pChol,
        pFact,
        pG,
        pAlive,
        pFlags,
        group,
        pv,
        pl,
        pg,
        pd,
        pn,
        pls,
        psf,
        pD,
        m,
        B,
        from,
        trusted ? 1 : 0,
        h,
        root,
        k,
        beta,
        clock,
        threshold,
        tol,
      ),
    diffusionStep: (own, from, trusted, root) =>
      x.diffusionGroups(
        own ? pS : pX,
        pChol,
        pFact,
        pG,
        pAlive,
        pFlags,
        group,
        pv,
        pg,
        pn,
        pls,
        psf,
        m,
        B,
        from,
        trusted ? 1 : 0,
        root,
      ),
    settleStep: (own, tol) => x.settleGroups(own ? pS : pX, pChol, pFact, pAlive, pFlags, group, pv, pl, m, B, tol),
    // The splitting step's factor and its second order (pl, pd) beside the group's V and normals.
    splitStep: (own, rootHalfH, rootH, tol, threshold, flow) =>
      x.splitBlock(
        own ? pS : pX,
        pG,
        pAlive,
        pUp,
        pFlags,
        group,
        pv,
        pl,
        pd,
        pg,
        pEdge,
        m,
        B,
        rootHalfH,
        rootH,
        tol,
        threshold,
        flow === null ? 0 : 1,
        flow?.kappa ?? 0,
        flow?.d0 ?? 0,
        flow?.w0 ?? 0,
        flow?.d1 ?? 0,
        flow?.w1 ?? 0,
      ),
    flowRelu: (own, kappa, d0, w0, d1, w1) => x.flowRelu2x(own ? pS : pX, m, B, kappa, d0, w0, d1, w1),
  };
}
