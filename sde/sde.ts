// The SDE value a user composes with a solver: what solve needs to know of an SDE, and nothing about
// which one it is. An architecture (architectures/) builds these for an activation; solve, the solution
// and the expectations read only these fields, so a new SDE needs no change here.
import type { Activation } from '../src/activations/index.js';
import type { MatrixInput } from '../src/linalg.js';
import type { ModuleRef } from '../src/modules.js';
import type { Term } from './term.js';

/** The checked initial value: flat (m x m row-major, or [x0]), the side m (1 for scalars), and the
 *  largest initial variance (the unit of the explosion threshold). */
export interface SdeInitial {
  readonly v0: readonly number[];
  readonly m: number;
  readonly scale: number;
}

/** The initial value an SDE of this shape takes: an m x m matrix, or one number (rho0 or X0). */
export type InitialValue<Shape extends SdeShape> = Shape extends 'matrix' ? MatrixInput : number;
/** 'matrix': values saved as m x m; 'scalar': one number per path. */
export type SdeShape = 'matrix' | 'scalar';

/** An SDE for `solve`: its shape, the check of its initial value and the term builder. The shape
 *  parameter ties solve's `v0` to it: a matrix for the covariance SDEs, a number for the 1-D ones. */
export interface Sde<Shape extends SdeShape = SdeShape> {
  /** Short name for reports and settings, e.g. 'covariance', 'correlation', 'diagonal'. */
  readonly kind: string;
  /** One line for reports and --help. */
  readonly description: string;
  /** The activation whose limit this is (names it in reports). */
  readonly activation: Activation;
  /** 'matrix': values saved as m x m; 'scalar': one number per path. */
  readonly shape: Shape;
  /** Whether an explosion threshold applies (false for a correlation, which stays in [-1, 1]). */
  readonly explodes: boolean;
  /** Check v0 (an InputError naming `field`) and flatten it. */
  checkInitial(v0: InitialValue<Shape>, field: string): SdeInitial;
  /** The term over `lanes` lanes from the checked initial value. */
  term(lanes: number, v0: readonly number[], m: number, threshold: number): Term;
  /** Rebuilds this SDE in a worker thread; null: it runs on the calling thread only. */
  readonly ref: ModuleRef | null;
}
