// The initial covariance V0 of a run, from one of three sources: input vectors X (P x d, V0 = X X^T / d),
// V0 itself, or m, rho0 and x0 (equicorrelated). One rule for the CLI, configs and the API: give one
// source; a recorded result carries V0 beside the values it came from, and those are accepted when they
// agree with it. The checked V0 is symmetric, finite, with positive variances and PSD.
import { InputError } from './errors.js';
import { gramOfRows, checkRows, type Rows } from './io/matrix.js';
import { validateCovariance } from './linalg.js';

/** The values the initial covariance may come from (the options of the same names). */
export interface InitialValues {
  readonly m?: number;
  readonly rho0?: number;
  readonly x0?: number;
  readonly v0?: Rows;
  readonly inputs?: Rows;
}

/** The resolved initial condition: V0, the inputs where given, and x0 = V0^00, rho0 = rho^01_0 for display. */
export interface Initial {
  readonly v0: Rows;
  readonly inputs?: Rows;
  readonly m: number;
  readonly x0: number;
  readonly rho0: number;
}

/** Two numbers that are one value written twice (a recorded x0 or rho0 against the V0 it made). */
function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= 4 * Number.EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Resolve V0. `given(key)` says whether the user set an option (not its default); `where(key)` names it as
 * written. Conflicting sources are refused in one line; a matrix that is not a covariance is refused naming
 * the entry at fault or the smallest eigenvalue.
 */
export function resolveInitial(
  values: InitialValues,
  given: (key: string) => boolean,
  where: (key: string) => string,
): Initial {
  if (values.inputs === undefined && values.v0 === undefined) {
    const m = values.m ?? 2;
    const rho = values.rho0 ?? 0.5;
    const x0 = values.x0 ?? 1;
    // An equicorrelated matrix is PSD iff rho >= -1/(m-1).
    if (m > 1 && rho < -1 / (m - 1))
      throw new InputError(
        where('rho0'),
        rho,
        `makes V0 indefinite for ${m} inputs: it must be >= ${(-1 / (m - 1)).toPrecision(4)} when ${where('m')} is ${m}`,
      );
    return {
      v0: Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? x0 : x0 * rho))),
      m,
      x0,
      rho0: rho,
    };
  }
  let v0: Rows;
  let source: string;
  if (values.inputs !== undefined) {
    source = where('inputs');
    checkRows(values.inputs, source);
    v0 = gramOfRows(values.inputs);
    if (values.v0 !== undefined) {
      const stated = values.v0;
      const same =
        stated.length === v0.length &&
        stated.every((row, a) => row.length === v0.length && row.every((x, b) => agrees(x, v0[a][b])));
      if (!same)
        throw new InputError(
          where('v0'),
          `${stated.length} x ${stated[0]?.length ?? 0} matrix`,
          `conflicts with ${source} (the inputs set V0 = X X^T / d); give one of them`,
        );
    }
  } else {
    source = where('v0');
    v0 = values.v0!;
    const { rows, cols } = checkRows(v0, source);
    if (rows !== cols) throw new InputError(source, `${rows} x ${cols}`, 'must be a square matrix');
  }
  const m = v0.length;
  const x0 = v0[0][0];
  const rho0 = m > 1 ? v0[0][1] / Math.sqrt(v0[0][0] * v0[1][1]) : (values.rho0 ?? 0);
  if (given('m') && values.m !== m)
    throw new InputError(
      where('m'),
      values.m,
      `conflicts with ${source}, which holds ${m} inputs; leave it out (it follows from V0)`,
    );
  if (given('x0') && !agrees(values.x0!, x0))
    throw new InputError(where('x0'), values.x0, `conflicts with ${source} (V0^00 = ${x0}); give one of them`);
  if (given('rho0') && m > 1 && !agrees(values.rho0!, rho0))
    throw new InputError(where('rho0'), values.rho0, `conflicts with ${source} (rho^01 = ${rho0}); give one of them`);
  // Symmetric, finite, positive variances and PSD (the smallest eigenvalue named), before any computing.
  validateCovariance(
    values.inputs !== undefined ? `V0 = X X^T / d of ${source}` : source,
    Float64Array.from(v0.flat()),
    m,
  );
  return {
    v0,
    ...(values.inputs !== undefined ? { inputs: values.inputs } : {}),
    m,
    x0: given('x0') ? values.x0! : x0,
    rho0: given('rho0') ? values.rho0! : rho0,
  };
}
