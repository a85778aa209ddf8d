// The WebAssembly SIMD twins of src/batched.ts's tile sums: packed m x m matrices of a tile of lanes,
// entry p of lane u at byte (p * w + u) * 8, two lanes per f64x2 and eight lanes (four accumulators) per
// pass. Every lane gets the reference's multiplications and additions in the reference's order (no fused
// multiply-add), so the same bits. w is a multiple of 8; every lane of the tile is computed.

import { acos2, cf, exp2, F_MINUS_ONE, F_ONE, F_PI, F_ZERO } from './simd';

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

// @ts-ignore: decorator
@inline function row(a: i32): i32 {
  return (a * (a + 1)) >> 1;
}

/** Eight lanes' sums over r < count of x_r y_r (x and y advancing by `step` bytes), r ascending from 0, into d. */
// @ts-ignore: decorator
@inline function dots8(x: usize, y: usize, count: i32, step: usize, d: usize): void {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  for (let r = 0; r < count; r++) {
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x), v128.load(y)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x, 16), v128.load(y, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(x, 32), v128.load(y, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(x, 48), v128.load(y, 48)));
    x += step;
    y += step;
  }
  v128.store(d, a0);
  v128.store(d, a1, 16);
  v128.store(d, a2, 32);
  v128.store(d, a3, 48);
}

/** choleskyColumnSums: for i >= c, l(i, c) = v(i, c) - sum_{k < c} l(i, k) l(c, k), k ascending. Rows go
 *  in pairs (i, i + 1) that share the loads of row c. */
export function choleskyColumnSums8(v: usize, l: usize, m: i32, w: i32, c: i32): void {
  const rc = row(c) * w;
  const step = <usize>w << 3;
  for (let i = c; i < m; i += 2) {
    const two = i + 1 < m;
    const ri = row(i) * w;
    const rj = two ? row(i + 1) * w : ri;
    const p = ri + c * w;
    const q = rj + c * w;
    for (let u = 0; u < w; u += 8) {
      let a0 = v128.load(at(v, p + u));
      let a1 = v128.load(at(v, p + u + 2));
      let a2 = v128.load(at(v, p + u + 4));
      let a3 = v128.load(at(v, p + u + 6));
      let b0 = v128.load(at(v, q + u));
      let b1 = v128.load(at(v, q + u + 2));
      let b2 = v128.load(at(v, q + u + 4));
      let b3 = v128.load(at(v, q + u + 6));
      let xi = at(l, ri + u);
      let xj = at(l, rj + u);
      let xc = at(l, rc + u);
      for (let k = 0; k < c; k++) {
        const c0 = v128.load(xc);
        const c1 = v128.load(xc, 16);
        const c2 = v128.load(xc, 32);
        const c3 = v128.load(xc, 48);
        a0 = f64x2.sub(a0, f64x2.mul(v128.load(xi), c0));
        a1 = f64x2.sub(a1, f64x2.mul(v128.load(xi, 16), c1));
        a2 = f64x2.sub(a2, f64x2.mul(v128.load(xi, 32), c2));
        a3 = f64x2.sub(a3, f64x2.mul(v128.load(xi, 48), c3));
        b0 = f64x2.sub(b0, f64x2.mul(v128.load(xj), c0));
        b1 = f64x2.sub(b1, f64x2.mul(v128.load(xj, 16), c1));
        b2 = f64x2.sub(b2, f64x2.mul(v128.load(xj, 32), c2));
        b3 = f64x2.sub(b3, f64x2.mul(v128.load(xj, 48), c3));
        xi += step;
        xj += step;
        xc += step;
      }
      const o = at(l, p + u);
      v128.store(o, a0);
      v128.store(o, a1, 16);
      v128.store(o, a2, 32);
      v128.store(o, a3, 48);
      if (two) {
        const d = at(l, q + u);
        v128.store(d, b0);
        v128.store(d, b1, 16);
        v128.store(d, b2, 32);
        v128.store(d, b3, 48);
      }
    }
  }
}

/** Two output columns' sums of L S, rows r = 0..a: row a of L against rows c and c + 1 of the full S. */
// @ts-ignore: decorator
@inline function pairSums(q0: usize, s0: usize, s1: usize, a: i32, w: i32, vroot: v128, d0: usize, d1: usize): void {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let b0 = f64x2.splat(0);
  let b1 = f64x2.splat(0);
  let b2 = f64x2.splat(0);
  let b3 = f64x2.splat(0);
  const step = <usize>w << 3;
  let q = q0;
  let x = s0;
  let y = s1;
  for (let r = 0; r <= a; r++) {
    const l0 = v128.load(q);
    const l1 = v128.load(q, 16);
    const l2 = v128.load(q, 32);
    const l3 = v128.load(q, 48);
    a0 = f64x2.add(a0, f64x2.mul(l0, v128.load(x)));
    a1 = f64x2.add(a1, f64x2.mul(l1, v128.load(x, 16)));
    a2 = f64x2.add(a2, f64x2.mul(l2, v128.load(x, 32)));
    a3 = f64x2.add(a3, f64x2.mul(l3, v128.load(x, 48)));
    b0 = f64x2.add(b0, f64x2.mul(l0, v128.load(y)));
    b1 = f64x2.add(b1, f64x2.mul(l1, v128.load(y, 16)));
    b2 = f64x2.add(b2, f64x2.mul(l2, v128.load(y, 32)));
    b3 = f64x2.add(b3, f64x2.mul(l3, v128.load(y, 48)));
    q += step;
    x += step;
    y += step;
  }
  v128.store(d0, f64x2.mul(a0, vroot));
  v128.store(d0, f64x2.mul(a1, vroot), 16);
  v128.store(d0, f64x2.mul(a2, vroot), 32);
  v128.store(d0, f64x2.mul(a3, vroot), 48);
  if (d1 != 0) {
    v128.store(d1, f64x2.mul(b0, vroot));
    v128.store(d1, f64x2.mul(b1, vroot), 16);
    v128.store(d1, f64x2.mul(b2, vroot), 32);
    v128.store(d1, f64x2.mul(b3, vroot), 48);
  }
}

/**
 * noiseTile: ls = (L S) root (lower triangle), then out's lower triangle = ls L^T. S is unpacked first into
 * sf (m * m * w) as full rows, sf(c, r) = S_rc (sqrt(2) g_rr on the diagonal: the reference's factor), so
 * each sum reads two contiguous rows; two columns c, c + 1 share the loads of L's row a.
 */
export function noiseTile8(l: usize, g: usize, m: i32, w: i32, root: f64, ls: usize, out: usize, sf: usize): void {
  const sqrt2 = f64x2.splat(1.4142135623730951);
  const vroot = f64x2.splat(root);
  for (let c = 0; c < m; c++) {
    for (let r = 0; r < m; r++) {
      const src = at(g, (r > c ? row(r) + c : row(c) + r) * w);
      const dst = at(sf, (c * m + r) * w);
      for (let u = 0; u < w; u += 2) {
        const v = v128.load(src + (<usize>u << 3));
        v128.store(dst + (<usize>u << 3), r === c ? f64x2.mul(sqrt2, v) : v);
      }
    }
  }
  // Column pairs outermost: S's two rows stay in L1 while L's rows stream past them once per pair.
  for (let c = 0; c < m; c += 2) {
    for (let a = c; a < m; a++) {
      const ra = row(a);
      for (let u = 0; u < w; u += 8) {
        const q0 = at(l, ra * w + u);
        if (c + 1 <= a) pairSums(q0, at(sf, c * m * w + u), at(sf, (c + 1) * m * w + u), a, w, vroot, at(ls, (a * m + c) * w + u), at(ls, (a * m + c + 1) * w + u));
        else pairSums(q0, at(sf, c * m * w + u), at(sf, c * m * w + u), a, w, vroot, at(ls, (a * m + c) * w + u), 0);
      }
    }
  }
  const step = <usize>w << 3;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      const p = (row(a) + b) * w;
      const rb = row(b);
      for (let u = 0; u < w; u += 8) dots8(at(ls, a * m * w + u), at(l, rb * w + u), b + 1, step, at(out, p + u));
    }
  }
}

/** gramTile: out's lower triangle = L L^T. */
export function gramTile8(l: usize, m: i32, w: i32, out: usize): void {
  const step = <usize>w << 3;
  for (let a = 0; a < m; a++) {
    const ra = row(a);
    for (let b = 0; b <= a; b++) {
      const rb = row(b);
      for (let u = 0; u < w; u += 8) dots8(at(l, ra * w + u), at(l, rb * w + u), b + 1, step, at(out, (ra + b) * w + u));
    }
  }
}

/** flowsTile over lanes [u0, u1): the noise directions in packed order, or descending. Lanes go in pairs;
 *  an odd lane at either end goes alone, with the same scalar operations. */
export function flowsTile2(l: usize, f: usize, m: i32, w: i32, u0: i32, u1: i32, descending: i32): void {
  const E = row(m);
  const first = u0 + (u0 & 1);
  const last = first + ((u1 - first) & ~1);
  for (let step = 0; step < E; step++) {
    const k = descending ? E - 1 - step : step;
    let a = <i32>Math.floor((Math.sqrt(<f64>(8 * k + 1)) - 1) / 2);
    if (row(a) > k) a--;
    else if (row(a + 1) <= k) a++;
    const b = k - row(a);
    const fk = k * w;
    for (let i = a; i < m; i++) {
      const pa = (row(i) + a) * w;
      const pb = (row(i) + b) * w;
      if (a === b) {
        if (first > u0 && u0 < u1) store<f64>(at(l, pa + u0), load<f64>(at(l, pa + u0)) * load<f64>(at(f, fk + u0)));
        for (let u = first; u < last; u += 2) {
          const da = at(l, pa + u);
          v128.store(da, f64x2.mul(v128.load(da), v128.load(at(f, fk + u))));
        }
        if (last < u1 && last >= first) store<f64>(at(l, pa + last), load<f64>(at(l, pa + last)) * load<f64>(at(f, fk + last)));
      } else {
        if (first > u0 && u0 < u1) store<f64>(at(l, pb + u0), load<f64>(at(l, pb + u0)) + load<f64>(at(f, fk + u0)) * load<f64>(at(l, pa + u0)));
        for (let u = first; u < last; u += 2) {
          const db = at(l, pb + u);
          v128.store(db, f64x2.add(v128.load(db), f64x2.mul(v128.load(at(f, fk + u)), v128.load(at(l, pa + u)))));
        }
        if (last < u1 && last >= first) store<f64>(at(l, pb + last), load<f64>(at(l, pb + last)) + load<f64>(at(f, fk + last)) * load<f64>(at(l, pa + last)));
      }
    }
  }
}

/** r clamped to [-1, 1]: r > 1 ? 1 : r < -1 ? -1 : r (NaN and -0 kept), one minpd and one maxpd: pmax(r, -1)
 *  is r < -1 ? -1 : r and pmin(t, 1) is 1 < t ? 1 : t. */
// @ts-ignore: decorator
@inline function clamp1(r: v128): v128 {
  return f64x2.pmin(f64x2.pmax(r, cf(F_MINUS_ONE)), cf(F_ONE));
}

/** sqrt(V^aa V^bb) of a lane pair from the diagonal entries at byte addresses pa, pb. */
// @ts-ignore: decorator
@inline function pairScale(pa: usize, pb: usize): v128 {
  return f64x2.sqrt(f64x2.mul(v128.load(pa), v128.load(pb)));
}

/** V^ab (at byte address p) / scale in [-1, 1], 0 where the scale is not > 0 (the reference's rho): a mask
 *  and, as 0 is all zero bits. */
// @ts-ignore: decorator
@inline function pairCorrelation(p: usize, scale: v128): v128 {
  return clamp1(v128.and(f64x2.div(v128.load(p), scale), f64x2.gt(scale, cf(F_ZERO))));
}

/**
 * The ReLU-like drift of a tile (sde/terms/covariance.mk.ts, drift; architectures/mlp/limit.ts): off the
 * diagonal clock * (k (sqrt(1 - rho^2) - rho acos rho) sqrt(V^aa V^bb)), rho = V^ab / sqrt(V^aa V^bb) in
 * [-1, 1] (0 where the scale is 0), on it beta (V^aa)^2; every lane of the tile.
 */
export function driftRelu2x(x: usize, out: usize, m: i32, w: i32, k: f64, beta: f64, clock: f64): void {
  const vk = f64x2.splat(k);
  const vbeta = f64x2.splat(beta);
  const vclock = f64x2.splat(clock);
  const bytes = <usize>w << 3;
  // rho and the scale of a chunk of 8 lanes (w is a multiple of 8) between two passes over the chunk: two
  // short chains of dependent roots and divisions let the processor overlap more lane pairs than one long.
  const keep = memory.data(2 * 64);
  for (let a = 0; a < m; a++) {
    const xa = at(x, (row(a) + a) * w);
    for (let b = 0; b < a; b++) {
      const xb = at(x, (row(b) + b) * w);
      const p = (row(a) + b) * w;
      const xp = at(x, p);
      const op = at(out, p);
      for (let o0: usize = 0; o0 < bytes; o0 += 64) {
        for (let o: usize = 0; o < 64; o += 16) {
          const scale = pairScale(xa + o0 + o, xb + o0 + o);
          v128.store(keep + o, pairCorrelation(xp + o0 + o, scale));
          v128.store(keep + o, scale, 64);
        }
        for (let o: usize = 0; o < 64; o += 16) {
          const rho = v128.load(keep + o);
          const root = f64x2.sqrt(f64x2.sub(cf(F_ONE), f64x2.mul(rho, rho)));
          const d = f64x2.mul(f64x2.mul(vk, f64x2.sub(root, f64x2.mul(rho, acos2(rho)))), v128.load(keep + o, 64));
          v128.store(op + o0 + o, f64x2.mul(vclock, d));
        }
      }
    }
    const oa = at(out, (row(a) + a) * w);
    for (let o: usize = 0; o < bytes; o += 16) {
      const v = v128.load(xa + o);
      v128.store(oa + o, f64x2.mul(f64x2.mul(vbeta, v), v));
    }
  }
}


/** kappa J(c), J the arc-cosine kernel (sqrt(1 - c^2) + (pi - acos c) c) / pi (src/activations/reluLike.ts),
 *  for c already in [-1, 1]: the reference clamps c again, which leaves such a c as it is. */
// @ts-ignore: decorator
@inline function source2(kappa: v128, c: v128): v128 {
  const j = f64x2.div(f64x2.add(f64x2.sqrt(f64x2.sub(cf(F_ONE), f64x2.mul(c, c))), f64x2.mul(f64x2.sub(cf(F_PI), acos2(c)), c)), cf(F_PI));
  return f64x2.mul(kappa, j);
}

/**
 * The ReLU-like drift flow of a tile over tau (sde/terms/covariance.ts, driftFlow, where beta = 0 and the
 * gain is constant): the diagonal stays, each correlation r = V^ab / sqrt(V^aa V^bb) goes through the
 * exponential midpoint mid = d0 r + w0 kappa J(r), next = d1 r + w1 kappa J(mid), each clamped to [-1, 1],
 * and V^ab = next sqrt(V^aa V^bb); every lane of the tile, in place.
 */
export function flowRelu2x(x: usize, m: i32, w: i32, kappa: f64, d0: f64, w0: f64, d1: f64, w1: f64): void {
  const vk = f64x2.splat(kappa);
  const vd0 = f64x2.splat(d0);
  const vw0 = f64x2.splat(w0);
  const vd1 = f64x2.splat(d1);
  const vw1 = f64x2.splat(w1);
  const bytes = <usize>w << 3;
  // r, scale and mid of a chunk of 8 lanes (w is a multiple of 8) between three passes over the chunk,
  // each a short chain (the correlation, then one arc-cosine kernel), so that the out-of-order window holds
  // several lane pairs' divisions at once where the whole chain of one pair would fill it.
  const keep = memory.data(3 * 64);
  for (let a = 1; a < m; a++) {
    const xa = at(x, (row(a) + a) * w);
    for (let b = 0; b < a; b++) {
      const xb = at(x, (row(b) + b) * w);
      const xp = at(x, (row(a) + b) * w);
      for (let o0: usize = 0; o0 < bytes; o0 += 64) {
        for (let o: usize = 0; o < 64; o += 16) {
          const scale = pairScale(xa + o0 + o, xb + o0 + o);
          v128.store(keep + o, pairCorrelation(xp + o0 + o, scale));
          v128.store(keep + o, scale, 64);
        }
        for (let o: usize = 0; o < 64; o += 16) {
          const r = v128.load(keep + o);
          v128.store(keep + o, clamp1(f64x2.add(f64x2.mul(vd0, r), f64x2.mul(vw0, source2(vk, r)))), 128);
        }
        for (let o: usize = 0; o < 64; o += 16) {
          const r = v128.load(keep + o);
          const next = clamp1(f64x2.add(f64x2.mul(vd1, r), f64x2.mul(vw1, source2(vk, v128.load(keep + o, 128)))));
          v128.store(xp + o0 + o, f64x2.mul(next, v128.load(keep + o, 64)));
        }
      }
    }
  }
}

/**
 * Euler-Maruyama's whole step for a tile with the ReLU-like drift (sde/solvers/eulerMaruyama.mk.ts): the
 * drift into d and the noise L S L^T root into nz (both 0 on lanes not alive), x += h d + nz, then the
 * settle's checks: the sum of the entries finite, max V^aa <= threshold, and the strict Cholesky factor
 * (src/batched.ts, choleskyTile, pivots below tol * max V^aa zero) into l. flags[u] = 1 where the lane
 * needs the term's per-lane policy (not finite, over the threshold, outside the cone), else 0; l holds
 * the new factor of every lane flagged 0. alive: one byte per lane.
 */
export function eulerTile8(
  x: usize, l: usize, g: usize, ls: usize, sf: usize, d: usize, nz: usize, alive: usize, flags: usize,
  m: i32, w: i32, h: f64, root: f64, k: f64, beta: f64, clock: f64, threshold: f64, tol: f64,
): void {
  driftRelu2x(x, d, m, w, k, beta, clock);
  noiseTile8(l, g, m, w, root, ls, nz, sf);
  const E = row(m);
  const vh = f64x2.splat(h);
  const zero = f64x2.splat(0);
  const vthr = f64x2.splat(threshold);
  const vtol = f64x2.splat(tol);
  const vroot = f64x2.splat(Math.sqrt(tol));
  for (let u = 0; u < w; u += 2) {
    const bytes = <i64>load<u16>(alive + <usize>u);
    const live = i64x2.ne(i64x2(bytes & 0xff, bytes >> 8), i64x2.splat(0));
    let check = zero;
    for (let p = 0; p < E; p++) {
      const q = at(x, p * w + u);
      const dv = v128.bitselect(v128.load(at(d, p * w + u)), zero, live);
      const nv = v128.bitselect(v128.load(at(nz, p * w + u)), zero, live);
      const nx = f64x2.add(v128.load(q), f64x2.add(f64x2.mul(vh, dv), nv));
      v128.store(q, nx);
      check = f64x2.add(check, nx);
    }
    let top = zero;
    let scale = zero;
    let negative = zero;
    for (let a = 0; a < m; a++) {
      const v = v128.load(at(x, (row(a) + a) * w + u));
      top = v128.bitselect(v, top, f64x2.gt(v, top));
      scale = f64x2.max(scale, v);
      negative = v128.or(negative, v128.not(f64x2.ge(v, zero)));
    }
    const finite = f64x2.eq(f64x2.sub(check, check), zero);
    let bad = v128.or(v128.not(finite), f64x2.gt(top, vthr));
    bad = v128.or(bad, negative);
    // unit = scale > 0 ? scale : 1, kept in d's first entry of the lane pair for the factorisation below.
    v128.store(at(d, u), v128.bitselect(scale, cf(F_ONE), f64x2.gt(scale, zero)));
    v128.store(at(nz, u), bad);
  }
  for (let c = 0; c < m; c++) {
    choleskyColumnSums8(x, l, m, w, c);
    const pc = (row(c) + c) * w;
    for (let u = 0; u < w; u += 2) {
      const unit = v128.load(at(d, u));
      let bad = v128.load(at(nz, u));
      const z = f64x2.mul(vtol, unit);
      const piv = v128.load(at(l, pc + u));
      const pos = f64x2.gt(piv, z);
      const nan = f64x2.ne(piv, piv);
      bad = v128.or(bad, v128.andnot(v128.or(f64x2.lt(piv, f64x2.neg(z)), nan), pos));
      const r = f64x2.sqrt(piv);
      const inv = f64x2.div(cf(F_ONE), r);
      v128.store(at(l, pc + u), v128.bitselect(r, zero, pos));
      const offZero = f64x2.mul(vroot, unit);
      for (let i = c + 1; i < m; i++) {
        const q = at(l, (row(i) + c) * w + u);
        const s = v128.load(q);
        bad = v128.or(bad, v128.andnot(v128.not(f64x2.le(f64x2.abs(s), offZero)), pos));
        v128.store(q, v128.bitselect(f64x2.mul(s, inv), zero, pos));
      }
      v128.store(at(nz, u), bad);
    }
  }
  for (let u = 0; u < w; u += 2) {
    const bad = v128.load(at(nz, u));
    store<u8>(flags + <usize>u, <u8>(i64x2.extract_lane(bad, 0) != 0));
    store<u8>(flags + <usize>u + 1, <u8>(i64x2.extract_lane(bad, 1) != 0));
  }
}

/**
 * The splitting scheme's noise step N_h for a tile (sde/terms/covariance.mk.ts, noiseStep): the factor of
 * v with pivots below tol * max V^aa taken as zero into l, columns scaled by edge[a] = exp(-(a + 1) h / 4),
 * the directions' factors from the normals in g (exp(sqrt(h/2) z) on the diagonal, sqrt(h) z off it), the
 * directions ascending over lanes [0, ascending) and descending over [ascending, n), the edge scaling again,
 * and the lower triangle of l l^T into v.
 */
export function splitNoiseTile8(v: usize, l: usize, g: usize, edge: usize, m: i32, w: i32, ascending: i32, n: i32, rootHalfH: f64, rootH: f64, tol: f64): void {
  const zero = f64x2.splat(0);
  const vtol = f64x2.splat(tol);
  // Each lane's unit (max V^aa, or 1 where that is not > 0), in the module's own data (w <= 512 lanes).
  const units = memory.data(8 * 512);
  for (let u = 0; u < w; u += 2) {
    let scale = zero;
    for (let a = 0; a < m; a++) scale = f64x2.max(scale, v128.load(at(v, (row(a) + a) * w + u)));
    v128.store(units + (<usize>u << 3), v128.bitselect(scale, cf(F_ONE), f64x2.gt(scale, zero)));
  }
  for (let c = 0; c < m; c++) {
    choleskyColumnSums8(v, l, m, w, c);
    const pc = (row(c) + c) * w;
    for (let u = 0; u < w; u += 2) {
      const z = f64x2.mul(vtol, v128.load(units + (<usize>u << 3)));
      const piv = v128.load(at(l, pc + u));
      const pos = f64x2.gt(piv, z);
      const r = f64x2.sqrt(piv);
      const inv = f64x2.div(cf(F_ONE), r);
      v128.store(at(l, pc + u), v128.bitselect(r, zero, pos));
      for (let i = c + 1; i < m; i++) {
        const q = at(l, (row(i) + c) * w + u);
        v128.store(q, v128.bitselect(f64x2.mul(v128.load(q), inv), zero, pos));
      }
    }
  }
  for (let a = 0; a < m; a++) {
    const e = f64x2.splat(load<f64>(at(edge, a)));
    for (let i = a; i < m; i++) {
      const q = (row(i) + a) * w;
      for (let u = 0; u < w; u += 2) v128.store(at(l, q + u), f64x2.mul(v128.load(at(l, q + u)), e));
    }
  }
  const vhalf = f64x2.splat(rootHalfH);
  const vroot = f64x2.splat(rootH);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      const q = (row(a) + b) * w;
      for (let u = 0; u < w; u += 2) {
        const z = v128.load(at(g, q + u));
        v128.store(at(g, q + u), a === b ? exp2(f64x2.mul(vhalf, z)) : f64x2.mul(vroot, z));
      }
    }
  }
  flowsTile2(l, g, m, w, 0, ascending, 0);
  flowsTile2(l, g, m, w, ascending, n, 1);
  for (let a = 0; a < m; a++) {
    const e = f64x2.splat(load<f64>(at(edge, a)));
    for (let i = a; i < m; i++) {
      const q = (row(i) + a) * w;
      for (let u = 0; u < w; u += 2) v128.store(at(l, q + u), f64x2.mul(v128.load(at(l, q + u)), e));
    }
  }
  gramTile8(l, m, w, v);
}
