// The L/n report: normalised fourth cumulants of the output and of the input derivative against the
// depth-to-width ratio for several widths, beside the exact finite-width value (or the leading-order
// recursion) and the SDE limit, each estimate with the interval method that suits its tails.
import type { Interval } from '../src/stats/moments.js';
import type { CumulantReport, CumulantRow } from '../validation/studies.js';
import { fmt, fmtInterval, fmtOr, htmlPage, htmlTable, INTERVAL_LEGEND, markdownTable } from './page.js';
import { renderSvg, seriesSpec } from './plots.js';

/** The estimate a reader should use: pooled where the product structure holds, else direct. */
function best(row: CumulantRow, i: number): Interval {
  return row.pooled && Number.isFinite(row.pooled[i].value) ? row.pooled[i] : row.output[i];
}

/** The same for the input derivative (its factors psi_l are i.i.d. too: docs/maths.md section 12). */
function bestDerivative(row: CumulantRow, i: number): Interval {
  return row.derivativePooled && Number.isFinite(row.derivativePooled[i].value)
    ? row.derivativePooled[i]
    : row.derivative[i];
}

function table(r: CumulantReport): { header: string[]; rows: string[][] } {
  return {
    header: [
      'activation',
      'n',
      'L',
      'L/n',
      'output: pooled',
      'output: direct',
      'theory',
      'theory kind',
      '(pooled - theory) / SE',
      'SDE limit e^{2T} - 1',
      'derivative: pooled',
      'derivative: direct',
    ],
    rows: r.rows.flatMap((row) =>
      row.layers.map((l, i) => {
        const theory = row.theory.values[i];
        const pooled = row.pooled?.[i];
        return [
          row.activation,
          String(row.n),
          String(l),
          fmt(row.T[i], 3),
          pooled ? fmtInterval(pooled) : '– (no product structure)',
          fmtInterval(row.output[i]),
          fmtOr(theory),
          row.theory.kind,
          pooled && theory !== null && pooled.se > 0 ? fmt((pooled.value - theory) / pooled.se, 3) : '–',
          fmtOr(row.theory.limits[i]),
          row.derivativePooled ? fmtInterval(row.derivativePooled[i]) : '– (no product structure)',
          fmtInterval(row.derivative[i]),
        ];
      }),
    ),
  };
}

const INTRO = (r: CumulantReport) =>
  `Normalised fourth cumulant kappa_4 / (3 kappa_2^2) = Var(V)/(E V)^2 of an output z and of its input derivative dz (V: their conditional variances given the last layer), ` +
  `from the ${r.settings.architecture} covariance chain with derivative tracking, ${r.settings.samples} networks per width, one input x and an orthogonal direction u. Seed ${r.settings.seed}. ` +
  `The direct estimator is heavy-tailed once L/n is not small, and its BCa interval is then unreliable: it covered the exact value in 58.5% of 200 replicate seeds for relu:0,-1 at n = 32, L/n = 1 with 400 networks, output and derivative alike (npm run calibrate); the pooled estimator uses every layer's factor and is calibrated at any L/n, for the output and, with the same exact theory, for the derivative (its layer factors are i.i.d. with the output factors' law for piecewise-linear activations). ${INTERVAL_LEGEND}`;

/** The cumulant report as Markdown. */
export function cumulantMarkdown(r: CumulantReport): string {
  const t = table(r);
  return `# Fourth cumulants against depth-to-width ratio L/n

${INTRO(r)}

${markdownTable(t.header, t.rows)}
`;
}

/** The cumulant report as a self-contained HTML page with SVG plots. */
export async function cumulantHtml(r: CumulantReport): Promise<string> {
  const t = table(r);
  const largest = Math.max(...r.settings.widths);
  const plot = (
    pick: (row: CumulantRow, i: number) => Interval,
    title: string,
    withTheory: (row: CumulantRow) => boolean,
  ) =>
    renderSvg(
      seriesSpec({
        title,
        x: 'L / n',
        y: 'Var(V) / (E V)^2',
        logX: true,
        logY: true,
        lines: false,
        points: r.rows.flatMap((row) => [
          ...row.layers.map((_, i) => {
            const e = pick(row, i);
            return { x: row.T[i], y: e.value, lo: e.lower, hi: e.upper, series: `${row.activation} n=${row.n}` };
          }),
          ...(withTheory(row) && row.n === largest
            ? row.theory.values.flatMap((y, i) =>
                y === null ? [] : [{ x: row.T[i], y, series: `${row.activation}: ${row.theory.kind}` }],
              )
            : []),
        ]),
      }),
    );
  const output = await plot(
    best,
    'Output (pooled where it applies): the widths collapse on L/n; theory at the largest width',
    () => true,
  );
  // The exact (1 + k/n)^L - 1 holds for the derivative too; the leading-order recursion is the output's only.
  const derivative = await plot(
    bestDerivative,
    'Input derivative (pooled where it applies): the same collapse; exact theory where it holds',
    (row) => row.derivativePooled !== null,
  );
  return htmlPage('Fourth cumulants against depth-to-width ratio L/n', INTRO(r), [
    { heading: 'Collapse on L/n', html: `<div class="plots">${output}${derivative}</div>` },
    { heading: 'Measurements and theory', html: htmlTable(t.header, t.rows) },
  ]);
}
