// The machine the package runs on, injected rather than imported: free memory, core count and a pool
// of threads for block kernels. Node's are read through src/nodeBuiltins.ts and the piscina pool is
// imported by a computed URL, so nothing here or above it imports a node: module or piscina and the
// root and validation entries bundle for a browser; a page may install its own Web Worker pool.
import { node, onNode } from './nodeBuiltins.js';
import { webWorkerPool, type WorkerPool, type WorkerTask } from './webWorkers.js';

export type { WorkerTask } from './webWorkers.js';

/** Memory a request may plan against: `bytes` and the words that say where the figure comes from. */
export interface MemoryFigure {
  readonly bytes: number;
  readonly what: string;
}

/** What the package needs from its host. */
export interface Platform {
  readonly name: string;
  /** Memory available to a request, or undefined when the host does not say (only the array limit applies). */
  memory(): MemoryFigure | undefined;
  /** Logical cores: the cap on threads. */
  cores(): number;
  /** Run block tasks on at most `threads` workers, results in task order. */
  runTasks(threads: number, tasks: readonly WorkerTask[], onDone?: (index: number) => void): Promise<unknown[]>;
  /** Stop the workers (a later runTasks starts new ones). */
  closeWorkers(): Promise<void>;
  /** One-thread block work goes to a worker too, so that this thread stays free for signals and progress
   *  (the CLI sets it; the numbers are the same either way). Absent: one thread runs inline. */
  readonly oneThreadOnWorker?: boolean;
}

interface PoolModule {
  runOnPool(threads: number, tasks: readonly WorkerTask[], onDone?: (index: number) => void): Promise<unknown[]>;
  closeSharedPool(): Promise<void>;
}

/** Node: os for memory and cores, the piscina pool of src/parallel.ts for threads. The pool module is
 *  imported by a computed URL on first use, so that bundlers for the browser never follow it. */
export function nodePlatform(options: { oneThreadOnWorker?: boolean } = {}): Platform {
  const os = node.os;
  const poolUrl = new URL(import.meta.url.endsWith('.ts') ? './parallel.ts' : './parallel.js', import.meta.url).href;
  let pool: Promise<PoolModule> | null = null;
  const load = () => (pool ??= import(/* @vite-ignore */ poolUrl) as Promise<PoolModule>);
  return {
    name: 'node',
    memory: () => ({ bytes: os.freemem(), what: 'free on this machine' }),
    cores: () => os.availableParallelism(),
    runTasks: async (threads, tasks, onDone) => (await load()).runOnPool(threads, tasks, onDone),
    closeWorkers: async () => {
      if (pool) await (await pool).closeSharedPool();
    },
    oneThreadOnWorker: options.oneThreadOnWorker ?? false,
  };
}

interface BrowserNavigator {
  readonly hardwareConcurrency?: number;
  /** Chromium: device memory in GiB, rounded and capped (8). */
  readonly deviceMemory?: number;
}

/** A browser (or any Web Worker host): navigator for cores and memory, Web Workers for threads.
 *  `worker` makes one worker running src/webWorkers.ts's serveKernels; by default the package's own
 *  entry/browserWorker.js next to this file, which imports kernels by module URL (unbundled ESM). */
export function browserPlatform(options: { worker?: () => unknown } = {}): Platform {
  const nav = (globalThis as { navigator?: BrowserNavigator }).navigator;
  const WorkerClass = (globalThis as { Worker?: new (url: URL, options: { type: 'module' }) => unknown }).Worker;
  const worker =
    options.worker ??
    (() => {
      if (!WorkerClass) throw new Error('threads > 1 need Web Workers, which this host lacks; use threads: 1');
      return new WorkerClass(new URL('../entry/browserWorker.js', import.meta.url), { type: 'module' });
    });
  let pool: WorkerPool | null = null;
  return {
    name: 'browser',
    memory: () =>
      nav?.deviceMemory
        ? { bytes: nav.deviceMemory * 2 ** 30, what: 'reported by this browser (navigator.deviceMemory)' }
        : undefined,
    cores: () => Math.max(1, nav?.hardwareConcurrency ?? 1),
    runTasks: (threads, tasks, onDone) => {
      if (!pool || pool.size < threads) {
        pool?.close();
        pool = webWorkerPool(threads, worker);
      }
      return pool.run(threads, tasks, onDone);
    },
    closeWorkers: async () => {
      pool?.close();
      pool = null;
    },
  };
}

let current: Platform | null = null;

/** The platform in use: the one installed by setPlatform, else Node's or the browser's by detection. */
export function platform(): Platform {
  return (current ??= onNode ? nodePlatform() : browserPlatform());
}

/** Install a platform (a page's own Web Worker pool, or limits of a host the package cannot see). */
export function setPlatform(next: Platform): void {
  const previous = current;
  current = next;
  if (previous && previous !== next) void previous.closeWorkers();
}

/** Close the shared worker pool now (a later threaded call starts a new one). */
export async function closeSharedPool(): Promise<void> {
  if (current) await current.closeWorkers();
}
