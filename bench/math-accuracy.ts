// Accuracy of the deterministic maths (src/math) on many random arguments: writes each function's
// arguments and results to a binary file that `python3 scripts/gen-math-table.py --check FILE` scores
// against mpmath (max error in ulps). Usage: npx tsx bench/math-accuracy.ts [count=1000000] [file].
// Half the draws are spread over the whole useful domain, half sit in the function's delicate region.
// `npx tsx bench/math-accuracy.ts table [file]` scores the committed table's arguments instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { acos, atanh, cos, exp, expm1, hypot, log, log1p, pow, sin, tanh } from '../src/math/index.js';

const TABLE = process.argv[2] === 'table';
const count = TABLE ? 0 : Number(process.argv[2] ?? 1e6);
const file = process.argv[3] ?? '/tmp/math-accuracy.bin';

// splitmix64 in 32-bit halves: a fixed, dependency-free stream of uniforms in [0, 1)
let s0 = 0x9e3779b9;
let s1 = 0x7f4a7c15;
function uniform(): number {
  s0 = (s0 + 0x9e3779b9) | 0;
  s1 = (s1 + 0x7f4a7c15 + (s0 >>> 0 < 0x9e3779b9 ? 1 : 0)) | 0;
  let a = s0 ^ (s1 >>> 15);
  let b = s1 ^ (s0 << 7);
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  a ^= b >>> 11;
  b ^= a >>> 17;
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}
const between = (lo: number, hi: number) => lo + (hi - lo) * uniform();
const signed = (v: number) => (uniform() < 0.5 ? -v : v);
const logUniform = (lo: number, hi: number) => 10 ** between(lo, hi);

type Case = [string, (...a: number[]) => number, () => number[]];
const cases: Case[] = [
  ['exp', exp, () => [uniform() < 0.5 ? between(-745.2, 709.8) : signed(logUniform(-12, 0.5))]],
  ['expm1', expm1, () => [uniform() < 0.5 ? between(-40, 40) : signed(logUniform(-12, 0.5))]],
  ['log', log, () => [uniform() < 0.5 ? 2 ** between(-1074, 1024) : 1 + signed(logUniform(-16, -0.5))]],
  ['log1p', log1p, () => [uniform() < 0.5 ? between(-1, 3) : signed(logUniform(-16, -0.5))]],
  ['acos', acos, () => [uniform() < 0.5 ? between(-1, 1) : signed(1 - logUniform(-16, -0.3))]],
  ['sin', sin, () => [uniform() < 0.5 ? between(-10, 10) : signed(logUniform(-8, 7))]],
  ['cos', cos, () => [uniform() < 0.5 ? between(-10, 10) : signed(logUniform(-8, 7))]],
  ['tanh', tanh, () => [uniform() < 0.5 ? between(-25, 25) : signed(logUniform(-9, 0.1))]],
  ['atanh', atanh, () => [uniform() < 0.5 ? between(-1, 1) : signed(1 - logUniform(-16, -0.3))]],
  ['pow', pow, () => (uniform() < 0.5 ? [between(0, 10), between(-10, 10)] : [logUniform(-30, 30), between(-8, 8)])],
  [
    'hypot',
    hypot,
    () =>
      uniform() < 0.5
        ? [between(-10, 10), between(-10, 10)]
        : [signed(logUniform(-300, 300)), signed(logUniform(-300, 300))],
  ],
];

const tableRows = TABLE
  ? readFileSync(new URL('../test/fixtures/math-table.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(' '))
  : [];
const bits = new BigUint64Array(1);
const fromHex = (h: string) => ((bits[0] = BigInt('0x' + h)), new Float64Array(bits.buffer)[0]);

const parts: Buffer[] = [];
for (const [name, f, draw] of cases) {
  const arity = f.length;
  const argsList = TABLE
    ? tableRows.filter((r) => r[0] === name).map((r) => r.slice(1, 1 + arity).map(fromHex))
    : Array.from({ length: count }, draw);
  const n = argsList.length;
  const values = new Float64Array(n * (arity + 1));
  for (let i = 0; i < n; i++) {
    const args = argsList[i];
    for (let j = 0; j < arity; j++) values[i * (arity + 1) + j] = args[j];
    values[i * (arity + 1) + arity] = f(...args);
  }
  const head = Buffer.alloc(1 + name.length + 8);
  head[0] = name.length;
  head.write(name, 1, 'latin1');
  head.writeUInt32LE(arity, 1 + name.length);
  head.writeUInt32LE(n, 5 + name.length);
  parts.push(head, Buffer.from(values.buffer));
}
writeFileSync(file, Buffer.concat(parts));
console.log(`wrote ${cases.length} functions' results to ${file}`);
