// Per-layer moment estimates of one shaped attention block given V (docs/maths.md, section 14.3): tokens
// with Gram exactly V, the value weights integrated out exactly (architectures/attention/moments.ts), and
// Monte Carlo over the heads' Q and K only, with the first-order softmax term (mean exactly zero) as a
// control variate for the mean.
import { choleskyPsd } from '../../src/linalg.js';
import { openStream } from '../../src/random/streams.js';
import { blockScratch, drawMixing } from '../../architectures/attention/block.js';
import { addConditionalCovariance } from '../../architectures/attention/moments.js';
import type { AttentionParams } from '../../architectures/attention/params.js';
import { shapedRelu, type Activation } from '../../src/activations/index.js';
import { attention, limitCovariance, transformer, WISHART, type BlockLimit } from '../../architectures/index.js';

export interface LayerMoments {
  /** n E[dV | V] (m x m) and its standard error. */
  readonly drift: Float64Array;
  readonly driftSe: Float64Array;
  /** n Cov(dV_ab, dV_ce | V) (m^4, index ((a m + b) m + c) m + e) = valuePart + attentionPart:
   *  E[n Cov(dV | X, A)] and n Cov(E[dV | X, A]) = Cov(sqrt(n) gamma^2 (Mbar - V)), each with its SE. */
  readonly valuePart: Float64Array;
  readonly valueSe: Float64Array;
  readonly attentionPart: Float64Array;
  readonly attentionSe: Float64Array;
}

/** Estimate n E[dV | V] and n Cov[dV | V] from `draws` draws of the heads at width n, key width nk. */
export function layerMoments(
  v: Float64Array,
  m: number,
  n: number,
  nk: number,
  p: AttentionParams,
  draws: number,
  seed: number,
): LayerMoments {
  const rng = openStream(seed, 'test/attention-moments', n);
  const mm = m * m;
  const m4 = mm * mm;
  const lv = new Float64Array(mm);
  choleskyPsd(Float64Array.from(v), m, lv, 1e-12, true);
  const s = blockScratch(m, nk);
  const mbar = new Float64Array(mm);
  const first = new Float64Array(mm);
  const g2 = p.gamma * p.gamma;
  // Per-draw x = n gamma^2 (Mbar - V - F) (mean drift) and y = sqrt(n) gamma^2 (Mbar - V) (attention noise).
  const x = new Float64Array(draws * mm);
  const y = new Float64Array(draws * mm);
  const condSum = new Float64Array(m4);
  const cond = new Float64Array(m4);
  const condSq = new Float64Array(m4);
  for (let d = 0; d < draws; d++) {
    drawMixing(rng, v, lv, n, p, s, mbar, first);
    for (let k = 0; k < mm; k++) {
      x[d * mm + k] = n * g2 * (mbar[k] - v[k] - first[k]);
      y[d * mm + k] = Math.sqrt(n) * g2 * (mbar[k] - v[k]);
    }
    cond.fill(0);
    addConditionalCovariance(v, mbar, m, p.gamma, cond);
    for (let k = 0; k < m4; k++) {
      condSum[k] += cond[k];
      condSq[k] += cond[k] * cond[k];
    }
  }
  const drift = new Float64Array(mm);
  const driftSe = new Float64Array(mm);
  const ybar = new Float64Array(mm);
  for (let k = 0; k < mm; k++) {
    let s1 = 0;
    let s2 = 0;
    let t1 = 0;
    for (let d = 0; d < draws; d++) {
      s1 += x[d * mm + k];
      s2 += x[d * mm + k] ** 2;
      t1 += y[d * mm + k];
    }
    drift[k] = s1 / draws;
    driftSe[k] = Math.sqrt(Math.max(0, s2 / draws - drift[k] ** 2) / (draws - 1));
    ybar[k] = t1 / draws;
  }
  // n Cov = E[n Cov(dV | X, A)] (the value part) + Cov(sqrt(n) gamma^2 (Mbar - V)) (the attention part),
  // each with the SE of its per-draw terms.
  const valuePart = new Float64Array(m4);
  const valueSe = new Float64Array(m4);
  const attentionPart = new Float64Array(m4);
  const attentionSe = new Float64Array(m4);
  for (let i = 0; i < mm; i++) {
    for (let j = 0; j < mm; j++) {
      let s1 = 0;
      let s2 = 0;
      for (let d = 0; d < draws; d++) {
        const t = (y[d * mm + i] - ybar[i]) * (y[d * mm + j] - ybar[j]);
        s1 += t;
        s2 += t * t;
      }
      const k = i * mm + j;
      attentionPart[k] = s1 / (draws - 1);
      attentionSe[k] = Math.sqrt(Math.max(0, s2 / draws - (s1 / draws) ** 2) / (draws - 1));
      valuePart[k] = condSum[k] / draws;
      valueSe[k] = Math.sqrt(Math.max(0, condSq[k] / draws - valuePart[k] ** 2) / (draws - 1));
    }
  }
  return { drift, driftSe, valuePart, valueSe, attentionPart, attentionSe };
}

/** The limit of the attention or transformer preset at p (through its composition of blocks). */
export function presetLimit(
  kind: 'attention' | 'transformer',
  p: AttentionParams,
  activation: Activation = shapedRelu({ cPlus: 0, cMinus: -1 }),
): BlockLimit {
  return (kind === 'attention' ? attention(p) : transformer(p)).block.limit(activation);
}

/** The preset's noise covariance Cov(dV_ab, dV_ce)/dt (m^4); heads = Infinity: its Wishart (value) part alone. */
export function diffusionCovariance(
  v: Float64Array,
  m: number,
  p: AttentionParams,
  kind: 'attention' | 'transformer',
): Float64Array {
  const limit = presetLimit(kind, { ...p, heads: Number.isFinite(p.heads) ? p.heads : 1 });
  return limitCovariance(
    Number.isFinite(p.heads) ? limit : { drifts: limit.drifts, noises: limit.noises.filter((q) => q.part === WISHART) },
    v,
    m,
  );
}
