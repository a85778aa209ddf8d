// The worker-thread entry: a generic executor that imports a kernel module by URL and calls one of
// its exports with the task's arguments. Kernels are plain functions of plain data, so any of them
// (SDE solvers, the covariance chain, explicit weights) runs here without this file knowing them.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { WorkerTask } from '../src/parallel.js';

const modules = new Map<string, Record<string, unknown>>();

async function load(url: string): Promise<Record<string, unknown>> {
  let mod = modules.get(url);
  if (!mod) {
    // From TypeScript sources (tests) tsx transpiles through its require hook, the only one it installs
    // in worker threads on Node 20; from dist the module is plain ESM.
    mod = url.endsWith('.ts') ? (createRequire(import.meta.url)(fileURLToPath(url)) as Record<string, unknown>) : ((await import(url)) as Record<string, unknown>);
    modules.set(url, mod);
  }
  return mod;
}

export default async function runTask(task: WorkerTask): Promise<unknown> {
  const fn = (await load(task.module))[task.name];
  if (typeof fn !== 'function') throw new Error(`worker: ${task.module} has no kernel ${JSON.stringify(task.name)}`);
  return (fn as (...args: readonly unknown[]) => unknown)(...task.args);
}
