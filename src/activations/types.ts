// The activation contract shared by networks/ (finite width) and the architectures' limits. One object
// carries the finite map and the scalar facts of the limit (beta, nu, f''(0), ...), so a network and the
// SDE it converges to cannot disagree about the shaping; the limit SDE itself is the architecture's.

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
 * The scalar facts of a shaped activation that its depth-and-width limits are built from (the MLP's
 * covariance SDE is assembled from them in architectures/mlp/limit.ts; other architectures reuse them).
 */
export type LimitFacts =
  | {
      readonly family: 'relu-like';
      /** Diagonal drift coefficient: dX = beta X^2 dt + sqrt(2) X dB; 0 for ReLU-like. */
      readonly beta: 0;
      /** nu(rho) = k (sqrt(1 - rho^2) - rho arccos rho): d rho = [nu(rho) - rho (1 - rho^2)/2] dt + (1 - rho^2) dW. */
      readonly nu: (rho: number) => number;
      /** The coefficient k = (c+ - c-)^2 / (2 pi) of nu; nu(r) = pi k (J(r) - r), J the arc-cosine kernel. */
      readonly k: number;
    }
  | {
      readonly family: 'smooth';
      /** Diagonal drift coefficient beta (smoothBeta of f''(0), f'''(0) and a). */
      readonly beta: number;
      readonly nu: null;
      /** The second and third derivatives of f at 0, and the scale a of phi(x) = a sqrt(n) f(x / (a sqrt(n))). */
      readonly fpp0: number;
      readonly fppp0: number;
      readonly a: number;
    };

/**
 * One activation: its finite-width map (`atWidth(n)`, used by the network samplers) and the scalar facts
 * of its limit (`limit`, used by the architectures' SDEs), in one object so that the two can never disagree.
 */
export interface Activation {
  readonly family: ActivationSpec['family'];
  /** Short human name, e.g. "shaped-relu(c+=0, c-=-1)". */
  readonly name: string;
  /** Serialisable description; null for a custom smooth f, which cannot be rebuilt from JSON. */
  readonly spec: ActivationSpec | null;
  atWidth(n: number): FiniteActivation;
  /** The scalar facts of its limit; null for unshaped baselines, whose depth-and-width limit is degenerate. */
  readonly limit: LimitFacts | null;
}
