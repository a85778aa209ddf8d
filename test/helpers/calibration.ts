// Calibration of reported intervals over replicate seeds: coverage of the true value against exact
// binomial bounds, the spread of the estimates against the mean reported SE within chi-square bounds,
// and the mean of the estimates against the truth. The number of replicates scales with
// NCSDE_CALIBRATION_SCALE (1 in the test suite, more under `npm run calibrate`).
import { chiSquareQuantile, logGamma } from '../../src/special.js';
import type { Interval } from '../../src/stats/moments.js';
import { wilson, type Proportion } from '../../src/stats/proportions.js';

export const SCALE = Number(process.env.NCSDE_CALIBRATION_SCALE ?? 1);

/** P(X <= k) for X ~ Binomial(n, p). */
function binomialCdf(k: number, n: number, p: number): number {
  let s = 0;
  for (let i = 0; i <= k; i++)
    s += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, s);
}

/** The central (1 - 2 alpha) range of Binomial(n, p) counts. */
export function binomialRange(n: number, p: number, alpha = 0.001): [number, number] {
  let lo = 0;
  while (binomialCdf(lo, n, p) < alpha) lo++;
  let hi = n;
  while (hi > 0 && 1 - binomialCdf(hi - 1, n, p) < alpha) hi--;
  return [lo, hi];
}

export interface Calibration {
  readonly replicates: number;
  readonly covered: number;
  readonly coverageRange: [number, number];
  readonly meanEstimate: number;
  readonly spread: number;
  readonly meanSe: number;
  /** spread / meanSe and its chi-square range for R - 1 degrees of freedom (0.1% each side). */
  readonly ratio: number;
  readonly ratioRange: [number, number];
  /** |mean - truth| in units of spread / sqrt(R). */
  readonly biasZ: number;
}

/** Run `estimate(seed)` for seeds 0..R-1 and measure how its intervals cover `truth`. */
export async function calibrate(
  replicates: number,
  truth: number,
  estimate: (replicate: number) => Interval | Promise<Interval>,
  level = 0.95,
): Promise<Calibration> {
  const R = Math.round(replicates * SCALE);
  const values: number[] = [];
  const ses: number[] = [];
  let covered = 0;
  for (let r = 0; r < R; r++) {
    const iv = await estimate(r);
    values.push(iv.value);
    ses.push(iv.se);
    if (iv.lower <= truth && truth <= iv.upper) covered++;
  }
  const mean = values.reduce((s, v) => s + v, 0) / R;
  const spread = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (R - 1));
  const meanSe = ses.reduce((s, v) => s + v, 0) / R;
  return {
    replicates: R,
    covered,
    coverageRange: binomialRange(R, level),
    meanEstimate: mean,
    spread,
    meanSe,
    ratio: spread / meanSe,
    ratioRange: [
      Math.sqrt(chiSquareQuantile(0.001, R - 1) / (R - 1)),
      Math.sqrt(chiSquareQuantile(0.999, R - 1) / (R - 1)),
    ],
    biasZ: Math.abs(mean - truth) / (spread / Math.sqrt(R)),
  };
}

/** One line for a failing assertion's message. */
export function describeCalibration(c: Calibration): string {
  return `covered ${c.covered}/${c.replicates} (range ${c.coverageRange.join('-')}), spread/SE ${c.ratio.toFixed(3)} (range ${c.ratioRange.map((x) => x.toFixed(3)).join('-')}), bias ${c.biasZ.toFixed(2)} SE of the mean`;
}

/** The value an interval should cover: exact (se 0) or from a reference run with its own SE. */
export interface Truth {
  readonly value: number;
  readonly se: number;
  /** Where the value comes from ('exact', 'PDE', 'reference run of 40000'). */
  readonly basis: string;
}

/** One row of the coverage table. */
export interface RowCoverage {
  readonly row: string;
  readonly method: string;
  readonly truth: Truth;
  readonly replicates: number;
  readonly covered: number;
  /** The coverage with its Wilson interval. */
  readonly coverage: Proportion;
  /** The central 99.8% range of Binomial(replicates, 0.95): a count outside it is not 95% coverage. */
  readonly range: [number, number];
  readonly calibrated: boolean;
}

type Cell = Interval | { readonly missing: string } | undefined;

/**
 * Run `estimate(r)` for R = round(replicates * SCALE) seeds and count, per row, how often its interval
 * covers the row's truth. A row absent from a replicate (missing, or no truth) does not count there.
 */
export async function coverageRows(
  replicates: number,
  truths: Readonly<Record<string, Truth>>,
  estimate: (replicate: number) => Promise<Readonly<Record<string, Cell>>>,
  level = 0.95,
): Promise<RowCoverage[]> {
  const R = Math.round(replicates * SCALE);
  const counts = new Map<string, { n: number; k: number; method: string }>();
  for (let r = 0; r < R; r++) {
    const cells = await estimate(r);
    for (const [row, cell] of Object.entries(cells)) {
      const truth = truths[row];
      if (!truth || !cell || 'missing' in cell || !Number.isFinite(cell.lower) || !Number.isFinite(cell.upper))
        continue;
      const c = counts.get(row) ?? { n: 0, k: 0, method: cell.method };
      c.n++;
      if (cell.lower <= truth.value && truth.value <= cell.upper) c.k++;
      counts.set(row, c);
    }
  }
  return [...counts.entries()].map(([row, c]) => {
    const range = binomialRange(c.n, level);
    return {
      row,
      method: c.method,
      truth: truths[row],
      replicates: c.n,
      covered: c.k,
      coverage: wilson(c.k, c.n),
      range,
      calibrated: c.k >= range[0] && c.k <= range[1],
    };
  });
}

/** The coverage table as Markdown (what `npm run calibrate` prints and the README quotes). */
export function coverageTable(
  title: string,
  rows: readonly RowCoverage[],
  unreliable: Readonly<Record<string, string>> = {},
): string {
  const f = (x: number) => (100 * x).toFixed(1);
  const lines = rows.map((r) => {
    const verdict = r.calibrated
      ? 'calibrated'
      : unreliable[r.row]
        ? `UNRELIABLE: ${unreliable[r.row]}`
        : 'NOT CALIBRATED';
    const truth =
      r.truth.se > 0
        ? `${r.truth.value.toPrecision(5)} ± ${r.truth.se.toPrecision(2)} (${r.truth.basis})`
        : `${r.truth.value.toPrecision(6)} (${r.truth.basis})`;
    return `| ${r.row} | ${r.method} | ${truth} | ${r.covered}/${r.replicates} | ${f(r.coverage.value)}% [${f(r.coverage.lower)}, ${f(r.coverage.upper)}] | ${r.range.join('-')} | ${verdict} |`;
  });
  return [
    `### ${title}`,
    '',
    '| interval | method | truth | covered | coverage [95% Wilson] | 95% within (0.1% each side) | verdict |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}
