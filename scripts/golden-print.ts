// Prints the golden table of test/golden.test.ts from the cases it pins (test/helpers/golden.ts), under both
// kernel choices: for a deliberate change of bits, run `npx tsx scripts/golden-print.ts`, check why the
// hashes moved, and paste the table. Exits 1 when the js and wasm kernels disagree (they must not).
import { CASES, withKernels } from '../test/helpers/golden.js';

let disagree = 0;
const lines: string[] = [];
for (const [name, run] of CASES) {
  const js = withKernels('js', run);
  const wasm = withKernels('wasm', run);
  if (js !== wasm) {
    disagree++;
    console.error(`golden-print: ${name}: js ${js} but wasm ${wasm}`);
  }
  lines.push(`  '${name}': '${js}',`);
}
console.log(`const GOLDEN: Record<string, string> = {\n${lines.join('\n')}\n};`);
if (disagree) process.exit(1);
