// A self-contained HTML page (inline CSS and SVG, no scripts, no network) and Markdown table helpers,
// shared by every report the package writes, and the one way reports print numbers and intervals.
import type { Interval } from '../src/stats/moments.js';

/** Escape &, <, >, " and ' for HTML text and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number for humans: 4 significant digits, or a dash for null. */
export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** A value that may be missing: the reason in place of a number, never NaN or null. */
export function fmtOr(x: number | null | undefined | { missing: string }, digits = 4): string {
  if (x !== null && typeof x === 'object') return `– (${x.missing})`;
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : fmt(x, digits);
}

/** "value [lower, upper]" with the interval's method in a short tag, e.g. "0.48 [0.47, 0.49] (BCa)". */
export function fmtInterval(iv: Interval | { missing: string }, digits = 4): string {
  if ('missing' in iv) return `– (${iv.missing})`;
  if (!Number.isFinite(iv.value)) return '– (not computable)';
  const tag = METHOD_TAGS[iv.method] ?? iv.method;
  return `${fmt(iv.value, digits)} [${fmt(iv.lower, 3)}, ${fmt(iv.upper, 3)}] ${tag}`;
}

const METHOD_TAGS: Record<string, string> = {
  'normal (CLT)': '(CLT)',
  'delta method': '(delta)',
  'Wilson score': '(Wilson)',
  'Newcombe hybrid score': '(Newcombe)',
  'BCa bootstrap': '(BCa)',
  'percentile bootstrap': '(pct boot)',
  jackknife: '(jackknife)',
  'pooled layer factors (delta method)': '(pooled)',
  'log-normal fit (delta method)': '(log-normal)',
  'log-normal fit (chi-square)': '(log-normal)',
  MOVER: '(MOVER)',
  exact: '(exact)',
};

/** The legend of the tags fmtInterval prints. */
export const INTERVAL_LEGEND =
  'Intervals are 95%. (CLT): mean +- 1.96 SE; (BCa): bias-corrected and accelerated bootstrap, resamples drawn from their own stream; ' +
  '(pooled): pooled layer factors of the networks, delta method (valid: the factors are i.i.d. with light tails); (log-normal): moments of V from the mean and variance of log V, which is exactly Gaussian for ReLU-like shaping (delta method on the log scale; the kurtosis from the exact chi-square law of the sample variance); (MOVER): the difference of two such intervals by the method of variance estimates recovery; (Wilson)/(Newcombe): score intervals for proportions and their difference.';

/** A Markdown table. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const line = (cells: ReadonlyArray<string>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** An HTML table from already-escaped cells. */
export function htmlTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** One section of an HTML report: a heading and its HTML body. */
export interface PageSection {
  readonly heading: string;
  /** Already-safe HTML (tables, SVG, paragraphs built with escapeHtml). */
  readonly html: string;
}

/** A self-contained HTML page (inline styles and SVG, no scripts) from a title, an intro and sections. */
export function htmlPage(title: string, intro: string, sections: readonly PageSection[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f4f4f4}.plots{display:flex;flex-wrap:wrap;gap:1em}.plots svg{max-width:100%;height:auto}
code{background:#f4f4f4;padding:0 3px}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(intro)}</p>
${sections.map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.html}`).join('\n')}
</body></html>
`;
}
