// The m x m Neural Covariance SDE over a block of lanes: dV = b(V) dt + L dS L^T with V = L L^T
// (docs/maths.md, sections 3 and 6). The state is V's lower triangle, row by row (index a(a+1)/2 + b),
// and the step's normals use the same index. Both forms have a hand-unrolled path for m = 2, the case
// of one pair of inputs, and a general path for any m.
import type { CovarianceLimit } from '../../src/activations/index.js';
import { choleskyPsd, projectPsdInPlace } from '../../src/linalg.js';
import { phi1 } from '../../src/special.js';
import type { BlockTerm, ItoForm, LaneBook, SplitForm } from '../forms.js';

/** Packed lower-triangle index of (a, b), b <= a. */
const packed = (a: number, b: number) => (a * (a + 1)) / 2 + b;

/** Coefficients of the correlation drift flow over one tau, for a lane pair with gains summing to `gain`. */
function flowWeights(gain: number, tau: number): { decay: number; weight: number } {
  return { decay: Math.exp(gain * tau), weight: tau * phi1(gain * tau) };
}

export function covarianceBlockTerm(limit: CovarianceLimit, v0: Float64Array, m: number, lanes: number, threshold: number, fused = true): BlockTerm {
  const E = (m * (m + 1)) / 2;
  const B = lanes;
  const beta = limit.beta;
  const { gain, source, pair: pairFlow } = limit.correlationFlow;
  const offDiagonal = limit.offDiagonal;
  // Euler-Maruyama's Cholesky factors, kept from each step's PSD check for the next step's noise.
  const chol = new Float64Array(E * B);
  // Per-lane scratch for the general-m paths.
  const full = new Float64Array(m * m);
  const lower = new Float64Array(m * m);
  const work = new Float64Array(m * m);
  const ls = new Float64Array(m * m);
  const eig = new Float64Array(3 * m * m + m);
  const d = new Float64Array(m);
  const dMid = new Float64Array(m);
  const dEnd = new Float64Array(m);
  const g0 = new Float64Array(m);
  const gm = new Float64Array(m);

  const gather = (x: Float64Array, j: number, out: Float64Array) => {
    for (let a = 0; a < m; a++) {
      for (let b = 0; b <= a; b++) {
        const v = x[packed(a, b) * B + j];
        out[a * m + b] = v;
        out[b * m + a] = v;
      }
    }
  };
  const scatter = (src: Float64Array, x: Float64Array, j: number) => {
    for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) x[packed(a, b) * B + j] = src[a * m + b];
  };

  /** Cholesky of lane j's V into the cache; false when V is outside the cone (or has a negative diagonal). */
  const factor = (x: Float64Array, j: number): boolean => {
    if (m === 2) {
      const a = x[j];
      const c = x[B + j];
      const b = x[2 * B + j];
      if (!(a >= 0 && b >= 0)) return false;
      const unit = a > b ? a : b > 0 ? b : 1;
      const zero = 1e-12 * unit;
      let l00 = 0;
      let l10 = 0;
      if (a > zero) {
        l00 = Math.sqrt(a);
        l10 = c / l00;
      } else if (Math.abs(c) > 1e-6 * unit) return false;
      const rest = b - l10 * l10;
      if (rest < -zero) return false;
      chol[j] = l00;
      chol[B + j] = l10;
      chol[2 * B + j] = rest > zero ? Math.sqrt(rest) : 0;
      return true;
    }
    gather(x, j, full);
    for (let a = 0; a < m; a++) if (!(full[a * m + a] >= 0)) return false;
    if (choleskyPsd(full, m, lower) >= 0) return false;
    scatter(lower, chol, j);
    return true;
  };

  // Lanes that met trouble in a fused pass (explosion, a step outside the cone), handled after the pass
  // so that the rare code stays out of the hot loop (where inlining it would crowd out the drift).
  const troubled = new Int32Array(B);
  const before = new Float64Array(3 * B);
  const settleTroubled = (x: Float64Array, count: number, t: number, book: LaneBook) => {
    for (let i = 0; i < count; i++) {
      const j = troubled[i];
      const na = x[j];
      const nc = x[B + j];
      const nb = x[2 * B + j];
      const check = na + nc + nb;
      if (!(check - check === 0) || na > threshold || nb > threshold) {
        if (!(check - check === 0)) {
          x[j] = before[j];
          x[B + j] = before[B + j];
          x[2 * B + j] = before[2 * B + j];
        }
        book.explode(j, t);
      } else if (!factor(x, j)) {
        gather(x, j, full);
        const worst = projectPsdInPlace(full, m, eig);
        scatter(full, x, j);
        factor(x, j);
        book.repair(j, worst);
      }
    }
  };

  /** Euler-Maruyama's drift, diffusion, update and settle for m = 2 in one pass: the same operations in
   *  the same order as the composed forms above, so the same bits. */
  const eulerFused2 = (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => {
    const alive = book.alive;
    const root = Math.sqrt(h);
    const root2 = Math.SQRT2 * root;
    let count = 0;
    for (let j = 0; j < B; j++) {
      if (!alive[j]) continue;
      const a = x[j];
      const c = x[B + j];
      const b = x[2 * B + j];
      const d1 = offDiagonal(a, b, c);
      const s00 = root2 * g[j];
      const s10 = root * g[B + j];
      const s11 = root2 * g[2 * B + j];
      const l00 = chol[j];
      const l10 = chol[B + j];
      const l11 = chol[2 * B + j];
      const w = l10 * s00 + l11 * s10;
      const na = a + (h * (beta * a * a) + l00 * l00 * s00);
      const nc = c + (h * d1 + l00 * w);
      const nb = b + (h * (beta * b * b) + (l10 * w + l11 * (l10 * s10 + l11 * s11)));
      x[j] = na;
      x[B + j] = nc;
      x[2 * B + j] = nb;
      // factor() for m = 2, written out: a PSD state gets its Cholesky factor, anything else is troubled.
      const check = na + nc + nb;
      const unit = na > nb ? na : nb > 0 ? nb : 1;
      const zero = 1e-12 * unit;
      let ok = check - check === 0 && na <= threshold && nb <= threshold && na >= 0 && nb >= 0;
      if (ok) {
        if (na > zero) {
          const f00 = Math.sqrt(na);
          const f10 = nc / f00;
          const rest = nb - f10 * f10;
          if (rest < -zero) ok = false;
          else {
            chol[j] = f00;
            chol[B + j] = f10;
            chol[2 * B + j] = rest > zero ? Math.sqrt(rest) : 0;
          }
        } else ok = false;
      }
      if (!ok) {
        before[j] = a;
        before[B + j] = c;
        before[2 * B + j] = b;
        troubled[count++] = j;
      }
    }
    if (count > 0) settleTroubled(x, count, t, book);
  };

  /** Ninomiya-Victoir's drift flow and noise step for ReLU-like m = 2 in one pass (same bits as composed):
   *  the pair flow needs one arccos where the exponential midpoint needed two. The noise body is written
   *  out here and in noiseFlow: one shared closure measured 15-20% slower (V8 stops inlining it). */
  const splitFused2 = (x: Float64Array, tau: number, _t0: number, g: Float64Array, coins: Int32Array | null, h: number, t1: number, book: LaneBook) => {
    prepareNoise(h);
    const flow = pairFlow!; // this pass is installed only where the activation has a pair flow
    const alive = book.alive;
    const e0 = edge[0];
    const e1 = edge[1];
    for (let j = 0; j < B; j++) {
      if (!alive[j]) continue;
      const a = x[j];
      const b = x[2 * B + j];
      const scale = Math.sqrt(a * b);
      const c = flow(scale > 0 ? x[B + j] / scale : 0, tau) * scale;
      let l00 = Math.sqrt(a);
      let l10 = l00 > 0 ? c / l00 : 0;
      const rest = b - l10 * l10;
      let l11 = rest > 0 ? Math.sqrt(rest) : 0;
      l00 *= e0;
      l10 *= e0;
      l11 *= e1;
      const z00 = Math.exp(rootHalfH * g[j]);
      const z10 = rootH * g[B + j];
      const z11 = Math.exp(rootHalfH * g[2 * B + j]);
      if ((coins![j >> 5] >>> (j & 31)) & 1) {
        l00 *= z00;
        l10 *= z00;
        l10 += z10 * l11;
        l11 *= z11;
      } else {
        l11 *= z11;
        l10 += z10 * l11;
        l00 *= z00;
        l10 *= z00;
      }
      l00 *= e0;
      l10 *= e0;
      l11 *= e1;
      const v00 = l00 * l00;
      const v11 = l10 * l10 + l11 * l11;
      x[j] = v00;
      x[B + j] = l10 * l00;
      x[2 * B + j] = v11;
      if (v00 > threshold || v11 > threshold) book.explode(j, t1);
    }
  };

  const ito: ItoForm = {
    fusedStep: fused && m === 2 ? eulerFused2 : undefined,
    drift(x, out, book) {
      const alive = book.alive;
      if (m === 2) {
        for (let j = 0; j < B; j++) {
          if (!alive[j]) {
            out[j] = out[B + j] = out[2 * B + j] = 0;
            continue;
          }
          const a = x[j];
          const b = x[2 * B + j];
          out[j] = beta * a * a;
          out[B + j] = offDiagonal(a, b, x[B + j]);
          out[2 * B + j] = beta * b * b;
        }
        return;
      }
      for (let j = 0; j < B; j++) {
        for (let a = 0; a < m; a++) {
          const vaa = x[packed(a, a) * B + j];
          for (let b = 0; b < a; b++) out[packed(a, b) * B + j] = alive[j] ? offDiagonal(vaa, x[packed(b, b) * B + j], x[packed(a, b) * B + j]) : 0;
          out[packed(a, a) * B + j] = alive[j] ? beta * vaa * vaa : 0;
        }
      }
    },

    diffusion(x, g, h, out, book) {
      const alive = book.alive;
      const root = Math.sqrt(h);
      if (m === 2) {
        const root2 = Math.SQRT2 * root;
        for (let j = 0; j < B; j++) {
          if (!alive[j]) {
            out[j] = out[B + j] = out[2 * B + j] = 0;
            continue;
          }
          // S = [[sqrt2 g0, g1], [g1, sqrt2 g2]] sqrt(h); L S L^T with L = [[l00, 0], [l10, l11]].
          const s00 = root2 * g[j];
          const s10 = root * g[B + j];
          const s11 = root2 * g[2 * B + j];
          const l00 = chol[j];
          const l10 = chol[B + j];
          const l11 = chol[2 * B + j];
          const w = l10 * s00 + l11 * s10;
          out[j] = l00 * l00 * s00;
          out[B + j] = l00 * w;
          out[2 * B + j] = l10 * w + l11 * (l10 * s10 + l11 * s11);
        }
        return;
      }
      for (let j = 0; j < B; j++) {
        if (!alive[j]) {
          for (let p = 0; p < E; p++) out[p * B + j] = 0;
          continue;
        }
        // ls = L S (L lower, S symmetric from the packed normals), then the lower triangle of ls L^T.
        for (let a = 0; a < m; a++) {
          for (let c = 0; c < m; c++) {
            let acc = 0;
            for (let r = 0; r <= a; r++) {
              const s = r === c ? Math.SQRT2 * g[packed(r, r) * B + j] : g[packed(r > c ? r : c, r > c ? c : r) * B + j];
              acc += chol[packed(a, r) * B + j] * s;
            }
            ls[a * m + c] = acc * root;
          }
        }
        for (let a = 0; a < m; a++) {
          for (let b = 0; b <= a; b++) {
            let acc = 0;
            for (let r = 0; r <= b; r++) acc += ls[a * m + r] * chol[packed(b, r) * B + j];
            out[packed(a, b) * B + j] = acc;
          }
        }
      }
    },

    settle(x, previous, t, book) {
      const alive = book.alive;
      if (m === 2) {
        for (let j = 0; j < B; j++) {
          if (!alive[j]) continue;
          const a = x[j];
          const b = x[2 * B + j];
          const check = a + x[B + j] + b;
          if (!(check - check === 0) || a > threshold || b > threshold) {
            if (!(check - check === 0)) {
              x[j] = previous[j];
              x[B + j] = previous[B + j];
              x[2 * B + j] = previous[2 * B + j];
            }
            book.explode(j, t);
          } else if (!factor(x, j)) {
            gather(x, j, full);
            const worst = projectPsdInPlace(full, m, eig);
            scatter(full, x, j);
            factor(x, j);
            book.repair(j, worst);
          }
        }
        return;
      }
      for (let j = 0; j < B; j++) {
        if (!alive[j]) continue;
        let check = 0;
        let maxDiag = 0;
        for (let p = 0; p < E; p++) check += x[p * B + j];
        for (let a = 0; a < m; a++) maxDiag = Math.max(maxDiag, x[packed(a, a) * B + j]);
        if (!(check - check === 0) || maxDiag > threshold) {
          // Recorded, then frozen: the last finite state is kept, never NaN or Infinity.
          if (!(check - check === 0)) for (let p = 0; p < E; p++) x[p * B + j] = previous[p * B + j];
          book.explode(j, t);
          continue;
        }
        if (!factor(x, j)) {
          gather(x, j, full);
          const worst = projectPsdInPlace(full, m, eig);
          scatter(full, x, j);
          factor(x, j);
          book.repair(j, worst);
        }
      }
    },
  };

  // Split form: constants of the noise flows for the last h, and of the drift flow for the last tau.
  let noiseH = NaN;
  const edge = new Float64Array(m); // exp(-(a + 1) h / 4): half of the Ito-Stratonovich correction
  let rootHalfH = 0;
  let rootH = 0;
  const constantGain = limit.family === 'relu-like' ? gain(1) : null;
  let flowTau = NaN;
  let halfWeights = { decay: 1, weight: 0 };
  let fullWeights = { decay: 1, weight: 0 };

  const prepareFlow = (tau: number) => {
    if (constantGain !== null && tau !== flowTau) {
      flowTau = tau;
      halfWeights = flowWeights(2 * constantGain, tau / 2);
      fullWeights = flowWeights(2 * constantGain, tau);
    }
  };
  const prepareNoise = (h: number) => {
    if (h !== noiseH) {
      noiseH = h;
      for (let a = 0; a < m; a++) edge[a] = Math.exp((-(a + 1) * h) / 4);
      rootHalfH = Math.sqrt(h / 2);
      rootH = Math.sqrt(h);
    }
  };

  /** The diagonal's exact flow d' = beta d^2 over tau for lane j; false when it blows up inside (recorded). */
  const diagonalFlow = (x: Float64Array, j: number, tau: number, t: number, book: LaneBook): boolean => {
    let blowUp = Infinity;
    let crossing = Infinity;
    for (let a = 0; a < m; a++) {
      const da = x[packed(a, a) * B + j];
      d[a] = da;
      if (beta === 0) {
        dMid[a] = dEnd[a] = da;
        continue;
      }
      const den = 1 - beta * tau * da;
      if (den <= 0) blowUp = Math.min(blowUp, 1 / (beta * da));
      dEnd[a] = da / den;
      dMid[a] = da / (1 - 0.5 * beta * tau * da);
      if (dEnd[a] > threshold) crossing = Math.min(crossing, (1 / da - 1 / threshold) / beta);
    }
    if (blowUp < Infinity) {
      book.explode(j, t + Math.min(blowUp, crossing));
      return false;
    }
    if (crossing < Infinity) book.explode(j, t + Math.max(0, crossing));
    return true;
  };

  const split: SplitForm = {
    needsCoins: m > 1,
    fusedStep: fused && m === 2 && pairFlow !== null ? splitFused2 : undefined,

    driftFlow(x, tau, t, book) {
      const alive = book.alive;
      if (m === 2 && pairFlow !== null) {
        // ReLU-like, one pair: the diagonal is fixed and r follows the activation's pair flow (docs/maths.md, 6.3).
        for (let j = 0; j < B; j++) {
          if (!alive[j]) continue;
          const a = x[j];
          const b = x[2 * B + j];
          const scale = Math.sqrt(a * b);
          x[B + j] = pairFlow(scale > 0 ? x[B + j] / scale : 0, tau) * scale;
        }
        return;
      }
      prepareFlow(tau);
      for (let j = 0; j < B; j++) {
        if (!alive[j]) continue;
        if (!diagonalFlow(x, j, tau, t, book)) continue;
        for (let a = 0; a < m; a++) {
          g0[a] = gain(d[a]);
          gm[a] = gain(dMid[a]);
        }
        // Exponential midpoint for R: a predictor over tau/2 with everything frozen at the start, then the
        // full step with the gains and the source at the midpoint. Each stage is E R E + M o P with E
        // diagonal and M, P positive semi-definite, so R stays a correlation matrix (docs/maths.md, 6.2).
        // P is entrywise in R, so each pair's stages only need that pair.
        for (let a = 1; a < m; a++) {
          for (let b = 0; b < a; b++) {
            const p = packed(a, b) * B + j;
            const scale = Math.sqrt(d[a] * d[b]);
            let r = scale > 0 ? x[p] / scale : 0;
            r = r > 1 ? 1 : r < -1 ? -1 : r;
            const w0 = constantGain === null ? flowWeights(g0[a] + g0[b], tau / 2) : halfWeights;
            let mid = w0.decay * r + w0.weight * source(d[a], d[b], r);
            mid = mid > 1 ? 1 : mid < -1 ? -1 : mid;
            const w1 = constantGain === null ? flowWeights(gm[a] + gm[b], tau) : fullWeights;
            let next = w1.decay * r + w1.weight * source(dMid[a], dMid[b], mid);
            next = next > 1 ? 1 : next < -1 ? -1 : next;
            x[p] = next * Math.sqrt(dEnd[a] * dEnd[b]);
          }
        }
        for (let a = 0; a < m; a++) x[packed(a, a) * B + j] = dEnd[a];
      }
    },

    noiseFlow(x, g, coins, h, t, book) {
      const alive = book.alive;
      prepareNoise(h);
      if (m === 2) {
        const e0 = edge[0];
        const e1 = edge[1];
        for (let j = 0; j < B; j++) {
          if (!alive[j]) continue;
          const a = x[j];
          const c = x[B + j];
          const b = x[2 * B + j];
          let l00 = Math.sqrt(a);
          let l10 = l00 > 0 ? c / l00 : 0;
          const rest = b - l10 * l10;
          let l11 = rest > 0 ? Math.sqrt(rest) : 0;
          l00 *= e0;
          l10 *= e0;
          l11 *= e1;
          const z00 = Math.exp(rootHalfH * g[j]);
          const z10 = rootH * g[B + j];
          const z11 = Math.exp(rootHalfH * g[2 * B + j]);
          if ((coins![j >> 5] >>> (j & 31)) & 1) {
            l00 *= z00;
            l10 *= z00;
            l10 += z10 * l11;
            l11 *= z11;
          } else {
            l11 *= z11;
            l10 += z10 * l11;
            l00 *= z00;
            l10 *= z00;
          }
          l00 *= e0;
          l10 *= e0;
          l11 *= e1;
          const v00 = l00 * l00;
          const v11 = l10 * l10 + l11 * l11;
          x[j] = v00;
          x[B + j] = l10 * l00;
          x[2 * B + j] = v11;
          if (v00 > threshold || v11 > threshold) book.explode(j, t);
        }
        return;
      }
      for (let j = 0; j < B; j++) {
        if (!alive[j]) continue;
        gather(x, j, full);
        // V is in the cone by construction; a pivot below rounding level is taken as zero.
        choleskyPsd(full, m, lower, 1e-12, true);
        const scaleColumn = (a: number, s: number) => {
          for (let i = a; i < m; i++) lower[i * m + a] *= s;
        };
        for (let a = 0; a < m; a++) scaleColumn(a, edge[a]);
        const move = (a: number, b: number) => {
          const z = g[packed(a, b) * B + j];
          if (a === b) scaleColumn(a, Math.exp(rootHalfH * z));
          else for (let i = a; i < m; i++) lower[i * m + b] += rootH * z * lower[i * m + a];
        };
        if (coins === null || (coins[j >> 5] >>> (j & 31)) & 1) {
          for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) move(a, b);
        } else {
          for (let a = m - 1; a >= 0; a--) for (let b = a; b >= 0; b--) move(a, b);
        }
        for (let a = 0; a < m; a++) scaleColumn(a, edge[a]);
        for (let a = 0; a < m; a++) {
          for (let b = 0; b <= a; b++) {
            let acc = 0;
            for (let r = 0; r <= b; r++) acc += lower[a * m + r] * lower[b * m + r];
            work[a * m + b] = acc;
          }
        }
        let maxDiag = 0;
        for (let a = 0; a < m; a++) {
          for (let b = 0; b <= a; b++) x[packed(a, b) * B + j] = work[a * m + b];
          maxDiag = Math.max(maxDiag, work[a * m + a]);
        }
        if (maxDiag > threshold) book.explode(j, t);
      }
    },
  };

  return {
    dimension: E,
    noise: E,
    ito,
    split,
    outputSize: m * m,
    initialise(x) {
      for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) x.fill(v0[a * m + b], packed(a, b) * B, (packed(a, b) + 1) * B);
      for (let j = 0; j < B; j++) factor(x, j);
    },
    write(x, lane, out, offset) {
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          const v = x[packed(a, b) * B + lane];
          out[offset + a * m + b] = v;
          out[offset + b * m + a] = v;
        }
      }
    },
  };
}
