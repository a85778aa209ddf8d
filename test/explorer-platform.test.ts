// The browser platform without a browser: browserPlatform's Web Worker pool driven by stand-in workers
// that answer asynchronously and out of order, as real ones may. Results assembled by runBlocks must
// equal one thread's to the bit; a kernel's error must come back as an error; and the check has power:
// a pool that returned results out of task order would fail it.
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK_KERNELS } from '../entry/kernels.js';
import {
  constantSteps,
  saveAt,
  covarianceSde,
  ninomiyaVictoir,
  sampleNetworks,
  sampleNetworksSync,
  shapedRelu,
  solve,
  solveSync,
} from '../entry/index.js';
import { useBundledExports } from '../src/modules.js';
import { browserPlatform, nodePlatform, setPlatform, type Platform, type WorkerTask } from '../src/platform.js';

/** A stand-in Web Worker: runs the named kernel after a pseudo-random delay, so replies overtake each other.
 *  Like a bundled page's worker (serveKernels(BLOCK_KERNELS)) it resolves references from the table. */
function fakeWorker(log: string[]) {
  useBundledExports(BLOCK_KERNELS);
  let delay = 7;
  const worker = {
    onmessage: null as ((e: { data: unknown }) => void) | null,
    onerror: null as ((e: { message?: string }) => void) | null,
    postMessage(task: WorkerTask) {
      delay = (delay * 5 + 3) % 11;
      setTimeout(() => {
        log.push(task.name);
        // Kernels that resolve references are async, as serveKernels awaits them.
        const fn = BLOCK_KERNELS[task.name as keyof typeof BLOCK_KERNELS] as (...args: readonly unknown[]) => unknown;
        Promise.resolve()
          .then(() => fn(...task.args))
          .then(
            (result) => worker.onmessage?.({ data: { ok: true, result } }),
            (e) => worker.onmessage?.({ data: { ok: false, error: (e as Error).message } }),
          );
      }, delay);
    },
    terminate() {},
  };
  return worker;
}

const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const v0 = [
  [1, 0.3],
  [0.3, 1],
];

afterEach(() => {
  setPlatform(nodePlatform());
  useBundledExports(null);
});

describe('browserPlatform (stand-in Web Workers)', () => {
  it('solve and sampleNetworks on 3 workers equal one thread to the bit', async () => {
    const log: string[] = [];
    setPlatform(browserPlatform({ worker: () => fakeWorker(log) }));
    const options = {
      sde: covarianceSde(relu),
      solver: ninomiyaVictoir(),
      T: 1,
      saveAt: saveAt({ t1: true }),
      v0,
      stepping: constantSteps(8),
      paths: 1000,
      seed: 4,
    };
    const threaded = await solve({ ...options, threads: 3 });
    const single = solveSync(options);
    expect(log.filter((n) => n === 'integrateRangeByRef').length).toBeGreaterThan(3);
    expect(Buffer.from(threaded.values.data.buffer).equals(Buffer.from(single.values.data.buffer))).toBe(true);
    expect(threaded.status).toEqual(single.status);
    const net = { activation: relu, n: 16, T: 1, v0, samples: 300, seed: 4 };
    const a = await sampleNetworks({ ...net, threads: 3 });
    const b = sampleNetworksSync(net);
    expect(log).toContain('sampleRangeByRef');
    expect(Buffer.from(a.values.data.buffer).equals(Buffer.from(b.values.data.buffer))).toBe(true);
  });

  it('has power: a pool that returns two results out of task order breaks the bits', async () => {
    const honest = browserPlatform({ worker: () => fakeWorker([]) });
    // Same workers, but the first two results (equal-sized ranges) swapped: what a pool that kept
    // results in completion order would do when the second task finished first.
    const careless: Platform = {
      ...honest,
      runTasks: async (threads, tasks) => {
        const results = await honest.runTasks(threads, tasks);
        return [results[1], results[0], ...results.slice(2)];
      },
    };
    setPlatform(careless);
    const options = {
      sde: covarianceSde(relu),
      solver: ninomiyaVictoir(),
      T: 1,
      saveAt: saveAt({ t1: true }),
      v0,
      stepping: constantSteps(8),
      paths: 1000,
      seed: 4,
    };
    const threaded = await solve({ ...options, threads: 3 });
    const single = solveSync(options);
    expect(Buffer.from(threaded.values.data.buffer).equals(Buffer.from(single.values.data.buffer))).toBe(false);
  });

  it('a kernel error comes back as an error; cores and memory come from navigator', async () => {
    setPlatform(browserPlatform({ worker: () => fakeWorker([]) }));
    const p = browserPlatform({ worker: () => fakeWorker([]) });
    await expect(p.runTasks(2, [{ module: 'x', name: 'integrateRange', args: [{}, 0, 64] }])).rejects.toThrow();
    const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
    expect(p.cores()).toBe(Math.max(1, nav?.hardwareConcurrency ?? 1));
  });
});
