// The summary-only mode of the SDE (issue 28): solve({ keep: 'summary' }) folds each block's moments as
// the block is integrated and never makes the (saves, paths, m, m) array; its summary is summary() of the
// full solution bit for bit, on any number of threads, and within 1e-12 of a plain two-pass mean over all
// paths; the result records the mode; the CLI writes the JSON summary alone and refuses what needs paths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  constantSteps,
  correlationSde,
  covarianceSde,
  diagonalSde,
  eulerMaruyama,
  InputError,
  LimitError,
  ninomiyaVictoir,
  PATH_EXPLODED,
  saveAt,
  SDE_BLOCK,
  shapedRelu,
  shapedSmooth,
  solve,
  solveSync,
  summary,
  weakExpectations,
  type Solution,
  type SolveOptions,
  type SummarySolution,
} from '../entry/index.js';
import { log } from '../src/math/index.js';
import { nodePlatform, platform, setPlatform } from '../src/platform.js';
import { SUMMARY_BLOCK } from '../src/summary.js';
import { summaryPlan, type OnThisThread } from '../sde/index.js';
import { ncsde, workdir } from './helpers/cli.js';

const swish = shapedSmooth('swish', { a: 1 });
const relu = shapedRelu({ cPlus: 0, cMinus: -1 });
const V3 = [
  [2, 0.6, 0.2],
  [0.6, 1.5, 0.1],
  [0.2, 0.1, 1],
];
/** m = 3, Euler-Maruyama, a low threshold: explosions at every save, repairs, a last block of 16 paths. */
const exploding = {
  sde: covarianceSde(swish),
  solver: eulerMaruyama(),
  T: 1.5,
  v0: V3,
  stepping: constantSteps(16),
  saveAt: saveAt({ count: 4 }),
  paths: 400,
  seed: 7,
  threshold: 20,
};

/** Everything but the values: the per-path record, counts and settings but `keep`. */
function record(r: Solution | SummarySolution) {
  const { keep: _keep, ...settings } = r.settings;
  return {
    kind: r.kind,
    shape: r.shape,
    m: r.m,
    paths: r.paths,
    ts: r.ts,
    status: r.status,
    explosionTime: r.explosionTime,
    repairs: r.repairs,
    worstRepair: r.worstRepair,
    counts: r.counts,
    settings,
  };
}

describe("solve({ keep: 'summary' }) gives summary(solve(...)) bit for bit", () => {
  it('m = 3 with explosions at several saves (Euler-Maruyama, repairs, a trimmed last block)', () => {
    const full = solveSync(exploding);
    const kept = solveSync({ ...exploding, keep: 'summary' });
    expect(full.counts.exploded).toBeGreaterThan(10);
    expect(full.counts.repaired).toBeGreaterThan(0);
    expect(exploding.paths % SDE_BLOCK).not.toBe(0);
    expect(kept.summary).toEqual(summary(full));
    // Explosions are counted by the save they happened by: some at a middle save, all by the last.
    const any = kept.summary.saves.map((s) => (s.explosion.any as { k: number }).k);
    expect(any.some((k) => k > 0 && k < full.counts.exploded)).toBe(true);
    expect(any.at(-1)).toBe(full.counts.exploded);
    expect(record(kept)).toEqual(record(full));
  });

  it('the splitting solver at m = 5, and the 1-D correlation and diagonal SDEs', () => {
    const v5 = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i === j ? 1 + i / 4 : 0.3)));
    const cases = [
      { ...exploding, sde: covarianceSde(relu), solver: ninomiyaVictoir(), v0: v5, paths: 130, threshold: undefined },
      {
        sde: correlationSde(relu),
        T: 1,
        v0: 0.5,
        stepping: constantSteps(10),
        saveAt: saveAt({ count: 2 }),
        paths: 150,
        seed: 3,
      },
      {
        sde: diagonalSde(swish),
        T: 2,
        v0: 1,
        stepping: constantSteps(10),
        saveAt: saveAt({ count: 5 }),
        paths: 150,
        seed: 4,
        threshold: 3,
      },
    ];
    for (const options of cases as unknown as OnThisThread<SolveOptions>[]) {
      const full = solveSync(options);
      const kept = solveSync({ ...options, keep: 'summary' });
      expect(kept.summary).toEqual(summary(full));
      expect(record(kept)).toEqual(record(full));
    }
  });

  it('the same bits on 1, 2 and 3 worker threads and on this thread, tasks of any size', async () => {
    const here = solveSync({ ...exploding, keep: 'summary' });
    for (const threads of [1, 2, 3]) {
      const there = await solve({ ...exploding, keep: 'summary', threads });
      expect(there.summary).toEqual(here.summary);
      expect(record(there)).toEqual(record(here));
    }
    // One thread on a worker (as the CLI runs it), in 20 watched tasks of one block each.
    const previous = platform();
    setPlatform(nodePlatform({ oneThreadOnWorker: true }));
    try {
      const seen: number[] = [];
      const watched = await solve({ ...exploding, keep: 'summary', onProgress: (done) => seen.push(done) });
      expect(watched.summary).toEqual(here.summary);
      expect(seen.at(-1)).toBe(exploding.paths);
      expect(seen.length).toBeGreaterThan(3);
    } finally {
      setPlatform(previous);
    }
  });

  it('within 1e-12 (relative) of one two-pass mean over all paths, the reduction before blocks', () => {
    const full = solveSync({ ...exploding, paths: 1000 });
    const s = summary(solveSync({ ...exploding, paths: 1000, keep: 'summary' }));
    const v = full.values;
    const kept = Array.from({ length: 1000 }, (_, p) => p).filter((p) => full.status[p] !== PATH_EXPLODED);
    const direct = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const m2 = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
      return { mean, se: Math.sqrt(m2 / (xs.length - 1) / xs.length) };
    };
    // The blocked mean and M2 differ from these by rounding alone: 1e-12 of the value, and for an SE that
    // is itself rounding (t = 0, every path at V0) 1e-12 of the estimate.
    const close = (cell: unknown, xs: number[]) => {
      const { mean, se } = direct(xs);
      const c = cell as { estimate: number; se: number; n: number };
      expect(c.n).toBe(xs.length);
      expect(Math.abs(c.estimate - mean)).toBeLessThanOrEqual(1e-12 * Math.abs(mean));
      expect(Math.abs(c.se - se)).toBeLessThanOrEqual(1e-12 * Math.max(se, Math.abs(mean)));
    };
    for (let t = 0; t < full.ts.length; t++) {
      for (let a = 0; a < 3; a++) {
        close(
          s.saves[t].logV[a],
          kept.map((p) => log(v.get(t, p, a, a))),
        );
        for (let b = a; b < 3; b++) {
          close(
            s.saves[t].mean[a][b],
            kept.map((p) => v.get(t, p, a, b)),
          );
          close(
            s.saves[t].mean[b][a],
            kept.map((p) => v.get(t, p, a, b)),
          );
          if (b > a)
            close(
              s.saves[t].rho[a][b],
              kept.map((p) => v.get(t, p, a, b) / Math.sqrt(v.get(t, p, a, a) * v.get(t, p, b, b))),
            );
        }
      }
    }
    // The check can fail: a mean off by one part in 1e10 is caught.
    const xs = kept.map((p) => v.get(2, p, 0, 1));
    expect(() =>
      close({ ...(s.saves[2].mean[0][1] as object), estimate: direct(xs).mean * (1 + 1e-10) }, xs),
    ).toThrow();
  });
});

describe('keep summary in memory', () => {
  afterEach(() => {
    globalThis.Float64Array = RealFloat64Array;
  });
  const RealFloat64Array = globalThis.Float64Array;

  /** The largest Float64Array (elements) made while `run` runs. */
  function largestFloat64Array(run: () => void): number {
    let largest = 0;
    globalThis.Float64Array = new Proxy(RealFloat64Array, {
      construct(target, args: unknown[]) {
        const made = Reflect.construct(target, args) as Float64Array;
        largest = Math.max(largest, made.length);
        return made;
      },
    });
    try {
      run();
    } finally {
      globalThis.Float64Array = RealFloat64Array;
    }
    return largest;
  }

  it('never makes the (saves, paths, m, m) array: the largest is one block of saves', () => {
    const options = {
      sde: covarianceSde(relu),
      solver: ninomiyaVictoir(),
      T: 0.5,
      v0: Array.from({ length: 12 }, (_, i) => Array.from({ length: 12 }, (_, j) => (i === j ? 1 : 0.4))),
      stepping: constantSteps(8),
      saveAt: saveAt({ count: 8 }),
      paths: 2000,
      seed: 5,
    };
    const tensor = 9 * 2000 * 144;
    const block = 9 * SDE_BLOCK * ((12 * 13) / 2);
    let kept: SummarySolution | undefined;
    const largest = largestFloat64Array(() => {
      kept = solveSync({ ...options, keep: 'summary' });
    });
    expect(largest).toBeLessThanOrEqual(Math.max(block, 2000));
    expect(largest).toBeLessThan(tensor / 20);
    expect(kept && 'values' in kept).toBe(false);
    // The spy sees the tensor when it is made.
    expect(largestFloat64Array(() => void solveSync(options))).toBeGreaterThanOrEqual(tensor);
  });

  it('runs where the tensor would not fit: paths refused by the memory check, summary planned in a few MB', () => {
    const previous = platform();
    const what = 'free for this test';
    setPlatform({ ...nodePlatform(), memory: () => ({ bytes: 32 * 2 ** 20, what }) });
    try {
      const options = { ...exploding, paths: 20_000, saveAt: saveAt({ count: 16 }), stepping: constantSteps(16) };
      // 17 saves x 20000 paths x 9 x 8 bytes = 24 MB: more than half of the 32 MiB this platform reports.
      expect(() => solveSync(options)).toThrow(LimitError);
      expect(() => solveSync(options)).toThrow(/paths needs about 0\.0\d\d GiB for the saved values/);
      const s = solveSync({ ...options, keep: 'summary' });
      expect(s.summary.saves).toHaveLength(17);
      expect(s.summary.items).toBe(20_000);
      const plan = summaryPlan(
        { saveSteps: Array.from({ length: 17 }, (_, k) => k), shape: 'matrix', m: 3, kind: 'covariance' },
        20_000,
        1,
      );
      expect(plan.bytes).toBeLessThan(2 * 2 ** 20);
    } finally {
      setPlatform(previous);
    }
  });

  it("the block buffer is the summary plan's largest array, and grows with saves and m, not paths", () => {
    const job = (saves: number, m: number) => ({
      saveSteps: Array.from({ length: saves }, (_, k) => k),
      shape: 'matrix' as const,
      m,
      kind: 'covariance',
    });
    expect(summaryPlan(job(10, 256), 10_000, 1).elements).toBe(10 * 64 * ((256 * 257) / 2));
    expect(summaryPlan(job(10, 256), 1e7, 1).elements).toBe(summaryPlan(job(10, 256), 10_000, 1).elements);
    const bytes = (paths: number) => summaryPlan(job(10, 256), paths, 1).bytes;
    expect(bytes(1e7)).toBe(bytes(1e4));
  });
});

describe('keep: the option, its record and its refusals', () => {
  it('records keep in settings, and summary() of a summary-only result is its summary', () => {
    const kept = solveSync({ ...exploding, paths: 100, keep: 'summary' });
    expect(kept.settings.keep).toBe('summary');
    expect(solveSync({ ...exploding, paths: 100 }).settings.keep).toBe('paths');
    expect(summary(kept)).toBe(kept.summary);
    expect(kept.summary.saves[1].averagedOver).toMatchObject({ over: 'finished', leftOut: kept.counts.exploded });
  });

  it('refuses an unknown keep in one line, and weakExpectations (which needs every path) refuses keep', async () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return 'no refusal';
    };
    expect(refusal(() => solveSync({ ...exploding, keep: 'values' as never }))).toBe(
      'keep must be one of paths, summary (what the result holds) (got "values")',
    );
    await expect(weakExpectations({ ...exploding, keep: 'summary' } as never, { v: () => 1 })).rejects.toThrow(
      /^keep is not an option of weakExpectations/,
    );
  });

  it('the summary block is the SDE block (the fold runs over the same 64 paths)', () => {
    expect(SUMMARY_BLOCK).toBe(SDE_BLOCK);
  });
});

describe('ncsde sde --keep summary', () => {
  const run = ['sde', '--m', '3', '--paths', '150', '--steps', '12', '--saves', '3', '--threshold', '3', '--seed', '2'];

  it('prints the summary of the same run with every path, records keep, and --config of its output reruns it', () => {
    const dir = workdir();
    const paths = ncsde([...run, '--threads', '2'], dir);
    const kept = ncsde([...run, '--keep', 'summary', '--threads', '1', '--out', 'kept.json'], dir);
    expect(kept.status, kept.stderr).toBe(0);
    const a = JSON.parse(paths.stdout);
    const b = JSON.parse(readFileSync(join(dir, 'kept.json'), 'utf8'));
    expect(a.counts.exploded).toBeGreaterThan(0);
    expect(b.saves).toEqual(a.saves);
    expect(b.counts).toEqual(a.counts);
    expect(b.shape).toEqual(a.shape);
    expect(b.settings.keep).toBe('summary');
    expect(b.resolved.keep).toBe('summary');
    expect(a.settings.keep).toBe('paths');
    const again = ncsde(['sde', '--config', 'kept.json'], dir);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(b);
  });

  it('refuses, before computing, what needs every path', () => {
    for (const [extra, message] of [
      [['--values'], /^ncsde: --values needs every path, which --keep summary does not keep \(got true\)$/],
      [
        ['--extrapolate'],
        /^ncsde: --extrapolate combines every path of two solves, which --keep summary does not keep/,
      ],
      [['--out', 'x.npz'], /^ncsde: --out must be a \.json file \(the summary\): --keep summary keeps no path/],
    ] as const) {
      const r = ncsde([...run, '--keep', 'summary', ...extra]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
    }
    const r = ncsde([...run, '--keep', 'all']);
    expect(r.stderr.trim()).toMatch(/^ncsde: --keep must be one of paths, summary \(got "all"\)$/);
  });

  it('refuses a JSON summary longer than one JavaScript string, naming --saves', () => {
    const r = ncsde(['sde', '--m', '256', '--saves', '30', '--steps', '30', '--paths', '2', '--keep', 'summary']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^ncsde: --saves gives a JSON summary of 4071168 cells .* lower it \(got 30\)$/);
  });
});
