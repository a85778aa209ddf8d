// The exact covariance Markov chain (docs/maths.md, section 1): given V_l, the n rows of z_{l+1} are
// i.i.d. N(0, V_l), so V_{l+1} = (c/n) phi(G L^T)^T phi(G L^T) with L L^T = V_l. O(n m^2) work and
// n m normals per layer, the same law as the explicit network at O(n^2 m).
import type { FiniteActivation } from '../src/activations/index.js';
import { choleskyPsd } from '../src/linalg.js';
import { openWasmKernels, WasmNormals, wasmNormalsBytes, type WasmKernels } from '../src/kernels/index.js';
import { Xoshiro128pp } from '../src/random/xoshiro.js';
import type { RandomStream } from '../src/random/streams.js';
import { applyFeatures, finishGram, gramInto, storeGram2 } from './features.js';
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

/** The wasm twin of a layer's normals and pair pass (side 2) or rows pass (side >= 3, chainRows2x):
 *  normals drawn into the instance's memory, L transposed, the Gram sums and a row's scratch. */
interface WasmLayer {
  readonly kernels: WasmKernels;
  readonly normals: WasmNormals;
  /** Byte offsets of the Gram sums (3 for side 2, side x side beyond), L transposed and the row scratch. */
  readonly sums: number;
  readonly sumsView: Float64Array;
  readonly lt: number;
  readonly ltView: Float64Array;
  readonly y: number;
}

function openWasmLayer(count: number, side: number): WasmLayer | null {
  const kernels = openWasmKernels(wasmNormalsBytes(count) + (2 * side * side + side + 8) * 8 + 64);
  if (kernels === null) return null;
  const normals = new WasmNormals(kernels, count);
  const sums = kernels.alloc(Math.max(3, side * side) * 8);
  const lt = kernels.alloc(side * side * 8);
  const y = kernels.alloc((side + 2) * 8);
  return {
    kernels,
    normals,
    sums,
    sumsView: kernels.f64(sums, Math.max(3, side * side)),
    lt,
    ltView: kernels.f64(lt, side * side),
    y,
  };
}

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
  // Beyond two inputs, a piecewise-linear phi runs as one WebAssembly pass over the rows (the same sums).
  const rowsPass = side >= 3 && !job.derivatives && wasm !== null ? act.piecewise : null;
  return {
    start() {},
    layer(rng: RandomStream, v: Float64Array): number {
      // V is a Gram matrix (c/n) A^T A, PSD up to rounding: a pivot below rounding level counts as zero.
      choleskyPsd(v, side, l, 1e-12, true);
      if (wasm !== null && rng instanceof Xoshiro128pp) {
        wasm.normals.fill(rng, n * side);
        if (pair !== null) {
          wasm.kernels.exports.pairLayer(wasm.normals.ptr, n, l[0], l[2], l[3], pair.a, pair.b, wasm.sums);
          const s = wasm.sumsView;
          return storeGram2(s[0], s[1], s[2], scale, v);
        }
        if (rowsPass !== null) {
          const lt = wasm.ltView;
          for (let k = 0; k < side; k++) for (let a = 0; a < side; a++) lt[k * side + a] = a >= k ? l[a * side + k] : 0;
          wasm.kernels.exports.chainRows2x(
            wasm.normals.ptr,
            n,
            side,
            wasm.lt,
            rowsPass.a,
            rowsPass.b,
            wasm.y,
            wasm.sums,
          );
          v.set(wasm.sumsView.subarray(0, side * side));
          return finishGram(v, side, scale);
        }
      } else rng.fillNormals(z);
      if (pair !== null) return pairLayer(z, n, l, pair.a, pair.b, scale, v);
      correlateRows(z, n, side, l);
      applyFeatures(z, n, job.m, job.derivatives, act);
      return gramInto(z, n, side, scale, v);
    },
    logits(rng: RandomStream, v: Float64Array, out: Float64Array): void {
      // Given V_d, the logits z_out = sqrt(c/n) W_out phi(z_d) are i.i.d. N(0, V_d) rows.
      choleskyPsd(v, side, l, 1e-12, true);
      rng.fillNormals(out);
      correlateRows(out, job.outputs, side, l);
    },
  };
}
