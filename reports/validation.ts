// The validation report as Markdown (a summary a person reads in a terminal or a pull request) and as a
// self-contained HTML page with SVG plots. Every interval says how it was obtained; a value that could
// not be computed says why.
import type { SampleComparison } from '../validation/compare.js';
import { OBSERVABLE_LABELS, OBSERVABLES, type ObservableName } from '../validation/observables.js';
import { isMissing, type Missing } from '../validation/point.js';
import type { ValidationReport } from '../validation/validate.js';
import type { BatchFamily } from '../validation/batch.js';
import type { Warning } from '../validation/warnings.js';
import { fmt, fmtInterval, fmtOr, htmlPage, htmlTable, INTERVAL_LEGEND, markdownTable } from './page.js';
import { convergenceSpec, histogramSpec, pathsSpec, qqSpec, renderSvg } from './plots.js';

const COMPARISON_HEADER = [
  'observable',
  'network mean',
  'SDE mean',
  'mean diff / SE',
  'network variance',
  'SDE variance',
  'var diff / SE',
  'KS D (exact p)',
  'energy distance ± SE',
  'W1',
];

function comparisonRows(r: ValidationReport): string[][] {
  return OBSERVABLES.map((name) => {
    const c = r.comparisons[name] as SampleComparison | Missing;
    if (isMissing(c)) return [OBSERVABLE_LABELS[name], `– (${c.missing})`, '', '', '', '', '', '', '', ''];
    return [
      c.caveat ? `${OBSERVABLE_LABELS[name]} †` : OBSERVABLE_LABELS[name],
      fmtInterval(c.mean.network),
      fmtInterval(c.mean.sde),
      fmt(c.mean.z, 3),
      fmtInterval(c.variance.network),
      fmtInterval(c.variance.sde),
      fmt(c.variance.z, 3),
      `${fmt(c.ks.statistic, 3)} (p ${fmt(c.ks.pValue, 3)}, ${c.ks.method})`,
      `${fmt(c.energyDistance.value, 3)} ± ${fmt(c.energyDistance.se, 2)}`,
      fmt(c.wasserstein1, 3),
    ];
  });
}

const DETECTABLE_HEADER = [
  'observable',
  'networks / SDE paths',
  'smallest detectable mean difference (5%, power 80%)',
  'KS critical distance (5%)',
];
function detectableRows(r: ValidationReport): string[][] {
  return OBSERVABLES.flatMap((name) => {
    const c = r.comparisons[name];
    return isMissing(c)
      ? []
      : [
          [
            OBSERVABLE_LABELS[name],
            `${c.n.network} / ${c.n.sde}`,
            fmt(c.detectable.meanDifference, 3),
            fmt(c.detectable.ksDistance, 3),
          ],
        ];
  });
}

const THEORY_HEADER = [
  'quantity',
  'exact at width n, depth L',
  'limit at T',
  'network estimate',
  '(network - exact) / SE',
  'SDE estimate',
  '(SDE - limit) / SE',
];
function theoryRows(r: ValidationReport): string[][] {
  return r.theory.map((t) => [
    t.note ? `${t.quantity} *` : t.quantity,
    fmtOr(t.exact),
    fmtOr(t.limit),
    fmtInterval(t.network),
    fmtOr(t.networkZ, 3),
    fmtInterval(t.sde),
    fmtOr(t.sdeZ, 3),
  ]);
}

/** What a starred theory row's 'exact' column holds. */
function theoryNotes(r: ValidationReport): string[] {
  return r.theory.flatMap((t) => (t.note ? [`* ${t.quantity}: ${t.note}.`] : []));
}

const WIDTH_HEADER = [
  'observable',
  'n',
  'depth',
  'energy distance ± SE',
  'W1',
  'KS D (p)',
  'network mean',
  'SDE mean',
  'E rho at width n (kappa_n PDE where it moves E rho by more than 1.5/n, else the limit)',
];
function widthRows(r: ValidationReport): string[][] {
  return r.widths.flatMap((study) =>
    study.levels.map((l) => [
      OBSERVABLE_LABELS[study.observable],
      String(l.n),
      String(l.depth),
      isMissing(l.energyDistance)
        ? `– (${l.energyDistance.missing})`
        : `${fmt(l.energyDistance.value, 3)} ± ${fmt(l.energyDistance.se, 2)}`,
      fmtOr(l.wasserstein1, 3),
      isMissing(l.ks) ? '–' : `${fmt(l.ks.statistic, 3)} (${fmt(l.ks.pValue, 3)})`,
      l.mean ? fmtInterval(l.mean.network) : '–',
      l.mean ? fmtInterval(l.mean.sde) : '–',
      l.mean ? fmtOr(l.mean.widthReference) : '–',
    ]),
  );
}

function rates(r: ValidationReport): string[] {
  return r.widths.map((w) => {
    if (isMissing(w.rate)) return `${OBSERVABLE_LABELS[w.observable]}: no rate (${w.rate.missing}).`;
    const f = w.rate;
    return (
      `${OBSERVABLE_LABELS[w.observable]}: energy distance ~ n^-${fmt(f.exponent, 3)}, 95% CI [${fmt(f.lower, 3)}, ${fmt(f.upper, 3)}] ` +
      `(weighted least squares on the distances over ${w.levels.length} widths, chi^2 = ${fmt(f.chi2, 3)} on ${f.dof} dof); the distance itself falls as n^-${fmt(f.exponent / 2, 3)}.` +
      (w.uninformative ? ` This rate is ${w.uninformative}.` : '')
    );
  });
}

function initialText(s: ValidationReport['settings']): string {
  if (Array.isArray(s.inputs))
    return `V0 = X X^T / d of ${s.inputs.length} input vectors of dimension d = ${s.inputs[0].length}`;
  if (s.m > 2 || !Array.isArray(s.v0) || s.v0.length > 2)
    return `V0 given (${s.m} x ${s.m}; x0 = V0^00 = ${fmt(s.x0)}, rho0 = rho^01_0 = ${fmt(s.rho0)})`;
  return `V0 = ${s.x0} [[1, ${s.rho0}], [${s.rho0}, 1]]`;
}

function describeSetup(r: ValidationReport): string {
  const s = r.settings;
  return (
    `${r.architecture}, ${r.activation.name}, ${initialText(s)}, T = ${s.T}. SDE: ${s.paths} paths, ${r.solver}, ${s.steps} steps. ` +
    `Networks: ${s.samples} samples (${s.sampler}) at width ${s.n}, depth ${r.depth}. Seed ${s.seed}; the SDE and the networks draw from independent streams.` +
    r.notes.map((note) => ` Note: ${note}.`).join('')
  );
}

/** The caveats of the comparison table's marked rows. */
function caveats(r: ValidationReport): string[] {
  return OBSERVABLES.flatMap((name) => {
    const c = r.comparisons[name];
    return isMissing(c) || !c.caveat ? [] : [`† ${OBSERVABLE_LABELS[name]}: ${c.caveat}`];
  });
}

function explosionLine(r: ValidationReport): string {
  const e = r.explosion;
  return (
    `Explosion, one event on both sides (${e.event}): networks ${fmtInterval(e.network)}, SDE ${fmtInterval(e.sde)}, difference ${fmtInterval(e.difference)} (p = ${fmt(e.difference.pValue, 3)}). ` +
    'Both sides look at the threshold only at their layers and steps, so both miss crossings in between: against continuous time they are biased low by ' +
    `about a barrier shift of 0.5826 sqrt(2 dt) in log V (Broadie-Glasserman-Kou; docs/maths.md, section 7.1), ${fmt(0.5826 * Math.sqrt((2 * r.settings.T) / r.settings.steps), 2)} for the SDE's steps and ${fmt(0.5826 * Math.sqrt(2 / r.settings.n), 2)} for the networks' layers. ` +
    'Every other statistic compares the two sides on the complementary event: not exploded by T.'
  );
}

function pathsLine(r: ValidationReport): string {
  return `Paths: SDE ${r.status.sde.finished} finished, ${r.status.sde.exploded} exploded, ${r.status.sde.repaired} repaired (${r.status.sde.repairedSteps} steps); networks ${r.status.network.finished} finished, ${r.status.network.exploded} exploded.`;
}

/** The warnings that belong beside one part of the report. */
function warningsOf(r: ValidationReport, concerns: Warning['concerns']): string[] {
  return (r.warnings ?? []).filter((w) => w.concerns === concerns).map((w) => w.text);
}

/** The validation report as Markdown (what `ncsde validate` prints). */
/** With m > 2 inputs: the batch's two families (every pair's rho, every input's log V), their tests and worst entries. */
function batchSection(r: ValidationReport): string {
  const b = r.batch;
  if (!b) return '';
  const line = (f: BatchFamily, what: string) => {
    const k = f.entries.filter((e) => e.z !== null).length;
    if (f.maxAbsZ === null) return `- ${what}: no entry has both sides (explosions).`;
    return `- ${what}, ${k} entries: largest |z| = ${fmt(f.maxAbsZ, 3)} at (${f.worst!.join(', ')}), Bonferroni p = ${fmt(f.pValue!, 3)}; ${f.beyond95} beyond 1.96 (about ${fmt(0.05 * k, 2)} expected under agreement).`;
  };
  const worst = [...b.rho.entries]
    .filter((e) => e.z !== null)
    .sort((x, y) => Math.abs(y.z!) - Math.abs(x.z!))
    .slice(0, 5)
    .map((e) => [`rho^(${e.inputs.join(',')})`, fmtInterval(e.network), fmtInterval(e.sde), fmt(e.z!, 2)]);
  return `
### The whole batch (m = ${b.m} inputs)

The rows above are of inputs 0 and 1. Over every entry (${b.note}):

${line(b.rho, 'E rho^ab over the pairs a < b')}
${line(b.logV, 'E log V^aa over the inputs')}

${markdownTable(['largest |z| pairs', 'networks', 'SDE', 'z'], worst)}
`;
}

export function validationMarkdown(r: ValidationReport): string {
  return `# Neural Covariance SDE validation

${describeSetup(r)}

Generated by ${r.package.name} ${r.package.version} (schema \`${r.schema}\`).

## Network against SDE at T

${markdownTable(COMPARISON_HEADER, comparisonRows(r))}
${batchSection(r)}
${[...caveats(r), ...warningsOf(r, 'comparison')].join('\n\n')}

${[explosionLine(r), ...warningsOf(r, 'explosion')].join('\n\n')}

${[pathsLine(r), ...warningsOf(r, 'paths')].join('\n\n')}

${INTERVAL_LEGEND}

### What these sample sizes can detect

${markdownTable(DETECTABLE_HEADER, detectableRows(r))}

## Exact finite-width values beside the limit

${markdownTable(THEORY_HEADER, theoryRows(r))}

${theoryNotes(r).join('\n')}

## Convergence in width (T fixed)

${markdownTable(WIDTH_HEADER, widthRows(r))}

${rates(r)
  .map((line) => `- ${line}`)
  .join('\n')}
`;
}

/** The validation report as a self-contained HTML page with SVG plots. */
export async function validationHtml(r: ValidationReport): Promise<string> {
  const figures: string[] = [];
  for (const name of OBSERVABLES) {
    const h = r.histograms[name];
    if (h) figures.push(await renderSvg(histogramSpec(h, OBSERVABLE_LABELS[name])));
  }
  const qq: string[] = [];
  for (const name of ['rho', 'logVaa'] as ObservableName[]) {
    const c = r.comparisons[name];
    if (!isMissing(c)) qq.push(await renderSvg(qqSpec(c.qq, OBSERVABLE_LABELS[name])));
  }
  const conv: string[] = [];
  for (const w of r.widths) conv.push(await renderSvg(convergenceSpec(w, OBSERVABLE_LABELS[w.observable])));
  const paths = [
    await renderSvg(pathsSpec(r.paths.rho.sde, r.paths.rho.network, OBSERVABLE_LABELS.rho)),
    await renderSvg(pathsSpec(r.paths.logVaa.sde, r.paths.logVaa.network, OBSERVABLE_LABELS.logVaa)),
  ];
  const plots = (svgs: string[]) => `<div class="plots">${svgs.join('\n')}</div>`;
  const para = (text: string) => `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`;
  return htmlPage('Neural Covariance SDE validation', describeSetup(r), [
    {
      heading: 'Network against SDE at T',
      html:
        htmlTable(COMPARISON_HEADER, comparisonRows(r)) +
        [
          ...caveats(r),
          ...warningsOf(r, 'comparison'),
          explosionLine(r),
          ...warningsOf(r, 'explosion'),
          pathsLine(r),
          ...warningsOf(r, 'paths'),
        ]
          .map(para)
          .join('') +
        para(INTERVAL_LEGEND) +
        plots(figures),
    },
    { heading: 'What these sample sizes can detect', html: htmlTable(DETECTABLE_HEADER, detectableRows(r)) },
    {
      heading: 'Exact finite-width values beside the limit',
      html: htmlTable(THEORY_HEADER, theoryRows(r)) + theoryNotes(r).map(para).join(''),
    },
    { heading: 'Quantile-quantile plots', html: plots(qq) },
    { heading: 'Paths in time', html: plots(paths) },
    {
      heading: 'Convergence in width',
      html: htmlTable(WIDTH_HEADER, widthRows(r)) + rates(r).map(para).join('') + plots(conv),
    },
  ]);
}
