// neural-covariance-sde/validation: the SDE against finite networks (comparisons with calibrated
// intervals, exact finite-width theory, convergence in width), the explosion criterion, fourth
// cumulants against L/n, parameter scans, and the statistics they rest on. No plotting code.
export { validate, histogram, VALIDATION_SCHEMA } from '../validation/validate.js';
export type { ValidationReport, Histogram, PathBundle, ValidateOptions } from '../validation/validate.js';
export {
  runPoint,
  runPointWith,
  comparePoint,
  comparePointSteps,
  runPointSde,
  runPointNetworks,
  pointV0,
  compareExplosions,
  isMissing,
} from '../validation/point.js';
export type {
  PointResult,
  PointInput,
  PointRunOptions,
  ExplosionComparison,
  TheoryRow,
  Missing,
} from '../validation/point.js';
export { widthStudy, uninformativeRate, MIN_WIDTHS } from '../validation/widths.js';
export type { WidthStudy, WidthLevel } from '../validation/widths.js';
export { compareSamples, compareSampleSteps } from '../validation/compare.js';
// Statistics as steps that may pause: cooperate(steps) runs them giving the event loop turns, drain at once.
export { cooperate, drain, pause } from '../src/steps.js';
export type { Steps } from '../src/steps.js';
export type { SampleComparison, TwoSided, CompareOptions } from '../validation/compare.js';
export {
  observable,
  requireObservable,
  pathObservable,
  OBSERVABLES,
  OBSERVABLE_LABELS,
  HEAVY_TAILED,
  INTERVAL_CAVEATS,
} from '../validation/observables.js';
export type { ObservableName, ObservableSample } from '../validation/observables.js';
export {
  momentTheory,
  pooledEstimates,
  fourthMomentConstant,
  piecewiseSlopes,
  finiteWidthCorrelation,
  widthCorrelationReference,
} from '../validation/theory.js';
export type { TheoryValue, WidthReference, ActivationInput } from '../validation/theory.js';
export { criterion, runExplosionPoint, readExplosionSettings, EXPLOSION_OPTIONS } from '../validation/explosion.js';
export { finiteSizeWarnings, repairWarnings } from '../validation/warnings.js';
export type { Warning } from '../validation/warnings.js';
export { bridgeCrossings } from '../validation/crossing.js';
export type { Crossings } from '../validation/crossing.js';
export type { Criterion, Regime, ExplosionPoint, ExplosionSettings } from '../validation/explosion.js';
export { measureCumulants, leadingOrderRatios, cumulantTheory } from '../validation/cumulants.js';
export type { CumulantMeasurement, CumulantTheory } from '../validation/cumulants.js';
export {
  collapseReport,
  readCollapseSettings,
  meanTokenCorrelation,
  COLLAPSE_OPTIONS,
  COLLAPSE_SCHEMA,
} from '../validation/collapse.js';
export type {
  CollapseReport,
  CollapseRow,
  CollapseCell,
  CollapseSide,
  CollapseSettings,
} from '../validation/collapse.js';
export {
  criterionPoint,
  criterionReport,
  cumulantReport,
  readCriterionPointSettings,
  readCriterionSettings,
  readCumulantSettings,
  CRITERION_OPTIONS,
  CRITERION_POINT_OPTIONS,
  CRITERION_POINT_SCHEMA,
  CUMULANT_OPTIONS,
  CUMULANT_ACTIVATIONS,
  CRITERION_SCHEMA,
  CUMULANT_SCHEMA,
} from '../validation/studies.js';
export type {
  CriterionMeasurement,
  CriterionPoint,
  CriterionPointSettings,
  CriterionReport,
  CriterionRow,
  CriterionSettings,
  CumulantReport,
  CumulantRow,
  CumulantSettings,
  CumulantActivation,
} from '../validation/studies.js';
export { readPointSettings, readValidationSettings } from '../validation/settings.js';
export {
  OPTION,
  POINT_OPTIONS,
  VALIDATION_OPTIONS,
  pointActivation,
  pointArchitecture,
} from '../validation/options.js';
export type { PointSettings, ValidationSettings } from '../validation/options.js';
export {
  resolveScan,
  expandGrid,
  runScan,
  runScanPoint,
  mergeScanShards,
  readScanResult,
  readProgress,
  progressFiles,
  scanCsv,
  scanHash,
  parseShard,
  shardFromEnvironment,
  gridFromFlags,
  SCAN_SCHEMA,
  SCAN_KINDS,
  AXES,
  KIND_OPTIONS,
} from '../validation/scan.js';
export type {
  ScanConfig,
  ScanKind,
  ScanPoint,
  ScanResult,
  ScanRow,
  ScanCell,
  Shard,
  Grid,
  ScanRenderer,
} from '../validation/scan.js';
export * from '../src/stats/index.js';
export { gaussHermite, gaussianExpectation } from '../src/quadrature.js';
export type { GaussRule } from '../src/quadrature.js';
export {
  readOptions,
  readSettings,
  parseOptionText,
  parseOptionValue,
  describeKind,
  optionHelp,
} from '../src/options.js';
export type { OptionSpec, OptionKind, OptionSources } from '../src/options.js';

// The command tables of `ncsde sde` and `ncsde network` and the record of a result's settings: the explorer
// builds its results' settings from them, so the page and the commands it copies agree.
export { SDE_OPTIONS, NETWORK_OPTIONS, recordedSettings, RESULT_KEYS } from './options.js';
export { flagName } from '../src/options.js';
