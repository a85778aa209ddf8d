// The limit SDEs of shaped attention and of the shaped Transformer as Sde values (docs/maths.md, section
// 14.5): dV = b(V) dt + G(V) dB on the m x m covariance of the tokens, integrated by Euler-Maruyama
// through attentionTerm. The attention block's limit does not involve the activation (it is carried only
// to name the SDE); the transformer's adds the MLP block's drift gamma^2 b(V) of the activation.
import { activationFromSpec, type Activation, type ActivationSpec } from '../../src/activations/index.js';
import { siblingModule } from '../../src/blocks.js';
import { InputError } from '../../src/errors.js';
import { toFlatMatrix, validateCovariance } from '../../src/linalg.js';
import type { Sde, SdeInitial } from '../../sde/index.js';
import { mlpLimit } from '../mlp/limit.js';
import { attentionMaths, type AttentionBlocks } from './limit.js';
import { checkAttentionParams, type AttentionParams } from './params.js';
import { attentionTerm } from './term.js';

const MODULE = siblingModule(import.meta.url, 'sdes');

/** 'attention' or 'transformer'. */
export type AttentionKind = 'attention' | 'transformer';

/** V0: an m x m covariance matrix (PSD, positive diagonal), 1 <= m <= 64. */
function checkMatrix(v0: unknown, field: string): SdeInitial {
  if (typeof v0 === 'number') throw new InputError(field, v0, 'must be an m x m covariance matrix of the m tokens');
  const flat = toFlatMatrix(field, v0 as never);
  if (flat.m > 64) throw new InputError(field, `${flat.m}x${flat.m} matrix`, 'must have m <= 64 tokens (the step costs O(m^3) per path)');
  validateCovariance(field, flat.data, flat.m);
  const m = flat.m;
  const v = Array.from(flat.data);
  return { v0: v, m, scale: Math.max(...v.filter((_, k) => k % (m + 1) === 0)) };
}

const paramText = (p: AttentionParams) => `gamma = ${p.gamma}, tau0 = ${p.tau0}, H = ${p.heads}`;

/** The covariance SDE of `kind` at parameters p; the transformer needs a shaped activation. */
export function attentionSde(kind: AttentionKind, p: AttentionParams, activation: Activation): Sde<'matrix'> {
  const params = checkAttentionParams(p);
  const blocks: AttentionBlocks = kind === 'attention' ? { kind } : { kind, mlpDrift: mlpLimit(activation).drift };
  const description =
    kind === 'attention'
      ? `the token covariance SDE of shaped attention (${paramText(params)}; no activation enters)`
      : `the token covariance SDE of the shaped Transformer (${paramText(params)}, MLP block ${activation.name})`;
  return {
    kind: 'covariance',
    description,
    activation,
    shape: 'matrix',
    explodes: true,
    checkInitial: (v0, field) => checkMatrix(v0, field),
    term: (lanes, v0, m, threshold) => attentionTerm({ maths: attentionMaths(params, blocks), v0: Float64Array.from(v0), m, lanes, threshold }),
    ref: activation.spec ? { module: MODULE, name: 'attentionSdeFromSpec', args: [kind, params, activation.spec] } : null,
  };
}

/** Rebuild from plain data (a worker's ModuleRef). */
export function attentionSdeFromSpec(kind: AttentionKind, p: AttentionParams, spec: ActivationSpec): Sde<'matrix'> {
  return attentionSde(kind, p, activationFromSpec(spec));
}
