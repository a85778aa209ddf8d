// The covariance chain's layer for a piecewise-linear phi = a x + b |x| (networks/chain.ts): pairLayer for
// m = 2, chainLayer for m >= 3 (Cholesky, rows y = phi(L g) and their Gram sums in one call). Both are
// byte-identical twins of the TypeScript layer (choleskyPsd, correlateRows, applyFeatures, gramInto).

// pairLayer: the two columns run in the two f64 lanes; each lane's sum takes the same terms in the same
// order as the scalar reference, and lane 0's value is taken before the add that forms lane 1 (so a -0
// stays -0), hence the same bits.

/** Gram sums s00, s01, s11 of rows [0, rows) of the normals at z, written to out[0..3). */
export function pairLayer(z: usize, rows: i32, l00: f64, l10: f64, l11: f64, a: f64, b: f64, out: usize): void {
  const first = f64x2(l00, l10);
  const va = f64x2.splat(a);
  const vb = f64x2.splat(b);
  let diag = f64x2.splat(0);
  let s01: f64 = 0;
  const end = z + (<usize>rows << 4);
  for (let p = z; p < end; p += 16) {
    const g = v128.load(p);
    const g0 = v128.shuffle<f64>(g, g, 0, 0);
    // (l00 g0, l10 g0), then lane 1 gets + l11 g1 while lane 0 keeps l00 g0 untouched.
    const t = f64x2.mul(first, g0);
    const u = f64x2.add(t, f64x2.mul(f64x2.splat(l11), v128.shuffle<f64>(g, g, 1, 1)));
    const y = v128.shuffle<f64>(t, u, 0, 3);
    const q = f64x2.add(f64x2.mul(va, y), f64x2.mul(vb, f64x2.abs(y)));
    diag = f64x2.add(diag, f64x2.mul(q, q));
    s01 += f64x2.extract_lane(q, 0) * f64x2.extract_lane(q, 1);
  }
  store<f64>(out, f64x2.extract_lane(diag, 0));
  store<f64>(out, s01, 8);
  store<f64>(out, f64x2.extract_lane(diag, 1), 16);
}

// chainLayer works in chunks of rows small enough for the first-level cache: first y = phi(L g) for the
// chunk's rows, four rows by four outputs at a time, then the chunk's Gram sums in blocks of four by four
// entries held in registers across the rows. Every y_a is sum_{k <= a} L_ak g_k with k ascending from +0
// and every Gram entry is sum_r phi(y_p) phi(y_q) with r ascending from +0, as in correlateRows and
// gramInto. A block also runs some terms with a zero coefficient (L_ak for k > a near the diagonal, and the
// columns padded up to a multiple of four): each adds a signed zero to a sum of finite normals, which
// leaves its bits alone except the sign of a zero y, and that sign never reaches a Gram sum (a sum that
// starts at +0 is never -0, and x + (+-0) = x otherwise), so the same bits. Padding entries are discarded.

/** Row stride of y and lt: m rounded up to a multiple of four. */
// @ts-ignore: decorator
@inline function strideOf(m: i32): i32 {
  return (m + 3) & ~3;
}

/** phi(x) = a x + b |x| on both lanes, the reference's operations. */
// @ts-ignore: decorator
@inline function phi2(x: v128, va: v128, vb: v128): v128 {
  return f64x2.add(f64x2.mul(va, x), f64x2.mul(vb, f64x2.abs(x)));
}

/** y rows [0, count) = phi(L g) for the normals rows at g (m per row); y and lt have stride s. */
function correlateChunk(g: usize, count: i32, m: i32, s: i32, lt: usize, va: v128, vb: v128, y: usize): void {
  const gs = <usize>m << 3;
  const ys = <usize>s << 3;
  const ls = <usize>s << 3;
  let r = 0;
  for (; r + 4 <= count; r += 4) {
    const g0 = g + <usize>r * gs;
    const y0 = y + <usize>r * ys;
    for (let c = 0; c < s; c += 4) {
      let a00 = f64x2.splat(0);
      let a01 = f64x2.splat(0);
      let a10 = f64x2.splat(0);
      let a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0);
      let a21 = f64x2.splat(0);
      let a30 = f64x2.splat(0);
      let a31 = f64x2.splat(0);
      // Terms k < c + 2 for all four outputs, then k = c + 2, c + 3 for outputs c + 2, c + 3 only (the
      // first two have L_ak = 0 there).
      const end = min(c + 2, m);
      let lp = lt + (<usize>c << 3);
      let gp = g0;
      for (let k = 0; k < end; k++) {
        const l0 = v128.load(lp);
        const l1 = v128.load(lp, 16);
        const x0 = v128.load64_splat(gp);
        a00 = f64x2.add(a00, f64x2.mul(l0, x0));
        a01 = f64x2.add(a01, f64x2.mul(l1, x0));
        const x1 = v128.load64_splat(gp + gs);
        a10 = f64x2.add(a10, f64x2.mul(l0, x1));
        a11 = f64x2.add(a11, f64x2.mul(l1, x1));
        const x2 = v128.load64_splat(gp + 2 * gs);
        a20 = f64x2.add(a20, f64x2.mul(l0, x2));
        a21 = f64x2.add(a21, f64x2.mul(l1, x2));
        const x3 = v128.load64_splat(gp + 3 * gs);
        a30 = f64x2.add(a30, f64x2.mul(l0, x3));
        a31 = f64x2.add(a31, f64x2.mul(l1, x3));
        lp += ls;
        gp += 8;
      }
      const last = min(c + 4, m);
      for (let k = end; k < last; k++) {
        const l1 = v128.load(lp, 16);
        a01 = f64x2.add(a01, f64x2.mul(l1, v128.load64_splat(gp)));
        a11 = f64x2.add(a11, f64x2.mul(l1, v128.load64_splat(gp + gs)));
        a21 = f64x2.add(a21, f64x2.mul(l1, v128.load64_splat(gp + 2 * gs)));
        a31 = f64x2.add(a31, f64x2.mul(l1, v128.load64_splat(gp + 3 * gs)));
        lp += ls;
        gp += 8;
      }
      const yc = y0 + (<usize>c << 3);
      v128.store(yc, phi2(a00, va, vb));
      v128.store(yc, phi2(a01, va, vb), 16);
      v128.store(yc + ys, phi2(a10, va, vb));
      v128.store(yc + ys, phi2(a11, va, vb), 16);
      v128.store(yc + 2 * ys, phi2(a20, va, vb));
      v128.store(yc + 2 * ys, phi2(a21, va, vb), 16);
      v128.store(yc + 3 * ys, phi2(a30, va, vb));
      v128.store(yc + 3 * ys, phi2(a31, va, vb), 16);
    }
  }
  for (; r < count; r++) {
    const gr = g + <usize>r * gs;
    const yr = y + <usize>r * ys;
    for (let c = 0; c < s; c += 4) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      const end = min(c + 4, m);
      let lp = lt + (<usize>c << 3);
      for (let k = 0; k < end; k++) {
        const x = v128.load64_splat(gr + (<usize>k << 3));
        a0 = f64x2.add(a0, f64x2.mul(v128.load(lp), x));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(lp, 16), x));
        lp += ls;
      }
      v128.store(yr + (<usize>c << 3), phi2(a0, va, vb));
      v128.store(yr + (<usize>c << 3), phi2(a1, va, vb), 16);
    }
  }
}

/** gramChunk's block (p..p+3) x (p..p+3) on the diagonal: its entries on and above the diagonal (entries
 *  p + 2, p + 3 x p, p + 1 lie wholly below and are not computed). */
// @ts-ignore: decorator
@inline function diagonalBlock(y: usize, end: usize, s: i32, p: i32, sums: usize): void {
  const ys = <usize>s << 3;
  const d = sums + ((<usize>(p * s + p)) << 3);
  let a00 = v128.load(d);
  let a01 = v128.load(d, 16);
  let a10 = v128.load(d + ys);
  let a11 = v128.load(d + ys, 16);
  let a21 = v128.load(d + 2 * ys, 16);
  let a31 = v128.load(d + 3 * ys, 16);
  for (let yp = y + (<usize>p << 3); yp < end; yp += ys) {
    const q0 = v128.load(yp);
    const q1 = v128.load(yp, 16);
    const x0 = v128.load64_splat(yp);
    a00 = f64x2.add(a00, f64x2.mul(x0, q0));
    a01 = f64x2.add(a01, f64x2.mul(x0, q1));
    const x1 = v128.load64_splat(yp, 8);
    a10 = f64x2.add(a10, f64x2.mul(x1, q0));
    a11 = f64x2.add(a11, f64x2.mul(x1, q1));
    a21 = f64x2.add(a21, f64x2.mul(v128.load64_splat(yp, 16), q1));
    a31 = f64x2.add(a31, f64x2.mul(v128.load64_splat(yp, 24), q1));
  }
  v128.store(d, a00);
  v128.store(d, a01, 16);
  v128.store(d + ys, a10);
  v128.store(d + ys, a11, 16);
  v128.store(d + 2 * ys, a21, 16);
  v128.store(d + 3 * ys, a31, 16);
}

/** sums (s x s) += the Gram sums of y rows [0, count), blocks on and above the diagonal, rows ascending. */
function gramChunk(y: usize, count: i32, s: i32, sums: usize): void {
  const ys = <usize>s << 3;
  const end = y + <usize>count * ys;
  for (let p = 0; p < s; p += 4) {
    diagonalBlock(y, end, s, p, sums);
    for (let q = p + 4; q < s; q += 4) {
      // Block (p..p+3) x (q..q+3): row p + i of the block holds entries q..q+1 in ai0 and q+2..q+3 in ai1.
      const d = sums + ((<usize>(p * s + q)) << 3);
      let a00 = v128.load(d);
      let a01 = v128.load(d, 16);
      let a10 = v128.load(d + ys);
      let a11 = v128.load(d + ys, 16);
      let a20 = v128.load(d + 2 * ys);
      let a21 = v128.load(d + 2 * ys, 16);
      let a30 = v128.load(d + 3 * ys);
      let a31 = v128.load(d + 3 * ys, 16);
      let yp = y + (<usize>p << 3);
      let yq = y + (<usize>q << 3);
      for (; yp < end; ) {
        const q0 = v128.load(yq);
        const q1 = v128.load(yq, 16);
        const x0 = v128.load64_splat(yp);
        a00 = f64x2.add(a00, f64x2.mul(x0, q0));
        a01 = f64x2.add(a01, f64x2.mul(x0, q1));
        const x1 = v128.load64_splat(yp, 8);
        a10 = f64x2.add(a10, f64x2.mul(x1, q0));
        a11 = f64x2.add(a11, f64x2.mul(x1, q1));
        const x2 = v128.load64_splat(yp, 16);
        a20 = f64x2.add(a20, f64x2.mul(x2, q0));
        a21 = f64x2.add(a21, f64x2.mul(x2, q1));
        const x3 = v128.load64_splat(yp, 24);
        a30 = f64x2.add(a30, f64x2.mul(x3, q0));
        a31 = f64x2.add(a31, f64x2.mul(x3, q1));
        yp += ys;
        yq += ys;
      }
      v128.store(d, a00);
      v128.store(d, a01, 16);
      v128.store(d + ys, a10);
      v128.store(d + ys, a11, 16);
      v128.store(d + 2 * ys, a20);
      v128.store(d + 2 * ys, a21, 16);
      v128.store(d + 3 * ys, a30);
      v128.store(d + 3 * ys, a31, 16);
    }
  }
}

/** v(i, j) of the m x m matrix at v, 0 for i >= m. */
// @ts-ignore: decorator
@inline function lower(v: usize, m: i32, i: i32, j: i32): f64 {
  return i < m ? load<f64>(v + (<usize>(i * m + j) << 3)) : 0;
}

/** columnSums4 for lanes i0..i0+7: four independent sums in flight instead of two. */
// @ts-ignore: decorator
@inline function columnSums8(v: usize, m: i32, s: i32, lt: usize, j: i32, i0: i32, d: usize): void {
  let a0 = f64x2(lower(v, m, i0, j), lower(v, m, i0 + 1, j));
  let a1 = f64x2(lower(v, m, i0 + 2, j), lower(v, m, i0 + 3, j));
  let a2 = f64x2(lower(v, m, i0 + 4, j), lower(v, m, i0 + 5, j));
  let a3 = f64x2(lower(v, m, i0 + 6, j), lower(v, m, i0 + 7, j));
  const ls = <usize>s << 3;
  let lp = lt + (<usize>i0 << 3);
  let lj = lt + (<usize>j << 3);
  for (let k = 0; k < j; k++) {
    const x = v128.load64_splat(lj);
    a0 = f64x2.sub(a0, f64x2.mul(v128.load(lp), x));
    a1 = f64x2.sub(a1, f64x2.mul(v128.load(lp, 16), x));
    a2 = f64x2.sub(a2, f64x2.mul(v128.load(lp, 32), x));
    a3 = f64x2.sub(a3, f64x2.mul(v128.load(lp, 48), x));
    lp += ls;
    lj += ls;
  }
  v128.store(d, a0);
  v128.store(d, a1, 16);
  v128.store(d, a2, 32);
  v128.store(d, a3, 48);
}

/** Four lanes' Cholesky sums at column j, lanes i0..i0+3: v(i, j) - sum_{k < j} L_ik L_jk, k ascending. */
// @ts-ignore: decorator
@inline function columnSums4(v: usize, m: i32, s: i32, lt: usize, j: i32, i0: i32, d: usize): void {
  // v(i, j) from the lower triangle, as the reference reads it; lanes past m start from 0 and stay 0.
  let a0 = f64x2(lower(v, m, i0, j), lower(v, m, i0 + 1, j));
  let a1 = f64x2(lower(v, m, i0 + 2, j), lower(v, m, i0 + 3, j));
  const ls = <usize>s << 3;
  let lp = lt + (<usize>i0 << 3);
  let lj = lt + (<usize>j << 3);
  for (let k = 0; k < j; k++) {
    const x = v128.load64_splat(lj);
    a0 = f64x2.sub(a0, f64x2.mul(v128.load(lp), x));
    a1 = f64x2.sub(a1, f64x2.mul(v128.load(lp, 16), x));
    lp += ls;
    lj += ls;
  }
  v128.store(d, a0);
  v128.store(d, a1, 16);
}

/**
 * choleskyPsd(v, m, l, tol, true) (src/linalg.ts) written transposed: lt[k s + i] = L_ik, zero above the
 * diagonal of L and in the padding columns. Column j of L is row j of lt, so its sums run over rows of lt,
 * four lanes i at a time, each with the reference's subtractions in order; a pivot d <= tol * max diag
 * (or NaN) gives a zero column, as with clamp. work holds s doubles.
 */
function choleskyLt(v: usize, m: i32, s: i32, tol: f64, lt: usize, work: usize): void {
  let scale: f64 = 0;
  for (let i = 0; i < m; i++) scale = max(scale, load<f64>(v + (<usize>(i * m + i) << 3)));
  const zero = tol * (scale > 0 ? scale : 1);
  memory.fill(lt, 0, <usize>(m * s) << 3);
  for (let j = 0; j < m; j++) {
    const first = j & ~3;
    let i = first;
    for (; i + 8 <= s; i += 8) columnSums8(v, m, s, lt, j, i, work + (<usize>i << 3));
    if (i < s) columnSums4(v, m, s, lt, j, i, work + (<usize>i << 3));
    const d = load<f64>(work + (<usize>j << 3));
    if (!(d > zero)) continue;
    const root = Math.sqrt(d);
    const inv = 1 / root;
    const row = lt + (<usize>(j * s) << 3);
    store<f64>(row + (<usize>j << 3), root);
    for (let i = j + 1; i < m; i++) store<f64>(row + (<usize>i << 3), load<f64>(work + (<usize>i << 3)) * inv);
  }
}

/** finishGram (networks/features.ts) from the block sums at stride s into out (m x m): the same scaling,
 *  checks and order. Returns the largest diagonal entry, or NaN if any entry is not finite. */
function finishSums(sums: usize, m: i32, s: i32, scale: f64, out: usize): f64 {
  let maxDiag: f64 = 0;
  let check: f64 = 0;
  for (let p = 0; p < m; p++) {
    for (let q = p; q < m; q++) {
      const v = load<f64>(sums + (<usize>(p * s + q) << 3)) * scale;
      store<f64>(out + (<usize>(p * m + q) << 3), v);
      store<f64>(out + (<usize>(q * m + p) << 3), v);
      check += v;
    }
    const diag = load<f64>(out + (<usize>(p * m + p) << 3));
    if (diag > maxDiag) maxDiag = diag;
  }
  return check - check == 0 ? maxDiag : NaN;
}

/**
 * One layer of the covariance chain for m >= 3 and a piecewise-linear phi = a x + b |x|, in place on v
 * (m x m): L L^T = v (choleskyPsd with clamp), then for the `rows` rows g of the normals at z (row-major,
 * m per row) y = phi(L g), and v = scale * the Gram sums of the y rows (gramInto). Returns gramInto's
 * value. s = m rounded up to four; work holds m s (lt) + s (pivots) + s s (sums) + chunk s (y) doubles,
 * 16-byte aligned; chunk is a multiple of four.
 */
export function chainLayer(
  v: usize,
  z: usize,
  rows: i32,
  m: i32,
  tol: f64,
  a: f64,
  b: f64,
  scale: f64,
  work: usize,
  chunk: i32,
): f64 {
  const s = strideOf(m);
  const lt = work;
  const pivots = lt + (<usize>(m * s) << 3);
  const sums = pivots + (<usize>s << 3);
  const y = sums + (<usize>(s * s) << 3);
  choleskyLt(v, m, s, tol, lt, pivots);
  memory.fill(sums, 0, <usize>(s * s) << 3);
  const va = f64x2.splat(a);
  const vb = f64x2.splat(b);
  for (let r = 0; r < rows; r += chunk) {
    const count = min(chunk, rows - r);
    correlateChunk(z + ((<usize>(r * m)) << 3), count, m, s, lt, va, vb, y);
    gramChunk(y, count, s, sums);
  }
  return finishSums(sums, m, s, scale, v);
}
