// The one API shape (issue 26, item 2): unknown keys refused in one line, old names accepted one release
// with one deprecation note each and the same bits, one explosion threshold rule, values or texts for
// activations and architectures, summary(result) checked against the raw arrays, weakExpectations per
// save on m x m matrices, one call style for the exact references, and the reports' series styles.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  constantSteps,
  correlationExpectation,
  covarianceChain,
  covarianceSde,
  DEFAULT_THRESHOLD,
  diagonalSde,
  eulerMaruyama,
  explosionDetection,
  explosionProbability,
  InputError,
  ninomiyaVictoir,
  PATH_EXPLODED,
  resnet,
  sampleNetworks,
  sampleNetworksSync,
  saveAt,
  shapedRelu,
  shapedSmooth,
  smoothBeta,
  solve,
  solveSync,
  summary,
  weakExpectations,
  proportionCell,
  type Solution,
  type NetworkSample,
} from '../entry/index.js';
import { ncsde } from './helpers/cli.js';
import {
  momentTheory,
  observable,
  readExplosionSettings,
  readPointSettings,
  runPoint,
  validate,
  wilson,
} from '../entry/validation.js';
import { seriesSpec, seriesStyle } from '../entry/reports.js';
import { log } from '../src/math/index.js';

const V0 = [
  [1, 0.5],
  [0.5, 1],
];
const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const swish = shapedSmooth('swish', { a: 1 });
const base = { sde: covarianceSde(relu), T: 1, v0: V0, stepping: constantSteps(8), paths: 64, seed: 1 };

/** The message of the InputError a call throws (fails if it throws anything else or nothing). */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const message = (e as Error).message;
    expect(message).not.toMatch(/\n/);
    return message;
  }
  throw new Error('no refusal');
}

async function asyncRefusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toMatch(/\n/);
    return (e as Error).message;
  }
  throw new Error('no refusal');
}

describe('unknown keys and threads are refused in one line', () => {
  it('solve and solveSync name the key and list the valid ones', async () => {
    expect(refusal(() => solveSync({ ...base, steps: 8 } as never))).toMatch(
      /^steps is not an option of solveSync \(options: sde, solver, T, v0, stepping, saveAt, paths, seed, brownian, threshold, threads, onProgress, keep\) \(got 8\)$/,
    );
    expect(await asyncRefusal(() => solve({ ...base, paht: 8 } as never))).toMatch(
      /^paht is not an option of solve \(options: sde, /,
    );
    expect(refusal(() => solveSync({ ...base, threads: 2 } as never))).toMatch(
      /^threads cannot be honoured by solveSync, which runs on the calling thread; use solve for worker threads \(got 2\)$/,
    );
    expect(await asyncRefusal(() => solve({ ...base, threads: 0 }))).toMatch(
      /^threads must be an integer in \[1, 1024\]/,
    );
    // solve honours threads, with the bits of one thread.
    const two = await solve({ ...base, paths: 600, threads: 2 });
    expect(Array.from(two.values.data)).toEqual(Array.from(solveSync({ ...base, paths: 600 }).values.data));
  });

  it('sampleNetworks, the chain shortcuts and weakExpectations do the same', async () => {
    const net = { activation: relu, n: 8, T: 1, v0: V0, samples: 8, seed: 1 };
    expect(refusal(() => sampleNetworksSync({ ...net, steps: 3 } as never))).toMatch(
      /^steps is not an option of sampleNetworksSync \(options: activation, n, depth, T, /,
    );
    expect(refusal(() => sampleNetworksSync({ ...net, threads: 2 } as never))).toMatch(
      /^threads cannot be honoured by sampleNetworksSync/,
    );
    expect(refusal(() => sampleNetworksSync({ ...net, record: { count: 2, every: 1 } } as never))).toMatch(
      /^record\.every is not an option of sampleNetworksSync \(options: layers, count\)/,
    );
    expect(refusal(() => covarianceChain({ ...net, sampler: 'explicit' } as never))).toMatch(
      /^sampler is fixed by covarianceChain \(chain\)/,
    );
    expect(await asyncRefusal(() => weakExpectations({ ...base, step: 4 } as never, { v: () => 1 }))).toMatch(
      /^step is not an option of weakExpectations \(options: .*extrapolate, over\)/,
    );
  });

  it('runPoint, validate, readExplosionSettings and the width study refuse misspelt keys', async () => {
    expect(await asyncRefusal(() => runPoint({ n: 8, steps: 4, pahts: 10 }))).toMatch(
      /^pahts is not an option here \(options: /,
    );
    expect(await asyncRefusal(() => runPoint({ n: 8 }, { thread: 2 } as never))).toMatch(
      /^thread is not an option of runPoint \(its second argument\) \(options: threads, pathSaves, streamTag, resamples\)/,
    );
    expect(await asyncRefusal(() => validate({}, { thread: 2 } as never))).toMatch(
      /^thread is not an option of validate \(its second argument\)/,
    );
    expect(refusal(() => readExplosionSettings({ treshold: 10 }))).toMatch(/^treshold is not an option here/);
  });

  it('a bad observable name is refused with the valid names, not reported as lost paths', () => {
    const sol = solveSync({ ...base, saveAt: saveAt({ t1: true }) });
    expect(refusal(() => observable(sol, 'rh0' as never))).toBe(
      'observable must be one of rho, logVaa, Vaa, Vab (got "rh0")',
    );
  });

  it("v0 is checked against the SDE's shape at run time too (for untyped callers)", () => {
    expect(refusal(() => solveSync({ ...base, v0: 0.5 } as never))).toMatch(/^v0 /);
    expect(refusal(() => solveSync({ ...base, sde: diagonalSde(swish), v0: V0 } as never))).toMatch(
      /^v0 must be a finite number/,
    );
  });
});

describe('deprecated names: one note each, the same bits', () => {
  let warnings: Array<{ message: string; code: unknown; type: unknown }>;
  beforeEach(() => {
    warnings = [];
    vi.spyOn(process, 'emitWarning').mockImplementation(((message: string, options: { type: string; code: string }) => {
      warnings.push({ message, code: options?.code, type: options?.type });
    }) as typeof process.emitWarning);
  });
  afterEach(() => vi.restoreAllMocks());

  it('solve: t1 is T, explosionDetection({ threshold }) is the absolute form of threshold', () => {
    const v0 = [
      [2, 0.6],
      [0.6, 1.5],
    ];
    const now = solveSync({
      sde: covarianceSde(swish),
      solver: eulerMaruyama(),
      T: 1.5,
      v0,
      stepping: constantSteps(16),
      paths: 300,
      seed: 5,
      threshold: 20,
    });
    const old = solveSync({
      sde: covarianceSde(swish),
      solver: eulerMaruyama(),
      t1: 1.5,
      v0,
      stepping: constantSteps(16),
      paths: 300,
      seed: 5,
      explosion: explosionDetection({ threshold: 40 }),
    });
    // The threshold matters here: some paths cross 20 x max_a V0^aa = 40.
    expect(now.counts.exploded).toBeGreaterThan(10);
    expect(Buffer.from(old.values.data.buffer).equals(Buffer.from(now.values.data.buffer))).toBe(true);
    expect(Array.from(old.status)).toEqual(Array.from(now.status));
    expect(Array.from(old.explosionTime)).toEqual(Array.from(now.explosionTime));
    // A second call with the old names adds no note.
    solveSync({ ...base, t1: 1, T: undefined } as never);
    const notes = warnings.filter((w) => w.code === 'NCSDE_DEPRECATED');
    expect(notes.map((w) => w.type)).toEqual(['DeprecationWarning', 'DeprecationWarning', 'DeprecationWarning']);
    expect(notes.map((w) => w.message)).toEqual([
      'explosionDetection({ threshold }) is deprecated: give solve `threshold`, a plain number in units of the largest input variance max_a V0^aa (default 1e4)',
      'solveSync: the option `t1` is deprecated; use `T` (t1 is accepted for one release)',
      'solveSync: the option `explosion` (an absolute level) is deprecated; use `threshold`, a plain number in units of the largest input variance max_a V0^aa (default 1e4)',
    ]);
    for (const w of notes) expect(w.message).not.toMatch(/\n/);
    expect(refusal(() => solveSync({ ...base, t1: 1 } as never))).toMatch(
      /^t1 is the deprecated name of T; give T only/,
    );
    expect(
      refusal(() => solveSync({ ...base, threshold: 10, explosion: explosionDetection({ threshold: 10 }) })),
    ).toMatch(/^explosion is the deprecated absolute form of threshold; give threshold only/);
  });

  it('sampleNetworks: ratio is T, method is sampler, explosion is the absolute form of threshold', () => {
    const v0 = [[2]];
    const now = sampleNetworksSync({
      activation: swish,
      n: 32,
      T: 1.5,
      v0,
      samples: 200,
      seed: 3,
      sampler: 'chain',
      threshold: 20,
    });
    const old = sampleNetworksSync({
      activation: swish,
      n: 32,
      ratio: 1.5,
      v0,
      samples: 200,
      seed: 3,
      method: 'chain',
      explosion: { threshold: 40 },
    });
    expect(now.counts.exploded).toBeGreaterThan(5);
    expect(Buffer.from(old.values.data.buffer).equals(Buffer.from(now.values.data.buffer))).toBe(true);
    expect(Array.from(old.explosionLayer)).toEqual(Array.from(now.explosionLayer));
    expect(now.sampler).toBe('chain');
    expect(warnings.map((w) => w.message)).toEqual([
      'sampleNetworksSync: the option `ratio` is deprecated; use `T` (ratio is accepted for one release)',
      'sampleNetworksSync: the option `method` is deprecated; use `sampler` (method is accepted for one release)',
      'sampleNetworksSync: the option `explosion` (an absolute level) is deprecated; use `threshold`, a plain number in units of the largest input variance max_a V0^aa (default 1e4)',
    ]);
  });

  it('the exact references: the old call forms give the same numbers as (activation, { options })', () => {
    expect(correlationExpectation({ activation: relu, rho0: 0.5, T: 1, cells: 400, steps: 200 })).toBe(
      correlationExpectation('relu:0,-1', { rho0: 0.5, T: 1, cells: 400, steps: 200 }),
    );
    // The old form took beta and an absolute level; the new one the activation and the level in units of x0.
    expect(explosionProbability({ beta: 0.75, x0: 2, T: 1, threshold: 20, cells: 400, steps: 200 })).toBe(
      explosionProbability(swish, { x0: 2, T: 1, threshold: 10, cells: 400, steps: 200 }),
    );
    expect(momentTheory({ family: 'relu-like', cPlus: 0, cMinus: -1 }, 32, 32, 1)).toEqual(
      momentTheory(relu, { n: 32, depth: 32, T: 1 }),
    );
    expect(warnings).toHaveLength(3);
    expect(refusal(() => correlationExpectation(relu, { rho0: 0.5, t: 1 } as never))).toMatch(
      /^t is not an option of correlationExpectation/,
    );
  });
});

describe('one explosion rule: threshold in units of max_a V0^aa, default 1e4, everywhere', () => {
  it('defaults agree across solve, networks, points and explosion points', () => {
    expect(DEFAULT_THRESHOLD).toBe(1e4);
    const v0 = [
      [3, 0],
      [0, 1],
    ];
    expect(solveSync({ ...base, v0 }).settings.explosionThreshold).toBe(3e4);
    expect(
      sampleNetworksSync({ activation: relu, n: 4, T: 1, v0, samples: 2, seed: 1 }).settings.explosionThreshold,
    ).toBe(3e4);
    expect(readPointSettings({}).threshold).toBe(1e4);
    expect(readExplosionSettings({}).threshold).toBe(1e4);
    expect(refusal(() => solveSync({ ...base, threshold: 1 }))).toBe(
      'threshold must be a number > 1, in units of the largest input variance max_a V0^aa (got 1)',
    );
  });

  it('the exact reference honours the threshold as the solver does', () => {
    const at10 = explosionProbability('swish:1', { x0: 1, T: 1, threshold: 10 });
    const at100 = explosionProbability('swish:1', { x0: 1, T: 1, threshold: 100 });
    const ever = explosionProbability('swish:1', { x0: 1, T: 1 });
    expect(at10).toBeGreaterThan(at100);
    expect(at100).toBeGreaterThan(ever);
    // 20,000 split-scheme paths crossing 10 x0: within 4 SE (plus the 1e-3 bias of discrete monitoring at 64 steps).
    const sol = solveSync({
      sde: diagonalSde(swish),
      solver: ninomiyaVictoir(),
      T: 1,
      v0: 1,
      stepping: constantSteps(64),
      paths: 20_000,
      seed: 9,
      threshold: 10,
    });
    const p = sol.counts.exploded / sol.paths;
    const tolerance = 4 * Math.sqrt((at10 * (1 - at10)) / sol.paths) + 5e-3;
    expect(Math.abs(p - at10)).toBeLessThan(tolerance);
    // Power: the reference at the wrong threshold (100 x0, 0.205 against 0.249) lies outside the tolerance.
    expect(Math.abs(p - at100)).toBeGreaterThan(tolerance);
  });
});

describe('values or texts for activations and architectures', () => {
  it('sampleNetworks takes the architecture and activation texts, with the bits of the values', async () => {
    const options = { n: 16, T: 0.5, v0: V0, samples: 32, seed: 2 };
    const byText = await sampleNetworks({ ...options, architecture: 'resnet:0.5', activation: 'tanh:1' });
    const byValue = await sampleNetworks({
      ...options,
      architecture: resnet({ gamma: 0.5 }),
      activation: shapedSmooth('tanh', { a: 1 }),
    });
    expect(byText.architecture).toBe(byValue.architecture);
    expect(Array.from(byText.values.data)).toEqual(Array.from(byValue.values.data));
    expect(refusal(() => sampleNetworksSync({ ...options, activation: 'tanh' + ':x' }))).toMatch(
      /^activation must be relu:<c\+>,<c->/,
    );
  });

  it('runPoint takes the architecture text and an activation value without readPointSettings', async () => {
    const small = { n: 8, paths: 60, samples: 60, steps: 4, seed: 4 };
    const r = await runPoint({ ...small, architecture: 'resnet:0.5', activation: relu }, { resamples: 50 });
    expect(r.architecture).toBe('resnet(gamma=0.5)');
    expect(r.settings.activation).toBe('relu:0,-1');
    const s = await runPoint({ ...small, architecture: 'resnet:0.5', activation: 'relu:0,-1' }, { resamples: 50 });
    expect(Array.from(s.sde.values.data)).toEqual(Array.from(r.sde.values.data));
  });

  it('smoothBeta takes a catalogue name or the derivatives, and refuses what would be NaN', () => {
    expect(smoothBeta('tanh', 1)).toBe(-2);
    expect(smoothBeta('swish', 2)).toBe(0.75 / 4);
    expect(smoothBeta(0, -2, 1)).toBe(-2);
    expect(refusal(() => smoothBeta('tan' as never, 1))).toMatch(/^f must be one of tanh, sin, swish, softplus, gelu/);
    expect(refusal(() => (smoothBeta as unknown as (...a: unknown[]) => number)('tanh', 1, 2))).toMatch(
      /^a is one argument too many/,
    );
    expect(refusal(() => (smoothBeta as unknown as (...a: unknown[]) => number)(0, -2))).toMatch(
      /^a must be a finite number \(got undefined\)/,
    );
  });
});

/** Mean and SE of xs (sample variance), written out. */
function direct(xs: number[]): { estimate: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { estimate: mean, se: Math.sqrt(variance / n) };
}

function checkSummary(result: Solution | NetworkSample, crossed: (s: number, p: number) => boolean): void {
  const s = summary(result);
  const [saves, items, m] = result.values.shape as [number, number, number, number];
  const v = result.values;
  const level = result.settings.explosionThreshold as number;
  const kept = Array.from({ length: items }, (_, p) => p).filter((p) => result.status[p] !== PATH_EXPLODED);
  expect(s.saves).toHaveLength(saves);
  for (let t = 0; t < saves; t++) {
    const at = s.saves[t];
    expect(at.t).toBe(result.ts[t]);
    expect(at.averagedOver).toMatchObject({ over: 'finished', leftOut: items - kept.length });
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const mean = direct(kept.map((p) => v.get(t, p, i, j)));
        expect(at.mean[i][j]).toMatchObject({ n: kept.length });
        const cell = at.mean[i][j] as { estimate: number; se: number; lo: number; hi: number };
        expect(cell.estimate).toBeCloseTo(mean.estimate, 12);
        expect(cell.se).toBeCloseTo(mean.se, 12);
        expect(cell.hi - cell.estimate).toBeCloseTo(1.959963984540054 * mean.se, 12);
        if (i !== j) {
          const rho = direct(kept.map((p) => v.get(t, p, i, j) / Math.sqrt(v.get(t, p, i, i) * v.get(t, p, j, j))));
          expect((at.rho[i][j] as { estimate: number }).estimate).toBeCloseTo(rho.estimate, 12);
          expect((at.rho[i][j] as { se: number }).se).toBeCloseTo(rho.se, 12);
        }
      }
      const logV = direct(kept.map((p) => log(v.get(t, p, i, i))));
      expect((at.logV[i] as { estimate: number }).estimate).toBeCloseTo(logV.estimate, 12);
    }
    // Explosion: any input by t over all items, and per input, each with its Wilson interval.
    const byT = Array.from({ length: items }, (_, p) => p).filter((p) => crossed(t, p));
    expect(at.explosion.any).toEqual(proportionCell(byT.length, items));
    const w = wilson(byT.length, items);
    expect(at.explosion.any).toMatchObject({ k: byT.length, n: items, lo: w.lower, hi: w.upper });
    for (let a = 0; a < m; a++) {
      const k = byT.filter(
        (p) =>
          v.get(t, p, a, a) > level ||
          (![...Array(m).keys()].some((b) => v.get(t, p, b, b) > level) &&
            [...Array(m).keys()].every((b) => v.get(t, p, b, b) <= v.get(t, p, a, a))),
      ).length;
      expect(at.explosion.perInput[a]).toEqual(proportionCell(k, items));
    }
  }
}

describe('summary(result): per save, per pair, in the one cell layout', () => {
  it('an SDE solution with explosions, checked against the raw arrays', () => {
    const sol = solveSync({
      sde: covarianceSde(swish),
      solver: eulerMaruyama(),
      T: 1.5,
      v0: [
        [2, 0.6, 0.2],
        [0.6, 1.5, 0.1],
        [0.2, 0.1, 1],
      ],
      stepping: constantSteps(16),
      saveAt: saveAt({ count: 4 }),
      paths: 400,
      seed: 7,
      threshold: 20,
    });
    expect(sol.counts.exploded).toBeGreaterThan(10);
    checkSummary(
      sol,
      (s, p) => sol.status[p] === PATH_EXPLODED && sol.explosionTime[p] <= sol.ts[s] * (1 + 1e-12) + 1e-15,
    );
    // The last save's per-input proportions sum to at least the any-input one (a crossing has an input).
    const last = summary(sol).saves.at(-1)!.explosion;
    const k = (c: unknown) => (c as { k: number }).k;
    expect(last.perInput.reduce((a, c) => a + k(c), 0)).toBeGreaterThanOrEqual(k(last.any));
  });

  it('a network sample with explosions, checked against the raw arrays', () => {
    const net = sampleNetworksSync({
      activation: swish,
      n: 16,
      T: 1.5,
      v0: [
        [2, 0.6],
        [0.6, 1.5],
      ],
      samples: 300,
      seed: 8,
      threshold: 20,
      record: { count: 4 },
    });
    expect(net.counts.exploded).toBeGreaterThan(10);
    checkSummary(net, (s, p) => net.status[p] === PATH_EXPLODED && net.explosionLayer[p] <= net.layers[s]);
    expect(summary(net).saves.map((s) => s.layer)).toEqual(Array.from(net.layers));
  });

  it('Wilson intervals: the textbook 10 of 100 and the exact ends', () => {
    const c = proportionCell(10, 100) as { lo: number; hi: number; estimate: number };
    expect(c.estimate).toBe(0.1);
    expect(c.lo).toBeCloseTo(0.05523, 5);
    expect(c.hi).toBeCloseTo(0.17437, 5);
    expect(proportionCell(0, 50)).toMatchObject({ lo: 0, estimate: 0 });
    expect(proportionCell(50, 50)).toMatchObject({ hi: 1, estimate: 1 });
    expect(proportionCell(0, 0)).toEqual({ missing: 'no paths' });
  });
});

describe("solve's saves and weakExpectations per save", () => {
  it('solve without saveAt keeps t = 0 and t = T, as the CLI', () => {
    const sol = solveSync(base);
    expect(Array.from(sol.ts)).toEqual([0, 1]);
    expect(sol.values.get(0, 5, 0, 1)).toBe(0.5);
  });

  it('f sees the m x m matrix at each requested save; cells match the raw arrays', async () => {
    const seen: number[][][] = [];
    const options = { ...base, solver: ninomiyaVictoir(), saveAt: saveAt({ count: 2 }), paths: 200 };
    const e = await weakExpectations(options, {
      v01: (v, info) => {
        if (info.save === 1 && seen.length < 1) seen.push(v as number[][]);
        return (v as number[][])[0][1];
      },
    });
    expect(seen[0]).toHaveLength(2);
    expect(seen[0][0]).toHaveLength(2);
    expect(e.v01.ts).toEqual([0, 0.5, 1]);
    expect(e.v01.saves[0]).toEqual({ estimate: 0.5, se: 0, lo: 0.5, hi: 0.5, n: 200 });
    const sol = solveSync({ ...options });
    for (const s of [1, 2]) {
      const d = direct(Array.from({ length: 200 }, (_, p) => sol.values.get(s, p, 0, 1)));
      expect((e.v01.saves[s] as { estimate: number }).estimate).toBeCloseTo(d.estimate, 12);
      expect((e.v01.saves[s] as { se: number }).se).toBeCloseTo(d.se, 12);
    }
    expect(e.v01).toMatchObject({ method: 'plain', over: 'all', leftOut: 0, steps: [8] });
    expect(
      await asyncRefusal(() => weakExpectations(options, { bad: (v) => (v as unknown as Float64Array)[1] })),
    ).toMatch(/^functions\.bad must return a finite number \(path 0, t = 0; it is given the m x m matrix as rows/);
  });
});

describe('the layers a network run records: one meaning of record across the CLI, configs and the API', () => {
  it('ncsde network --record k and sampleNetworks({ record: k }) record layer 0 and k layers up to the depth, the same bits', async () => {
    const common = { activation: 'tanh:1', n: 8, T: 1, v0: V0, samples: 6, seed: 3 };
    for (const k of [1, 4]) {
      const run = ncsde([
        'network',
        '--activation',
        'tanh:1',
        '--n',
        '8',
        '--T',
        '1',
        '--rho0',
        '0.5',
        '--samples',
        '6',
        '--seed',
        '3',
        '--record',
        String(k),
        '--threads',
        '1',
        '--values',
      ]);
      expect(run.status, run.stderr).toBe(0);
      const cli = JSON.parse(run.stdout);
      const api = await sampleNetworks({ ...common, record: k });
      const expected = Array.from({ length: k + 1 }, (_, i) => Math.round((i * 8) / k));
      expect(cli.layers, `--record ${k}`).toEqual(expected);
      expect(Array.from(api.layers), `record: ${k}`).toEqual(expected);
      expect(Array.from(api.values.data)).toEqual(cli.values);
      // The number is the object form's count.
      const counted = await sampleNetworks({ ...common, record: { count: k } });
      expect(Array.from(counted.values.data)).toEqual(Array.from(api.values.data));
    }
    // Without record, the API keeps the last layer only (README: summary(net).saves[0] is at depth T n).
    expect(Array.from((await sampleNetworks(common)).layers)).toEqual([8]);
    expect(await asyncRefusal(() => sampleNetworks({ ...common, record: '2' } as never))).toMatch(
      /^record must be a count k \(layer 0 and k equally spaced layers up to the depth\), \{ count: k \} or \{ layers: \[\.\.\.\] \}/,
    );
    expect(await asyncRefusal(() => sampleNetworks({ ...common, record: 0 }))).toMatch(
      /^record\.count must be an integer/,
    );
  });
});

describe('reports: series styles', () => {
  it('distinct colours past 10 series, and lines only for the series named', () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const style = seriesStyle(names);
    expect(style.color.scale).toEqual({ domain: names, scheme: 'category20' });
    expect(seriesStyle(names.slice(0, 10)).color.scale.scheme).toBe('tableau10');
    const points = names.flatMap((series, i) => [
      { x: 1, y: i, series },
      { x: 2, y: i + 1, series },
    ]);
    const layers = (
      seriesSpec({ title: 't', x: 'x', y: 'y', points, lines: ['s3'] }) as unknown as {
        layer: Array<{ mark: { type: string }; data: { values: Array<{ series: string }> } }>;
      }
    ).layer;
    const line = layers.find((l) => l.mark.type === 'line')!;
    expect(new Set(line.data.values.map((p) => p.series))).toEqual(new Set(['s3']));
    expect(layers.find((l) => l.mark.type === 'point')!.data.values).toHaveLength(24);
    const none = (
      seriesSpec({ title: 't', x: 'x', y: 'y', points, lines: false }) as unknown as {
        layer: Array<{ mark: { type: string } }>;
      }
    ).layer;
    expect(none.some((l) => l.mark.type === 'line')).toBe(false);
  });
});
