// neural-covariance-sde/reports: Markdown and self-contained HTML (server-rendered SVG) for the
// validation, criterion, cumulant and scan results. vega and vega-lite load on the first render only.
export { validationMarkdown, validationHtml } from '../reports/validation.js';
export { criterionMarkdown, criterionHtml } from '../reports/criterion.js';
export { cumulantMarkdown, cumulantHtml } from '../reports/cumulants.js';
export { collapseMarkdown, collapseHtml } from '../reports/collapse.js';
export { scanHtml, DEFAULT_STATS } from '../reports/scan.js';
export type { ScanReportOptions } from '../reports/scan.js';
export {
  renderSvg,
  histogramSpec,
  qqSpec,
  convergenceSpec,
  pathsSpec,
  seriesSpec,
  heatmapSpec,
} from '../reports/plots.js';
export type { HeatCell, PlotSpec } from '../reports/plots.js';
export { seriesStyle } from '../reports/plots.js';
export {
  htmlPage,
  htmlTable,
  markdownTable,
  fmt,
  fmtInterval,
  fmtOr,
  escapeHtml,
  INTERVAL_LEGEND,
} from '../reports/page.js';
export type { PageSection } from '../reports/page.js';
