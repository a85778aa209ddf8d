// Threads in a browser: a pool of Web Workers that runs the same block tasks as Node's pool (a kernel
// named by module and export, called on plain data), and the loop a worker runs to serve them. Results
// come back by position, so src/blocks.ts assembles them exactly as it does on Node.
import type { KernelsName } from './kernels/choice.js';
import { useBundledExports } from './modules.js';

/** A task for a worker: call `name` from `module` with `args`. */
export interface WorkerTask {
  readonly module: string;
  readonly name: string;
  readonly args: readonly unknown[];
  /** The calling thread's kernels (NCSDE_KERNELS), so that workers run the same ones. */
  readonly kernels?: KernelsName;
}

/** The part of a Web Worker the pool uses (the DOM types are not part of this package's build). */
export interface WebWorker {
  postMessage(message: unknown, transfer?: unknown[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}

export interface WorkerPool {
  readonly size: number;
  run(threads: number, tasks: readonly WorkerTask[], onDone?: (index: number) => void): Promise<unknown[]>;
  close(): void;
}

type Reply = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

/** `size` workers made by `create`, started on first use; each runs one task at a time. */
export function webWorkerPool(size: number, create: () => unknown): WorkerPool {
  const workers: WebWorker[] = [];
  let closed = false;
  const one = (w: WebWorker, task: WorkerTask) =>
    new Promise<unknown>((resolve, reject) => {
      w.onmessage = ({ data }) => {
        const reply = data as Reply;
        if (reply.ok) resolve(reply.result);
        else reject(new Error(reply.error));
      };
      w.onerror = (e) => reject(new Error(`worker: ${e.message ?? 'failed to load'}`));
      w.postMessage(task);
    });
  return {
    size,
    async run(threads, tasks, onDone) {
      if (closed) throw new Error('worker pool: closed');
      const lanes = Math.min(threads, size, tasks.length);
      while (workers.length < lanes) workers.push(create() as WebWorker);
      const results = new Array<unknown>(tasks.length);
      let next = 0;
      const lane = async (w: WebWorker) => {
        while (next < tasks.length) {
          const i = next++;
          results[i] = await one(w, tasks[i]);
          onDone?.(i);
        }
      };
      await Promise.all(workers.slice(0, lanes).map(lane));
      return results;
    },
    close() {
      closed = true;
      for (const w of workers) w.terminate();
      workers.length = 0;
    },
  };
}

/** The buffers of a result's typed arrays, moved rather than copied back to the page. */
function transferables(result: unknown): unknown[] {
  if (!result || typeof result !== 'object') return [];
  return Object.values(result as Record<string, unknown>).flatMap((v) => (ArrayBuffer.isView(v) ? [v.buffer] : []));
}

interface WorkerScope {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown, transfer?: unknown[]): void;
}

/**
 * Serve block tasks inside a Web Worker. With `kernels` (a bundle's table of exported kernels by name)
 * tasks call from it; without, the worker imports `task.module` by URL, as Node's worker does.
 */
export function serveKernels(kernels?: Readonly<Record<string, (...args: never[]) => unknown>>): void {
  const scope = globalThis as unknown as WorkerScope;
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  // Kernels resolve their SDE, solver and sampler references from the same table.
  if (kernels) useBundledExports(kernels);
  const find = async (task: WorkerTask): Promise<unknown> => {
    if (kernels) return kernels[task.name];
    let mod = modules.get(task.module);
    if (!mod)
      modules.set(task.module, (mod = import(/* @vite-ignore */ task.module) as Promise<Record<string, unknown>>));
    return (await mod)[task.name];
  };
  scope.onmessage = async ({ data }) => {
    const task = data as WorkerTask;
    try {
      const fn = await find(task);
      if (typeof fn !== 'function') throw new Error(`worker: no kernel ${JSON.stringify(task.name)} in ${task.module}`);
      // Kernels that resolve references are async.
      const result = await (fn as (...args: readonly unknown[]) => unknown)(...task.args);
      scope.postMessage({ ok: true, result }, transferables(result));
    } catch (e) {
      scope.postMessage({ ok: false, error: (e as Error).message ?? String(e) });
    }
  };
}
