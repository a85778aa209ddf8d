// Public entry point of neural-covariance-sde: activations, the SDE solver, finite networks,
// validation, scans, the explosion criterion and finite-width cumulants, plus the shared tools.
export * from './activations/index.js';
export * from '../sde/index.js';
export * from '../networks/index.js';
export { InputError } from './errors.js';
export { uniformStream, streamSeed, Xor4096 } from './rng.js';
export { fillNormals, nextNormal } from './gaussian.js';
export { choleskyPsd, symmetricEigen, projectPsdInPlace, validateCovariance, correlation } from './linalg.js';
export { erf, erfc, normalCdf, normalPdf } from './special.js';
export * from './stats.js';
export { createWorkerPool, type WorkerPool } from './parallel.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
export { observable, logitKurtosis, OBSERVABLES, type ObservableName, type CovarianceSamples } from '../validation/observables.js';
export { compareSamples, type SampleComparison } from '../validation/compare.js';
export { runPoint, pointRow, type PointResult } from '../validation/point.js';
export { widthStudy, type WidthStudy } from '../validation/widths.js';
export { validate, VALIDATION_SCHEMA, type ValidationReport } from '../validation/validate.js';
export { validationMarkdown, validationHtml } from '../validation/render.js';
export { runScan, mergeScanShards, expandGrid, scanCsv, SCAN_SCHEMA } from '../validation/scan.js';
export { parseConfig, validationSchema, scanSchema, pointSchema } from '../validation/config.js';
export {
  criterion,
  referenceExplosionProbability,
  sdeExplosionProbability,
  networkExplosionProbability,
  proportionsAgree,
  type Criterion,
  type Regime,
} from '../validation/criterion.js';
export { criterionReport, criterionMarkdown, criterionHtml } from '../validation/criterionReport.js';
export { measureCumulants, leadingOrderRatios, exactProductRatio, gaussHermite, gaussianExpectation, fourthCumulantRatio } from '../validation/cumulants.js';
export { cumulantReport, cumulantMarkdown, cumulantHtml } from '../validation/cumulantReport.js';
export { renderSvg } from '../validation/plots.js';
