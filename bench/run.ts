// `npm run bench`: throughput of the package's kernels, single-threaded and on all cores, with the
// machine noted. Figures are rates (normals/s, path-steps/s, layer-samples/s); each is the best of
// a few repetitions after a warm-up. If python3 with NumPy is present, the vectorised NumPy
// reference (bench/numpy_reference.py) runs too, single-threaded, for comparison.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { shapedRelu } from '../src/activations/index.js';
import { fillNormals } from '../src/gaussian.js';
import { createWorkerPool, type WorkerPool } from '../src/parallel.js';
import { uniformStream } from '../src/rng.js';
import { sampleNetworks, sampleNetworksSync } from '../networks/index.js';
import { constantSteps, covarianceSde, solve, solveSync } from '../sde/index.js';

const activation = shapedRelu({ cPlus: 0, cMinus: -1 });
const equi = (m: number) => Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0.5)));

async function best(repeats: number, run: () => unknown | Promise<unknown>): Promise<number> {
  await run(); // warm-up: JIT, pool threads
  let fastest = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await run();
    fastest = Math.min(fastest, (performance.now() - t0) / 1000);
  }
  return fastest;
}

function line(label: string, rate: number, unit: string, extra = ''): void {
  console.log(`${label.padEnd(46)} ${rate.toExponential(3).padStart(10)} ${unit}${extra}`);
}

async function main(): Promise<void> {
  const threads = availableParallelism();
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${threads} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`);
  const pool: WorkerPool = createWorkerPool(threads);
  try {
    const buf = new Float64Array(1e7);
    const rng = uniformStream(1, 0);
    line('gaussian generator (ziggurat, 1 thread)', 1e7 / (await best(5, () => fillNormals(rng, buf))), 'normals/s');

    for (const [m, paths, steps] of [
      [2, 20000, 500],
      [8, 2000, 200],
    ]) {
      const opts = { sde: covarianceSde(activation), t1: 1, v0: equi(m), stepping: constantSteps(steps), paths, seed: 1 };
      const work = paths * steps;
      line(`SDE solver m=${m}, ${paths} paths x ${steps} steps, 1 thread`, work / (await best(3, () => solveSync(opts))), 'path-steps/s');
      line(`SDE solver m=${m}, ${threads} threads`, work / (await best(3, () => solve({ ...opts, threads: pool }))), 'path-steps/s');
    }

    for (const [method, n, m, samples, depth] of [
      ['chain', 256, 2, 2000, 256],
      ['chain', 256, 8, 500, 256],
      ['chain', 400, 2, 1000, 400],
      ['chain', 1024, 2, 500, 256],
      ['chain', 1024, 8, 200, 256],
      ['explicit', 256, 2, 40, 64],
      ['explicit', 256, 8, 40, 64],
      ['explicit', 1024, 2, 4, 32],
      ['explicit', 1024, 8, 4, 32],
    ] as const) {
      const opts = { activation, n, depth, v0: equi(m), samples, seed: 1, method };
      const work = samples * depth;
      line(`${method} n=${n} m=${m}, ${samples} x ${depth} layers, 1 thread`, work / (await best(2, () => sampleNetworksSync(opts))), 'layer-samples/s');
      line(`${method} n=${n} m=${m}, ${threads} threads`, work / (await best(2, () => sampleNetworks({ ...opts, threads: pool }))), 'layer-samples/s');
    }
  } finally {
    await pool.close();
  }

  const script = fileURLToPath(new URL('../../bench/numpy_reference.py', import.meta.url));
  const numpy = spawnSync('python3', [script], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  if (numpy.status === 0) process.stdout.write(`\nNumPy reference (1 thread, same algorithms, batched over paths):\n${numpy.stdout}`);
  else console.log('\n(NumPy reference skipped: python3 with numpy not available)');
}

await main();
