// The L/n report: normalised fourth cumulants of the output and of the input derivative against the
// depth-to-width ratio for several widths, collapsing onto one curve per activation, beside theory
// (exact products, the leading-order recursion, and the SDE for the shaped network).
import { z } from 'zod';
import { shapedRelu, unshaped, type Activation } from '../src/activations/index.js';
import type { WorkerPool } from '../src/parallel.js';
import type { Estimate } from '../src/stats.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';
import { parseConfig } from './config.js';
import { exactProductRatio, leadingOrderRatios, measureCumulants } from './cumulants.js';
import { fmt, htmlPage, htmlTable, markdownTable } from './page.js';
import { renderSvg, seriesSpec } from './plots.js';

export const CUMULANT_SCHEMA = 'ncsde.cumulants/1';

const ACTIVATIONS = ['linear', 'relu', 'tanh', 'shaped-relu'] as const;
type CumulantActivation = (typeof ACTIVATIONS)[number];

export const cumulantSchema = z
  .object({
    activations: z.array(z.enum(ACTIVATIONS)).min(1).default([...ACTIVATIONS]),
    widths: z.array(z.number().int().min(4)).min(1).default([32, 64, 128]),
    ratios: z.array(z.number().positive().max(4)).min(1).default([0.0625, 0.125, 0.25, 0.5]),
    samples: z.number().int().min(10).default(4000),
    seed: z.union([z.number().int().nonnegative(), z.string().min(1)]).default(1),
  })
  .strict();
export type CumulantConfig = z.infer<typeof cumulantSchema>;

function activationOf(name: CumulantActivation): Activation {
  return name === 'shaped-relu' ? shapedRelu({ cPlus: 0, cMinus: -1 }) : unshaped(name);
}

/** The theory beside each measurement, and what it is. */
function theory(name: CumulantActivation, activation: Activation, n: number, layers: number[]): { label: string; values: number[] } {
  switch (name) {
    case 'linear':
      return { label: 'exact (1 + 2/n)^L - 1', values: layers.map((l) => exactProductRatio(2, n, l)) };
    case 'relu':
      return { label: 'exact (1 + 5/n)^L - 1', values: layers.map((l) => exactProductRatio(5, n, l)) };
    case 'shaped-relu':
      // Output ~ N(0, V_T) with V_T a driftless GBM: Var/E^2 = exp(2T) - 1 at T = L/n.
      return { label: 'SDE exp(2T) - 1', values: layers.map((l) => Math.expm1((2 * l) / n)) };
    case 'tanh': {
      const f = activation.atWidth(n);
      const ratios = leadingOrderRatios(f.phi, f.c, n, Math.max(...layers), 1);
      return { label: 'leading-order recursion', values: layers.map((l) => ratios[l - 1]) };
    }
  }
}

export interface CumulantRow {
  readonly activation: CumulantActivation;
  readonly n: number;
  readonly layers: number[];
  readonly ratios: number[];
  readonly output: Estimate[];
  readonly derivative: Estimate[];
  readonly theoryLabel: string;
  readonly theory: number[];
}

export interface CumulantReport {
  readonly schema: typeof CUMULANT_SCHEMA;
  readonly package: { name: string; version: string };
  readonly generatedAt: string;
  readonly config: CumulantConfig;
  readonly rows: CumulantRow[];
}

export async function cumulantReport(config: unknown = {}, options: { threads?: number | WorkerPool; onRow?: (label: string) => void } = {}): Promise<CumulantReport> {
  const cfg = parseConfig(cumulantSchema, config);
  const rows: CumulantRow[] = [];
  for (const name of cfg.activations) {
    const activation = activationOf(name);
    for (const n of cfg.widths) {
      const layers = [...new Set(cfg.ratios.map((r) => Math.max(1, Math.round(r * n))))].sort((a, b) => a - b);
      const m = await measureCumulants({ activation, n, layers, samples: cfg.samples, seed: `${cfg.seed}/${name}/${n}`, threads: options.threads });
      const t = theory(name, activation, n, layers);
      rows.push({ activation: name, n, layers, ratios: m.ratios, output: m.output, derivative: m.derivative, theoryLabel: t.label, theory: t.values });
      options.onRow?.(`${name} n=${n}`);
    }
  }
  return { schema: CUMULANT_SCHEMA, package: { name: PACKAGE_NAME, version: PACKAGE_VERSION }, generatedAt: new Date().toISOString(), config: cfg, rows };
}

function table(r: CumulantReport): { header: string[]; rows: string[][] } {
  return {
    header: ['activation', 'n', 'L', 'L/n', 'output ratio ± SE', 'theory', 'theory kind', 'derivative ratio ± SE'],
    rows: r.rows.flatMap((row) =>
      row.layers.map((l, i) => [
        row.activation,
        String(row.n),
        String(l),
        fmt(row.ratios[i], 3),
        `${fmt(row.output[i].value)} ± ${fmt(row.output[i].se, 2)}`,
        fmt(row.theory[i]),
        row.theoryLabel,
        `${fmt(row.derivative[i].value)} ± ${fmt(row.derivative[i].se, 2)}`,
      ]),
    ),
  };
}

const INTRO = (r: CumulantReport) =>
  `Normalised fourth cumulant kappa_4 / (3 kappa_2^2) = Var(V)/(E V)^2 of an output z and of its input derivative dz (V: their conditional variances given the last layer), ` +
  `from the covariance chain with derivative tracking, ${r.config.samples} networks per width, one input x and an orthogonal direction u. Seed ${r.config.seed}.`;

export function cumulantMarkdown(r: CumulantReport): string {
  const t = table(r);
  return `# Fourth cumulants against depth-to-width ratio L/n

${INTRO(r)}

${markdownTable(t.header, t.rows)}
`;
}

export async function cumulantHtml(r: CumulantReport): Promise<string> {
  const t = table(r);
  const plot = (pick: (row: CumulantRow) => Estimate[], title: string, withTheory: boolean) =>
    renderSvg(
      seriesSpec({
        title,
        x: 'L / n',
        y: 'Var(V) / (E V)^2',
        logX: true,
        logY: true,
        lines: false,
        points: r.rows.flatMap((row) => [
          ...pick(row).map((e, i) => ({ x: row.ratios[i], y: Math.max(e.value, 1e-4), lo: Math.max(e.value - 2 * e.se, e.value / 3, 1e-4), hi: e.value + 2 * e.se, series: `${row.activation} n=${row.n}` })),
          ...(withTheory && row.n === Math.max(...r.config.widths) ? row.theory.map((y, i) => ({ x: row.ratios[i], y, series: `${row.activation}: ${row.theoryLabel}` })) : []),
        ]),
      }),
    );
  const output = await plot((row) => row.output, 'Output: points for each width collapse on L/n; theory at the largest width', true);
  const derivative = await plot((row) => row.derivative, 'Input derivative: the same collapse', false);
  return htmlPage('Fourth cumulants against depth-to-width ratio L/n', INTRO(r), [
    { heading: 'Collapse on L/n', html: `<div class="plots">${output}${derivative}</div>` },
    { heading: 'Measurements and theory', html: htmlTable(t.header, t.rows) },
  ]);
}
