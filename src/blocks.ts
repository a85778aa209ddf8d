// The one skeleton every kernel runs in (SDE solvers, the covariance chain, explicit weights): items
// come in fixed-size blocks, block b draws from the stream (seed, purpose, b), and a kernel computes a
// contiguous range of whole blocks. Ranges run inline or on the platform's workers (Node's worker
// threads, a browser's Web Workers) and are assembled
// by position, so a result is bit-identical for any thread count and item p is the same whatever the
// total (blocks always simulate all their lanes; the last one is trimmed when written).
import { InputError } from './errors.js';
import { platform } from './platform.js';

export type TypedArray = Float64Array | Uint8Array | Int32Array | Uint32Array;
/** A kernel's output for `count` items: every field a typed array laid out (outer, count, inner). */
export type Chunk<C> = { [K in keyof C]: TypedArray };
/** How a field of a chunk is laid out around the item axis. */
export interface FieldLayout {
  readonly outer: number;
  readonly inner: number;
}

/** A kernel exported by a module: workers import `module` and call `name(job, start, count)` (which may
 *  return a promise: a kernel that first rebuilds values from their ModuleRefs); `run` is the same kernel
 *  on this thread. */
export interface KernelRef<J, C extends Chunk<C>> {
  readonly module: string;
  readonly name: string;
  readonly run: (job: J, start: number, count: number) => C;
}

export interface BlockRun<J, C extends Chunk<C>> {
  readonly kernel: KernelRef<J, C>;
  /** Plain data (it is structured-cloned to workers). */
  readonly job: J;
  readonly total: number;
  readonly blockSize: number;
  readonly layout: { readonly [K in keyof C]: FieldLayout };
  /** 1 (or absent): inline on this thread (on one worker when the platform says oneThreadOnWorker);
   *  more: the shared pool with that many tasks in flight. */
  readonly threads?: number;
  /** Absent when a worker can rebuild everything the job needs; else what it cannot (e.g. 'a custom
   *  activation (its function cannot be sent to a worker)'), named in the error for threads > 1. */
  readonly notPortable?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The URL of a module next to `importMetaUrl` (the caller's import.meta.url), with the caller's own
 *  extension, so that workers load .ts sources under tsx and .js files from dist alike. */
export function siblingModule(importMetaUrl: string, name: string): string {
  const ext = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, importMetaUrl).href;
}

/** Ranges [start, count) of whole blocks covering [0, total), about `pieces` of them. */
export function blockRanges(total: number, blockSize: number, pieces: number): Array<[number, number]> {
  const blocks = Math.ceil(total / blockSize);
  const perPiece = Math.max(1, Math.ceil(blocks / Math.max(1, pieces)));
  const out: Array<[number, number]> = [];
  for (let b = 0; b < blocks; b += perPiece) {
    const start = b * blockSize;
    out.push([start, Math.min(perPiece * blockSize, total - start)]);
  }
  return out;
}

/** Ranges a watched run is cut into (progress moves once per range). */
const WATCHED_RANGES = 20;

/** Run a kernel over every block on this thread (the one path for every synchronous call). */
export function runBlocksSync<J, C extends Chunk<C>>(run: Omit<BlockRun<J, C>, 'threads' | 'notPortable'>): C {
  const { kernel, job, total, blockSize } = run;
  const chunks: Array<{ start: number; count: number; result: C }> = [];
  // About WATCHED_RANGES ranges when someone watches progress, else one (each range rebuilds its kernel's
  // state); the ranges do not change the numbers.
  for (const [start, count] of blockRanges(total, blockSize, run.onProgress ? WATCHED_RANGES : 1)) {
    chunks.push({ start, count, result: kernel.run(job, start, count) });
    run.onProgress?.(start + count, total);
  }
  return assembleChunks(run.layout, chunks, total);
}

/** Run a kernel over every block and assemble its chunks into fields laid out (outer, total, inner). */
export async function runBlocks<J, C extends Chunk<C>>(run: BlockRun<J, C>): Promise<C> {
  const { kernel, job, total, blockSize } = run;
  const threads = run.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new InputError('threads', threads, 'must be an integer >= 1');
  if (threads !== 1 && run.notPortable !== undefined)
    throw new InputError('threads', threads, `must be 1 for ${run.notPortable}`);
  if (threads === 1 && (run.notPortable !== undefined || !platform().oneThreadOnWorker)) return runBlocksSync(run);
  // Watched work is cut finer (at least the inline path's ranges), so that progress and its ETA move.
  const ranges = blockRanges(total, blockSize, Math.max(threads * 4, run.onProgress ? WATCHED_RANGES : 1));
  let done = 0;
  const results = await platform().runTasks(
    threads,
    ranges.map(([start, count]) => ({ module: kernel.module, name: kernel.name, args: [job, start, count] })),
    (i) => {
      done += ranges[i][1];
      run.onProgress?.(done, total);
    },
  );
  return assembleChunks(
    run.layout,
    ranges.map(([start, count], i) => ({ start, count, result: results[i] as C })),
    total,
  );
}

/** Place each chunk's fields at their item offset. One chunk covering everything is used without a copy. */
export function assembleChunks<C extends Chunk<C>>(
  layout: { readonly [K in keyof C]: FieldLayout },
  chunks: ReadonlyArray<{ start: number; count: number; result: C }>,
  total: number,
): C {
  if (chunks.length === 1 && chunks[0].start === 0 && chunks[0].count === total) return chunks[0].result;
  const out = {} as Record<string, TypedArray>;
  for (const key of Object.keys(layout) as Array<keyof C>) {
    const { outer, inner } = layout[key];
    const sample = chunks[0].result[key] as TypedArray;
    const full = new (sample.constructor as new (n: number) => TypedArray)(outer * total * inner);
    for (const { start, count, result } of chunks) {
      const part = result[key] as TypedArray;
      for (let o = 0; o < outer; o++)
        full.set(part.subarray(o * count * inner, (o + 1) * count * inner) as never, (o * total + start) * inner);
    }
    out[key as string] = full;
  }
  return out as C;
}
