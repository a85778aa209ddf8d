// The shaped attention block (docs/maths.md, sections 14 and 17): y = H^{-1/2} sum_h A_h X WV_h / sqrt(n)
// on the token stream z = X^T. It is fresh (given z and the heads' logits its rows are i.i.d. N(0, Mbar)),
// its limit is the attention drift b_A on clock 1 with the Wishart noise and the attention noise
// Sigma_A / H, and its chain step draws the logits from V alone (no n x n matrix). The activation plays no part.
import type { FiniteActivation } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import { choleskyPsd } from '../../src/linalg.js';
import type { RandomStream } from '../../src/random/streams.js';
import { gaussianMatmul, gramInto } from '../../networks/index.js';
import { freshLayer } from './fresh.js';
import { blockScratch, drawMixing } from '../attention/block.js';
import { addAttentionCovariance, attentionTerms } from '../attention/limit.js';
import { checkAttentionParams, MAX_HEADS } from '../attention/params.js';
import { shapedAttention as softmaxAttention } from '../attention/softmax.js';
import { numberArg, type BlockEntry } from './entry.js';
import type { Block, BlockLimit, FiniteLayer, StreamShape } from './block.js';
import { WISHART } from './limit.js';

/** Options of shapedAttention: the temperature tau0, heads H (default 1), key width nk (default n). */
export interface ShapedAttentionOptions {
  readonly tau0: number;
  readonly heads?: number;
  readonly keyWidth?: number | null;
}

function attentionLimit(tau0: number, heads: number): BlockLimit {
  const terms = attentionTerms(tau0, heads);
  const key = `attention:${tau0},${heads}`;
  return {
    drifts: [{ clock: 1, part: { name: `the attention drift (tau0 = ${tau0})`, key, into: terms.drift } }],
    noises: [
      { clock: 1, part: WISHART },
      {
        clock: 1,
        part: {
          name: `the attention noise (tau0 = ${tau0}, H = ${heads})`,
          key,
          count: (m: number) => m * m,
          draw: terms.noise,
          covariance: (v, m, clock, out) => addAttentionCovariance(v, m, tau0, heads, clock, out),
        },
      },
    ],
  };
}

function attentionLayer(shape: StreamShape, tau0: number, heads: number, keyWidth: number | null): FiniteLayer {
  const { n, m } = shape;
  const nk = keyWidth ?? n;
  const p = { gamma: 1, tau0, heads };
  const scratch = blockScratch(m, nk, true);
  const lv = new Float64Array(m * m);
  const gram = new Float64Array(m * m);
  const u = new Float64Array(n * m);
  const w = new Float64Array(Math.max(n, nk));
  const acc = new Float64Array(m);
  const headGain = 1 / Math.sqrt(heads);
  // The control variate is the softmax's first-order term H^{-1} sum_h (D_h V + V D_h^T), mean zero given V.
  const rowCovariance = (
    rng: RandomStream,
    z: Float64Array,
    v: Float64Array | null,
    out: Float64Array,
    control?: Float64Array,
  ) => {
    // The logits depend on z only through V: the caller's V where it has it (the same bits as computing it).
    const vz = v ?? (gramInto(z, n, m, 1 / n, gram), gram);
    choleskyPsd(vz, m, lv, 1e-12, true);
    drawMixing(rng, vz, lv, n, p, scratch, out, control ?? null);
  };
  return freshLayer(shape, rowCovariance, (rng, z, next) => {
    const q = scratch.g;
    const kk = scratch.gk;
    next.fill(0, 0, n * m);
    for (let h = 0; h < heads; h++) {
      // Q^T = WQ^T z / sqrt(n) and K^T likewise (nk x m); S = Q K^T / (tau0 sqrt(n nk)).
      gaussianMatmul(rng, w, z, n, m, nk, 1 / Math.sqrt(n), q, acc);
      gaussianMatmul(rng, w, z, n, m, nk, 1 / Math.sqrt(n), kk, acc);
      const s = scratch.s;
      s.fill(0);
      for (let c = 0; c < nk; c++)
        for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) s[a * m + b] += q[c * m + a] * kk[c * m + b];
      const scale = 1 / (tau0 * Math.sqrt(n * nk));
      for (let x = 0; x < m * m; x++) s[x] *= scale;
      softmaxAttention(s, m, scratch.a);
      // (A X WV / sqrt(n))^T = (WV^T z / sqrt(n)) A^T.
      gaussianMatmul(rng, w, z, n, m, n, 1 / Math.sqrt(n), u, acc);
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < m; a++) {
          let sum = 0;
          for (let b = 0; b < m; b++) sum += u[i * m + b] * scratch.a[a * m + b];
          next[i * m + a] += headGain * sum;
        }
      }
    }
  });
}

/**
 * The shaped attention block: logits Q K^T / (tau0 sqrt(n nk)), A = I + softmax - 11^T/m, H heads.
 * @example
 * const net = composition(residual(shapedAttention({ tau0: 1, heads: 2 }), { gamma: 0.7 })); // attention:0.7,1,2
 */
export function shapedAttention(options: ShapedAttentionOptions): Block {
  if (options == null || typeof options !== 'object')
    throw new InputError('shapedAttention options', options, 'must be an object { tau0, heads?, keyWidth? }');
  const { tau0, heads } = checkAttentionParams({ gamma: 1, tau0: options.tau0, heads: options.heads ?? 1 });
  const keyWidth = options.keyWidth ?? null;
  if (keyWidth !== null && !(Number.isInteger(keyWidth) && keyWidth >= 1))
    throw new InputError('keyWidth', keyWidth, 'must be an integer >= 1 (or null: nk = n)');
  const args = [tau0, heads, ...(keyWidth === null ? [] : [keyWidth])];
  return {
    text: `shapedAttention(${args.join(',')})`,
    spec:
      keyWidth === null
        ? { block: 'shapedAttention', tau0, heads }
        : { block: 'shapedAttention', tau0, heads, keyWidth },
    fresh: true,
    usesActivation: false,
    derivatives: false,
    limit: () => attentionLimit(tau0, heads),
    layer: (_act: FiniteActivation, shape) => attentionLayer(shape, tau0, heads, keyWidth),
  };
}

/** Rebuild from a spec ({ block: 'shapedAttention', tau0, heads?, keyWidth? }); errors name `field`. */
export function shapedAttentionFromSpec(spec: Readonly<Record<string, unknown>>, field: string): Block {
  const heads = spec.heads ?? 1;
  if (typeof heads !== 'number' || !Number.isInteger(heads) || heads < 1 || heads > MAX_HEADS)
    throw new InputError(`${field}.heads`, heads, `must be an integer in [1, ${MAX_HEADS}]`);
  return shapedAttention({
    tau0: spec.tau0 as number,
    heads,
    keyWidth: (spec.keyWidth as number | null | undefined) ?? null,
  });
}

/** `shapedAttention(<tau0>[,<heads>[,<nk>]])`; spec { block: 'shapedAttention', tau0, heads, keyWidth? }. */
export const SHAPED_ATTENTION_ENTRY: BlockEntry = {
  name: 'shapedAttention',
  grammar: 'shapedAttention(<tau0>[,<heads>[,<nk>]])',
  parse(args) {
    if (args === null || args.length < 1 || args.length > 3)
      throw new InputError('shapedAttention', args === null ? '' : args.join(','), 'takes (<tau0>[,<heads>[,<nk>]])');
    const [tau0, heads, keyWidth] = args.map((a, i) => numberArg(a, ['tau0', 'heads', 'nk'][i]));
    return shapedAttention({ tau0, heads: heads ?? 1, keyWidth: keyWidth ?? null });
  },
  fromSpec: (spec, field) => shapedAttentionFromSpec(spec, field),
};
