// Node's fs, path, os and crypto for the code that writes files (reports, scans) and for the Node
// platform, reached through process.getBuiltinModule rather than imported, so that modules using them
// still bundle for a browser; there they are stand-ins whose functions say that files need Node.
// Kept apart from src/platform.ts so that no public type declaration refers to @types/node.
import type * as NodeCrypto from 'node:crypto';
import type * as NodeFs from 'node:fs';
import type * as NodeOs from 'node:os';
import type * as NodePath from 'node:path';

/** The Node modules that file-writing code (scans, reports) uses. */
export interface NodeBuiltins {
  readonly fs: typeof NodeFs;
  readonly path: typeof NodePath;
  readonly os: typeof NodeOs;
  readonly crypto: typeof NodeCrypto;
}

interface NodeProcess {
  readonly versions?: { readonly node?: string };
  readonly getBuiltinModule?: (id: string) => unknown;
}

const nodeProcess = (globalThis as { process?: NodeProcess }).process;

/** True under Node (not in a browser or a Web Worker). */
export const onNode = typeof nodeProcess?.versions?.node === 'string';

/** A Node built-in module by id (Node >= 20.16); throws outside Node. */
export function builtin<T>(id: string): T {
  const get = nodeProcess?.getBuiltinModule;
  if (!get) throw new Error(`neural-covariance-sde needs Node >= 20.16 (process.getBuiltinModule) to load ${id}`);
  return get(id) as T;
}

/** Stand-in for a Node module in a browser: loading works, calling any of its functions says why not. */
function unavailable<T>(id: string): T {
  return new Proxy(
    {},
    {
      get: (_, key) => () => {
        throw new Error(`${id}.${String(key)} is not available here: reading and writing files needs Node`);
      },
    },
  ) as T;
}

/** Node's fs, path, os and crypto, or stand-ins that throw when used outside Node. */
export const node: NodeBuiltins = onNode
  ? { fs: builtin('node:fs'), path: builtin('node:path'), os: builtin('node:os'), crypto: builtin('node:crypto') }
  : {
      fs: unavailable('node:fs'),
      path: unavailable('node:path'),
      os: unavailable('node:os'),
      crypto: unavailable('node:crypto'),
    };
