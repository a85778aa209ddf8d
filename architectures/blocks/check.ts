// checkBlock: the per-layer conditional-moment test of a block's declared limit against its finite layer
// (docs/maths.md, section 17). Streams z with Gram exactly V (in antithetic pairs z, -z), one layer each,
// with the last Gaussian weights integrated out where the layer offers its conditional moments (or its row
// covariance, for a fresh block), else the realised dV: n E[dV | V] and n Cov[dV | V] against b(V) and
// N(V), entrywise z-scores from the draws' own standard errors.
import { shapedRelu, type Activation } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import { toFlatMatrix, validateCovariance, type MatrixInput } from '../../src/linalg.js';
import { openStream } from '../../src/random/streams.js';
import { gramInto, inputStream } from '../../networks/index.js';
import type { Block, FiniteLayer } from './block.js';
import { limitCovariance, limitDrift } from './limit.js';
import { addConditionalCovariance, conditionalMean } from './moments.js';

/** One moment's comparison over packed entries. */
export interface MomentCheck {
  /** The entries compared: (a, b) with a <= b for the drift; ((a, b), (c, e)) pairs with p <= q for the noise. */
  readonly labels: readonly string[];
  readonly estimate: readonly number[];
  readonly declared: readonly number[];
  readonly se: readonly number[];
  /** (estimate - declared) / se. */
  readonly z: readonly number[];
  readonly maxAbsZ: number;
}

export interface BlockCheck {
  readonly block: string;
  readonly m: number;
  readonly n: number;
  /** The widths run (n, 4n, 16n when extrapolating). */
  readonly widths: readonly number[];
  readonly draws: number;
  /** How the last weights were treated: 'conditional' (integrated out) or 'realised' (whole-layer Monte Carlo). */
  readonly method: 'conditional' | 'realised';
  readonly drift: MomentCheck;
  readonly noise: MomentCheck;
}

export interface CheckOptions {
  /** The m x m V at which to check (PSD, positive diagonal). */
  readonly v: MatrixInput;
  /** Width (>= m). */
  readonly n: number;
  /** Antithetic pairs of streams (each pair is one draw of the averages). */
  readonly draws: number;
  readonly seed: number;
  /** The activation of use (default shaped ReLU c+ = 0, c- = -1). */
  readonly activation?: Activation;
  /** Extrapolate to infinite width through n, 4n, 16n (default true). */
  readonly extrapolate?: boolean;
}

/** What one draw gives: E[dV | draws] and n Cov[dV | draws], by the layer's best capability. */
function conditionalOf(
  layer: FiniteLayer,
  n: number,
  side: number,
): {
  method: BlockCheck['method'];
  run: (
    rng: Parameters<FiniteLayer['chain']>[0],
    z: Float64Array,
    v: Float64Array,
    mean: Float64Array,
    cov: Float64Array,
    control: Float64Array,
  ) => void;
} {
  const conditional = layer.conditional;
  if (conditional)
    return {
      method: 'conditional',
      run: (rng, z, v, mean, cov, control) => conditional(rng, z, v, mean, cov, control, null),
    };
  const row = layer.rowCovariance;
  const k = new Float64Array(side * side);
  if (row) {
    // A fresh block alone: V' is Wishart given its row covariance M (the residual formulas at gamma = 1).
    return {
      method: 'conditional',
      run(rng, z, v, mean, cov, control) {
        row(rng, z, v, k, control);
        conditionalMean(v, k, side, 1, mean);
        cov.fill(0);
        addConditionalCovariance(v, k, side, 1, cov);
      },
    };
  }
  const next = new Float64Array(n * side);
  const vNext = new Float64Array(side * side);
  return {
    method: 'realised',
    run(rng, z, v, mean, cov, control) {
      control.fill(0);
      layer.chain(rng, z, v, next);
      gramInto(next, n, side, 1 / n, vNext);
      for (let x = 0; x < side * side; x++) mean[x] = vNext[x] - v[x];
      cov.fill(0);
    },
  };
}

type Row = { label: string; estimate: number; se: number };

/** n E[dV | V] and n Cov[dV | V] at one width, with their SEs, over packed entries. */
function momentsAt(
  block: Block,
  v: Float64Array,
  m: number,
  n: number,
  draws: number,
  seed: number,
  activation: Activation,
): { method: BlockCheck['method']; drift: Row[]; noise: Row[] } {
  const side = m;
  const layer = block.layer(activation.atWidth(n), { n, m, side, derivatives: false });
  const { method, run } = conditionalOf(layer, n, side);
  const mm = m * m;
  const m4 = mm * mm;
  const z = new Float64Array(n * m);
  const l = new Float64Array(mm);
  const gram = new Float64Array(mm);
  const mean = new Float64Array(mm);
  const cov = new Float64Array(m4);
  const control = new Float64Array(mm);
  const controls = Array.from({ length: draws }, () => new Float64Array(mm));
  // Per draw (one antithetic pair) and half h: n E[dV | draws] and n Cov(dV | draws).
  const halves = Array.from({ length: draws }, () => [new Float64Array(mm), new Float64Array(mm)]);
  const cs = Array.from({ length: draws }, () => [new Float64Array(m4), new Float64Array(m4)]);
  for (let d = 0; d < draws; d++) {
    const rng = openStream(seed, `checkBlock/${n}`, d);
    inputStream(rng, v, n, m, z, l);
    for (let sign = 0; sign < 2; sign++) {
      if (sign === 1) for (let i = 0; i < n * m; i++) z[i] = -z[i];
      // V of z itself (equal to v up to rounding), as the layer sees it.
      gramInto(z, n, m, 1 / n, gram);
      run(rng, z, gram, mean, cov, control);
      for (let x = 0; x < mm; x++) halves[d][sign][x] = n * mean[x];
      for (let x = 0; x < mm; x++) controls[d][x] += 0.5 * n * control[x];
      cs[d][sign].set(cov);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < m; a++) for (let b = a; b < m; b++) pairs.push([a, b]);
  // Drift: the mean over draws of the pair's average less its control variate (mean zero exactly), the
  // SE from their spread (the pair cancels the per-draw noise odd in z).
  const ds = halves.map(([x, y], d) => x.map((t, k) => 0.5 * (t + y[k]) - controls[d][k]));
  const dMean = new Float64Array(mm);
  for (const x of ds) for (let k = 0; k < mm; k++) dMean[k] += x[k] / draws;
  const drift = pairs.map(([a, c]) => {
    const k = a * m + c;
    let s2 = 0;
    for (const x of ds) s2 += (x[k] - dMean[k]) ** 2;
    return { label: `${a}${c}`, estimate: dMean[k], se: Math.sqrt(s2 / (draws - 1) / draws) };
  });
  // Noise: by total covariance, n Cov[dV] = E[n Cov(dV | draws)] + Cov(n E[dV | draws]) / n, each half on its
  // own (a pair's average would hide the variance the pair cancels; the control variate is part of the
  // noise); averaged within the pair, the SE from the spread over the independent pairs.
  const hMean = new Float64Array(mm);
  for (const h of halves) for (const x of h) for (let k = 0; k < mm; k++) hMean[k] += x[k] / (2 * draws);
  const noise: Row[] = [];
  pairs.forEach(([a, c], p) => {
    pairs.forEach(([e, f], q) => {
      if (q < p) return;
      const i = a * m + c;
      const j = e * m + f;
      const at = i * mm + j;
      const terms = halves.map(
        (h, d) => 0.5 * h.reduce((t, x, sign) => t + cs[d][sign][at] + ((x[i] - hMean[i]) * (x[j] - hMean[j])) / n, 0),
      );
      const est = terms.reduce((t, x) => t + x, 0) / draws;
      const s2 = terms.reduce((t, x) => t + (x - est) ** 2, 0) / (draws - 1);
      noise.push({ label: `${a}${c},${e}${f}`, estimate: est, se: Math.sqrt(s2 / draws) });
    });
  });
  return { method, drift, noise };
}

/** Extrapolation to n = infinity through widths n, 4n, 16n, exact for a + b n^{-1/2} + c n^{-1} (the
 *  finite-width series of section 13): Lagrange weights in x = n^{-1/2} at x, x/2, x/4. */
const EXTRAPOLATION = [1 / 3, -2, 8 / 3];

/**
 * The per-layer test of a block (or of an architecture's block) at V: z-scores of n E[dV | V] against the
 * declared drift b(V) and of n Cov[dV | V] against the declared noise N(V), over packed entries. By default
 * the estimates are extrapolated to infinite width through n, 4n and 16n (removing the O(n^{-1/2}) and
 * O(1/n) finite-width terms, which the conditional estimates resolve); with `extrapolate: false`, at n alone.
 * @example
 * const r = checkBlock(residual(dense(), { gamma: 0.7 }), { v: [[1, 0.5], [0.5, 1]], n: 256, draws: 400, seed: 1 });
 * r.drift.maxAbsZ; // below ~4 when the declared limit is right
 */
export function checkBlock(target: Block | { readonly block: Block }, options: CheckOptions): BlockCheck {
  const block = target && 'limit' in target ? target : target?.block;
  if (!block || typeof block.limit !== 'function')
    throw new InputError('block', target, 'must be a block or an architecture');
  const { v: matrix, seed } = options;
  const flat = toFlatMatrix('v', matrix);
  validateCovariance('v', flat.data, flat.m);
  const m = flat.m;
  const n = options.n;
  if (!Number.isInteger(n) || n < m) throw new InputError('n', n, `must be an integer >= m = ${m}`);
  const draws = options.draws;
  if (!Number.isInteger(draws) || draws < 2) throw new InputError('draws', draws, 'must be an integer >= 2');
  const activation = options.activation ?? shapedRelu({ cPlus: 0, cMinus: -1 });
  const v = Float64Array.from(flat.data);
  const widths = options.extrapolate === false ? [n] : [n, 4 * n, 16 * n];
  const weights = widths.length === 1 ? [1] : EXTRAPOLATION;
  const runs = widths.map((w) => momentsAt(block, v, m, w, draws, seed, activation));
  const combine = (pick: (r: (typeof runs)[number]) => Row[]): Row[] =>
    pick(runs[0]).map((row, i) => ({
      label: row.label,
      estimate: runs.reduce((t, r, k) => t + weights[k] * pick(r)[i].estimate, 0),
      se: Math.sqrt(runs.reduce((t, r, k) => t + (weights[k] * pick(r)[i].se) ** 2, 0)),
    }));
  const limit = block.limit(activation);
  const b = limitDrift(limit, v, m);
  const N = limitCovariance(limit, v, m);
  const mm = m * m;
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < m; a++) for (let c = a; c < m; c++) pairs.push([a, c]);
  const declaredNoise: number[] = [];
  pairs.forEach(([a, c], p) =>
    pairs.forEach(([e, f], q) => q >= p && declaredNoise.push(N[(a * m + c) * mm + e * m + f])),
  );
  const summary = (rows: readonly Row[], declared: readonly number[]): MomentCheck => {
    const zs = rows.map((r, i) =>
      r.se > 0 ? (r.estimate - declared[i]) / r.se : r.estimate === declared[i] ? 0 : Infinity,
    );
    return {
      labels: rows.map((r) => r.label),
      estimate: rows.map((r) => r.estimate),
      declared,
      se: rows.map((r) => r.se),
      z: zs,
      maxAbsZ: Math.max(...zs.map(Math.abs)),
    };
  };
  return {
    block: block.text,
    m,
    n,
    widths,
    draws,
    method: runs[0].method,
    drift: summary(
      combine((r) => r.drift),
      pairs.map(([a, c]) => b[a * m + c]),
    ),
    noise: summary(
      combine((r) => r.noise),
      declaredNoise,
    ),
  };
}
