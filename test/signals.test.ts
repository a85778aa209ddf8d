// Long runs you can watch and stop (issue 26): Ctrl-C and SIGTERM stop the built CLI within 2 s at one
// thread and at two, with one line, exit 130/143 and no output or temporary file left; off a terminal
// progress is one line per stage; the pilot's estimate and its words.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { doubledSizes, duration, measureWork, type Pilot } from '../entry/cli/estimate.js';
import { startProgress } from '../entry/cli/progress.js';
import { ncsde, start, workdir } from './helpers/cli.js';
import { compareSampleSteps, compareSamples } from '../validation/compare.js';
import { cooperate } from '../src/steps.js';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Start a run, wait for its stage line on stderr, let it compute a moment, signal it, and time the stop. */
async function stopWhileComputing(
  args: string[],
  stageLine: RegExp,
  signal: 'SIGINT' | 'SIGTERM',
  setup?: (dir: string) => void,
) {
  const dir = workdir();
  setup?.(dir);
  const before = readdirSync(dir).sort();
  const run = start(args, dir);
  let seen = '';
  run.child.stderr.on('data', (d) => (seen += d));
  // Up to a minute: a stage that comes after others may be late on a loaded machine.
  for (let i = 0; i < 2400 && !stageLine.test(seen) && run.child.exitCode === null; i++) await sleep(25);
  expect(seen, 'the stage line never came').toMatch(stageLine);
  await sleep(300);
  const t0 = performance.now();
  run.child.kill(signal);
  const end = await run.done;
  return { ...end, ms: performance.now() - t0, left: readdirSync(dir).sort(), before };
}

const CASES = [
  // About a minute of work at one thread on this machine, so that each is surely computing when stopped.
  {
    name: 'network --threads 1, SIGINT',
    args: [
      'network',
      '--activation',
      'tanh:1',
      '--n',
      '128',
      '--method',
      'explicit',
      '--samples',
      '1500',
      '--threads',
      '1',
      '--out',
      'out.json',
    ],
    signal: 'SIGINT',
    stage: /^\[0\.\d s\] network: 1500 samples of width 128 and depth 128 on 1 thread$/m,
  },
  {
    name: 'network --threads 2, SIGTERM',
    args: [
      'network',
      '--activation',
      'tanh:1',
      '--n',
      '128',
      '--method',
      'explicit',
      '--samples',
      '1500',
      '--threads',
      '2',
      '--out',
      'out.npz',
    ],
    signal: 'SIGTERM',
    stage: /^\[0\.\d s\] network: 1500 samples of width 128 and depth 128 on 2 threads$/m,
  },
  {
    name: 'sde --threads 1, SIGTERM',
    args: ['sde', '--paths', '4000000', '--steps', '100', '--threads', '1', '--out', 'out.npy'],
    signal: 'SIGTERM',
    stage: /^\[0\.\d s\] sde: 4000000 paths x 100 steps on 1 thread$/m,
  },
  {
    name: 'sde --threads 2, SIGINT',
    args: ['sde', '--paths', '4000000', '--steps', '100', '--threads', '2', '--out', 'out.json'],
    signal: 'SIGINT',
    stage: /^\[0\.\d s\] sde: 4000000 paths x 100 steps on 2 threads$/m,
  },
  {
    name: 'validate --threads 1, SIGINT',
    args: ['validate', '--config', 'c.json', '--threads', '1', '--out', 'report'],
    signal: 'SIGINT',
    stage: /^\[0\.\d s\] SDE and networks at T$/m,
  },
] as const;

describe('Ctrl-C and SIGTERM', () => {
  for (const c of CASES) {
    it(`${c.name}: stops within 2 s, says so in one line, exits ${c.signal === 'SIGINT' ? 130 : 143}, writes nothing`, async () => {
      const r = await stopWhileComputing([...c.args], c.stage, c.signal, (dir) =>
        writeFileSync(
          join(dir, 'c.json'),
          JSON.stringify({ n: 64, samples: 20000, paths: 20000, widths: [8, 16, 32, 64] }),
        ),
      );
      expect(r.ms).toBeLessThan(2000);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(c.signal === 'SIGINT' ? 130 : 143);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`ncsde: stopped by ${c.signal}; nothing was written`);
      // Off a terminal: the stage line and the stop line, no per-block ticks (a pilot note may come first).
      expect(lines.filter((l) => !l.startsWith('ncsde: note: '))).toHaveLength(2);
      // Nothing new in the directory: no output, no temporary file or directory.
      expect(r.left).toEqual(r.before);
    });
  }
});

describe('a stop while statistics run on the main thread', () => {
  // validate --paths 400000 --threads 1 took 77 s to stop in its bootstraps (newcomer trial); at 60,000
  // paths they take about 5 s on one idle core, past the 2 s a stop is allowed, so this size shows it.
  it('validate: SIGINT in the bootstraps at T stops within 2 s, with one line, exit 130, nothing written', async () => {
    const r = await stopWhileComputing(
      ['validate', '--config', 'c.json', '--threads', '1', '--out', 'report'],
      /^\[\d+\.\d s\] statistics at T: bootstrap intervals, tests, distances$/m,
      'SIGINT',
      (dir) =>
        writeFileSync(
          join(dir, 'c.json'),
          JSON.stringify({ n: 32, samples: 2000, paths: 60000, widths: [4, 8, 16, 32] }),
        ),
    );
    expect(r.ms).toBeLessThan(2000);
    expect(r.status).toBe(130);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\[0\.\d s\] SDE and networks at T$/),
      expect.stringMatching(/^\[\d+\.\d s\] statistics at T: /),
      'ncsde: stopped by SIGINT; nothing was written',
    ]);
    expect(r.left).toEqual(r.before);
  });

  it('the cooperative statistics give the bits of the synchronous ones, and give the event loop turns', async () => {
    const x = Float64Array.from({ length: 30000 }, (_, i) => Math.sin(i) + (i % 7) / 3);
    const y = Float64Array.from({ length: 20000 }, (_, i) => Math.cos(i) + (i % 5) / 2);
    const options = { seed: 3, label: 'steps', resamples: 400, heavyTailed: true };
    const sync = compareSamples(x, y, options);
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const cooperative = await cooperate(compareSampleSteps(x, y, options), 5);
    clearInterval(ticker);
    expect(cooperative).toEqual(sync);
    // The check can fail: a run drained without pausing gives no turn.
    expect(turns).toBeGreaterThan(0);
  });
});

describe('temporaries', () => {
  it('a temporary file left by a killed process is removed by the next run; a live one stays', () => {
    const dir = workdir();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = `.out.json.tmp-${gone}-abc123`;
    const live = `.out.json.tmp-${process.pid}-abc123`;
    writeFileSync(join(dir, stale), 'partial');
    writeFileSync(join(dir, live), 'being written');
    const run = ncsde(['sde', '--paths', '64', '--steps', '4', '--threads', '1', '--out', 'out.json'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([live, 'out.json'].sort());
  });
});

describe('progress', () => {
  /** A stream that keeps what is written, a terminal or not. */
  const capture = (isTTY: boolean) => {
    let text = '';
    const stream = new Writable({
      write: (chunk, _, done) => ((text += chunk), done()),
    }) as unknown as NodeJS.WriteStream;
    Object.assign(stream, { isTTY, columns: 120 });
    return { stream, text: () => text };
  };

  it('off a terminal: one line per stage and none for updates; on one: a bar with an ETA and the stage', async () => {
    const plain = capture(false);
    const p = await startProgress('validate', { stream: plain.stream });
    p.update(1, 3);
    p.stage('width 16');
    p.update(2, 3);
    p.stop();
    expect(plain.text()).toMatch(/^\[0\.\d s\] width 16\n$/);
    const tty = capture(true);
    const q = await startProgress('network', { stream: tty.stream });
    q.update(5, 20);
    q.stage('a stage');
    q.stop();
    expect(tty.text()).toMatch(/network \[.*\] 25% \| 5\/20 \| eta .* \| a stage/);
  });
});

describe('the pilot and its words', () => {
  it('durations read as words, one minute singular', () => {
    expect([61, 100, 3000, 7200, 3 * 86400].map(duration)).toEqual([
      '1 minute',
      '2 minutes',
      '50 minutes',
      '2.0 hours',
      '3 days',
    ]);
  });

  it('sizes double one at a time, the first first, up to their full values', () => {
    const sizes = [
      { from: 1, to: 5 },
      { from: 2, to: 8 },
    ];
    expect(Array.from({ length: 7 }, (_, k) => doubledSizes(sizes, k))).toEqual([
      [1, 2],
      [2, 2],
      [4, 2],
      [5, 2],
      [5, 4],
      [5, 8],
      undefined,
    ]);
  });

  it('scales a timed part to the run, past a start-up cost and a one-off slow part', async () => {
    // 2 ms per unit plus 150 ms the first time (start-up) and 400 ms once more (a one-off).
    const slow = new Set([0, 3]);
    const pilot: Pilot = {
      units: 100_000,
      part: (k) => {
        const units = 2 ** k;
        return {
          units,
          what: `${units} units`,
          run: () => sleep(2 * units + (slow.has(k) ? (k === 0 ? 150 : 400) : 0)),
        };
      },
    };
    const m = await measureWork(pilot, 200);
    expect(m).toBeDefined();
    // 200 s at 2 ms a unit; timer slack only adds (a part's sleep ends late, never early).
    expect(m!.seconds).toBeGreaterThanOrEqual(199);
    expect(m!.seconds).toBeLessThan(300);
    expect(m!.what).not.toBe('8 units');
    // A run whose first part alone would take over a second by the model gets no pilot.
    expect(await measureWork(pilot, 200_000)).toBeUndefined();
  });
});
