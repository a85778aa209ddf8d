// The cost of running one-thread work on a worker (the CLI's choice, so that the main thread stays free
// for Ctrl-C and progress) against running it inline (the *Sync calls, the path of threads: 1 without
// it): short sde and network runs, interleaved, best of 5 after a warm-up, the same bits checked.
// `npx tsx bench/one-thread.ts` (`--no-progress`: without onProgress, so in fewer ranges).
import { loadavg } from 'node:os';
import { shapedRelu, shapedSmooth } from '../src/activations/index.js';
import { closeSharedPool, nodePlatform, setPlatform } from '../src/platform.js';
import { sampleNetworks, sampleNetworksSync, type NetworkOptions } from '../networks/index.js';
import { constantSteps, solve, solveSync, type SolveOptions } from '../sde/index.js';
import { covarianceSde } from '../architectures/index.js';

const onProgress = process.argv.includes('--no-progress') ? undefined : () => {};
setPlatform(nodePlatform({ oneThreadOnWorker: true }));
const sde: SolveOptions & { threads: 1 } = {
  sde: covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 })),
  stepping: constantSteps(100),
  T: 1,
  v0: [
    [1, 0.5],
    [0.5, 1],
  ],
  paths: 20_000,
  seed: 1,
  threads: 1,
  onProgress,
};
const network: NetworkOptions & { threads: 1 } = {
  activation: shapedSmooth('tanh', { a: 1 }),
  n: 64,
  T: 1,
  v0: [
    [1, 0.5],
    [0.5, 1],
  ],
  samples: 200,
  seed: 1,
  sampler: 'explicit',
  threads: 1,
  onProgress,
};
const cases = [
  ['sde, 20000 paths x 100 steps', async () => solveSync(sde), () => solve(sde)],
  [
    'network, explicit, 200 samples, n 64, depth 64',
    async () => sampleNetworksSync(network),
    () => sampleNetworks(network),
  ],
] as const;

async function time(run: () => Promise<{ values: { data: Float64Array } }>): Promise<[number, Float64Array]> {
  const t0 = performance.now();
  const r = await run();
  return [(performance.now() - t0) / 1000, r.values.data];
}

console.log(
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}${onProgress ? '' : ' (no progress)'}`,
);
for (const [name, inline, worker] of cases) {
  const best = { inline: Infinity, worker: Infinity };
  let same = true;
  for (let r = 0; r < 6; r++) {
    const [a, va] = await time(inline);
    const [b, vb] = await time(worker);
    same &&= va.length === vb.length && va.every((x, i) => Object.is(x, vb[i]));
    if (r === 0) continue;
    best.inline = Math.min(best.inline, a);
    best.worker = Math.min(best.worker, b);
  }
  console.log(
    `${name}: inline ${best.inline.toFixed(3)} s, one worker ${best.worker.toFixed(3)} s, ratio ${(best.worker / best.inline).toFixed(3)}, same bits: ${same}`,
  );
}
await closeSharedPool();
console.log(
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
