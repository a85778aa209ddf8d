// The rank-collapse and explosion report of shaped attention / the shaped Transformer: per (gamma, tau0,
// H) and T, E[mean token correlation], P(collapsed) and P(explode by T) from the SDE beside finite
// networks on one threshold, with their differences; plots of the correlation and explosion against T.
import type { CollapseReport, CollapseRow } from '../validation/collapse.js';
import { isMissing } from '../validation/point.js';
import { escapeHtml, fmt, fmtInterval, htmlPage, htmlTable, INTERVAL_LEGEND, markdownTable } from './page.js';
import { renderSvg, seriesSpec } from './plots.js';

function table(r: CollapseReport): { header: string[]; rows: string[][] } {
  const level = r.settings.level;
  return {
    header: [
      'architecture',
      'T',
      'E corr: SDE',
      'E corr: networks',
      'diff p',
      `P(corr > ${level}): SDE`,
      'networks',
      'P(explode by T): SDE',
      'networks',
      'diff p',
    ],
    rows: r.rows.flatMap((row) =>
      row.cells.map((c) => [
        row.label,
        String(c.T),
        fmtInterval(c.sde.correlation, 3),
        fmtInterval(c.network.correlation, 3),
        isMissing(c.correlationDifference) ? '–' : fmt(c.correlationDifference.pValue, 2),
        fmtInterval(c.sde.collapsed, 3),
        fmtInterval(c.network.collapsed, 3),
        fmtInterval(c.sde.exploded, 3),
        fmtInterval(c.network.exploded, 3),
        fmt(c.explodedDifference.pValue ?? null, 2),
      ]),
    ),
  };
}

/** The regime at the last T: which of collapse and explosion the SDE shows, in words. */
function regime(row: CollapseRow, level: number): string {
  const last = row.cells[row.cells.length - 1];
  const exploded = last.sde.exploded.value;
  const collapsed = isMissing(last.sde.collapsed) ? null : last.sde.collapsed.value;
  const corr = isMissing(last.sde.correlation) ? null : last.sde.correlation.value;
  return `${row.label}: at T = ${last.T}, P(explode) = ${fmt(exploded, 3)}, P(corr > ${level}) = ${fmt(collapsed, 3)}, E corr = ${fmt(corr, 3)}`;
}

/** Each row's warnings, labelled by its architecture (they sit beside the numbers they qualify). */
function warningLines(r: CollapseReport): string[] {
  return r.rows.flatMap((row) => (row.warnings ?? []).map((w) => `${row.label}: ${w.text}`));
}

function intro(r: CollapseReport): string {
  const s = r.settings;
  return (
    `${s.blocks === 'attention' ? 'Shaped attention' : `The shaped Transformer (MLP block ${s.activation})`}, m = ${s.m} tokens with unit variances and ` +
    `correlation ${s.rho0}. SDE: Euler-Maruyama (the splitting solver has no flows for the attention noise), ${s.stepsPerUnit} steps per unit time, ` +
    `${s.paths} paths. Networks: the token chain at width n = nk = ${s.n}, ${s.samples} samples. Both sides test max V^aa against ${s.threshold} at the layer times t = l/n (the SDE's steps are a multiple of n, and between layer times it runs on to 10^4 times the threshold); ` +
    `correlations are conditional on not having exploded by T. Above tau0 sqrt(n) / 2 the networks' softmax leaves the limit, and above tau0 sqrt(steps per unit) / 2 ` +
    `Euler-Maruyama blows up paths that the limit does not: rows past either carry a warning (docs/maths.md, 14.9). Seed ${s.seed}. ${INTERVAL_LEGEND}`
  );
}

/** The collapse report as Markdown. */
export function collapseMarkdown(r: CollapseReport): string {
  const t = table(r);
  return `# Rank collapse and explosion of the token covariance

${intro(r)}

## Regimes (SDE, last T)

${r.rows.map((row) => `- ${regime(row, r.settings.level)}`).join('\n')}
${
  warningLines(r).length > 0
    ? `\n## Warnings\n\n${warningLines(r)
        .map((w) => `- ${w}`)
        .join('\n')}\n`
    : ''
}
## SDE against networks

${markdownTable(t.header, t.rows)}
`;
}

/** The collapse report as a self-contained HTML page with SVG plots. */
export async function collapseHtml(r: CollapseReport): Promise<string> {
  const t = table(r);
  const correlation = await renderSvg(
    seriesSpec({
      title: 'E[mean token correlation | not exploded]: SDE and networks (95% bars)',
      x: 'T',
      y: 'E corr',
      logX: true,
      points: r.rows.flatMap((row) =>
        row.cells.flatMap((c) =>
          (
            [
              ['SDE', c.sde],
              ['net', c.network],
            ] as const
          ).flatMap(([name, side]) =>
            isMissing(side.correlation)
              ? []
              : [
                  {
                    x: c.T,
                    y: side.correlation.value,
                    lo: side.correlation.lower,
                    hi: side.correlation.upper,
                    series: `${row.label} ${name}`,
                  },
                ],
          ),
        ),
      ),
    }),
  );
  const explosion = await renderSvg(
    seriesSpec({
      title: 'P(explode by T): SDE and networks (95% Wilson bars)',
      x: 'T',
      y: 'probability',
      logX: true,
      points: r.rows.flatMap((row) =>
        row.cells.flatMap((c) => [
          {
            x: c.T,
            y: c.sde.exploded.value,
            lo: c.sde.exploded.lower,
            hi: c.sde.exploded.upper,
            series: `${row.label} SDE`,
          },
          {
            x: c.T,
            y: c.network.exploded.value,
            lo: c.network.exploded.lower,
            hi: c.network.exploded.upper,
            series: `${row.label} net`,
          },
        ]),
      ),
    }),
  );
  return htmlPage('Rank collapse and explosion of the token covariance', intro(r), [
    {
      heading: 'Regimes (SDE, last T)',
      html: `<ul>${r.rows.map((row) => `<li>${escapeHtml(regime(row, r.settings.level))}</li>`).join('')}</ul>`,
    },
    ...(warningLines(r).length > 0
      ? [
          {
            heading: 'Warnings',
            html: `<ul>${warningLines(r)
              .map((w) => `<li>${escapeHtml(w)}</li>`)
              .join('')}</ul>`,
          },
        ]
      : []),
    {
      heading: 'SDE against networks',
      html: htmlTable(t.header, t.rows) + `<div class="plots">${correlation}${explosion}</div>`,
    },
  ]);
}
