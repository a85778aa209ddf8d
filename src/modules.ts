// A module reference: the plain-data name of a value that some module's export builds, so that a worker
// thread can rebuild an SDE, a solver, a sampler or an architecture from JSON. One loader serves the
// worker entry and every kernel that resolves references (TypeScript sources under tsx, or dist's ESM).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** `(await import(module))[name](...args)` builds the value; args are plain JSON. */
export interface ModuleRef {
  /** Module URL (see siblingModule in src/blocks.ts). */
  readonly module: string;
  /** Export name of the builder function. */
  readonly name: string;
  /** Arguments of the builder, plain JSON (they cross to worker threads). */
  readonly args: readonly unknown[];
}

const loaded = new Map<string, Record<string, unknown>>();

/** Load a module by URL once per thread. */
export async function loadModule(url: string): Promise<Record<string, unknown>> {
  let mod = loaded.get(url);
  if (!mod) {
    // From TypeScript sources (tests) tsx transpiles through its require hook, the only one it installs
    // in worker threads on Node 20; from dist the module is plain ESM.
    mod = url.endsWith('.ts') ? (createRequire(import.meta.url)(fileURLToPath(url)) as Record<string, unknown>) : ((await import(url)) as Record<string, unknown>);
    loaded.set(url, mod);
  }
  return mod;
}

/** The exported function `name` of a module. */
export async function loadExport(url: string, name: string): Promise<(...args: readonly unknown[]) => unknown> {
  const fn = (await loadModule(url))[name];
  if (typeof fn !== 'function') throw new Error(`${url} has no export ${JSON.stringify(name)}`);
  return fn as (...args: readonly unknown[]) => unknown;
}

/** Rebuild the value a reference names. */
export async function resolveRef<T>(ref: ModuleRef): Promise<T> {
  return (await loadExport(ref.module, ref.name))(...ref.args) as T;
}
