// The activation contract shared by networks/ (finite width) and sde/ (the limit). One object
// carries both sides, so a network and the SDE it converges to cannot disagree about the shaping.

/** A JSON description from which `activationFromSpec` rebuilds the object (configs, workers, reports). */
export type ActivationSpec =
  | { family: 'relu-like'; cPlus: number; cMinus: number }
  | { family: 'smooth'; f: SmoothName; a: number }
  | { family: 'unshaped'; f: UnshapedName; gain?: number };

/** The catalog of smooth shaped activations (the one list every parser, schema and report uses). */
export const SMOOTH_NAMES = ['tanh', 'sin', 'swish', 'softplus', 'gelu'] as const;
/** A smooth activation of the catalogue (docs/maths.md, section 2). */
export type SmoothName = (typeof SMOOTH_NAMES)[number];
/** Unshaped baselines: no 1/sqrt(n) shaping, no SDE limit. */
export const UNSHAPED_NAMES = ['relu', 'tanh', 'linear'] as const;
/** An unshaped baseline activation. */
export type UnshapedName = (typeof UNSHAPED_NAMES)[number];

/** The activation at a given width n: phi, its derivative and the gain c of z' = sqrt(c/n) W phi(z). */
export interface FiniteActivation {
  readonly n: number;
  readonly c: number;
  phi(x: number): number;
  dphi(x: number): number;
  /** phi applied in place to buf[from, to); specialised loops, no per-element closure for built-ins. */
  applyInPlace(buf: Float64Array, from: number, to: number): void;
  /** Piecewise-linear phi as phi(x) = a x + b |x| (branch-free in fused kernels); null for the others. */
  readonly piecewise: { readonly a: number; readonly b: number } | null;
}

/**
 * The drift of the Neural Covariance SDE dV = b(V) dt + Sigma(V)^{1/2} dB for this activation. Both
 * families have b^aa = beta (V^aa)^2 and an off-diagonal b^ab that depends on (V^aa, V^bb, V^ab) only.
 */
export interface CovarianceLimit {
  readonly family: 'relu-like' | 'smooth';
  /** b(V) for the m x m matrix V (row-major), written to out; allocation-free. */
  drift(v: Float64Array, m: number, out: Float64Array): void;
  /** b^ab as a function of V^aa, V^bb, V^ab (a != b). */
  offDiagonal(vaa: number, vbb: number, vab: number): number;
  /** Diagonal drift coefficient: dX = beta X^2 dt + sqrt(2) X dB (beta = 0 for ReLU-like). */
  readonly beta: number;
  /** ReLU-like only: nu(rho), with d rho = [nu(rho) - rho (1 - rho^2)/2] dt + (1 - rho^2) dW. */
  readonly nu: ((rho: number) => number) | null;
  /**
   * The drift seen by the correlation matrix R (V = D^{1/2} R D^{1/2}, D = diag V) while the diagonal
   * follows its own flow d' = beta d^2: dR/dt = P(R, d) + G R + R G with G = diag(gain(d_a)) and
   * P_ab = source(d_a, d_b, R_ab) positive semi-definite whenever R is. P_aa = -2 gain(d_a), so the
   * unit diagonal is invariant. The splitting solver integrates this form exactly enough to keep V
   * in the cone (docs/maths.md, section 6).
   */
  readonly correlationFlow: {
    gain(d: number): number;
    source(da: number, db: number, r: number): number;
    /**
     * ReLU-like only (the diagonal does not move): the flow of one correlation r over tau, second-order
     * accurate, staying in [-1, 1]; null for smooth activations, whose pair flow the solver integrates.
     */
    readonly pair: ((r: number, tau: number) => number) | null;
  };
}

/**
 * One activation: its finite-width map (`atWidth(n)`, used by the network samplers) and its limiting
 * drift (`limit`, used by the SDE), in one object so that the two can never disagree.
 */
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
export function covarianceLimit(parts: Omit<CovarianceLimit, 'drift'>): CovarianceLimit {
  const { beta, offDiagonal } = parts;
  return {
    ...parts,
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
