// The worker-thread entry: a generic executor that imports a kernel module by URL and calls one of
// its exports with the task's arguments. Kernels are plain functions of plain data, so any of them
// (SDE solvers, the covariance chain, explicit weights) runs here without this file knowing them.
import { loadExport } from '../src/modules.js';
import type { WorkerTask } from '../src/parallel.js';

export default async function runTask(task: WorkerTask): Promise<unknown> {
  return (await loadExport(task.module, task.name))(...task.args);
}
