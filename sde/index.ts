// sde/: the term contract and the generic terms of the Neural Covariance SDE (matrix and 1-D, on drift and
// noise clocks), its solvers (Euler-Maruyama, Ninomiya-Victoir splitting), the controls composed with them,
// Talay-Tubaro extrapolation, measured orders of convergence and PDE references. The SDE values for an
// activation are an architecture's (architectures/mlp/sdes.ts for the MLP).
export { LaneBook, UNIT_CLOCKS } from './term.js';
export type { Term, TermFlows, NoiseFlows, Clocks, FusedSteps, FusedEulerStep, FusedSplitStep } from './term.js';
export type { Sde, SdeInitial, SdeShape, InitialValue } from './sde.js';
export { covarianceTerm } from './terms/covariance.js';
export { packed, packedLanes, laneSettler } from './terms/lanes.js';
export type { PackedLanes, SettleLane } from './terms/lanes.js';
export type { CovarianceDrift, CovarianceTermOptions } from './terms/covariance.js';
export { correlationTerm, diagonalTerm } from './terms/scalar.js';
export { matrixTerm } from './terms/matrix.js';
export type { CovarianceMaths, MatrixTermOptions } from './terms/matrix.js';
export { constantSteps, saveAt, brownianSampling, explosionDetection, DEFAULT_THRESHOLD_FACTOR } from './controls.js';
export type { ConstantSteps, SaveAt, BrownianSampling, ExplosionDetection } from './controls.js';
export {
  eulerMaruyama,
  ninomiyaVictoir,
  EulerMaruyama,
  NinomiyaVictoir,
  SOLVERS,
  SOLVER_NAMES,
  solverFromName,
  solverHelp,
  solverForSde,
  AUTO_SOLVER,
  SOLVER_PREFERENCE,
} from './solvers/index.js';
export type { Solver, SolverName, SolverState } from './solvers/index.js';
export { solve, solveSync, buildSdeJob, solveOptions, summaryPlan, SOLVE_KEYS } from './solve.js';
export type { SolveOptions, DeprecatedSolveOptions, KeepOption, KeepSummary, KeepPaths, WithKeep } from './solve.js';
export type { OnThisThread } from '../src/apiOptions.js';
export type { Solution, SummarySolution, SolutionRecord } from './solution.js';
export { SDE_BLOCK, KEEP_CHOICES, integrateRange, summarizeRange } from './integrate.js';
export type { SdeJob, SdeChunk, SdeSummaryChunk, PathRecord, Keep } from './integrate.js';
export { weakExpectations, pathValues } from './expectation.js';
export type { WeakExpectation, PathFunction, PathState, PathInfo, ExpectationOptions } from './expectation.js';
export { convergenceStudy } from './convergence.js';
export type { ConvergenceStudy, ConvergenceLevel, ConvergenceOptions } from './convergence.js';
export { correlationExpectation, explosionProbability, correlationReference, diagonalCrossing } from './reference.js';
export type { CorrelationReferenceOptions, ExplosionReferenceOptions } from './reference.js';
