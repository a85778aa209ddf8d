// The issue-3 study: at T = 1, c+ = 0, c- = -1, rho0 = 0.5, the law of the chain's correlation at
// n = d = 100, 200, 400 against the SDE's, with distances and their Monte Carlo floor.
// Run: npm run build && node dist/bench/widthStudy.js [samples]
import { availableParallelism } from 'node:os';
import { shapedRelu } from '../src/activations/index.js';
import { createWorkerPool } from '../src/parallel.js';
import { ksTwoSample, meanEstimate, varianceEstimate, wasserstein1 } from '../src/stats.js';
import { sampleNetworks } from '../networks/index.js';
import { constantSteps, covarianceSde, solve } from '../sde/index.js';
import { observable } from '../validation/observables.js';
import { wassersteinSe } from '../validation/widths.js';

const samples = Number(process.argv[2] ?? 20000);
const activation = shapedRelu({ cPlus: 0, cMinus: -1 });
const v0 = [
  [1, 0.5],
  [0.5, 1],
];
const pool = createWorkerPool(availableParallelism());
const t0 = performance.now();
const sde = await solve({ sde: covarianceSde(activation), t1: 1, v0, stepping: constantSteps(1000), paths: 100_000, seed: 'study-sde', threads: pool });
const ref = { rho: observable(sde, 'rho'), logVaa: observable(sde, 'logVaa') };
const half = ref.rho.length / 2;
for (const name of ['rho', 'logVaa'] as const) {
  const r = ref[name];
  const floor = wasserstein1(r.subarray(0, half), r.subarray(half)) * Math.sqrt((1 / samples + 1 / r.length) / (4 / r.length));
  const m = meanEstimate(r);
  const v = varianceEstimate(r);
  console.log(`SDE ${name}: mean ${m.value.toFixed(4)} ± ${m.se.toFixed(4)}, var ${v.value.toFixed(4)} ± ${v.se.toFixed(4)}; W1 floor at ${samples} samples ${floor.toFixed(4)}`);
}
for (const n of [100, 200, 400]) {
  const net = await sampleNetworks({ activation, n, depth: n, v0, samples, seed: `study-${n}`, threads: pool });
  for (const name of ['rho', 'logVaa'] as const) {
    const x = observable(net, name);
    const m = meanEstimate(x);
    const v = varianceEstimate(x);
    const ks = ksTwoSample(x, ref[name]);
    console.log(
      `n = d = ${n} ${name}: mean ${m.value.toFixed(4)} ± ${m.se.toFixed(4)}, var ${v.value.toFixed(4)} ± ${v.se.toFixed(4)}, ` +
        `KS ${ks.statistic.toFixed(4)} (p ${ks.pValue.toPrecision(2)}), W1 ${wasserstein1(x, ref[name]).toFixed(4)} ± ${wassersteinSe(x, ref[name], n).toFixed(4)}`,
    );
  }
}
console.log(`elapsed ${((performance.now() - t0) / 1000).toFixed(0)} s`);
await pool.close();
