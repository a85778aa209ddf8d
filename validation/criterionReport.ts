// The explosion/vanishing report: for each smooth activation of the catalog and each shaping scale a,
// beta and its regime, P(explode ever), and P(explode by T) from the reference functional, the SDE
// solver and finite networks side by side, plus the median of X_T on the vanishing side.
import { z } from 'zod';
import { shapedSmooth } from '../src/activations/index.js';
import type { WorkerPool } from '../src/parallel.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';
import { parseConfig } from './config.js';
import { criterion, networkExplosionProbability, referenceExplosionProbability, sdeExplosionProbability, type Criterion, type Proportion } from './criterion.js';
import { fmt, htmlPage, htmlTable, markdownTable } from './page.js';
import { renderSvg, seriesSpec } from './plots.js';

export const CRITERION_SCHEMA = 'ncsde.criterion/1';

export const criterionSchema = z
  .object({
    activations: z.array(z.enum(['tanh', 'sin', 'swish', 'softplus', 'gelu'])).min(1).default(['tanh', 'sin', 'swish', 'softplus', 'gelu']),
    a: z.array(z.number().positive()).min(1).default([0.75, 1, 1.5]),
    x0: z.number().positive().default(1),
    ts: z.array(z.number().positive()).min(1).default([0.5, 1, 2, 4, 8]),
    paths: z.number().int().min(10).default(4000),
    stepsPerUnit: z.number().int().min(10).default(1000),
    network: z
      .object({
        n: z.number().int().min(2).default(256),
        samples: z.number().int().min(10).default(1000),
        ts: z.array(z.number().positive()).min(1).default([0.5, 1]),
        /** Threshold for the network-vs-SDE comparison, in units of X0: well above 1/beta, well below a^2 n. */
        threshold: z.number().positive().default(10),
      })
      .strict()
      .prefault({}),
    seed: z.union([z.number().int().nonnegative(), z.string().min(1)]).default(1),
  })
  .strict();
export type CriterionConfig = z.infer<typeof criterionSchema>;

export interface CriterionRow {
  readonly f: string;
  readonly a: number;
  readonly criterion: Criterion;
  /** Threshold used for "explosion" by the solver against the reference: 1e4 / beta (X0 units). */
  readonly sdeThreshold: number;
  readonly reference: Proportion[];
  readonly sde: Proportion[];
  /** Median of X_t from the solver (exploded paths count as +infinity; null when over half exploded). */
  readonly medians: Array<number | null>;
  /** Network and SDE crossing the smaller network threshold by each network time. */
  readonly network: Proportion[];
  readonly sdeAtNetworkThreshold: Proportion[];
}

export interface CriterionReport {
  readonly schema: typeof CRITERION_SCHEMA;
  readonly package: { name: string; version: string };
  readonly generatedAt: string;
  readonly config: CriterionConfig;
  readonly rows: CriterionRow[];
}

export async function criterionReport(config: unknown = {}, options: { threads?: number | WorkerPool; onRow?: (label: string) => void } = {}): Promise<CriterionReport> {
  const cfg = parseConfig(criterionSchema, config);
  const rows: CriterionRow[] = [];
  for (const f of cfg.activations) {
    for (const a of cfg.a) {
      const activation = shapedSmooth(f, { a });
      const c = criterion(activation, cfg.x0);
      const sdeThreshold = (c.beta > 0 ? 1e4 / c.beta : 1e4) * cfg.x0;
      const seed = `${cfg.seed}/${f}/${a}`;
      const reference = referenceExplosionProbability({ beta: c.beta, x0: cfg.x0, ts: cfg.ts, paths: cfg.paths, seed, stepsPerUnit: cfg.stepsPerUnit });
      const sde = await sdeExplosionProbability({ activation, x0: cfg.x0, ts: cfg.ts, threshold: sdeThreshold, paths: cfg.paths, seed, stepsPerUnit: cfg.stepsPerUnit, threads: options.threads });
      const netThreshold = cfg.network.threshold * cfg.x0;
      const sdeNet = await sdeExplosionProbability({ activation, x0: cfg.x0, ts: cfg.network.ts, threshold: netThreshold, paths: cfg.paths, seed, stepsPerUnit: cfg.stepsPerUnit, threads: options.threads });
      const network = await networkExplosionProbability({
        activation,
        x0: cfg.x0,
        n: cfg.network.n,
        ts: cfg.network.ts,
        threshold: netThreshold,
        samples: cfg.network.samples,
        seed,
        threads: options.threads,
      });
      rows.push({
        f,
        a,
        criterion: c,
        sdeThreshold,
        reference,
        sde: sde.probabilities,
        medians: sde.medians.map((m) => (m >= sdeThreshold ? null : m)),
        network,
        sdeAtNetworkThreshold: sdeNet.probabilities,
      });
      options.onRow?.(`${f} a=${a}`);
    }
  }
  return { schema: CRITERION_SCHEMA, package: { name: PACKAGE_NAME, version: PACKAGE_VERSION }, generatedAt: new Date().toISOString(), config: cfg, rows };
}

const interval = (p: Proportion) => `${fmt(p.p, 3)} [${fmt(p.lower, 2)}, ${fmt(p.upper, 2)}]`;

function summaryTable(r: CriterionReport): { header: string[]; rows: string[][] } {
  return {
    header: ['f', 'a', 'beta', 'regime', 'P(explode ever)', ...r.config.ts.map((t) => `ref / SDE by T=${t}`)],
    rows: r.rows.map((row) => [
      row.f,
      String(row.a),
      fmt(row.criterion.beta),
      row.criterion.regime,
      fmt(row.criterion.explosionProbability),
      ...row.reference.map((p, i) => `${interval(p)} / ${interval(row.sde[i])}`),
    ]),
  };
}

function networkTable(r: CriterionReport): { header: string[]; rows: string[][] } {
  return {
    header: ['f', 'a', ...r.config.network.ts.map((t) => `network / SDE crossing ${r.config.network.threshold} X0 by T=${t}`)],
    rows: r.rows.map((row) => [row.f, String(row.a), ...row.network.map((p, i) => `${interval(p)} / ${interval(row.sdeAtNetworkThreshold[i])}`)]),
  };
}

function vanishingTable(r: CriterionReport): { header: string[]; rows: string[][] } {
  return {
    header: ['f', 'a', 'beta', ...r.config.ts.map((t) => `median X at T=${t}`)],
    rows: r.rows.map((row) => [row.f, String(row.a), fmt(row.criterion.beta), ...row.medians.map((m) => (m === null ? 'exploded' : fmt(m)))]),
  };
}

function intro(r: CriterionReport): string {
  const c = r.config;
  return (
    `dX = beta X^2 dt + sqrt(2) X dB, X0 = ${c.x0}. Reference: P(beta int_0^T exp(-s + sqrt2 B_s) ds > 1/X0), ${c.paths} paths; SDE: Euler-Maruyama, ` +
    `${c.stepsPerUnit} steps per unit time, ${c.paths} paths, explosion at 1e4/beta; networks: chain at width ${c.network.n}, ${c.network.samples} samples, ` +
    `threshold ${c.network.threshold} X0 on both sides. Intervals: 95% Wilson. Seed ${c.seed}.`
  );
}

export function criterionMarkdown(r: CriterionReport): string {
  const s = summaryTable(r);
  const n = networkTable(r);
  const v = vanishingTable(r);
  return `# Norm explosion and vanishing: the beta criterion

${intro(r)}

## P(explosion by T): reference / SDE solver

${markdownTable(s.header, s.rows)}

## Finite networks against the SDE

${markdownTable(n.header, n.rows)}

## Median of X_T (vanishing for beta < 0)

${markdownTable(v.header, v.rows)}
`;
}

export async function criterionHtml(r: CriterionReport): Promise<string> {
  const s = summaryTable(r);
  const n = networkTable(r);
  const v = vanishingTable(r);
  const exploding = r.rows.filter((row) => row.criterion.beta > 0);
  const probability = await renderSvg(
    seriesSpec({
      title: 'P(explosion by T): reference (points) and SDE (bars: 95% interval); dashed limit 1 - exp(-beta X0)',
      x: 'T',
      y: 'probability',
      logX: true,
      points: exploding.flatMap((row) => [
        ...row.sde.map((p, i) => ({ x: r.config.ts[i], y: p.p, lo: p.lower, hi: p.upper, series: `${row.f} a=${row.a} SDE` })),
        ...row.reference.map((p, i) => ({ x: r.config.ts[i], y: p.p, series: `${row.f} a=${row.a} reference` })),
        { x: Math.max(...r.config.ts) * 1.5, y: row.criterion.explosionProbability, series: `${row.f} a=${row.a} limit` },
      ]),
    }),
  );
  const vanishing = r.rows.filter((row) => row.criterion.beta < 0);
  const medians = await renderSvg(
    seriesSpec({
      title: 'Median of X_T for beta < 0 (vanishing)',
      x: 'T',
      y: 'median X_T',
      logX: true,
      logY: true,
      points: vanishing.flatMap((row) => row.medians.flatMap((m, i) => (m !== null && m > 0 ? [{ x: r.config.ts[i], y: m, series: `${row.f} a=${row.a}` }] : []))),
    }),
  );
  return htmlPage('Norm explosion and vanishing: the beta criterion', intro(r), [
    { heading: 'P(explosion by T): reference / SDE solver', html: htmlTable(s.header, s.rows) + `<div class="plots">${probability}</div>` },
    { heading: 'Finite networks against the SDE', html: htmlTable(n.header, n.rows) },
    { heading: 'Median of X_T (vanishing for beta < 0)', html: htmlTable(v.header, v.rows) + `<div class="plots">${medians}</div>` },
  ]);
}
