// The MLP's Neural Covariance SDE drift, assembled from an activation's scalar facts (docs/maths.md,
// section 3): b^aa = beta (V^aa)^2 and an off-diagonal b^ab(V^aa, V^bb, V^ab), plus the correlation flow
// the splitting solver integrates (section 6). Other architectures reuse it on other clocks (resnet).
import { arcCosineKernel, reluPairFlow, type Activation, type LimitFacts } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import type { CovarianceDrift } from '../../sde/index.js';
import { acos } from '../../src/math/index.js';

/** The MLP's drift of one activation, with the matrix assembly b(V) for any m. */
export interface MlpLimit extends CovarianceDrift {
  readonly family: LimitFacts['family'];
  /** nu(rho) of the correlation SDE (ReLU-like only). */
  readonly nu: ((rho: number) => number) | null;
  /** b(V) for the m x m matrix V (row-major), written to out; allocation-free. */
  drift(v: Float64Array, m: number, out: Float64Array): void;
}

/** The scalar facts of a shaped activation; an InputError for an unshaped one. */
export function requireFacts(activation: Activation): LimitFacts {
  if (!activation || typeof activation.atWidth !== 'function') {
    throw new InputError('activation', activation, 'must be an activation object (shapedRelu, shapedSmooth, ...)');
  }
  if (!activation.limit) {
    throw new InputError(
      'activation',
      activation.name,
      'has no Neural Covariance SDE limit (unshaped baselines degenerate as depth and width grow); use a shaped activation',
    );
  }
  return activation.limit;
}

function reluLikeDrift(k: number): CovarianceDrift {
  // nu(r) = kappa (J(r) - r) with kappa = pi k: the correlation drift relaxes R towards J(R).
  const kappa = Math.PI * k;
  const halfKappa = -0.5 * kappa;
  return {
    beta: 0,
    offDiagonal(vaa, vbb, vab) {
      const scale = Math.sqrt(vaa * vbb);
      let rho = scale > 0 ? vab / scale : 0;
      rho = rho > 1 ? 1 : rho < -1 ? -1 : rho;
      return k * (Math.sqrt(1 - rho * rho) - rho * acos(rho)) * scale;
    },
    correlationFlow: {
      gain: () => halfKappa,
      source: (_da, _db, r) => kappa * arcCosineKernel(r),
      constantGain: true,
      pair: (r, tau) => reluPairFlow(kappa, r, tau),
    },
    reluLike: { k, kappa },
  };
}

function smoothDrift(beta: number, fpp0: number, fppp0: number, a: number): CovarianceDrift {
  const q = (fpp0 * fpp0) / (4 * a * a);
  const cubic = fppp0 / (2 * a * a);
  const gainPerD = -1.5 * q;
  return {
    beta,
    // On the diagonal this reduces to beta (V^aa)^2, beta = 3 q + 2 cubic.
    offDiagonal: (vaa, vbb, vab) => q * (vaa * vbb + 2 * vab * vab) + cubic * vab * (vaa + vbb),
    // With V^ab = r sqrt(d_a d_b): r' = q sqrt(d_a d_b)(1 + 2 r^2) - (3q/2) r (d_a + d_b); f''' drops out.
    correlationFlow: {
      gain: (d) => gainPerD * d,
      source: (da, db, r) => q * Math.sqrt(da * db) * (1 + 2 * r * r),
      constantGain: false,
      pair: null,
    },
  };
}

/**
 * The MLP's limit drift for a shaped activation.
 * @example
 * mlpLimit(shapedSmooth('tanh', { a: 1 })).beta; // -2
 */
export function mlpLimit(activation: Activation): MlpLimit {
  const facts = requireFacts(activation);
  const parts =
    facts.family === 'relu-like' ? reluLikeDrift(facts.k) : smoothDrift(facts.beta, facts.fpp0, facts.fppp0, facts.a);
  const { beta, offDiagonal } = parts;
  return {
    ...parts,
    family: facts.family,
    nu: facts.nu,
    drift(v, m, out) {
      for (let i = 0; i < m; i++) {
        const vii = v[i * m + i];
        out[i * m + i] = beta * vii * vii;
        for (let j = i + 1; j < m; j++) {
          const x = offDiagonal(vii, v[j * m + j], v[i * m + j]);
          out[i * m + j] = x;
          out[j * m + i] = x;
        }
      }
    },
  };
}
