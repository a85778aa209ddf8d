// Worker threads for path- and sample-parallel kernels (a piscina pool). Work is split into ranges
// of path indices; since every path draws from its own (seed, index) stream, the assembled result is
// bit-identical to a single-threaded run whatever the thread count or chunk size.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { InputError } from './errors.js';

export interface WorkerPool {
  readonly threads: number;
  run<T>(task: WorkerTask): Promise<T>;
  close(): Promise<void>;
}

/** A task the worker entry point understands; `type` selects the kernel. */
export interface WorkerTask {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A pool of `threads` workers (default: all cores). Close it when done. */
export function createWorkerPool(threads = availableParallelism()): WorkerPool {
  if (!Number.isInteger(threads) || threads < 1) throw new InputError('threads', threads, 'must be an integer >= 1');
  // Running from TypeScript sources (tests, tsx) the worker is a .ts file and needs tsx's loader.
  const fromSource = import.meta.url.endsWith('.ts');
  const piscina = new Piscina({
    filename: new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    execArgv: fromSource ? ['--import', 'tsx'] : [],
  });
  return {
    threads,
    run: <T>(task: WorkerTask) => piscina.run(task) as Promise<T>,
    close: () => piscina.destroy(),
  };
}

/** Custom activations hold a function, which cannot cross to a worker: they run on one thread only. */
export function requireTransferable(spec: unknown, threads: number | WorkerPool | undefined): void {
  if (threads !== undefined && threads !== 1 && spec === null) {
    throw new InputError('threads', typeof threads === 'number' ? threads : threads.threads, 'must be 1 for a custom activation (its function cannot be sent to a worker)');
  }
}

/** Contiguous ranges covering [0, total), about four per thread so that uneven paths balance; a network
 *  sample can cost milliseconds, so even a handful of samples is split. */
export function splitRange(total: number, threads: number, minChunk = 1): Array<[number, number]> {
  const pieces = Math.max(1, Math.min(Math.ceil(total / minChunk), threads * 4));
  const size = Math.ceil(total / pieces);
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < total; start += size) ranges.push([start, Math.min(size, total - start)]);
  return ranges;
}

/**
 * Run `task(start, count)` over [0, total): inline when `threads` is 1 or absent, else on a pool
 * (a given pool is reused; a thread count makes a pool for this call). Chunks come back in order.
 */
export async function runRanges<T>(
  total: number,
  threads: number | WorkerPool | undefined,
  inline: (start: number, count: number) => T,
  remote: (start: number, count: number) => WorkerTask,
  onProgress?: (done: number, total: number) => void,
): Promise<Array<{ start: number; count: number; result: T }>> {
  if (threads === undefined || threads === 1) {
    const out: Array<{ start: number; count: number; result: T }> = [];
    for (const [start, count] of splitRange(total, 1, Math.max(16, Math.ceil(total / 20)))) {
      out.push({ start, count, result: inline(start, count) });
      onProgress?.(start + count, total);
    }
    return out;
  }
  const pool = typeof threads === 'number' ? createWorkerPool(threads) : threads;
  try {
    let done = 0;
    return await Promise.all(
      splitRange(total, pool.threads).map(async ([start, count]) => {
        const result = await pool.run<T>(remote(start, count));
        done += count;
        onProgress?.(done, total);
        return { start, count, result };
      }),
    );
  } finally {
    if (typeof threads === 'number') await pool.close();
  }
}
