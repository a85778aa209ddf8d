// The worker-thread entry: a generic executor that imports a kernel module by URL and calls one of
// its exports with the task's arguments. Kernels are plain functions of plain data, so any of them
// (SDE solvers, the covariance chain, explicit weights) runs here without this file knowing them.
// A result's typed arrays are transferred to the calling thread, not copied.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { loadExport } from '../src/modules.js';
import type { WorkerTask } from '../src/parallel.js';

/** The buffers of a result's typed-array fields that own their whole buffer (each once). */
function ownBuffers(result: unknown): ArrayBuffer[] {
  if (result === null || typeof result !== 'object') return [];
  const buffers = new Set<ArrayBuffer>();
  for (const value of Object.values(result)) {
    if (
      ArrayBuffer.isView(value) &&
      value.buffer instanceof ArrayBuffer &&
      value.byteOffset === 0 &&
      value.byteLength === value.buffer.byteLength
    )
      buffers.add(value.buffer);
  }
  return [...buffers];
}

export default async function runTask(task: WorkerTask): Promise<unknown> {
  // The calling thread's choice of kernels (the bits are the same either way; the speed and the
  // reported settings.kernels are not).
  if (task.kernels !== undefined) process.env.NCSDE_KERNELS = task.kernels;
  const result = await (await loadExport(task.module, task.name))(...task.args);
  const buffers = ownBuffers(result);
  if (buffers.length === 0) return result;
  return move({ [transferableSymbol]: buffers, [valueSymbol]: result } as never);
}
