// Many inputs (issue 28): path-steps/s of both solvers on the m x m covariance SDE at m = 3 ... 256 against
// NumPy's Euler-Maruyama (bench/numpy_reference.py, em_mk: batched LAPACK Cholesky and matmul, chunked and
// warm), the fitted cost exponent from m = 32 to 256, and the covariance chain at n = 256, m = 32 against a
// NumPy chain (chain_mk). Ours and NumPy's alternate run by run; each figure is the best of the repeats in
// CPU seconds of its own process (the machine is shared: wall seconds are shown beside them).
import { cpus, loadavg } from 'node:os';
import { shapedRelu } from '../src/activations/index.js';
import { kernelsInUse } from '../src/kernels/index.js';
import { weightedLine } from '../src/stats/fit.js';
import { sampleNetworksSync } from '../networks/index.js';
import { constantSteps, eulerMaruyama, ninomiyaVictoir, solveSync, type Solver } from '../sde/index.js';
import { covarianceSde } from '../architectures/index.js';

interface NumpyReply {
  seconds: number;
  cpu: number;
  [key: string]: unknown;
}
export interface ManyContext {
  readonly numpy: { run(task: object): Promise<NumpyReply> } | null;
  readonly quick: boolean;
  print(line?: string): void;
  target(name: string, value: number | null, goal: number, unit?: string, atMost?: boolean): void;
}

const e3 = (x: number) => x.toExponential(2);
const equi = (m: number, rho: number) =>
  Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : rho)));
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

interface Timing {
  cpu: number[];
  wall: number[];
}
const best = (xs: number[]) => Math.min(...xs);

/** Runs of `tasks` alternating, after one warm-up each: CPU and wall seconds per task and run. */
async function alternate(
  tasks: Array<() => Promise<{ cpu: number; wall: number }>>,
  repeats: number,
): Promise<Timing[]> {
  for (const t of tasks) await t();
  const out: Timing[] = tasks.map(() => ({ cpu: [], wall: [] }));
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < tasks.length; i++) {
      const { cpu, wall } = await tasks[i]();
      out[i].cpu.push(cpu);
      out[i].wall.push(wall);
    }
  }
  return out;
}

function ours(run: () => unknown): () => Promise<{ cpu: number; wall: number }> {
  return async () => {
    const c0 = cpuNow();
    const t0 = performance.now();
    run();
    return { cpu: cpuNow() - c0, wall: (performance.now() - t0) / 1000 };
  };
}

/** Paths and steps per run at m: the issue's 20 steps at every m, paths for about a quarter of a second of
 *  our Euler-Maruyama, a multiple of 64 (a block of lanes: fewer paths cost a whole block all the same, so
 *  from m = 128 up a run is one block and takes longer). */
function size(m: number, quick: boolean): { paths: number; steps: number } {
  // seconds per path-step, from the lane-pair kernels' measurements (m^3: the products; m^2: the drift)
  const perPathStep = 0.22e-9 * m * m * m + 6e-9 * m * m + 5e-7;
  const steps = 20;
  const budget = quick ? 0.08 : 0.25;
  const paths = Math.max(64, Math.round(budget / (perPathStep * steps) / 64) * 64);
  return { paths, steps };
}

export async function manyInputs(ctx: ManyContext): Promise<void> {
  const { numpy, print, target, quick } = ctx;
  const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
  const ms = quick ? [3, 8, 32, 128] : [3, 8, 32, 64, 128, 256];
  const repeats = 3;
  // Steps of h = 5e-5: no path leaves the cone at these m (both sides report repairs), so both do the same work.
  const h = 5e-5;
  print();
  print('### Many inputs: the m x m covariance SDE, one thread (issue 28)');
  print();
  print(
    `Load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(
        ', ',
      )}; ${cpus()[0]?.model ?? ''}; kernels ${kernelsInUse()}. ReLU (c+ = 0, c- = -1), V0 equicorrelated 0.3, h = ${h}. Best of ${repeats} alternating runs after a warm-up; path-steps per CPU second of each process (wall-clock ratio beside it).`,
  );
  print();
  print(
    '| m | paths x steps | Euler-Maruyama | splitting | NumPy Euler-Maruyama (chunk) | EM / NumPy (CPU) | splitting / NumPy (CPU) | EM / NumPy (wall) |',
  );
  print('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const fit: Array<{ m: number; em: number[]; nv: number[] }> = [];
  for (const m of ms) {
    const { paths, steps } = size(m, quick);
    const work = paths * steps;
    const options = (solver: Solver) => ({
      sde: covarianceSde(relu),
      solver,
      T: steps * h,
      v0: equi(m, 0.3),
      stepping: constantSteps(steps),
      paths,
      seed: 1,
    });
    let repairs = 0;
    const em = ours(() => (repairs += solveSync(options(eulerMaruyama())).counts.repairedSteps));
    const nv = ours(() => solveSync(options(ninomiyaVictoir())));
    let chunk = 64;
    let npRepairs = 0;
    if (numpy) {
      // NumPy's chunk of paths tuned per m on a short run (the best of a few sizes, as a careful user would).
      let fastest = Infinity;
      for (const c of [4, 16, 64, 256, 1024].filter((c) => c <= paths)) {
        const r = await numpy.run({
          task: 'em_mk',
          paths,
          steps: Math.max(2, steps >> 1),
          m,
          t1: (steps >> 1) * h,
          chunk: c,
        });
        if (r.cpu < fastest) [fastest, chunk] = [r.cpu, c];
      }
    }
    const np = numpy
      ? async () => {
          const r = await numpy.run({ task: 'em_mk', paths, steps, m, t1: steps * h, chunk });
          npRepairs += r.repaired as number;
          return { cpu: r.cpu, wall: r.seconds };
        }
      : null;
    const [tEm, tNv, tNp] = await alternate(np ? [em, nv, np] : [em, nv], repeats);
    const rate = (t: Timing) => work / best(t.cpu);
    const npRate = tNp ? rate(tNp) : null;
    const emRatio = npRate === null ? null : rate(tEm) / npRate;
    const nvRatio = npRate === null ? null : rate(tNv) / npRate;
    const wallRatio = tNp ? best(tNp.wall) / best(tEm.wall) : null;
    print(
      `| ${m} | ${paths} x ${steps} | ${e3(rate(tEm))} | ${e3(rate(tNv))} | ${npRate === null ? '–' : `${e3(npRate)} (${chunk})`} | ${emRatio === null ? '–' : `**${emRatio.toFixed(2)}x**`} | ${nvRatio === null ? '–' : `**${nvRatio.toFixed(2)}x**`} | ${wallRatio === null ? '–' : `${wallRatio.toFixed(2)}x`} |`,
    );
    if (repairs + npRepairs > 0)
      print(`|  | repairs: ours ${repairs}, NumPy ${npRepairs} (the rows do not compare like with like) | | | | | | |`);
    if (m >= 32) fit.push({ m, em: tEm.cpu.map((t) => t / work), nv: tNv.cpu.map((t) => t / work) });
    if ([8, 32, 128].includes(m)) {
      target(`Euler-Maruyama m = ${m} / NumPy Euler-Maruyama (CPU)`, emRatio, 2);
      target(`splitting m = ${m} / NumPy Euler-Maruyama (CPU)`, nvRatio, 2);
    }
  }
  // Cost per path-step ~ C m^p from m = 32 up: weighted line of log(best cost) on log m, each point's error
  // the spread of its repeats in log (at least 2%, the timer's and the machine's floor).
  print();
  for (const [label, pick] of [
    ['Euler-Maruyama', (f: (typeof fit)[number]) => f.em],
    ['splitting', (f: (typeof fit)[number]) => f.nv],
  ] as const) {
    if (fit.length < 3) break;
    const x = fit.map((f) => Math.log(f.m));
    const y = fit.map((f) => Math.log(best(pick(f))));
    const se = fit.map((f) => {
      const logs = pick(f).map(Math.log);
      const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
      const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, logs.length - 1));
      return Math.max(0.02, sd);
    });
    const line = weightedLine(x, y, se);
    print(
      `Cost exponent of ${label} per path-step, m = ${fit.map((f) => f.m).join(', ')}: p = ${line.slope.toFixed(2)} (95% CI ${line.lower.toFixed(2)} to ${line.upper.toFixed(2)}); cost = ${e3(Math.exp(line.intercept))} m^p s.`,
    );
    target(
      `cost exponent of ${label} per path-step, m = 32 to ${fit[fit.length - 1].m}`,
      line.slope,
      3,
      '(exponent)',
      true,
    );
  }

  // The covariance chain at n = 256, m = 32.
  const n = 256;
  const m = 32;
  const depth = 32;
  const samples = quick ? 8 : 24;
  const chain = ours(() => sampleNetworksSync({ activation: relu, n, depth, v0: equi(m, 0.3), samples, seed: 1 }));
  let npChunk = 8;
  if (numpy) {
    let fastest = Infinity;
    for (const c of [1, 4, 8, 24].filter((c) => c <= samples)) {
      const r = await numpy.run({ task: 'chain_mk', samples, n, m, depth: depth >> 1, chunk: c });
      if (r.cpu < fastest) [fastest, npChunk] = [r.cpu, c];
    }
  }
  const npChain = numpy
    ? async () => {
        const r = await numpy.run({ task: 'chain_mk', samples, n, m, depth, chunk: npChunk });
        return { cpu: r.cpu, wall: r.seconds };
      }
    : null;
  const [tc, tnc] = await alternate(npChain ? [chain, npChain] : [chain], repeats);
  const work = samples * depth;
  const oursRate = work / best(tc.cpu);
  const npRate = tnc ? work / best(tnc.cpu) : null;
  print();
  print('| covariance chain, one thread | layer-samples/s (CPU) | NumPy (CPU) | ratio (CPU) | ratio (wall) |');
  print('| --- | --- | --- | --- | --- |');
  print(
    `| n = ${n}, m = ${m}, ${samples} x ${depth} layers (NumPy: batched Cholesky and matmul, chunk ${npChunk}) | ${e3(oursRate)} | ${npRate === null ? '–' : e3(npRate)} | ${npRate === null ? '–' : `**${(oursRate / npRate).toFixed(2)}x**`} | ${tnc ? `${(best(tnc.wall) / best(tc.wall)).toFixed(2)}x` : '–'} |`,
  );
  target(`chain n = ${n}, m = ${m} / NumPy (CPU)`, npRate === null ? null : oursRate / npRate, 2);
  print();
  print(
    `Load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}.`,
  );
}
