// `ncsde check`: the per-layer conditional-moment test of an architecture's block (checkBlock, docs/maths.md
// section 17) at an equicorrelated V, printed as a table of z-scores for the drift and the worst entries of
// the noise covariance. Options are read by the one option reader, so bad input is the usual one line.
import type { Command } from 'commander';
import { parseActivation } from '../../src/activations/index.js';
import type { OptionSpec } from '../../src/options.js';
import { checkBlock, parseArchitecture } from '../../architectures/index.js';
import { OPTION } from '../../validation/options.js';
import { normalCdf } from '../../src/special.js';
import { addConfigOption, addOptions, commonOptions, jsonText, readCommand } from './common.js';

const CHECK_OPTIONS: readonly OptionSpec[] = [
  {
    ...OPTION.architecture,
    help: 'the architecture or block to check (e.g. residual(parallel(shapedAttention(1),dense),0.7))',
  },
  OPTION.activation,
  { key: 'm', kind: { type: 'integer', min: 1, max: 8 }, help: 'inputs (the side of V)', default: 3 },
  { ...OPTION.rho0, help: 'the correlation of every pair of inputs in V' },
  {
    key: 'x0',
    kind: { type: 'number', min: 0, max: 1e6, exclusiveMin: true },
    help: 'the variance of every input in V',
    default: 1,
  },
  { ...OPTION.n, help: 'the smallest width (n, 4n and 16n are run and extrapolated)', default: 128 },
  {
    key: 'draws',
    kind: { type: 'integer', min: 2, max: 1_000_000 },
    help: 'antithetic pairs of streams per width',
    default: 300,
  },
  OPTION.seed,
];

/** The row of one entry. */
const row = (label: string, estimate: number, declared: number, se: number, z: number) =>
  `${label.padEnd(10)} ${estimate.toPrecision(6).padStart(13)} ${declared.toPrecision(6).padStart(13)} ${se.toPrecision(3).padStart(10)} ${z.toFixed(2).padStart(8)}\n`;

export function checkCommand(program: Command): void {
  const cmd = program
    .command('check')
    .description(
      "check a block's declared limit against its finite layer, per layer (z-scores of drift and noise covariance)",
    );
  // The check runs on this thread; it writes to stdout only (no --out, no --threads).
  const options = [
    ...CHECK_OPTIONS,
    ...commonOptions({ help: 'unused: the check prints to stdout' }, { threads: false }).filter(
      (o) => o.key === 'json',
    ),
  ];
  addOptions(cmd, options);
  addConfigOption(cmd);
  cmd.action(() => {
    const { values } = readCommand(cmd, options);
    const architecture = parseArchitecture(values.architecture, '--architecture');
    const m = values.m as number;
    const x0 = values.x0 as number;
    const rho = values.rho0 as number;
    const v = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => (a === b ? x0 : rho * x0)));
    const r = checkBlock(architecture, {
      v,
      n: values.n as number,
      draws: values.draws as number,
      seed: values.seed as number,
      activation: parseActivation(values.activation, '--activation'),
    });
    // The family's verdict: Bonferroni over its entries (they share draws, so they are dependent; the bound
    // holds under any dependence), at the 1% level.
    const family = (z: readonly number[], maxAbsZ: number) => ({
      entries: z.length,
      maxAbsZ,
      pValue: Math.min(1, z.length * 2 * normalCdf(-maxAbsZ)),
    });
    const verdict = { drift: family(r.drift.z, r.drift.maxAbsZ), noise: family(r.noise.z, r.noise.maxAbsZ) };
    const agrees = verdict.drift.pValue > 0.01 && verdict.noise.pValue > 0.01;
    if (values.json) {
      process.stdout.write(
        jsonText({
          schema: 'ncsde.check/1',
          settings: { ...values, json: undefined, v },
          result: r,
          verdict: { ...verdict, level: 0.01, agrees },
        }),
      );
      return;
    }
    const out = process.stdout;
    out.write(
      `block ${r.block}: widths ${r.widths.join(', ')} extrapolated, ${r.draws} antithetic pairs each, last weights ${r.method === 'conditional' ? 'integrated out' : 'drawn'}\n`,
    );
    out.write(
      `V = ${JSON.stringify(v)}\n\ndrift n E[dV | V] against b(V)\n${'entry'.padEnd(10)} ${'estimate'.padStart(13)} ${'declared'.padStart(13)} ${'SE'.padStart(10)} ${'z'.padStart(8)}\n`,
    );
    r.drift.labels.forEach((label, i) =>
      out.write(row(label, r.drift.estimate[i], r.drift.declared[i], r.drift.se[i], r.drift.z[i])),
    );
    const worst = r.noise.z
      .map((z, i) => [Math.abs(z), i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 6);
    out.write(`\nnoise n Cov[dV | V] against N(V): ${r.noise.labels.length} entries, the largest |z| first\n`);
    for (const [, i] of worst)
      out.write(row(r.noise.labels[i], r.noise.estimate[i], r.noise.declared[i], r.noise.se[i], r.noise.z[i]));
    const line = (name: string, f: ReturnType<typeof family>) =>
      `${name}: max |z| ${f.maxAbsZ.toFixed(2)} over ${f.entries} entries, Bonferroni p = ${f.pValue.toPrecision(3)}`;
    out.write(`\n${line('drift', verdict.drift)}\n${line('noise', verdict.noise)}\n`);
    out.write(
      agrees
        ? 'verdict: the declared limit agrees with the finite layer (both families p > 0.01)\n'
        : 'verdict: the declared limit is REJECTED at the 1% level (a family has p <= 0.01)\n',
    );
  });
}
