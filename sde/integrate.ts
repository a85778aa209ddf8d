// The integration loop: paths in blocks of SDE_BLOCK lanes (structure of arrays), block b driven by the
// streams (seed, purpose, b) and (seed, purpose + '/coins', b). It draws each step's normals, hands them
// to the solver, saves, and records per-path status; it knows nothing about any particular solver.
// Path p is lane p mod 64 of block floor(p / 64) whatever the total or the thread count. A block's saves go
// either into the (saves, paths, m, m) tensor or, with keep 'summary', into the summary's moments of
// that block (src/summary.ts), so that no tensor is made.
import type { ActivationSpec } from '../src/activations/index.js';
import { resolveRef, type ModuleRef } from '../src/modules.js';
import { openWasmKernels, WasmNormals, wasmNormalsBytes } from '../src/kernels/index.js';
import { openStream, PURPOSES, type GeneratorName } from '../src/random/streams.js';
import { PATH_EXPLODED } from '../src/results.js';
import { blockMoments, crossedByTime, momentSizes, SUMMARY_BLOCK, type MomentLayout } from '../src/summary.js';
import type { Xoshiro128pp } from '../src/random/xoshiro.js';
import type { Sde } from './sde.js';
import type { Solver } from './solvers/solver.js';
import { LaneBook, type Term } from './term.js';

/** Lanes per block: paths that share a stream and are stepped together. */
export const SDE_BLOCK = 64;

/** What a solve returns: every path's value at every save ('paths'), or only the summary ('summary'). */
export type Keep = 'paths' | 'summary';
/** The choices of `keep`, the first the default. */
export const KEEP_CHOICES: readonly Keep[] = ['paths', 'summary'];

/** Everything a kernel needs, as plain data (it crosses to worker threads). */
export interface SdeJob {
  /** The SDE's name ('covariance', ...) and shape, for the solution. */
  readonly kind: string;
  readonly shape: Sde['shape'];
  /** For settings; null for a custom activation. */
  readonly activation: ActivationSpec | null;
  /** Rebuild the SDE and the solver in workers; null: the calling thread only. */
  readonly sdeRef: ModuleRef | null;
  readonly solverRef: ModuleRef | null;
  /** The solver's name, for settings. */
  readonly solver: string;
  /** Side of the matrix; 1 for the scalar SDEs. */
  readonly m: number;
  /** Initial value, flat m x m (scalar SDEs: one entry). */
  readonly v0: readonly number[];
  readonly t1: number;
  readonly steps: number;
  /** Brownian increments over [0, t1]; a multiple of `steps`. */
  readonly resolution: number;
  /** Step indices at which to save, increasing. */
  readonly saveSteps: readonly number[];
  /** Explosion threshold on max_a V^aa (Infinity: none). */
  readonly threshold: number;
  readonly seed: number;
  readonly purpose: string;
  readonly generator: GeneratorName;
  /** What the solve returns (the kernels: integrateRange for 'paths', summarizeRange for 'summary'). */
  readonly keep: Keep;
}

/** Per-path bookkeeping of `count` paths, kept in both modes. */
export interface PathRecord {
  status: Uint8Array;
  /** Time of explosion; -1 for paths that did not explode. */
  explosionTime: Float64Array;
  repairs: Uint32Array;
  /** Most negative eigenvalue (or overshoot) removed by a repair; 0 when none. */
  worstRepair: Float64Array;
}

/** Per-path output for `count` paths; values laid out (saves, count, outputSize). */
export interface SdeChunk extends PathRecord {
  values: Float64Array;
}

/** The summary-only output for `count` paths: the moments of each of its blocks in block order (each
 *  momentSizes(summaryLayout(job)).size long; empty when they were handed to a fold instead). */
export interface SdeSummaryChunk extends PathRecord {
  partials: Float64Array;
}

/** Save times k T / steps. */
export function saveTimes(job: SdeJob): Float64Array {
  return Float64Array.from(job.saveSteps, (k) => (k * job.t1) / job.steps);
}

/** The layout of a job's summary moments: the m x m tables (1 x 1 for a scalar SDE), per save. */
export function summaryLayout(job: SdeJob): MomentLayout {
  const side = job.shape === 'matrix' ? job.m : 1;
  return { saves: job.saveSteps.length, side, m: side, correlation: job.kind === 'correlation' };
}

/** The worker's kernel: rebuild the SDE and the solver from their references, then integrate. */
export async function integrateRangeByRef(job: SdeJob, start: number, count: number): Promise<SdeChunk> {
  if (!job.sdeRef || !job.solverRef)
    throw new Error('integrateRangeByRef: the job has no module references (it runs on one thread)');
  const [sde, solver] = await Promise.all([resolveRef<Sde>(job.sdeRef), resolveRef<Solver>(job.solverRef)]);
  return integrateRange(job, start, count, sde, solver);
}

/** The worker's summary kernel: rebuild the SDE and the solver from their references, then summarize. */
export async function summarizeRangeByRef(job: SdeJob, start: number, count: number): Promise<SdeSummaryChunk> {
  if (!job.sdeRef || !job.solverRef)
    throw new Error('summarizeRangeByRef: the job has no module references (it runs on one thread)');
  const [sde, solver] = await Promise.all([resolveRef<Sde>(job.sdeRef), resolveRef<Solver>(job.solverRef)]);
  return summarizeRange(job, start, count, sde, solver);
}

/** A wasm normal source of `capacity` normals in its own instance; null where the kernels in use are js. */
function openWasmNormals(capacity: number): WasmNormals | null {
  const kernels = openWasmKernels(wasmNormalsBytes(capacity));
  return kernels === null ? null : new WasmNormals(kernels, capacity);
}

function pathRecord(count: number): PathRecord {
  return {
    status: new Uint8Array(count),
    explosionTime: new Float64Array(count),
    repairs: new Uint32Array(count),
    worstRepair: new Float64Array(count),
  };
}

function recordLanes(record: PathRecord, book: LaneBook, lanes: number, offset: number): void {
  record.status.set(book.status.subarray(0, lanes), offset);
  record.explosionTime.set(book.explosionTime.subarray(0, lanes), offset);
  record.repairs.set(book.repairs.subarray(0, lanes), offset);
  record.worstRepair.set(book.worstRepair.subarray(0, lanes), offset);
}

/** Where a block's values go: `save` at each save (x holds every lane), `end` after its last step. */
interface BlockSink {
  save(save: number, x: Float64Array, lanes: number, offset: number): void;
  end(book: LaneBook, lanes: number, offset: number): void;
}

/**
 * Integrate paths [start, start + count) of a job (start a multiple of SDE_BLOCK) with the SDE's term and
 * the solver, every path's value at every save kept; `term` replaces the SDE's term (tests).
 */
export function integrateRange(
  job: SdeJob,
  start: number,
  count: number,
  sde: Sde,
  solver: Solver,
  term?: Term,
): SdeChunk {
  const blockTerm = term ?? sde.term(SDE_BLOCK, job.v0, job.m, job.threshold);
  const out = blockTerm.outputSize;
  const chunk: SdeChunk = { values: new Float64Array(job.saveSteps.length * count * out), ...pathRecord(count) };
  integrateBlocks(job, start, count, solver, blockTerm, {
    save: (save, x, lanes, offset) => {
      for (let j = 0; j < lanes; j++) blockTerm.write(x, j, chunk.values, (save * count + offset + j) * out);
    },
    end: (book, lanes, offset) => recordLanes(chunk, book, lanes, offset),
  });
  return chunk;
}

/**
 * Integrate paths [start, start + count) keeping only the summary: each block's saves go into a buffer
 * of that block (saves x 64 x m(m+1)/2 numbers: which paths are left out is known only at the end), whose
 * moments (src/summary.ts blockMoments) are handed to `fold` in block order, or, without `fold`, returned
 * one block after another in `partials`. No (saves, paths, m, m) array is made.
 */
export function summarizeRange(
  job: SdeJob,
  start: number,
  count: number,
  sde: Sde,
  solver: Solver,
  fold?: (moments: Float64Array) => void,
): SdeSummaryChunk {
  const B = SDE_BLOCK;
  if (B !== SUMMARY_BLOCK) throw new Error('summarizeRange: the SDE block and the summary block differ');
  const term = sde.term(B, job.v0, job.m, job.threshold);
  const layout = summaryLayout(job);
  const { side } = layout;
  const { entries, size } = momentSizes(layout);
  const chunk: SdeSummaryChunk = {
    partials: new Float64Array(fold ? 0 : Math.ceil(count / B) * size),
    ...pathRecord(count),
  };
  const buffer = new Float64Array(layout.saves * entries * B);
  const value = new Float64Array(term.outputSize);
  const own = fold ? new Float64Array(size) : null;
  const kept = new Uint8Array(B);
  const ts = saveTimes(job);
  const level = Number.isFinite(job.threshold) ? job.threshold : null;
  integrateBlocks(job, start, count, solver, term, {
    save: (save, x, lanes) => {
      for (let j = 0; j < lanes; j++) {
        term.write(x, j, value, 0);
        // Entries in upperIndex order: row a from its diagonal on.
        for (let a = 0, e = save * entries; a < side; a++)
          for (let b = a; b < side; b++, e++) buffer[e * B + j] = value[a * side + b];
      }
    },
    end: (book, lanes, offset) => {
      recordLanes(chunk, book, lanes, offset);
      for (let j = 0; j < lanes; j++) kept[j] = book.status[j] !== PATH_EXPLODED ? 1 : 0;
      const block = offset / B;
      const moments = own ?? chunk.partials.subarray(block * size, (block + 1) * size);
      const crossed = (s: number, j: number) =>
        book.status[j] === PATH_EXPLODED && crossedByTime(book.explosionTime[j], ts[s]);
      blockMoments(layout, buffer, lanes, kept, crossed, level, moments);
      fold?.(moments);
    },
  });
  return chunk;
}

/** The integration loop over the blocks of [start, start + count), each block's saves and end to `sink`. */
function integrateBlocks(job: SdeJob, start: number, count: number, solver: Solver, term: Term, sink: BlockSink): void {
  const B = SDE_BLOCK;
  const saves = job.saveSteps;
  const nSaves = saves.length;
  const h = job.t1 / job.steps;
  const sub = job.resolution / job.steps;
  const perStep = term.noise * B;
  // Normals for several steps per call into the generator; the stream order is the same whatever the split.
  const stepsPerFill = Math.max(1, Math.floor(8192 / (perStep * sub)));
  // With wasm kernels the normals are drawn in WebAssembly into the instance's memory (the same numbers).
  const wasm = job.generator === 'xoshiro128++' ? openWasmNormals(stepsPerFill * sub * perStep) : null;
  const raw = wasm !== null ? wasm.values : new Float64Array(stepsPerFill * sub * perStep);
  // Each step's slice of raw, made once (a view per step measured 2-3% of a run in garbage).
  const slices = Array.from({ length: stepsPerFill }, (_, slot) => raw.subarray(slot * perStep, (slot + 1) * perStep));
  const g = sub === 1 ? raw : new Float64Array(perStep);
  const gScale = 1 / Math.sqrt(sub);
  const coins = new Int32Array(Math.ceil(B / 32));
  const observed = new Float64Array(term.dimension * B);
  const book = new LaneBook(B);
  const useCoins = solver.needsCoins(term);

  for (let first = start; first < start + count; first += B) {
    const block = first / B;
    const lanes = Math.min(B, start + count - first);
    const offset = first - start;
    const normals = openStream(job.seed, job.purpose, block, job.generator);
    const coinStream = useCoins ? openStream(job.seed, job.purpose + PURPOSES.coins, block, job.generator) : null;
    book.reset();
    const state = solver.init(term, book);
    const write = (save: number, x: Float64Array) => sink.save(save, x, lanes, offset);
    let next = 0;
    while (next < nSaves && saves[next] === 0) write(next++, state.x);
    for (let k = 0; k < job.steps; k++) {
      const slot = k % stepsPerFill;
      if (slot === 0) {
        const fill = Math.min(stepsPerFill, job.steps - k) * sub * perStep;
        if (wasm !== null) wasm.fill(normals as Xoshiro128pp, fill);
        else normals.fillNormals(raw, 0, fill);
      }
      let step: Float64Array;
      if (sub === 1) step = slices[slot];
      else {
        // The step's normal is the normalised sum of its finer Brownian increments.
        const base = slot * sub * perStep;
        for (let i = 0; i < perStep; i++) {
          let z = 0;
          for (let r = 0; r < sub; r++) z += raw[base + r * perStep + i];
          g[i] = z * gScale;
        }
        step = g;
      }
      if (coinStream) coinStream.fillInt32(coins);
      solver.step(term, state, step, coinStream ? coins : null, k * h, h, book);
      if (next < nSaves && saves[next] === k + 1 && k + 1 < job.steps) {
        solver.observe(term, state, observed, (k + 1) * h, h, book);
        while (next < nSaves && saves[next] === k + 1) write(next++, observed);
      }
    }
    solver.finish(term, state, job.t1, h, book);
    while (next < nSaves) write(next++, state.x);
    sink.end(book, lanes, offset);
  }
}
