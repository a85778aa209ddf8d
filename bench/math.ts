// ns per call of the deterministic maths (src/math) against the engine's Math.*, single thread, arguments
// in each function's working range. Each timing loop is compiled separately (new Function), so every call
// site stays monomorphic for both sides; the two sides alternate, best of 7 rounds.
// Usage: npx tsx bench/math.ts (prints a markdown table).
import { pathToFileURL } from 'node:url';
import { acos, atanh, cos, exp, expm1, hypot, log, log1p, pow, sin, tanh } from '../src/math/index.js';

type Fn = (...a: number[]) => number;
const N = 4096;
const line = (f: (i: number) => number) => Float64Array.from({ length: N }, (_, i) => f(i));
const u = (i: number) => (((i * 0.6180339887498949) % 1) + 1) % 1; // a fixed low-discrepancy sequence
const CASES: Array<[string, Fn, Fn, Float64Array, Float64Array?]> = [
  ['exp', exp, Math.exp, line((i) => -20 + 40 * u(i))],
  ['expm1', expm1, Math.expm1, line((i) => -2 + 4 * u(i))],
  ['log', log, Math.log, line((i) => 1e-3 + 1e3 * u(i))],
  ['log1p', log1p, Math.log1p, line((i) => -0.9 + 3 * u(i))],
  ['acos', acos, Math.acos, line((i) => -1 + 2 * u(i))],
  ['sin', sin, Math.sin, line((i) => -10 + 20 * u(i))],
  ['cos', cos, Math.cos, line((i) => -10 + 20 * u(i))],
  ['tanh', tanh, Math.tanh, line((i) => -5 + 10 * u(i))],
  ['atanh', atanh, Math.atanh, line((i) => -0.999 + 1.998 * u(i))],
  ['pow', pow, Math.pow, line((i) => 0.01 + 10 * u(i)), line((i) => -5 + 10 * u(i * 7 + 3))],
  ['hypot', hypot, Math.hypot, line((i) => -10 + 20 * u(i)), line((i) => -10 + 20 * u(i * 7 + 3))],
];

function timer(f: Fn, x: Float64Array, y?: Float64Array): (reps: number) => number {
  const body = y
    ? 'let s = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < x.length; i++) s += f(x[i], y[i]); return s;'
    : 'let s = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < x.length; i++) s += f(x[i]); return s;';
  const loop = new Function('f', 'x', 'y', 'reps', body) as (
    f: Fn,
    x: Float64Array,
    y: Float64Array | undefined,
    reps: number,
  ) => number;
  return (reps) => {
    const t0 = process.hrtime.bigint();
    const s = loop(f, x, y, reps);
    const ns = Number(process.hrtime.bigint() - t0);
    if (Number.isNaN(s)) throw new Error('NaN sum');
    return ns / (reps * x.length);
  };
}

/** Rows of [name, ns per call ours, ns per call Math.*]. */
export function mathTimings(reps = 200, rounds = 7): Array<[string, number, number]> {
  const rows: Array<[string, number, number]> = [];
  for (const [name, ours, theirs, x, y] of CASES) {
    const a = timer(ours, x, y);
    const b = timer(theirs, x, y);
    a(20);
    b(20);
    let bestA = Infinity;
    let bestB = Infinity;
    for (let r = 0; r < rounds; r++) {
      bestA = Math.min(bestA, a(reps));
      bestB = Math.min(bestB, b(reps));
    }
    rows.push([name, bestA, bestB]);
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('| function | src/math ns/call | Math.* ns/call | ratio |');
  console.log('|---|---|---|---|');
  for (const [name, a, b] of mathTimings())
    console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)} |`);
}
