// The fused m = 2 steps of the covariance SDE for a ReLU-like activation (sde/solvers/*.m2.ts): a block of
// lanes in one sweep, the same operations in the same order as the TypeScript reference, with exp and
// acos from the shared deterministic algorithms (math.ts), so the same bits. State, Cholesky cache and
// normals are structure of arrays (entry e of lane j at e * lanes + j); `alive` is one byte per lane.
// Lanes that need the reference's rare code (a settle, an explosion) are listed for the caller.
import { acos2, cf, ci, exp2, F_MINUS_ONE, F_ONE, F_PI, F_TINY, F_ZERO, I_ZERO } from './simd';

// Lanes (j, j + 1) go together: every branch of the TypeScript step is a per-lane select, so each lane
// gets exactly its result; lanes that are not alive are left untouched by masked stores. B must be even
// (the block is 64 lanes).

// @ts-ignore: decorator
@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}

/** Lanes j, j + 1 alive, as an all-ones / all-zeros i64 mask per lane. */
// @ts-ignore: decorator
@inline function aliveMask(alive: usize, j: i32): v128 {
  const bytes = <i64>load<u16>(alive + <usize>j);
  const m = i64x2(bytes & 0xff, bytes >> 8);
  return i64x2.ne(m, ci(I_ZERO));
}

// @ts-ignore: decorator
@inline function clampUnit(r: v128): v128 {
  // r > 1 ? 1 : r < -1 ? -1 : r as one maxpd and one minpd: pmax(r, -1) = r < -1 ? -1 : r, pmin(t, 1) = 1 < t ? 1 : t.
  return f64x2.pmin(f64x2.pmax(r, cf(F_MINUS_ONE)), cf(F_ONE));
}

/**
 * Euler-Maruyama for lanes [0, B), drift k (sqrt(1 - rho^2) - rho acos rho) sqrt(V^aa V^bb) off the
 * diagonal and beta (V^aa)^2 on it (eulerMaruyama.m2.ts). Lanes whose new state needs the settle policy
 * (not finite, above the threshold, outside the cone) are listed in `troubled` in increasing order, their
 * old state in `before`; returns how many.
 */
export function eulerRelu2x(
  x: usize, chol: usize, g: usize, alive: usize, B: i32,
  h: f64, root: f64, root2: f64, beta: f64, kOff: f64, threshold: f64,
  troubled: usize, before: usize,
): i32 {
  const row = <usize>B << 3;
  let count: i32 = 0;
  const vh = splat(h);
  const vbeta = splat(beta);
  const vthr = splat(threshold);
  const vk = splat(kOff);
  const vroot = splat(root);
  const vroot2 = splat(root2);
  // Lanes go in chunks of up to 8, in three passes over a chunk: the correlations, the drifts, the updates.
  // Each pass is a shorter chain of dependent roots and divisions than the whole step, so the processor
  // overlaps more lane pairs.
  const drifts = memory.data(3 * 64);
  for (let j0: i32 = 0; j0 < B; j0 += 8) {
    const end = j0 + 8 < B ? j0 + 8 : B;
    for (let j = j0; j < end; j += 2) {
      if (!v128.any_true(aliveMask(alive, j))) continue;
      const p = x + (<usize>j << 3);
      const scale = f64x2.sqrt(f64x2.mul(v128.load(p), v128.load(p + 2 * row)));
      v128.store(drifts + (<usize>(j - j0) << 3), clampUnit(v128.and(f64x2.div(v128.load(p + row), scale), f64x2.gt(scale, cf(F_ZERO)))), 64);
      v128.store(drifts + (<usize>(j - j0) << 3), scale, 128);
    }
    for (let j = j0; j < end; j += 2) {
      if (!v128.any_true(aliveMask(alive, j))) continue;
      const rho = v128.load(drifts + (<usize>(j - j0) << 3), 64);
      const root1 = f64x2.sqrt(f64x2.sub(cf(F_ONE), f64x2.mul(rho, rho)));
      const scale = v128.load(drifts + (<usize>(j - j0) << 3), 128);
      v128.store(drifts + (<usize>(j - j0) << 3), f64x2.mul(f64x2.mul(vk, f64x2.sub(root1, f64x2.mul(rho, acos2(rho)))), scale));
    }
    for (let j = j0; j < end; j += 2) {
      const live = aliveMask(alive, j);
      if (!v128.any_true(live)) continue;
      const p = x + (<usize>j << 3);
      const q = chol + (<usize>j << 3);
      const n = g + (<usize>j << 3);
      const a = v128.load(p);
      const c = v128.load(p + row);
      const b = v128.load(p + 2 * row);
      const d1 = v128.load(drifts + (<usize>(j - j0) << 3));
      const s00 = f64x2.mul(vroot2, v128.load(n));
      const s10 = f64x2.mul(vroot, v128.load(n + row));
      const s11 = f64x2.mul(vroot2, v128.load(n + 2 * row));
      const l00 = v128.load(q);
      const l10 = v128.load(q + row);
      const l11 = v128.load(q + 2 * row);
      const w = f64x2.add(f64x2.mul(l10, s00), f64x2.mul(l11, s10));
      const na = f64x2.add(a, f64x2.add(f64x2.mul(vh, f64x2.mul(f64x2.mul(vbeta, a), a)), f64x2.mul(f64x2.mul(l00, l00), s00)));
      const nc = f64x2.add(c, f64x2.add(f64x2.mul(vh, d1), f64x2.mul(l00, w)));
      const inner = f64x2.add(f64x2.mul(l10, s10), f64x2.mul(l11, s11));
      const nb = f64x2.add(b, f64x2.add(f64x2.mul(vh, f64x2.mul(f64x2.mul(vbeta, b), b)), f64x2.add(f64x2.mul(l10, w), f64x2.mul(l11, inner))));
      v128.store(p, v128.bitselect(na, a, live));
      v128.store(p + row, v128.bitselect(nc, c, live));
      v128.store(p + 2 * row, v128.bitselect(nb, b, live));
      const check = f64x2.add(f64x2.add(na, nc), nb);
      const unit = v128.bitselect(na, v128.bitselect(nb, cf(F_ONE), f64x2.gt(nb, cf(F_ZERO))), f64x2.gt(na, nb));
      const zero = f64x2.mul(cf(F_TINY), unit);
      let ok = f64x2.eq(f64x2.sub(check, check), cf(F_ZERO));
      ok = v128.and(ok, v128.and(f64x2.le(na, vthr), f64x2.le(nb, vthr)));
      ok = v128.and(ok, v128.and(f64x2.ge(na, cf(F_ZERO)), f64x2.ge(nb, cf(F_ZERO))));
      ok = v128.and(ok, f64x2.gt(na, zero));
      const f00 = f64x2.sqrt(na);
      const f10 = f64x2.div(nc, f00);
      const rest = f64x2.sub(nb, f64x2.mul(f10, f10));
      ok = v128.andnot(ok, f64x2.lt(rest, f64x2.neg(zero)));
      const f11 = v128.and(f64x2.sqrt(rest), f64x2.gt(rest, zero));
      const keep = v128.and(ok, live);
      v128.store(q, v128.bitselect(f00, l00, keep));
      v128.store(q + row, v128.bitselect(f10, l10, keep));
      v128.store(q + 2 * row, v128.bitselect(f11, l11, keep));
      const bad = v128.andnot(live, ok);
      if (v128.any_true(bad)) {
        v128.store(before + (<usize>j << 3), a);
        v128.store(before + (<usize>j << 3) + row, c);
        v128.store(before + (<usize>j << 3) + 2 * row, b);
        if (i64x2.extract_lane(bad, 0) != 0) {
          store<i32>(troubled + (<usize>count << 2), j);
          count++;
        }
        if (i64x2.extract_lane(bad, 1) != 0) {
          store<i32>(troubled + (<usize>count << 2), j + 1);
          count++;
        }
      }
    }
  }
  return count;
}

/**
 * The splitting step for lanes [0, B) (ninomiyaVictoir.m2.ts): the ReLU pair flow over tau
 * (reluPairFlow), then the noise flows in the coin-chosen order (e0 = exp(-h/4), e1 = exp(-h/2)). Lanes
 * whose diagonal ends above the threshold are listed in `exploded` in increasing order; returns how many.
 */
export function splitRelu2x(
  x: usize, g: usize, coins: usize, alive: usize, B: i32,
  tau: f64, kappa: f64, e0: f64, e1: f64, rootHalfH: f64, rootH: f64, threshold: f64,
  exploded: usize,
): i32 {
  const row = <usize>B << 3;
  let count: i32 = 0;
  // The pair flow's sub-steps depend on tau and kappa only, so they are shared by the lanes.
  const ceiled = Math.ceil(tau * kappa);
  const pieces = ceiled != ceiled ? ceiled : ceiled < 1 ? 1 : ceiled;
  const dt = tau / pieces;
  const vdt = splat(dt);
  const vdt2 = splat(0.5 * dt * dt);
  const vkappa = splat(kappa);
  const vthr = splat(threshold);
  const ve0 = splat(e0);
  const ve1 = splat(e1);
  const vhalf = splat(rootHalfH);
  const vrootH = splat(rootH);
  // Lanes go in chunks of up to 8, in three passes over a chunk: the correlations, the pair flows (the new
  // V^ab), the noise flows (shorter dependent chains than the whole step, as in eulerRelu2x).
  const flowed = memory.data(3 * 64);
  for (let j0: i32 = 0; j0 < B; j0 += 8) {
    const end = j0 + 8 < B ? j0 + 8 : B;
    for (let j = j0; j < end; j += 2) {
      if (!v128.any_true(aliveMask(alive, j))) continue;
      const p = x + (<usize>j << 3);
      const scale = f64x2.sqrt(f64x2.mul(v128.load(p), v128.load(p + 2 * row)));
      v128.store(flowed + (<usize>(j - j0) << 3), v128.and(f64x2.div(v128.load(p + row), scale), f64x2.gt(scale, cf(F_ZERO))), 64);
      v128.store(flowed + (<usize>(j - j0) << 3), scale, 128);
    }
    for (let j = j0; j < end; j += 2) {
      if (!v128.any_true(aliveMask(alive, j))) continue;
      let r = v128.load(flowed + (<usize>(j - j0) << 3), 64);
      const scale = v128.load(flowed + (<usize>(j - j0) << 3), 128);
      for (let k: f64 = 0; k < pieces; k++) {
        const c = clampUnit(r);
        const theta = acos2(c);
        const piMinus = f64x2.sub(cf(F_PI), theta);
        const jj = f64x2.div(f64x2.add(f64x2.sqrt(f64x2.sub(cf(F_ONE), f64x2.mul(c, c))), f64x2.mul(piMinus, c)), cf(F_PI));
        const nu = f64x2.mul(vkappa, f64x2.sub(jj, c));
        const slope = f64x2.mul(vkappa, f64x2.sub(f64x2.div(piMinus, cf(F_PI)), cf(F_ONE)));
        r = f64x2.add(f64x2.add(c, f64x2.mul(vdt, nu)), f64x2.mul(f64x2.mul(vdt2, slope), nu));
      }
      v128.store(flowed + (<usize>(j - j0) << 3), f64x2.mul(clampUnit(r), scale));
    }
    for (let j = j0; j < end; j += 2) {
      const live = aliveMask(alive, j);
      if (!v128.any_true(live)) continue;
      const p = x + (<usize>j << 3);
      const n = g + (<usize>j << 3);
      const a = v128.load(p);
      const cx = v128.load(p + row);
      const b = v128.load(p + 2 * row);
      const c = v128.load(flowed + (<usize>(j - j0) << 3));
      let l00 = f64x2.sqrt(a);
      let l10 = v128.and(f64x2.div(c, l00), f64x2.gt(l00, cf(F_ZERO)));
      const rest = f64x2.sub(b, f64x2.mul(l10, l10));
      let l11 = v128.and(f64x2.sqrt(rest), f64x2.gt(rest, cf(F_ZERO)));
      l00 = f64x2.mul(l00, ve0);
      l10 = f64x2.mul(l10, ve0);
      l11 = f64x2.mul(l11, ve1);
      const z00 = exp2(f64x2.mul(vhalf, v128.load(n)));
      const z10 = f64x2.mul(vrootH, v128.load(n + row));
      const z11 = exp2(f64x2.mul(vhalf, v128.load(n + 2 * row)));
      const word = load<u32>(coins + (<usize>(j >> 5) << 2));
      const bit = j & 31;
      const first = i64x2.ne(i64x2(<i64>((word >>> bit) & 1), <i64>((word >>> (bit + 1)) & 1)), ci(I_ZERO));
      // coin 1: l00, l10 by z00, then l10 += z10 l11, then l11 by z11; coin 0: l11 first, l00 and l10 last.
      const n11 = f64x2.mul(l11, z11);
      const up = f64x2.add(f64x2.mul(l10, z00), f64x2.mul(z10, l11));
      const down = f64x2.mul(f64x2.add(l10, f64x2.mul(z10, n11)), z00);
      l10 = v128.bitselect(up, down, first);
      l00 = f64x2.mul(f64x2.mul(l00, z00), ve0);
      l10 = f64x2.mul(l10, ve0);
      l11 = f64x2.mul(n11, ve1);
      const v00 = f64x2.mul(l00, l00);
      const v11 = f64x2.add(f64x2.mul(l10, l10), f64x2.mul(l11, l11));
      v128.store(p, v128.bitselect(v00, a, live));
      v128.store(p + row, v128.bitselect(f64x2.mul(l10, l00), cx, live));
      v128.store(p + 2 * row, v128.bitselect(v11, b, live));
      const over = v128.and(live, v128.or(f64x2.gt(v00, vthr), f64x2.gt(v11, vthr)));
      if (v128.any_true(over)) {
        if (i64x2.extract_lane(over, 0) != 0) {
          store<i32>(exploded + (<usize>count << 2), j);
          count++;
        }
        if (i64x2.extract_lane(over, 1) != 0) {
          store<i32>(exploded + (<usize>count << 2), j + 1);
          count++;
        }
      }
    }
  }
  return count;
}

/**
 * The diagonal SDE's noise flow for lanes [0, B) (sde/terms/scalar.ts, diagonalTerm's noiseBlock):
 * x <- x exp(root g - hn). Lanes that end above the threshold are listed in `exploded` in increasing
 * order (their new value kept, as there); returns how many.
 */
export function diagonalNoise2x(x: usize, g: usize, alive: usize, B: i32, root: f64, hn: f64, threshold: f64, exploded: usize): i32 {
  let count: i32 = 0;
  const vroot = splat(root);
  const vhn = splat(hn);
  const vthr = splat(threshold);
  for (let j: i32 = 0; j < B; j += 2) {
    const live = aliveMask(alive, j);
    if (!v128.any_true(live)) continue;
    const p = x + (<usize>j << 3);
    const v = v128.load(p);
    const next = f64x2.mul(v, exp2(f64x2.sub(f64x2.mul(vroot, v128.load(g + (<usize>j << 3))), vhn)));
    v128.store(p, v128.bitselect(next, v, live));
    const over = v128.and(live, f64x2.gt(next, vthr));
    if (v128.any_true(over)) {
      if (i64x2.extract_lane(over, 0) != 0) {
        store<i32>(exploded + (<usize>count << 2), j);
        count++;
      }
      if (i64x2.extract_lane(over, 1) != 0) {
        store<i32>(exploded + (<usize>count << 2), j + 1);
        count++;
      }
    }
  }
  return count;
}
