// neural-covariance-sde, the root entry: activations (finite width and the scalar facts of the limit),
// architectures (the MLP's limit SDEs, samplers and references as one value), the term and solver
// contracts with the package's solvers and controls, the finite-network samplers, random streams and
// the result types. It loads no plotting code; comparisons and scans are in
// 'neural-covariance-sde/validation', rendering in 'neural-covariance-sde/reports'.
export {
  shapedRelu,
  shapedSmooth,
  customSmooth,
  unshaped,
  activationFromSpec,
  parseActivation,
  parseActivationSpec,
  activationLabel,
  smoothBeta,
  smoothScaleForBeta,
  reluLikeNu,
  reluLikeSlopes,
  reluLikeFourthMomentConstant,
  arcCosineKernel,
  SMOOTH_FUNCTIONS,
  SMOOTH_NAMES,
  UNSHAPED_NAMES,
} from '../src/activations/index.js';
export type {
  Activation,
  ActivationSpec,
  LimitFacts,
  FiniteActivation,
  SmoothFunction,
  SmoothName,
  UnshapedName,
} from '../src/activations/index.js';
export {
  mlp,
  resnet,
  mlpLimit,
  covarianceSde,
  correlationSde,
  diagonalSde,
  sdeFromSpec,
  limitReferences,
  ARCHITECTURES,
  ARCHITECTURE_NAMES,
  parseArchitecture,
  architectureFromSpec,
  architectureHelp,
  toArchitecture,
  attention,
  transformer,
  dense,
  shapedAttention,
  residual,
  serial,
  parallel,
  composition,
  parseBlock,
  blockFromSpec,
  checkBlock,
  limitMaths,
  limitDrift,
  limitCovariance,
  WISHART,
  BLOCKS,
  referencesOf,
} from '../architectures/index.js';
export type {
  Block,
  BlockLimit,
  BlockSpec,
  BlockEntry,
  Clocked,
  DriftPart,
  NoisePart,
  FiniteLayer,
  StreamShape,
  ShapedAttentionOptions,
  BlockCheck,
  MomentCheck,
  CheckOptions,
} from '../architectures/index.js';
export { sampleNetworks, sampleNetworksSync, covarianceChain, explicitNetwork } from '../architectures/sample.js';
export type { ArchitectureNetworkOptions } from '../architectures/sample.js';
export type {
  Architecture,
  ArchitectureEntry,
  ArchitectureReferences,
  ArchitectureSpec,
  Reference,
  MlpLimit,
  SdeKind,
  AttentionOptions,
} from '../architectures/index.js';
export {
  LaneBook,
  UNIT_CLOCKS,
  covarianceTerm,
  correlationTerm,
  diagonalTerm,
  solverHelp,
  eulerMaruyama,
  ninomiyaVictoir,
  EulerMaruyama,
  NinomiyaVictoir,
  SOLVERS,
  SOLVER_NAMES,
  solverFromName,
  solverForSde,
  AUTO_SOLVER,
  SOLVER_PREFERENCE,
  constantSteps,
  saveAt,
  brownianSampling,
  explosionDetection,
  DEFAULT_THRESHOLD_FACTOR,
  solve,
  solveSync,
  weakExpectations,
  pathValues,
  convergenceStudy,
  correlationExpectation,
  explosionProbability,
  SDE_BLOCK,
  KEEP_CHOICES,
} from '../sde/index.js';
export type {
  Sde,
  SdeInitial,
  Term,
  TermFlows,
  NoiseFlows,
  Clocks,
  FusedSteps,
  CovarianceDrift,
  Solver,
  SolverState,
  SolverName,
  ConstantSteps,
  SaveAt,
  BrownianSampling,
  ExplosionDetection,
  SolveOptions,
  DeprecatedSolveOptions,
  KeepOption,
  Keep,
  SdeShape,
  InitialValue,
  Solution,
  SummarySolution,
  WeakExpectation,
  PathFunction,
  PathState,
  PathInfo,
  ExpectationOptions,
  CorrelationReferenceOptions,
  ExplosionReferenceOptions,
  ConvergenceStudy,
  ConvergenceLevel,
  ConvergenceOptions,
} from '../sde/index.js';
export { NETWORK_METHODS, NETWORK_BLOCK, NETWORK_THRESHOLD_FACTOR } from '../networks/index.js';
export { MLP_SAMPLERS, MLP_NETWORK } from '../networks/index.js';
export type {
  NetworkOptions,
  NetworkSample,
  FixedSamplerOptions,
  NetworkMethod,
  LayerSampler,
  SamplerFactory,
  NetworkArchitecture,
  NetworkJob,
} from '../networks/index.js';
export type { ModuleRef } from '../src/modules.js';
export { siblingModule } from '../src/blocks.js';
export {
  openStream,
  nextNormal,
  streamKey,
  requireSeed,
  parseSeed,
  PURPOSES,
  GENERATORS,
  MAX_SEED,
  Xoshiro128pp,
  Xor4096,
} from '../src/random/streams.js';
export type { RandomStream, GeneratorName } from '../src/random/streams.js';
export { summary } from '../src/summary.js';
export type { Summary, SaveSummary, ExplosionSummary, AveragedOver, Summarizable, Summarized } from '../src/summary.js';
export { meanCell, momentCell, proportionCell } from '../src/stats/cells.js';
export type { EstimateCell, ProportionCell, MissingCell } from '../src/stats/cells.js';
export { DEFAULT_THRESHOLD } from '../src/apiOptions.js';
export { PATH_FINISHED, PATH_EXPLODED, PATH_REPAIRED, PATH_STATUS_NAMES, countStatus } from '../src/results.js';
export type { PathStatus, StatusCounts, CovarianceSamples, NdArray } from '../src/results.js';
export type { MatrixInput } from '../src/linalg.js';
export { InputError, LimitError, OutputError } from '../src/errors.js';
export { closeSharedPool, setPlatform, platform, nodePlatform, browserPlatform } from '../src/platform.js';
export type { Platform, MemoryFigure, WorkerTask } from '../src/platform.js';
export { serveKernels } from '../src/webWorkers.js';
export { BLOCK_KERNELS } from './kernels.js';
export { kernelsInUse, prepareKernels, KERNELS_NAMES } from '../src/kernels/index.js';
export type { KernelsName } from '../src/kernels/index.js';
/** The package's deterministic elementary functions (exp, expm1, log, log1p, acos, sin, cos, tanh, atanh,
 *  pow, hypot, hashFloat64): IEEE-exact operations only, within 1 ulp, the same bits on every engine. */
export * as math from '../src/math/index.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';
