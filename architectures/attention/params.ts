// The shaped attention block's parameters (docs/maths.md, section 14): the residual branch weight gamma,
// the logit temperature tau0 (logits = Q K^T / (tau0 sqrt(n nk))) and the number of heads H. One check
// shared by the API and the command line, so both refuse the same values with the same words.
import { InputError } from '../../src/errors.js';
import { requireGamma } from '../../networks/index.js';

export interface AttentionParams {
  /** Branch weight in (0, 1]; the skip weight is lambda = sqrt(1 - gamma^2). */
  readonly gamma: number;
  /** Temperature scale tau0 > 0. */
  readonly tau0: number;
  /** Number of heads H >= 1 (the branch is H^{-1/2} sum_h). */
  readonly heads: number;
}

/** The largest head count accepted (each head costs O(m^2 nk) per layer). */
export const MAX_HEADS = 4096;

/** Check gamma, tau0 and heads; `fields` names them as the caller's user wrote them. */
export function checkAttentionParams(
  p: { gamma: unknown; tau0: unknown; heads?: unknown },
  fields = { gamma: 'gamma', tau0: 'tau0', heads: 'heads' },
): AttentionParams {
  const { tau0 } = p;
  const heads = p.heads ?? 1;
  const gamma = requireGamma(fields.gamma, p.gamma);
  if (typeof tau0 !== 'number' || !(tau0 > 0 && Number.isFinite(tau0)))
    throw new InputError(fields.tau0, tau0, 'must be a finite number > 0');
  if (typeof heads !== 'number' || !Number.isInteger(heads) || heads < 1 || heads > MAX_HEADS) {
    throw new InputError(fields.heads, heads, `must be an integer in [1, ${MAX_HEADS}]`);
  }
  return { gamma, tau0, heads };
}
