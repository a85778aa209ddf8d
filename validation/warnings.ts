// Finite-size and numerical conditions under which a comparison's numbers mislead, as warnings that the
// reports print beside the numbers they concern: the shaping's expansion parameter V / (a^2 n) at the input
// and at the threshold (smooth activations), the O(n^-1/2) drift of a shaped ReLU-like MLP (kappa_n against
// kappa, docs/maths.md section 5.1), and Euler-Maruyama repairs.
import type { ActivationSpec } from '../src/activations/index.js';
import { widthCorrelationReference } from './theory.js';

/** One warning and the part of a report it belongs beside. */
export interface Warning {
  readonly concerns: 'explosion' | 'comparison' | 'paths';
  readonly text: string;
}

const pct = (x: number) => `${(100 * x).toPrecision(2)}%`;

/**
 * Finite-size warnings of networks of width n against the limit. Smooth phi(x) = s f(x/s), s = a sqrt(n):
 * the next term of the expansion is V / s^2 = V / (a^2 n) relative to the shaped one, so networks are near
 * the limit only while V stays well below a^2 n (warned above 1/20 at the input, above 1/10 at the threshold).
 * ReLU-like (with rho0 and T): the shift of E rho_T by kappa_n (O(n^-1/2)), warned where it exceeds 1.5 / n.
 */
export function finiteSizeWarnings(
  spec: ActivationSpec,
  n: number,
  x0: number,
  threshold: number,
  options?: { rho0: number; T: number },
): Warning[] {
  const out: Warning[] = [];
  if (spec.family === 'smooth') {
    const scale = spec.a * spec.a * n;
    if (x0 / scale > 0.05)
      out.push({
        concerns: 'comparison',
        text: `Warning: the input variance x0 = ${x0} is ${pct(x0 / scale)} of a^2 n = ${scale.toPrecision(4)}, so the networks are not near the shaped limit even at the input (the expansion parameter V / (a^2 n) should be small). Raise --n or the shaping scale a.`,
      });
    if ((threshold * x0) / scale > 0.1)
      out.push({
        concerns: 'explosion',
        text: `Warning: the threshold ${(threshold * x0).toPrecision(4)} is not well below a^2 n = ${scale.toPrecision(4)}: networks that reach it have left the shaped regime, so their P(cross) need not match the SDE's. Lower --threshold or raise --n.`,
      });
  }
  const width =
    spec.family === 'relu-like' && options ? widthCorrelationReference(spec, n, options.rho0, options.T) : null;
  if (width && width.basis === 'kappa_n')
    out.push({
      concerns: 'comparison',
      text: `Warning: at width ${n} the correlation drift constant is kappa_n = ${width.kappaN.toPrecision(4)} against the limit's kappa = ${width.kappa} (c+ + c- != 0: an O(n^-1/2) bias), which moves E rho_T from ${width.limit.toPrecision(4)} to ${width.value.toPrecision(4)}: networks and SDE differ in E rho by design here. The theory table's E[rho^ab] row compares the networks with this width-n reference.`,
    });
  return out;
}

/** Euler-Maruyama projected more than 3% of the paths back into the PSD cone: the law is biased. */
export function repairWarnings(counts: { readonly repaired: number }, paths: number, solver: string): Warning[] {
  if (!(counts.repaired > 0.03 * paths)) return [];
  return [
    {
      concerns: 'paths',
      text: `Warning: ${solver} repaired ${counts.repaired} of ${paths} SDE paths (${pct(counts.repaired / paths)}): steps that left the positive semidefinite cone were projected back, which biases the law. Use --solver ninomiya-victoir (exact flows that stay in the cone) or more steps.`,
    },
  ];
}
