// The Web Worker entry for the package served as plain ES modules (dist/ on a static host): it serves
// block tasks by importing each kernel's module by URL, as entry/worker.ts does on Node. Bundled pages
// install their own worker with a kernel table instead (see explorer/kernels.ts).
import { serveKernels } from '../src/webWorkers.js';

serveKernels();
