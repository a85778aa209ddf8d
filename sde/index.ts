// sde/: the Neural Covariance SDE, its solvers (Euler-Maruyama, Ninomiya-Victoir splitting), the
// controls composed with them, Talay-Tubaro extrapolation and measured orders of convergence.
export { covarianceSde, correlationSde, diagonalSde } from './terms/index.js';
export type { Sde, SdeKind, CovarianceSde, CorrelationSde, DiagonalSde } from './terms/index.js';
export { constantSteps, saveAt, brownianSampling, explosionDetection, DEFAULT_THRESHOLD_FACTOR } from './controls.js';
export type { ConstantSteps, SaveAt, BrownianSampling, ExplosionDetection } from './controls.js';
export { eulerMaruyama, ninomiyaVictoir, EulerMaruyama, NinomiyaVictoir, SOLVERS, SOLVER_NAMES, solverFromName } from './solvers/index.js';
export type { Solver, SolverName } from './solvers/index.js';
export { solve, solveSync, buildSdeJob } from './solve.js';
export type { SolveOptions } from './solve.js';
export type { Solution } from './solution.js';
export { SDE_BLOCK } from './integrate.js';
export type { SdeJob } from './integrate.js';
export { weakExpectations, pathValues } from './expectation.js';
export type { WeakExpectation, PathFunction } from './expectation.js';
export { convergenceStudy } from './convergence.js';
export type { ConvergenceStudy, ConvergenceLevel, ConvergenceOptions } from './convergence.js';
export { correlationExpectation, explosionProbability } from './reference.js';
