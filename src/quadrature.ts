// Gauss-Hermite quadrature for Gaussian expectations E f(sqrt(v) Z), Z ~ N(0, 1), by Golub-Welsch:
// the nodes and weights come from the eigen-decomposition of the Jacobi matrix, done by ml-matrix.
// Used by the finite-width recursions of validation/ and by the tests (not loaded by the root entry).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { requireInteger } from './errors.js';

/** A Gauss-Hermite rule: nodes and weights for E f(Z), Z ~ N(0, 1). */
export interface GaussRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/** Gauss-Hermite rule for E f(Z), Z ~ N(0, 1) (probabilists' weight), exact for polynomials of degree < 2 order. */
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
