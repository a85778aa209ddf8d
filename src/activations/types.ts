// The activation contract shared by networks/ (finite width) and sde/ (the limit). One object
// carries both sides, so a network and the SDE it converges to cannot disagree about the shaping.

/** A JSON description from which `activationFromSpec` rebuilds the object (configs, workers, reports). */
export type ActivationSpec =
  | { family: 'relu-like'; cPlus: number; cMinus: number }
  | { family: 'smooth'; f: SmoothName; a: number }
  | { family: 'unshaped'; f: UnshapedName; gain?: number };

export type SmoothName = 'tanh' | 'sin' | 'swish' | 'softplus' | 'gelu';
export type UnshapedName = 'relu' | 'tanh' | 'linear';

/** The activation at a given width n: phi, its derivative and the gain c of z' = sqrt(c/n) W phi(z). */
export interface FiniteActivation {
  readonly n: number;
  readonly c: number;
  phi(x: number): number;
  dphi(x: number): number;
  /** phi applied in place to buf[from, to); specialised loops, no per-element closure for built-ins. */
  applyInPlace(buf: Float64Array, from: number, to: number): void;
}

/** The drift of the Neural Covariance SDE dV = b(V) dt + Sigma(V)^{1/2} dB for this activation. Both
 *  families have b^aa = beta (V^aa)^2 and an off-diagonal b^ab that depends on (V^aa, V^bb, V^ab) only. */
export interface CovarianceLimit {
  /** b(V) for the m x m matrix V (row-major), written to out; allocation-free. */
  drift(v: Float64Array, m: number, out: Float64Array): void;
  /** b^ab as a function of V^aa, V^bb, V^ab (a != b). */
  offDiagonal(vaa: number, vbb: number, vab: number): number;
  /** Diagonal drift coefficient: dX = beta X^2 dt + sqrt(2) X dB (beta = 0 for ReLU-like). */
  readonly beta: number;
  /** ReLU-like only: nu(rho), with d rho = [nu(rho) - rho (1 - rho^2)/2] dt + (1 - rho^2) dW. */
  readonly nu: ((rho: number) => number) | null;
}

export interface Activation {
  readonly family: ActivationSpec['family'];
  /** Short human name, e.g. "shaped-relu(c+=0, c-=-1)". */
  readonly name: string;
  /** Serialisable description; null for a custom smooth f, which cannot be rebuilt from JSON. */
  readonly spec: ActivationSpec | null;
  atWidth(n: number): FiniteActivation;
  /** The SDE limit; null for unshaped baselines, whose depth-and-width limit is degenerate. */
  readonly limit: CovarianceLimit | null;
}

/** The matrix drift assembled from beta and the off-diagonal function: one definition for every m. */
export function covarianceLimit(beta: number, nu: ((rho: number) => number) | null, offDiagonal: CovarianceLimit['offDiagonal']): CovarianceLimit {
  return {
    beta,
    nu,
    offDiagonal,
    drift(v, m, out) {
      for (let i = 0; i < m; i++) {
        const vii = v[i * m + i];
        out[i * m + i] = beta * vii * vii;
        for (let j = i + 1; j < m; j++) {
          const x = offDiagonal(vii, v[j * m + j], v[i * m + j]);
          out[i * m + j] = x;
          out[j * m + i] = x;
        }
      }
    },
  };
}
