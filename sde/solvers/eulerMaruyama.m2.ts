// Euler-Maruyama's step fused for the 2 x 2 covariance term: drift, diffusion, update and the PSD check
// in one pass over the lanes, the same operations in the same order as the generic step composed from
// the term's maths, so the same bits (test/sde.test.ts holds it to that). Measured faster than the
// composition; lanes that meet trouble go to the term's one settle policy after the pass.
import type { CovarianceM2 } from './m2.js';
import type { FusedEulerStep, LaneBook } from '../term.js';

export function eulerMaruyamaM2(term: CovarianceM2): FusedEulerStep {
  const { lanes: B, threshold, beta, offDiagonal, chol, settleLane, noiseClock } = term;
  // Lanes that met trouble (explosion, a step outside the cone), handled after the pass so that the rare
  // code stays out of the hot loop (where inlining it would crowd out the drift).
  const troubled = new Int32Array(B);
  const before = new Float64Array(3 * B);
  return (x: Float64Array, g: Float64Array, h: number, t: number, book: LaneBook) => {
    const alive = book.alive;
    // The noise on its clock, as the term's diffusion (sqrt(1 h) is sqrt(h) to the bit).
    const root = Math.sqrt(noiseClock * h);
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
      // The term's factor() for m = 2, written out: a PSD state gets its Cholesky factor, anything else is troubled.
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
    for (let i = 0; i < count; i++) settleLane(x, before, troubled[i], t, book);
  };
}
