// The process's one worker pool (piscina), created on first use, grown when a call asks for more
// threads, shared by every call, and closed when the process is about to exit. Workers run any
// exported kernel of the package by module URL and name, so this file knows no particular kernel.
import { InputError } from './errors.js';
import { kernelsInUse } from './kernels/choice.js';

import type { WorkerTask } from './webWorkers.js';

export type { WorkerTask } from './webWorkers.js';

interface Pool {
  readonly threads: number;
  run(task: WorkerTask): Promise<unknown>;
  close(): Promise<void>;
}

let shared: Pool | null = null;
let creating: Promise<Pool> | null = null;
let exitHookInstalled = false;

async function createPool(threads: number): Promise<Pool> {
  const { Piscina } = await import('piscina');
  // From TypeScript sources (tests, tsx) the worker entry is a .ts file and needs tsx's loader.
  const fromSource = import.meta.url.endsWith('.ts');
  const piscina = new Piscina({
    filename: new URL(fromSource ? '../entry/worker.ts' : '../entry/worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // Queue depth is bounded by the callers' own concurrency limit.
    maxQueue: 'auto',
    execArgv: fromSource ? ['--import', 'tsx'] : [],
  });
  return { threads, run: (task) => piscina.run(task), close: () => piscina.destroy() };
}

/** The shared pool with at least `threads` workers. */
export async function sharedPool(threads: number): Promise<Pool> {
  if (!Number.isInteger(threads) || threads < 1) throw new InputError('threads', threads, 'must be an integer >= 1');
  if (creating) await creating;
  if (shared && shared.threads >= threads) return shared;
  const previous = shared;
  creating = createPool(threads);
  shared = await creating;
  creating = null;
  if (previous) await previous.close();
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // An idle pool does not hold the event loop open, so 'beforeExit' comes; close it there.
    process.once('beforeExit', () => void closeSharedPool());
  }
  return shared;
}

/** Close the shared pool now (a later call creates a new one). */
export async function closeSharedPool(): Promise<void> {
  const pool = shared;
  shared = null;
  if (pool) await pool.close();
}

/** Run tasks on the shared pool with at most `threads` in flight, results in task order. */
export async function runOnPool(
  threads: number,
  tasks: readonly WorkerTask[],
  onDone?: (index: number) => void,
): Promise<unknown[]> {
  const pool = await sharedPool(threads);
  const kernels = kernelsInUse();
  const results = new Array<unknown>(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await pool.run({ ...tasks[i], kernels: tasks[i].kernels ?? kernels });
      onDone?.(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, tasks.length) }, lane));
  return results;
}
