// The core runs in a browser: the root and ./validation entries bundle with esbuild for the browser
// platform with no Node module and no piscina among their inputs, and the check fails on a module that
// does import one. On Node the injected platform reads node:os.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BLOCK_KERNELS } from '../entry/kernels.js';
import { platform } from '../src/platform.js';

async function browserBundle(entry: { file: string } | { code: string }) {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.code, resolveDir: '.', loader: 'ts' } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  return { inputs, bytes: result.outputFiles[0].contents.length };
}

describe('browser bundles', () => {
  for (const file of ['entry/index.ts', 'entry/validation.ts']) {
    it(`${file} bundles for the browser with no node: module and no piscina`, async () => {
      const { inputs, bytes } = await browserBundle({ file });
      expect(
        inputs.filter((i) => i.startsWith('node:') || /node_modules\/(piscina|commander|cli-progress)\//.test(i)),
      ).toEqual([]);
      expect(inputs).toContain('src/platform.ts');
      expect(bytes).toBeGreaterThan(10_000);
    });
  }

  it('the check fails on a module that imports a Node builtin (here src/parallel.ts, the piscina pool)', async () => {
    await expect(browserBundle({ code: "export * from './src/parallel.ts';" })).rejects.toThrow(/Could not resolve/);
    await expect(browserBundle({ code: "export { cpus } from 'node:os';" })).rejects.toThrow(
      /Could not resolve "node:os"/,
    );
  });

  it('on Node the platform is node:os: cores and free memory', () => {
    expect(platform().name).toBe('node');
    expect(platform().cores()).toBe(availableParallelism());
    expect(platform().memory()?.bytes).toBeGreaterThan(0);
  });

  it('every kernel runBlocks sends to workers and every module reference a kernel resolves is in BLOCK_KERNELS (what a bundled page serves)', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
      );
    const files = ['sde', 'networks', 'architectures'].flatMap(walk);
    // Kernels ({ module, name, run }) and references ({ module, name, args }) alike.
    const names = new Set(
      files.flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/\{\s*module:\s*[^,]+,\s*name:\s*'([^']+)'/g)].map((m) => m[1]),
      ),
    );
    expect(names.size).toBeGreaterThanOrEqual(6);
    for (const name of names) expect(Object.keys(BLOCK_KERNELS), name).toContain(name);
    // Each entry is the function of its own name, so a name resolves to one builder only.
    for (const [key, fn] of Object.entries(BLOCK_KERNELS)) expect(fn.name, key).toBe(key);
  });

  it('the page imports the package only through its entry points', () => {
    for (const file of readdirSync('explorer').filter((f) => f.endsWith('.ts'))) {
      const targets = [...readFileSync(`explorer/${file}`, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) => m[1]);
      for (const t of targets)
        expect(t.startsWith('./') || t.startsWith('../entry/'), `explorer/${file} imports ${t}`).toBe(true);
    }
  });
});
