// Finite-width fourth cumulants (Hanin 2022): the normalised fourth cumulant of an output,
// kappa_4 / (3 kappa_2^2) = E z^4 / (3 (E z^2)^2) - 1 = Var(V) / (E V)^2 with V the conditional
// variance of z given the last layer, and the same for the input derivative dz. Theory: exact
// products (1 + k/n)^L - 1 for linear (k = 2) and ReLU at C_W = 2 (k = 5), the leading-order
// recursion for other activations, and the SDE's Var(V_T) / E(V_T)^2 for shaped networks.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Activation } from '../src/activations/index.js';
import { InputError, requireInteger } from '../src/errors.js';
import type { WorkerPool } from '../src/parallel.js';
import type { Estimate } from '../src/stats.js';
import { sampleNetworks } from '../networks/index.js';
import { logitKurtosis } from './observables.js';

/** Var(V) / E(V)^2 over samples, with its delta-method SE. */
export function fourthCumulantRatio(v: ArrayLike<number>): Estimate {
  const r = logitKurtosis(v);
  return { value: r.value, se: r.se };
}

/** The exact finite-width ratio (1 + k/n)^L - 1 (SPEC.md section 5). */
export function exactProductRatio(k: number, n: number, layers: number): number {
  return Math.pow(1 + k / n, layers) - 1;
}

export interface GaussRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/** Gauss-Hermite rule for E f(Z), Z ~ N(0,1), by Golub-Welsch (eigenvalues of the Jacobi matrix). */
export function gaussHermite(order: number): GaussRule {
  requireInteger('order', order, 1);
  const jacobi = Matrix.zeros(order, order);
  for (let k = 1; k < order; k++) {
    jacobi.set(k - 1, k, Math.sqrt(k));
    jacobi.set(k, k - 1, Math.sqrt(k));
  }
  const evd = new EigenvalueDecomposition(jacobi, { assumeSymmetric: true });
  const vectors = evd.eigenvectorMatrix;
  const nodes = Float64Array.from(evd.realEigenvalues);
  const weights = Float64Array.from({ length: order }, (_, i) => vectors.get(0, i) ** 2);
  const total = weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < order; i++) weights[i] /= total;
  return { nodes, weights };
}

/** E f(sqrt(variance) Z). */
export function gaussianExpectation(f: (x: number) => number, variance: number, rule: GaussRule): number {
  const sd = Math.sqrt(variance);
  let s = 0;
  for (let i = 0; i < rule.nodes.length; i++) s += rule.weights[i] * f(sd * rule.nodes[i]);
  return s;
}

/**
 * Leading order in 1/n: with K_{l+1} = C_W <phi^2>_{K_l} and v_l = Var(V_l),
 *   v_{l+1} = (C_W^2 / n) (<phi^4>_{K_l} - <phi^2>_{K_l}^2) + chi_l^2 v_l,  chi_l = C_W d<phi^2>_K / dK at K_l,
 * and the ratio after L layers is v_L / K_L^2 (error O(L^2/n^2)). Returns the ratio after each layer 1..L.
 */
export function leadingOrderRatios(phi: (x: number) => number, gain: number, n: number, layers: number, k0: number, rule = gaussHermite(120)): number[] {
  const second = (k: number) => gaussianExpectation((x) => phi(x) ** 2, k, rule);
  const fourth = (k: number) => gaussianExpectation((x) => phi(x) ** 4, k, rule);
  let k = k0;
  let v = 0;
  const out: number[] = [];
  for (let l = 0; l < layers; l++) {
    const s2 = second(k);
    const h = 1e-5 * Math.max(k, 1e-8);
    // d<phi^2>_K / dK = <(phi^2)''>/2 by Gaussian integration by parts; a central difference is as accurate here.
    const chi = (gain * (second(k + h) - second(k - h))) / (2 * h);
    v = ((gain * gain) / n) * (fourth(k) - s2 * s2) + chi * chi * v;
    k = gain * s2;
    out.push(v / (k * k));
  }
  return out;
}

export interface CumulantMeasurement {
  readonly n: number;
  readonly layers: number[];
  /** L / n at each recorded layer. */
  readonly ratios: number[];
  readonly output: Estimate[];
  readonly derivative: Estimate[];
  readonly exploded: number;
}

/**
 * Output and input-derivative ratios from the covariance chain with derivatives: one input x and an
 * orthogonal direction u, both of norm^2 / n_in = 1, so the joint (z, dz) Gram starts at I_2.
 */
export async function measureCumulants(options: {
  activation: Activation;
  n: number;
  layers: readonly number[];
  samples: number;
  seed: number | string;
  method?: 'chain' | 'explicit';
  threads?: number | WorkerPool;
}): Promise<CumulantMeasurement> {
  if (options.layers.length === 0) throw new InputError('layers', options.layers, 'must list at least one layer');
  const depth = Math.max(...options.layers);
  const sample = await sampleNetworks({
    activation: options.activation,
    n: options.n,
    depth,
    v0: [
      [1, 0],
      [0, 1],
    ],
    derivatives: true,
    samples: options.samples,
    seed: options.seed,
    method: options.method,
    record: { layers: options.layers },
    threads: options.threads,
  });
  const alive = Array.from({ length: sample.samples }, (_, p) => p).filter((p) => sample.status[p] !== 1);
  const column = (r: number, i: number) => Float64Array.from(alive, (p) => sample.values.get(r, p, i, i));
  return {
    n: options.n,
    layers: [...options.layers],
    ratios: options.layers.map((l) => l / options.n),
    output: options.layers.map((_, r) => fourthCumulantRatio(column(r, 0))),
    derivative: options.layers.map((_, r) => fourthCumulantRatio(column(r, 1))),
    exploded: sample.samples - alive.length,
  };
}
