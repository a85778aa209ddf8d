// The explosion/vanishing report: for each smooth activation and shaping scale a, beta and its regime,
// P(explode ever) in closed form, P(explode by T) exactly (Kolmogorov) beside the split SDE, finite
// networks against the SDE on one threshold, and the median norm on the vanishing side.
import type { CriterionReport } from '../validation/studies.js';
import { isMissing } from '../validation/point.js';
import { fmt, fmtInterval, fmtOr, htmlPage, htmlTable, INTERVAL_LEGEND, markdownTable } from './page.js';
import { renderSvg, seriesSpec } from './plots.js';
import { finiteSizeWarnings } from '../validation/warnings.js';

function summaryTable(r: CriterionReport): { header: string[]; rows: string[][] } {
  return {
    header: [
      'f',
      'a',
      'beta',
      'regime',
      'P(explode ever) = 1 - exp(-beta X0)',
      ...r.settings.T.map((t) => `P by T=${t}: exact / SDE`),
    ],
    rows: r.rows.map((row) => [
      row.f,
      String(row.a),
      fmt(row.criterion.beta),
      row.criterion.regime,
      fmt(row.criterion.explosionProbability),
      ...row.exact.map((p, i) => `${fmt(p, 4)} / ${fmtInterval(row.sde[i], 3)}`),
    ]),
  };
}

function networkTable(r: CriterionReport): { header: string[]; rows: string[][] } {
  return {
    header: [
      'f',
      'a',
      ...r.settings.networkT.map((t) => `crossing ${r.settings.threshold} X0 by T=${t}: exact / SDE / networks`),
    ],
    rows: r.rows.map((row) => [
      row.f,
      String(row.a),
      ...row.network.map(
        (p, i) =>
          `${fmt(row.exactAtThreshold[i], 3)} / ${fmtInterval(row.sdeAtThreshold[i], 3)} / ${fmtInterval(p, 3)}`,
      ),
    ]),
  };
}

/** Finite-size conditions beside the network table (validation/warnings.ts), once per shaping scale a. */
export function criterionWarnings(r: CriterionReport): string[] {
  const s = r.settings;
  const seen = new Set<number>();
  return r.rows.flatMap((row) => {
    if (seen.has(row.a)) return [];
    seen.add(row.a);
    return finiteSizeWarnings({ family: 'smooth', f: row.f as never, a: row.a }, s.n, s.x0, s.threshold).map(
      (w) => `(a = ${row.a}) ${w.text}`,
    );
  });
}

function vanishingTable(r: CriterionReport): { header: string[]; rows: string[][] } {
  return {
    header: ['f', 'a', 'beta', ...r.settings.T.map((t) => `median X at T=${t}`)],
    rows: r.rows.map((row) => [row.f, String(row.a), fmt(row.criterion.beta), ...row.medians.map((m) => fmtOr(m))]),
  };
}

function intro(r: CriterionReport): string {
  const s = r.settings;
  return (
    `Architecture ${s.architecture}; for the MLP each diagonal solves dX = beta X^2 dt + sqrt(2) X dB; X0 = ${s.x0}. Exact: the Kolmogorov backward equation of P(explode by T), solved by Crank-Nicolson. ` +
    `SDE: the split scheme (Ninomiya-Victoir), ${s.stepsPerUnit} steps per unit time, ${s.paths} paths; its explosions are blow-ups inside a step. ` +
    `Networks: the chain at width ${s.n}, ${s.samples} samples, against the SDE on one threshold ${s.threshold} X0; the SDE's crossings of it between steps are added by the Brownian bridge of log X (without it the split scheme is biased low by O(sqrt(dt))). Seed ${s.seed}. ${INTERVAL_LEGEND}`
  );
}

/** The criterion report as Markdown. */
export function criterionMarkdown(r: CriterionReport): string {
  const s = summaryTable(r);
  const n = networkTable(r);
  const v = vanishingTable(r);
  return `# Norm explosion and vanishing: the beta criterion

${intro(r)}

## P(explosion by T): exact / split SDE

${markdownTable(s.header, s.rows)}

## Finite networks against the SDE

${markdownTable(n.header, n.rows)}
${criterionWarnings(r)
  .map((w) => `\n${w}`)
  .join('')}

## Median of X_T (vanishing for beta < 0)

${markdownTable(v.header, v.rows)}
`;
}

/** The criterion report as a self-contained HTML page with SVG plots. */
export async function criterionHtml(r: CriterionReport): Promise<string> {
  const s = summaryTable(r);
  const n = networkTable(r);
  const v = vanishingTable(r);
  const ts = r.settings.T;
  const exploding = r.rows.filter((row) => row.criterion.beta > 0);
  const probability = await renderSvg(
    seriesSpec({
      title: 'P(explosion by T): exact (lines), SDE (points, 95% Wilson bars); last point: the limit 1 - exp(-beta X0)',
      x: 'T',
      y: 'probability',
      logX: true,
      points: exploding.flatMap((row) => [
        ...row.sde.map((p, i) => ({
          x: ts[i],
          y: p.value,
          lo: p.lower,
          hi: p.upper,
          series: `${row.f} a=${row.a} SDE`,
        })),
        ...row.exact.map((p, i) => ({ x: ts[i], y: p, series: `${row.f} a=${row.a} exact` })),
        { x: Math.max(...ts) * 2, y: row.criterion.explosionProbability, series: `${row.f} a=${row.a} exact` },
      ]),
      lines: exploding.map((row) => `${row.f} a=${row.a} exact`),
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
      points: vanishing.flatMap((row) =>
        row.medians.flatMap((m, i) =>
          isMissing(m) || !(m > 0) ? [] : [{ x: ts[i], y: m, series: `${row.f} a=${row.a}` }],
        ),
      ),
    }),
  );
  return htmlPage('Norm explosion and vanishing: the beta criterion', intro(r), [
    {
      heading: 'P(explosion by T): exact / split SDE',
      html: htmlTable(s.header, s.rows) + `<div class="plots">${probability}</div>`,
    },
    {
      heading: 'Finite networks against the SDE',
      html:
        htmlTable(n.header, n.rows) +
        criterionWarnings(r)
          .map((w) => `<p>${w}</p>`)
          .join(''),
    },
    {
      heading: 'Median of X_T (vanishing for beta < 0)',
      html: htmlTable(v.header, v.rows) + `<div class="plots">${medians}</div>`,
    },
  ]);
}
