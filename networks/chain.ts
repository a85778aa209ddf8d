// The exact covariance Markov chain (docs/maths.md, section 1): given V_l, the n rows of z_{l+1} are
// i.i.d. N(0, V_l), so V_{l+1} = (c/n) phi(G L^T)^T phi(G L^T) with L L^T = V_l. O(n m^2) work and
// n m normals per layer, the same law as the explicit network at O(n^2 m).
import type { FiniteActivation } from '../src/activations/index.js';
import { choleskyPsd } from '../src/linalg.js';
import { openWasmKernels, WasmNormals, wasmNormalsBytes, type WasmKernels } from '../src/kernels/index.js';
import { Xoshiro128pp } from '../src/random/xoshiro.js';
import type { RandomStream } from '../src/random/streams.js';
import { applyFeatures, gramInto, storeGram2 } from './features.js';
import type { LayerSampler } from './sampler.js';
import { stateSide, type NetworkJob } from './job.js';

/** Rows of y = L g for each row g of buf (rows x side), in place: column a only needs g_k, k <= a. */
export function correlateRows(buf: Float64Array, rows: number, side: number, l: Float64Array): void {
  if (side === 1) {
    const l00 = l[0];
    for (let i = 0; i < rows; i++) buf[i] *= l00;
    return;
  }
  if (side === 2) {
    const l00 = l[0];
    const l10 = l[2];
    const l11 = l[3];
    for (let i = 0; i < 2 * rows; i += 2) {
      const g0 = buf[i];
      buf[i + 1] = l10 * g0 + l11 * buf[i + 1];
      buf[i] = l00 * g0;
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    const row = i * side;
    for (let a = side - 1; a >= 0; a--) {
      let acc = 0;
      for (let k = 0; k <= a; k++) acc += l[a * side + k] * buf[row + k];
      buf[row + a] = acc;
    }
  }
}

/**
 * correlateRows, phi = a x + b |x| and gramInto for side 2 in one pass over the normals, with the Gram
 * sums in registers: the same operations in the same order as the three separate passes, so the same bits.
 */
function pairLayer(
  z: Float64Array,
  rows: number,
  l: Float64Array,
  a: number,
  b: number,
  scale: number,
  v: Float64Array,
): number {
  const l00 = l[0];
  const l10 = l[2];
  const l11 = l[3];
  let s00 = 0;
  let s01 = 0;
  let s11 = 0;
  for (let i = 0; i < 2 * rows; i += 2) {
    const g0 = z[i];
    const y1 = l10 * g0 + l11 * z[i + 1];
    const y0 = l00 * g0;
    const p0 = a * y0 + b * Math.abs(y0);
    const p1 = a * y1 + b * Math.abs(y1);
    s00 += p0 * p0;
    s01 += p0 * p1;
    s11 += p1 * p1;
  }
  return storeGram2(s00, s01, s11, scale, v);
}

/** Rows per pass of chainLayer (side >= 3): a pass's y (rows x stride doubles, 16 KiB at m = 32) stays
 *  in the first-level cache while its Gram sums run over it. A multiple of four (the kernel's row block). */
const CHUNK_ROWS = 64;

/** The wasm twin of a layer: normals drawn into the instance's memory, then the pair pass (side 2, sums
 *  out) or chainLayer (side >= 3, V in place, with its work area). */
interface WasmLayer {
  readonly kernels: WasmKernels;
  readonly normals: WasmNormals;
  /** Byte offset and view of V (side x side), or for side 2 of the pair pass's three sums. */
  readonly v: number;
  readonly vView: Float64Array;
  /** Byte offset of chainLayer's work area. */
  readonly work: number;
}

function openWasmLayer(count: number, side: number): WasmLayer | null {
  const stride = (side + 3) & ~3;
  // chainLayer's work: L transposed (side x stride), the pivots, the sums (stride x stride) and y.
  const work = side >= 3 ? (side * stride + stride + stride * stride + CHUNK_ROWS * stride) * 8 : 0;
  const kernels = openWasmKernels(wasmNormalsBytes(count) + side * side * 8 + work + 2 * 16);
  if (kernels === null) return null;
  const normals = new WasmNormals(kernels, count);
  const v = kernels.alloc(Math.max(3, side * side) * 8);
  return {
    kernels,
    normals,
    v,
    vView: kernels.f64(v, Math.max(3, side * side)),
    work: kernels.alloc(work),
  };
}

/** V is a Gram matrix (c/n) A^T A, PSD up to rounding: a Cholesky pivot below this (relative to the largest
 *  diagonal entry) counts as zero and its column as zero. */
const PIVOT_TOLERANCE = 1e-12;

export function chainSampler(job: NetworkJob, act: FiniteActivation): LayerSampler {
  const side = stateSide(job);
  const n = job.n;
  const wasm = job.generator === 'xoshiro128++' ? openWasmLayer(n * side, side) : null;
  // With wasm kernels the normals live in the instance's memory and z is a view on them.
  const z = wasm !== null ? wasm.normals.values.subarray(0, n * side) : new Float64Array(n * side);
  const l = new Float64Array(side * side);
  const scale = act.c / n;
  // One pair of inputs through a piecewise-linear phi, the common case, runs as one fused pass.
  const pair = side === 2 && !job.derivatives ? act.piecewise : null;
  // Beyond two inputs, a piecewise-linear phi runs as the WebAssembly chainLayer (the same sums).
  const rowsPass = side >= 3 && !job.derivatives && wasm !== null ? act.piecewise : null;
  return {
    start() {},
    layer(rng: RandomStream, v: Float64Array): number {
      if (wasm !== null && rng instanceof Xoshiro128pp) {
        wasm.normals.fill(rng, n * side);
        if (rowsPass !== null) {
          // The Cholesky factor, the rows and the Gram sums in one call, in place on V in wasm memory.
          wasm.vView.set(v.subarray(0, side * side));
          const top = wasm.kernels.exports.chainLayer(
            wasm.v,
            wasm.normals.ptr,
            n,
            side,
            PIVOT_TOLERANCE,
            rowsPass.a,
            rowsPass.b,
            scale,
            wasm.work,
            CHUNK_ROWS,
          );
          v.set(wasm.vView);
          return top;
        }
        choleskyPsd(v, side, l, PIVOT_TOLERANCE, true);
        if (pair !== null) {
          wasm.kernels.exports.pairLayer(wasm.normals.ptr, n, l[0], l[2], l[3], pair.a, pair.b, wasm.v);
          const s = wasm.vView;
          return storeGram2(s[0], s[1], s[2], scale, v);
        }
      } else {
        rng.fillNormals(z);
        choleskyPsd(v, side, l, PIVOT_TOLERANCE, true);
      }
      if (pair !== null) return pairLayer(z, n, l, pair.a, pair.b, scale, v);
      correlateRows(z, n, side, l);
      applyFeatures(z, n, job.m, job.derivatives, act);
      return gramInto(z, n, side, scale, v);
    },
    logits(rng: RandomStream, v: Float64Array, out: Float64Array): void {
      // Given V_d, the logits z_out = sqrt(c/n) W_out phi(z_d) are i.i.d. N(0, V_d) rows.
      choleskyPsd(v, side, l, PIVOT_TOLERANCE, true);
      rng.fillNormals(out);
      correlateRows(out, job.outputs, side, l);
    },
  };
}
