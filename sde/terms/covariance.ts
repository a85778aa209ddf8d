// The m x m covariance term over a block of lanes: dV = b(V) dt + L S L^T with V = L L^T
// (docs/maths.md, sections 3 and 6), for any drift of the Neural Covariance SDE's form (an architecture
// supplies b through CovarianceDrift), on drift and noise clocks. The state is V's lower triangle, row by
// row (index a(a+1)/2 + b), and the step's normals use the same index. The explosion/domain policy is
// lanes.ts's laneSettler; the solvers' m = 2 fused steps share it and the Cholesky cache through the m2 capability.
import { phi1 } from '../../src/special.js';
import {
  UNIT_CLOCKS,
  type Clocks,
  type CovarianceM2,
  type CovarianceMkSteps,
  type LaneBook,
  type NoiseFlows,
  type Term,
} from '../term.js';
import { exp } from '../../src/math/index.js';
import { openDenseBlock } from '../../src/kernels/dense.js';
import { laneSettler, packed, packedLanes } from './lanes.js';
import { covarianceMk } from './covariance.mk.js';

/**
 * The drift b(V) of a covariance SDE: b^aa = beta (V^aa)^2 and an off-diagonal b^ab that depends on
 * (V^aa, V^bb, V^ab) only, plus the form the splitting solver integrates: while the diagonal follows
 * d' = beta d^2, the correlation matrix R (V = D^{1/2} R D^{1/2}) follows dR/dt = P(R, d) + G R + R G
 * with G = diag(gain(d_a)) and P_ab = source(d_a, d_b, R_ab) positive semi-definite whenever R is, and
 * P_aa = -2 gain(d_a), so the unit diagonal is invariant (docs/maths.md, section 6).
 */
export interface CovarianceDrift {
  /** Diagonal drift coefficient: dX = beta X^2 dt + sqrt(2) X dB. */
  readonly beta: number;
  /** b^ab as a function of V^aa, V^bb, V^ab (a != b). */
  offDiagonal(vaa: number, vbb: number, vab: number): number;
  readonly correlationFlow: {
    gain(d: number): number;
    source(da: number, db: number, r: number): number;
    /** Whether gain is a constant (then the flow weights are computed once per tau). */
    readonly constantGain: boolean;
    /** Where the diagonal does not move (beta = 0): one correlation's flow over tau, second-order
     *  accurate, in [-1, 1]; null where the solver integrates the pair by the exponential midpoint. */
    readonly pair: ((r: number, tau: number) => number) | null;
  };
  /** Present when offDiagonal is the ReLU-like k (sqrt(1 - rho^2) - rho acos rho) sqrt(V^aa V^bb) and pair
   *  is reluPairFlow(kappa, r, tau): the WebAssembly kernels compute these from the two numbers. */
  readonly reluLike?: { readonly k: number; readonly kappa: number };
}

/** Coefficients of the correlation drift flow over one tau, for a lane pair with gains summing to `gain`. */
function flowWeights(gain: number, tau: number): { decay: number; weight: number } {
  return { decay: exp(gain * tau), weight: tau * phi1(gain * tau) };
}

export interface CovarianceTermOptions {
  readonly drift: CovarianceDrift;
  /** Flat m x m initial value. */
  readonly v0: Float64Array;
  readonly m: number;
  readonly lanes: number;
  readonly threshold: number;
  readonly clocks?: Clocks;
  /** Offer the m = 2 capability the solvers' fused steps use (default true). */
  readonly fused?: boolean;
}

export function covarianceTerm(options: CovarianceTermOptions): Term {
  const { m, lanes: B, threshold, v0 } = options;
  const { driftClock: dc, noiseClock: nc } = options.clocks ?? UNIT_CLOCKS;
  const E = (m * (m + 1)) / 2;
  const base = options.drift;
  const beta = dc * base.beta;
  const offDiagonal =
    dc === 1 ? base.offDiagonal : (vaa: number, vbb: number, vab: number) => dc * base.offDiagonal(vaa, vbb, vab);
  const { gain, source, pair: pairFlow } = base.correlationFlow;
  // Cholesky factors kept from each settle's PSD check for the next step's diffusion, with the state they
  // factor: diffusion(x) refactors a lane whose x differs (a predictor stage, a solver's own update). For
  // m != 2 with wasm kernels they live in the WebAssembly block where the solvers' steps run.
  const block = m !== 2 ? openDenseBlock(m, B) : null;
  const chol = block?.chol ?? new Float64Array(E * B);
  const factored = (block?.fact ?? new Float64Array(E * B)).fill(NaN);
  // Entry p of lane j in chol and factored: pair-major in the block, else the state's own layout.
  const cache = block?.cache ?? ((p: number, j: number) => p * B + j);
  // Per-lane scratch for the general-m paths.
  const full = new Float64Array(m * m);
  const lower = new Float64Array(m * m);
  const d = new Float64Array(m);
  const dMid = new Float64Array(m);
  const dEnd = new Float64Array(m);
  const g0 = new Float64Array(m);
  const gm = new Float64Array(m);

  const lanes = packedLanes(m, B);

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
      factored[j] = a;
      factored[B + j] = c;
      factored[2 * B + j] = b;
      return true;
    }
    if (!lanes.inCone(x, j, full, lower)) return false;
    storeFactor(j);
    for (let p = 0; p < E; p++) factored[cache(p, j)] = x[p * B + j];
    return true;
  };
  /** The factor in `lower` into lane j of the cache. */
  const storeFactor = (j: number) => {
    for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) chol[cache(packed(a, b), j)] = lower[a * m + b];
  };

  /** The factor of lane j's current x in the cache: kept when it is the state last factored, else
   *  recomputed (outside the cone: the factor of its PSD part, pivots below rounding taken as zero). */
  const ensureFactor = (x: Float64Array, j: number) => {
    let same = true;
    for (let p = 0; p < E && same; p++) same = factored[cache(p, j)] === x[p * B + j];
    if (same || factor(x, j)) return;
    lanes.factorPsd(x, j, full, lower);
    storeFactor(j);
    for (let p = 0; p < E; p++) factored[cache(p, j)] = NaN;
  };

  /** The one explosion/domain policy for lane j (lanes.ts); the Cholesky cache is refreshed by `factor`
   *  either way for the next step. */
  const settleLane = laneSettler(lanes, threshold, factor);

  // Noise flows' constants for the last (clocked) h.
  let noiseH = NaN;
  const edge = new Float64Array(m); // exp(-(a + 1) h / 4): half of the Ito-Stratonovich correction
  let rootHalfH = 0;
  let rootH = 0;
  const prepareNoise = (h: number) => {
    if (h !== noiseH) {
      noiseH = h;
      for (let a = 0; a < m; a++) edge[a] = exp((-(a + 1) * h) / 4);
      rootHalfH = Math.sqrt(h / 2);
      rootH = Math.sqrt(h);
    }
  };
  // Drift flow's constants for the last tau.
  const constantGain = base.correlationFlow.constantGain ? gain(1) : null;
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

  /** The diagonal's exact flow d' = beta d^2 over tau (drift-clock time) for lane j; false when it blows
   *  up inside (recorded at its time on the real clock). */
  const diagonalFlow = (x: Float64Array, j: number, tau: number, t: number, book: LaneBook): boolean => {
    let blowUp = Infinity;
    let crossing = Infinity;
    for (let a = 0; a < m; a++) {
      const da = x[packed(a, a) * B + j];
      d[a] = da;
      if (base.beta === 0) {
        dMid[a] = dEnd[a] = da;
        continue;
      }
      const den = 1 - base.beta * tau * da;
      if (den <= 0) blowUp = Math.min(blowUp, 1 / (base.beta * da));
      dEnd[a] = da / den;
      dMid[a] = da / (1 - 0.5 * base.beta * tau * da);
      if (dEnd[a] > threshold) crossing = Math.min(crossing, (1 / da - 1 / threshold) / base.beta);
    }
    if (blowUp < Infinity) {
      book.explode(j, t + Math.min(blowUp, crossing) / dc);
      return false;
    }
    if (crossing < Infinity) book.explode(j, t + Math.max(0, crossing) / dc);
    return true;
  };

  // Noise direction k is the packed entry (ka[k], kb[k]).
  const ka = new Int32Array(E);
  const kb = new Int32Array(E);
  for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) [ka[packed(a, b)], kb[packed(a, b)]] = [a, b];
  const scaleColumn = (a: number, s: number) => {
    for (let i = a; i < m; i++) lower[i * m + a] *= s;
  };

  const noise: NoiseFlows = {
    open(x, j, h) {
      prepareNoise(nc * h);
      if (m === 2) {
        // The unrolled factor of the m = 2 fused step (same bits).
        const a = x[j];
        const c = x[B + j];
        const b = x[2 * B + j];
        const l00 = Math.sqrt(a);
        const l10 = l00 > 0 ? c / l00 : 0;
        const rest = b - l10 * l10;
        lower[0] = l00;
        lower[1] = 0;
        lower[2] = l10;
        lower[3] = rest > 0 ? Math.sqrt(rest) : 0;
      } else {
        // V is in the cone by construction; a pivot below rounding level is taken as zero.
        lanes.factorPsd(x, j, full, lower);
      }
      for (let a = 0; a < m; a++) scaleColumn(a, edge[a]);
    },
    direction(k, z) {
      const a = ka[k];
      const b = kb[k];
      if (a === b) scaleColumn(a, exp(rootHalfH * z));
      else for (let i = a; i < m; i++) lower[i * m + b] += rootH * z * lower[i * m + a];
    },
    close(x, j, _h, t, book) {
      for (let a = 0; a < m; a++) scaleColumn(a, edge[a]);
      let maxDiag = 0;
      for (let a = 0; a < m; a++) {
        for (let b = 0; b <= a; b++) {
          let acc = 0;
          for (let r = 0; r <= b; r++) acc += lower[a * m + r] * lower[b * m + r];
          x[packed(a, b) * B + j] = acc;
        }
        maxDiag = Math.max(maxDiag, x[packed(a, a) * B + j]);
      }
      if (maxDiag > threshold) book.explode(j, t);
    },
  };

  const driftFlow = (x: Float64Array, tauReal: number, t: number, book: LaneBook) => {
    const alive = book.alive;
    const tau = dc * tauReal;
    if (base.beta === 0 && pairFlow !== null && m === 2) {
      // One pair, the diagonal fixed: r follows the pair flow (docs/maths.md, 6.3).
      for (let j = 0; j < B; j++) {
        if (!alive[j]) continue;
        const scale = Math.sqrt(x[j] * x[2 * B + j]);
        x[B + j] = pairFlow(scale > 0 ? x[B + j] / scale : 0, tau) * scale;
      }
      return;
    }
    if (base.beta === 0 && mk !== null && mk.driftFlow(x, tauReal, book)) return;
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
  };

  // m != 2: the hot methods over the whole block at once (covariance.mk.ts), the same bits as lane by lane.
  const mk =
    m !== 2
      ? covarianceMk({
          m,
          lanes: B,
          threshold,
          beta,
          offDiagonal,
          chol,
          factored,
          block,
          settleLane,
          ensureFactor,
          reluLike: base.reluLike ?? null,
          driftClock: dc,
          noiseClock: nc,
          flowWeights(tau) {
            if (constantGain === null) return null;
            prepareFlow(tau);
            return { half: halfWeights, full: fullWeights };
          },
          noiseConstants(h) {
            prepareNoise(nc * h);
            return { edge, rootHalfH, rootH };
          },
        })
      : null;

  const m2: CovarianceM2 = {
    lanes: B,
    threshold,
    driftClock: dc,
    noiseClock: nc,
    beta,
    offDiagonal,
    pair: base.beta === 0 ? pairFlow : null,
    reluLike: base.reluLike ?? null,
    driftFlow,
    chol,
    settleLane,
    noiseConstants(h) {
      prepareNoise(nc * h);
      return { e0: edge[0], e1: edge[1], rootHalfH, rootH };
    },
  };
  // On any clocks (the resnet's, a composition's): the solvers' fused steps scale exactly as the generic
  // ones do. Offered as a capability; the solvers build their steps from it (this term imports none).
  const offered = (options.fused ?? true) && m === 2 ? m2 : undefined;
  // m >= 3: the tiled kernels' steps (covariance.mk.ts), offered the same way; the solvers build theirs from it.
  const offeredMk: CovarianceMkSteps | undefined =
    (options.fused ?? true) && mk !== null
      ? {
          driftFlow,
          noiseStep: mk.noiseStep,
          eulerStep: mk.eulerStep,
          // the drift flow in the block step is the one driftFlow runs where the diagonal does not move
          ...(base.beta === 0 ? { splitStep: mk.splitStep } : {}),
        }
      : undefined;

  return {
    dimension: E,
    noise: E,
    outputSize: m * m,
    m2: offered,
    mk: offeredMk,
    flows: { directions: E, drift: driftFlow, noise },
    // The solvers keep the state where the block steps run on it in place (one live state per term).
    allocateState: block !== null ? (length) => (length === E * B ? block.state : new Float64Array(length)) : undefined,
    initialise(x) {
      lanes.fill(x, v0);
      // Every lane holds V0: one factorisation, its cache copied to every lane (the same bits).
      if (!factor(x, 0)) return;
      if (block !== null) return block.broadcastCache();
      for (let p = 0; p < E; p++) {
        const l = chol[cache(p, 0)];
        const f = factored[cache(p, 0)];
        for (let j = 1; j < B; j++) {
          chol[cache(p, j)] = l;
          factored[cache(p, j)] = f;
        }
      }
    },
    write: lanes.write,

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
      mk!.drift(x, out, book);
    },

    diffusion(x, g, h, out, book) {
      const alive = book.alive;
      const root = Math.sqrt(nc * h);
      if (m === 2) {
        const root2 = Math.SQRT2 * root;
        for (let j = 0; j < B; j++) {
          if (!alive[j]) {
            out[j] = out[B + j] = out[2 * B + j] = 0;
            continue;
          }
          if (!(factored[j] === x[j] && factored[B + j] === x[B + j] && factored[2 * B + j] === x[2 * B + j]))
            ensureFactor(x, j);
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
      mk!.diffusion(x, g, root, out, book);
    },

    correction(x, out, book) {
      // For G_k(V) = L E_k L^T, (1/2) sum_k DG_k[G_k] = L D L^T with D = diag(1, ..., m) (docs/maths.md, 6.4).
      for (let j = 0; j < B; j++) {
        if (!book.alive[j]) {
          lanes.clear(out, j);
          continue;
        }
        lanes.factorPsd(x, j, full, lower);
        for (let a = 0; a < m; a++) {
          for (let b = 0; b <= a; b++) {
            let acc = 0;
            for (let r = 0; r <= b; r++) acc += (r + 1) * lower[a * m + r] * lower[b * m + r];
            out[packed(a, b) * B + j] = nc * acc;
          }
        }
      }
    },

    settle(x, previous, t, book) {
      if (mk !== null) return mk.settle(x, previous, t, book);
      for (let j = 0; j < B; j++) if (book.alive[j]) settleLane(x, previous, j, t, book);
    },
  };
}
