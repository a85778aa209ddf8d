// sde/: the Neural Covariance SDE and its Euler-Maruyama integration over many seeded paths.
export * from './terms.js';
export * from './controls.js';
export { solve, solveSync, buildSdeJob } from './solve.js';
export type { SolveOptions, MatrixInput } from './solve.js';
export type { Solution, PathStatus } from './solution.js';
export { PATH_STATUS_NAMES } from './solution.js';
export { PATH_FINISHED, PATH_EXPLODED, PATH_REPAIRED } from './kernels.js';
export { convergenceStudy } from './convergence.js';
export type { ConvergenceStudy, ConvergenceLevel, ConvergenceOptions } from './convergence.js';
