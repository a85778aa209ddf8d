#!/usr/bin/env node
// Build the explorer into dist/explorer with esbuild: the page (with vega and vega-lite bundled in,
// so that nothing is fetched from elsewhere), its compute worker and its kernel worker, minified ES
// modules, plus index.html and style.css. Run by `npm run build` after tsc.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'explorer');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: 'explorer/main.ts', worker: 'explorer/worker.ts', kernels: 'explorer/kernels.ts' },
  absWorkingDir: root,
  outdir: out,
  bundle: true,
  platform: 'browser',
  format: 'esm',
  // vega goes to its own chunk, loaded by the page while the first computation runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) copyFileSync(join(root, 'explorer', file), join(out, file));
const files = [
  'main.js',
  'worker.js',
  'kernels.js',
  ...readdirSync(join(out, 'chunks'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `chunks/${f}`),
];
const sizes = files.map((f) => `${f} ${(statSync(join(out, f)).size / 1024).toFixed(0)} KiB`);
if (process.argv.includes('--sizes')) console.log(`explorer: ${sizes.join(', ')}`);
