// The MLP's limit SDEs as Sde values: the m x m Neural Covariance SDE and its two 1-D reductions, for an
// activation, on drift and noise clocks (unit for the MLP; the shaped ResNet's limit is these on other
// clocks). Each value checks its initial condition, builds its term and carries the module reference a
// worker rebuilds it from.
import { activationFromSpec, type Activation, type ActivationSpec } from '../../src/activations/index.js';
import { siblingModule } from '../../src/blocks.js';
import { InputError, requireChoice, requireFinite, requirePositive } from '../../src/errors.js';
import { toFlatMatrix, validateCovariance } from '../../src/linalg.js';
import { MAX_INPUTS } from '../../src/limits.js';
import type { ModuleRef } from '../../src/modules.js';
import {
  correlationTerm,
  covarianceTerm,
  diagonalTerm,
  UNIT_CLOCKS,
  type Clocks,
  type Sde,
  type SdeInitial,
} from '../../sde/index.js';
import { mlpLimit, requireFacts } from './limit.js';

/** The SDEs an architecture's limit has, by the name sdeFromSpec takes. */
export const SDE_KINDS = ['covariance', 'correlation', 'diagonal'] as const;
export type SdeKind = (typeof SDE_KINDS)[number];

const MODULE = siblingModule(import.meta.url, 'sdes');

function checkClocks(clocks: Clocks): Clocks {
  requirePositive('clocks.driftClock', clocks.driftClock);
  requirePositive('clocks.noiseClock', clocks.noiseClock);
  return clocks;
}

function refFor(kind: SdeKind, activation: Activation, clocks: Clocks): ModuleRef | null {
  return activation.spec ? { module: MODULE, name: 'sdeFromSpec', args: [kind, activation.spec, clocks] } : null;
}

const clockText = (c: Clocks) =>
  c.driftClock === 1 && c.noiseClock === 1 ? '' : ` (drift on clock ${c.driftClock}, noise on clock ${c.noiseClock})`;

/** V0: an m x m covariance matrix (PSD, positive diagonal), m <= MAX_INPUTS: every matrix SDE's check. */
export function checkMatrix(v0: unknown, field: string): SdeInitial {
  if (typeof v0 === 'number')
    throw new InputError(field, v0, 'must be an m x m covariance matrix for the covariance SDE');
  const flat = toFlatMatrix(field, v0 as never);
  if (flat.m > MAX_INPUTS)
    throw new InputError(
      field,
      `${flat.m}x${flat.m} matrix`,
      `must have m <= ${MAX_INPUTS} inputs (the step costs O(m^3) per path)`,
    );
  validateCovariance(field, flat.data, flat.m);
  const m = flat.m;
  const v = Array.from(flat.data);
  return { v0: v, m, scale: Math.max(...v.filter((_, k) => k % (m + 1) === 0)) };
}

/**
 * The m x m Neural Covariance SDE of a shaped activation: dV = dc b(V) dt + sqrt(nc) Sigma(V)^{1/2} dB.
 * @example
 * const sde = covarianceSde(shapedRelu({ cPlus: 0, cMinus: -1 }));
 */
export function covarianceSde(activation: Activation, clocks: Clocks = UNIT_CLOCKS): Sde<'matrix'> {
  const drift = mlpLimit(activation);
  checkClocks(clocks);
  return {
    kind: 'covariance',
    description: `the m x m Neural Covariance SDE of ${activation.name}${clockText(clocks)}`,
    activation,
    shape: 'matrix',
    explodes: true,
    checkInitial: (v0, field) => checkMatrix(v0, field),
    term: (lanes, v0, m, threshold) =>
      covarianceTerm({ drift, v0: Float64Array.from(v0), m, lanes, threshold, clocks }),
    ref: refFor('covariance', activation, clocks),
  };
}

/** The autonomous 1-D SDE of one correlation (ReLU-like activations only). */
export function correlationSde(activation: Activation, clocks: Clocks = UNIT_CLOCKS): Sde<'scalar'> {
  const nu = requireFacts(activation).nu;
  if (!nu)
    throw new InputError(
      'activation',
      activation.name,
      'has no autonomous correlation SDE: only ReLU-like activations do',
    );
  checkClocks(clocks);
  return {
    kind: 'correlation',
    description: `the correlation SDE of ${activation.name} (rho stays in [-1, 1])${clockText(clocks)}`,
    activation,
    shape: 'scalar',
    explodes: false,
    checkInitial(v0, field) {
      const x0 = requireFinite(field, v0);
      if (x0 < -1 || x0 > 1) throw new InputError(field, x0, 'must be a correlation in [-1, 1]');
      return { v0: [x0], m: 1, scale: 1 };
    },
    term: (lanes, v0) => correlationTerm({ nu, rho0: v0[0], lanes, clocks }),
    ref: refFor('correlation', activation, clocks),
  };
}

/** The 1-D SDE of one diagonal entry (the norm of one input's activations). */
export function diagonalSde(activation: Activation, clocks: Clocks = UNIT_CLOCKS): Sde<'scalar'> {
  const { beta } = requireFacts(activation);
  checkClocks(clocks);
  return {
    kind: 'diagonal',
    description: `the diagonal SDE dX = beta X^2 dt + sqrt(2) X dB of ${activation.name}${clockText(clocks)}`,
    activation,
    shape: 'scalar',
    explodes: true,
    checkInitial(v0, field) {
      const x0 = requireFinite(field, v0);
      if (!(x0 > 0)) throw new InputError(field, x0, 'must be a variance > 0');
      return { v0: [x0], m: 1, scale: x0 };
    },
    term: (lanes, v0, _m, threshold) => diagonalTerm({ beta, x0: v0[0], lanes, threshold, clocks }),
    ref: refFor('diagonal', activation, clocks),
  };
}

const BUILDERS: Readonly<Record<SdeKind, (activation: Activation, clocks: Clocks) => Sde>> = {
  covariance: covarianceSde,
  correlation: correlationSde,
  diagonal: diagonalSde,
};

/** Rebuild an SDE from plain data (a worker's ModuleRef). */
export function sdeFromSpec(kind: SdeKind, spec: ActivationSpec, clocks: Clocks = UNIT_CLOCKS): Sde {
  return BUILDERS[requireChoice('sde', kind, SDE_KINDS)](activationFromSpec(spec), clocks);
}
