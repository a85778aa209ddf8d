// The m != 2 covariance term's hot methods over a whole block of lanes at once: the drift, the
// Euler-Maruyama noise, the settle's cone check and the splitting noise flows, tile by tile from the kernels
// of src/batched.ts (their sums in WebAssembly SIMD where the kernels in use are wasm), and where they are
// wasm, the solvers' whole steps inside WebAssembly one lane pair at a time (src/kernels/dense.ts,
// DenseBlock). Each lane gets the per-lane reference's operations in its order (the same bits,
// test/batched.test.ts); the lanes that need the rare per-lane code (a repair) are handed to it.
import { choleskyTile, scaleColumnTile, tileLanes } from '../../src/batched.js';
import { type DenseBlock, GROUP_PAIRS, openDenseTile } from '../../src/kernels/dense.js';
import { PSD_PIVOT_TOLERANCE } from '../../src/linalg.js';
import { exp } from '../../src/math/index.js';
import type { FusedEulerStep, LaneBook } from '../term.js';
import type { SettleLane } from './lanes.js';

/** What the block kernels share with the term (sde/terms/covariance.ts): its maths, cache and policy. */
export interface CovarianceMk {
  readonly m: number;
  readonly lanes: number;
  readonly threshold: number;
  /** Drift coefficients on the drift clock. */
  readonly beta: number;
  readonly offDiagonal: (vaa: number, vbb: number, vab: number) => number;
  /** offDiagonal is driftClock times the ReLU-like k (sqrt(1 - rho^2) - rho acos rho) sqrt(V^aa V^bb)
   *  (CovarianceDrift.reluLike): the WebAssembly kernels compute it from k. */
  readonly reluLike: { readonly k: number; readonly kappa: number } | null;
  readonly driftClock: number;
  readonly noiseClock: number;
  /** Cholesky factors kept from each settle (packed, structure of arrays) and the states they factor. */
  readonly chol: Float64Array;
  readonly factored: Float64Array;
  /** Where the kernels are wasm: the block in WebAssembly memory whose chol and fact are the two above. */
  readonly block: DenseBlock | null;
  /** The one settle policy for lane j (lanes.ts), for the lanes outside the cone. */
  readonly settleLane: SettleLane;
  /** Lane j's factor in the cache, recomputed when x is not the state last factored. */
  ensureFactor(x: Float64Array, j: number): void;
  /** The drift flow's exponential-midpoint weights over tau / 2 and tau (tau on the drift clock), where
   *  the gain is constant; null otherwise. */
  flowWeights(tau: number): { readonly half: FlowWeights; readonly full: FlowWeights } | null;
  /** The noise flows' constants for a step of h (real time; the term applies its noise clock). */
  noiseConstants(h: number): { readonly edge: Float64Array; readonly rootHalfH: number; readonly rootH: number };
}

export interface FlowWeights {
  readonly decay: number;
  readonly weight: number;
}

export interface CovarianceMkMethods {
  /** The ReLU-like drift flow over tauReal in WebAssembly (the bits of the term's driftFlow, where beta = 0);
   *  false where it does not apply (js kernels, another drift), and the term's own flow runs. */
  driftFlow(x: Float64Array, tauReal: number, book: LaneBook): boolean;
  drift(x: Float64Array, out: Float64Array, book: LaneBook): void;
  /** L S L^T sqrt(h) with `root` = sqrt(h) on the noise clock. */
  diffusion(x: Float64Array, g: Float64Array, root: number, out: Float64Array, book: LaneBook): void;
  settle(x: Float64Array, previous: Float64Array, t: number, book: LaneBook): void;
  /** The splitting solver's drift flow over tau (real time) and noise step in one pass over the block,
   *  where the block kernels run the ReLU-like flow (the term offers it where the diagonal does not move);
   *  false otherwise (sde/term.ts, CovarianceMkSteps). */
  splitStep(
    x: Float64Array,
    tau: number,
    g: Float64Array,
    coins: Int32Array | null,
    h: number,
    t: number,
    book: LaneBook,
  ): boolean;
  /** The splitting solver's noise step N_h over every alive lane: the directions' flows ascending where the
   *  lane's coin is 1 (or there are no coins), descending otherwise (sde/solvers/ninomiyaVictoir.ts). */
  noiseStep(x: Float64Array, g: Float64Array, coins: Int32Array | null, h: number, t: number, book: LaneBook): void;
  /** Euler-Maruyama's whole step in WebAssembly for a ReLU-like drift (null otherwise): the bits of the
   *  generic step (drift, diffusion, update, settle), the lanes in trouble handed to the per-lane policy. */
  readonly eulerStep: FusedEulerStep | null;
}

export function covarianceMk(term: CovarianceMk): CovarianceMkMethods {
  const { m, lanes: B, threshold, chol, factored } = term;
  const E = (m * (m + 1)) / 2;
  const diag = Int32Array.from({ length: m }, (_, a) => (a * (a + 3)) / 2);
  const check = new Float64Array(B);
  const maxDiag = new Float64Array(B);
  // One tile of lanes gathered from the block: the factor, the normals (or the flows' factors), a matrix in
  // and out, and the noise's m x m scratch, within about 2 MiB (an L2), measured faster at m = 32 than 1 MiB.
  const tile = openDenseTile(m, tileLanes((3 * E + m * m) * 8, B, 2 << 20), true);
  const { w, v: tv, l: tl, g: tg } = tile;
  const scratch = { fail: new Int32Array(w), inv: new Float64Array(w), unit: new Float64Array(w) };
  const order = new Int32Array(w);

  /** Lanes j0 + [0, n) of the block array src (or the lanes listed in `order`) into the tile array dst. */
  // A tile that is the whole block (w = B: small m) is the block's own layout: one copy each way.
  const whole = (j0: number, n: number) => j0 === 0 && n === B && w === B;
  const gather = (src: Float64Array, dst: Float64Array, j0: number, n: number, listed: boolean) => {
    if (!listed && whole(j0, n)) return dst.set(src.length === E * B ? src : src.subarray(0, E * B));
    for (let p = 0; p < E; p++) {
      const s = p * B;
      const d = p * w;
      if (listed) for (let u = 0; u < n; u++) dst[d + u] = src[s + order[u]];
      else for (let u = 0; u < n; u++) dst[d + u] = src[s + j0 + u];
    }
  };
  /** Tile lanes [0, n) of src into block lanes j0 + [0, n) of dst where keep[u] (else 0 when `zero`, else
   *  left as they are): one pass over the entries, contiguous in both. */
  const keep = new Uint8Array(w);
  const scatter = (src: Float64Array, dst: Float64Array, j0: number, n: number, zero: boolean) => {
    if (whole(j0, n)) {
      let all = true;
      for (let u = 0; u < n && all; u++) all = keep[u] === 1;
      if (all) return dst.set(src.length === E * B ? src : src.subarray(0, E * B));
    }
    for (let p = 0; p < E; p++) {
      const s = p * w;
      const d = p * B + j0;
      for (let u = 0; u < n; u++) {
        if (keep[u]) dst[d + u] = src[s + u];
        else if (zero) dst[d + u] = 0;
      }
    }
  };
  /** keep[u] = whether block lane j0 + u is alive. */
  const keepAlive = (alive: Uint8Array, j0: number, n: number) => {
    for (let u = 0; u < n; u++) keep[u] = alive[j0 + u];
  };
  /** Every alive lane of the tile with its factor in the cache (refactored where x is not the state it
   *  factors), as the diffusion needs; keep[u] = alive after. */
  const ensureTile = (x: Float64Array, alive: Uint8Array, j0: number, n: number) => {
    keepAlive(alive, j0, n);
    for (let p = 0; p < E; p++) {
      const q = p * B + j0;
      for (let u = 0; u < n; u++) if (keep[u] && factored[q + u] !== x[q + u]) keep[u] = 2;
    }
    for (let u = 0; u < n; u++) {
      if (keep[u] === 2) term.ensureFactor(x, j0 + u);
      keep[u] = alive[j0 + u];
    }
  };
  const block = term.block;
  /** The array a block step runs on: the block's own state where x is it (the solvers' state, from the
   *  term's allocateState), else X with x copied in (and copied back by the caller). */
  const onBlock = (b: DenseBlock, x: Float64Array) => {
    if (x === b.state) return b.state;
    b.X.set(x);
    return b.X;
  };
  /** Euler-Maruyama's whole step in WebAssembly: the pairs stepped (a stale factor refactored by the term
   *  and the group run again), the lanes in trouble handed to the per-lane policy with their state before
   *  the step, which the step leaves in G. */
  const eulerStep = (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => {
    const b = block!;
    const k = term.reluLike!.k;
    const root = Math.sqrt(term.noiseClock * h);
    const alive = book.alive;
    const v = onBlock(b, x);
    const own = v === b.state;
    b.G.set(g.length === E * B ? g : g.subarray(0, E * B));
    b.alive.set(alive);
    withFactors(b, v, (from, trusted) =>
      b.eulerStep(own, from, trusted, h, root, k, term.beta, term.driftClock, threshold, PSD_PIVOT_TOLERANCE),
    );
    for (let j = 0; j < B; j++) if (alive[j] && b.flags[j] === 1) term.settleLane(v, b.G, j, t, book);
    if (!own) x.set(v);
  };
  /** A block step on v run with its lanes' cached factors current: where it stops at a group with stale
   *  ones (flags = 2), the term refactors them and the step goes on from that group. */
  const withFactors = (b: DenseBlock, v: Float64Array, step: (from: number, trusted: boolean) => number) => {
    let from = 0;
    let trusted = false;
    for (;;) {
      from = step(from, trusted);
      if (from < 0) return;
      for (let j = from; j < Math.min(B, from + 2 * GROUP_PAIRS); j++) if (b.flags[j] === 2) term.ensureFactor(v, j);
      trusted = true;
    }
  };

  const factorTile = (n: number, clamp: boolean) =>
    choleskyTile(tv, tl, m, w, n, PSD_PIVOT_TOLERANCE, clamp, !clamp, scratch, (c) => tile.choleskySums(c, n));

  /** The splitting noise step of tile lanes [0, n) (V in tv, normals in tg; the new V into tv) from the
   *  TypeScript kernels: the reference of asm/dense.ts, splitBlock. */
  const noiseTileJs = (n: number, ascending: number, edge: Float64Array, rootHalfH: number, rootH: number) => {
    // V is in the cone by construction; a pivot below rounding level is taken as zero.
    factorTile(n, true);
    for (let a = 0; a < m; a++) scaleColumnTile(tl, m, w, n, a, edge[a]);
    // Each direction's factor per lane: exp(sqrt(h/2) z) on the diagonal, sqrt(h) z off it.
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        const q = ((a * (a + 1)) / 2 + b) * w;
        if (a === b) for (let u = 0; u < n; u++) tg[q + u] = exp(rootHalfH * tg[q + u]);
        else for (let u = 0; u < n; u++) tg[q + u] = rootH * tg[q + u];
      }
    }
    tile.flows(0, ascending, false);
    tile.flows(ascending, n, true);
    for (let a = 0; a < m; a++) scaleColumnTile(tl, m, w, n, a, edge[a]);
    tile.gram(n);
  };

  /** The splitting noise step in WebAssembly: lane pairs (j, j + 1), a pair whose lanes go different
   *  ways running both orders (asm/dense.ts, splitBlock); with `flow`, each pair's ReLU-like drift flow
   *  first (the bits of driftFlow's, lane by lane). */
  const noiseBlock = (
    b: DenseBlock,
    x: Float64Array,
    g: Float64Array,
    coins: Int32Array | null,
    h: number,
    t: number,
    book: LaneBook,
    flow: { kappa: number; d0: number; w0: number; d1: number; w1: number } | null,
  ) => {
    const { edge, rootHalfH, rootH } = term.noiseConstants(h);
    const alive = book.alive;
    b.alive.set(alive);
    if (coins === null) b.up.fill(1);
    else for (let j = 0; j < B; j++) b.up[j] = (coins[j >> 5] >>> (j & 31)) & 1;
    const v = onBlock(b, x);
    b.G.set(g.length === E * B ? g : g.subarray(0, E * B));
    b.edge.set(edge);
    b.splitStep(v === b.state, rootHalfH, rootH, PSD_PIVOT_TOLERANCE, threshold, flow);
    if (v !== x) x.set(v);
    for (let j = 0; j < B; j++) if (alive[j] && b.flags[j]) book.explode(j, t);
  };

  return {
    eulerStep: block !== null && term.reluLike !== null ? eulerStep : null,

    drift(x, out, book) {
      const alive = book.alive;
      const { beta, offDiagonal, reluLike } = term;
      if (reluLike !== null && tile.driftRelu !== null) {
        for (let j0 = 0; j0 < B; j0 += w) {
          const n = Math.min(w, B - j0);
          gather(x, tv, j0, n, false);
          tile.driftRelu(reluLike.k, beta, term.driftClock);
          keepAlive(alive, j0, n);
          scatter(tg, out, j0, n, true);
        }
        return;
      }
      for (let a = 0; a < m; a++) {
        const pa = diag[a] * B;
        for (let b = 0; b < a; b++) {
          const p = ((a * (a + 1)) / 2 + b) * B;
          const pb = diag[b] * B;
          for (let j = 0; j < B; j++) out[p + j] = alive[j] ? offDiagonal(x[pa + j], x[pb + j], x[p + j]) : 0;
        }
        for (let j = 0; j < B; j++) out[pa + j] = alive[j] ? beta * x[pa + j] * x[pa + j] : 0;
      }
    },

    driftFlow(x, tauReal, book) {
      const reluLike = term.reluLike;
      if (reluLike === null || tile.flowRelu === null) return false;
      const weights = term.flowWeights(term.driftClock * tauReal);
      if (weights === null) return false;
      const { half, full } = weights;
      const alive = book.alive;
      if (block !== null) {
        // The whole block in place (each lane's own operations), the lanes not alive kept aside in G (free
        // between steps) and put back.
        const v = onBlock(block, x);
        const G = block.G;
        for (let j = 0; j < B; j++) if (!alive[j]) for (let p = 0; p < E; p++) G[p * B + j] = v[p * B + j];
        block.flowRelu(v === block.state, reluLike.kappa, half.decay, half.weight, full.decay, full.weight);
        for (let j = 0; j < B; j++) if (!alive[j]) for (let p = 0; p < E; p++) v[p * B + j] = G[p * B + j];
        if (v !== x) x.set(v);
        return true;
      }
      for (let j0 = 0; j0 < B; j0 += w) {
        const n = Math.min(w, B - j0);
        gather(x, tv, j0, n, false);
        tile.flowRelu(reluLike.kappa, half.decay, half.weight, full.decay, full.weight);
        keepAlive(alive, j0, n);
        scatter(tv, x, j0, n, false);
      }
      return true;
    },

    diffusion(x, g, root, out, book) {
      const alive = book.alive;
      if (block !== null) {
        const v = onBlock(block, x);
        block.G.set(g.length === E * B ? g : g.subarray(0, E * B));
        block.alive.set(alive);
        withFactors(block, v, (from, trusted) => block.diffusionStep(v === block.state, from, trusted, root));
        out.set(block.G);
        return;
      }
      for (let j0 = 0; j0 < B; j0 += w) {
        const n = Math.min(w, B - j0);
        ensureTile(x, alive, j0, n);
        gather(chol, tl, j0, n, false);
        gather(g, tg, j0, n, false);
        tile.noise(n, root);
        scatter(tv, out, j0, n, true);
      }
    },

    settle(x, previous, t, book) {
      const alive = book.alive;
      // The policy of lanes.ts's laneSettler with its checks lane-vectorised: not finite or over the
      // threshold -> explode; else the cone check (the strict factorisation, kept in the cache); a lane
      // outside the cone goes to the per-lane policy, which repairs it.
      check.fill(0);
      maxDiag.fill(0);
      for (let p = 0; p < E; p++) for (let j = 0; j < B; j++) check[j] += x[p * B + j];
      for (let a = 0; a < m; a++) {
        const pa = diag[a] * B;
        for (let j = 0; j < B; j++) if (x[pa + j] > maxDiag[j]) maxDiag[j] = x[pa + j];
      }
      for (let j = 0; j < B; j++) {
        if (!alive[j]) continue;
        const c = check[j];
        if (!(c - c === 0) || maxDiag[j] > threshold) {
          if (!(c - c === 0)) for (let p = 0; p < E; p++) x[p * B + j] = previous[p * B + j];
          book.explode(j, t);
        }
      }
      if (block !== null) {
        const v = onBlock(block, x);
        block.alive.set(alive);
        block.settleStep(v === block.state, PSD_PIVOT_TOLERANCE);
        for (let j = 0; j < B; j++) if (alive[j] && block.flags[j]) term.settleLane(x, previous, j, t, book);
        return;
      }
      for (let j0 = 0; j0 < B; j0 += w) {
        const n = Math.min(w, B - j0);
        gather(x, tv, j0, n, false);
        factorTile(n, false);
        for (let u = 0; u < n; u++) keep[u] = alive[j0 + u] && scratch.fail[u] < 0 ? 1 : 0;
        scatter(tl, chol, j0, n, false);
        scatter(tv, factored, j0, n, false);
        for (let u = 0; u < n; u++)
          if (alive[j0 + u] && scratch.fail[u] >= 0) term.settleLane(x, previous, j0 + u, t, book);
      }
    },

    splitStep(x, tauReal, g, coins, h, t, book) {
      const reluLike = term.reluLike;
      if (block === null || reluLike === null) return false;
      const weights = term.flowWeights(term.driftClock * tauReal);
      if (weights === null) return false;
      const { half, full } = weights;
      noiseBlock(block, x, g, coins, h, t, book, {
        kappa: reluLike.kappa,
        d0: half.decay,
        w0: half.weight,
        d1: full.decay,
        w1: full.weight,
      });
      return true;
    },

    noiseStep(x, g, coins, h, t, book) {
      const alive = book.alive;
      if (block !== null) return noiseBlock(block, x, g, coins, h, t, book, null);
      const { edge, rootHalfH, rootH } = term.noiseConstants(h);
      for (let j0 = 0; j0 < B; j0 += w) {
        const j1 = Math.min(B, j0 + w);
        // The tile's alive lanes, those whose directions run ascending first.
        let n = 0;
        for (let j = j0; j < j1; j++)
          if (alive[j] && (coins === null || (coins[j >> 5] >>> (j & 31)) & 1)) order[n++] = j;
        const ascending = n;
        for (let j = j0; j < j1; j++)
          if (alive[j] && !(coins === null || (coins[j >> 5] >>> (j & 31)) & 1)) order[n++] = j;
        if (n === 0) continue;
        gather(x, tv, j0, n, true);
        gather(g, tg, j0, n, true);
        noiseTileJs(n, ascending, edge, rootHalfH, rootH);
        for (let p = 0; p < E; p++) {
          const s = p * w;
          const d = p * B;
          for (let u = 0; u < n; u++) x[d + order[u]] = tv[s + u];
        }
        for (let u = 0; u < n; u++) {
          let top = 0;
          for (let a = 0; a < m; a++) top = Math.max(top, tv[diag[a] * w + u]);
          if (top > threshold) book.explode(order[u], t);
        }
      }
    },
  };
}
