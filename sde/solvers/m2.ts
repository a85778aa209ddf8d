// What the fused m = 2 steps beside the solvers (eulerMaruyama.m2.ts, ninomiyaVictoir.m2.ts) read of the
// 2 x 2 covariance term: the term's m2 capability, whose contract is the term's (sde/term.ts).
export type { CovarianceM2 } from '../term.js';
