// The WebAssembly SIMD twins of src/batched.ts's tile kernels over packed m x m matrices, two lanes per
// f64x2: on a tile (entry p of lane u at byte (p w + u) 8, w even, every lane computed) and on the
// integrator's blocks of lanes one dense pair at a time (the m >= 3 steps of sde/terms/covariance.mk.ts).
// Every lane gets the reference's multiplications and additions in the reference's order (no fused
// multiply-add), so the same bits.

import { acos2, cf, exp2, F_MINUS_ONE, F_ONE, F_PI, F_ZERO } from './simd';

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

// @ts-ignore: decorator
@inline function row(a: i32): i32 {
  return (a * (a + 1)) >> 1;
}

// ---- One lane pair (one f64x2) of a tile whose entries lie `s` bytes apart: s = 8 w for the pair at
// lanes (u, u + 1) of a tile of w lanes, s = 16 for a dense pair (the block steps below). Each kernel
// blocks the matrix dimensions in registers (2 x 4 or 4 x 2 outputs per step of the sum, so that each load
// feeds several products) while every output keeps its own sum in the reference's order.

// @ts-ignore: decorator
@inline function ld(base: usize, p: i32, s: usize): v128 {
  return v128.load(base + <usize>p * s);
}

// @ts-ignore: decorator
@inline function st(base: usize, p: i32, s: usize, v: v128): void {
  v128.store(base + <usize>p * s, v);
}

// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, y: v128): v128 {
  return f64x2.add(acc, f64x2.mul(x, y));
}

// @ts-ignore: decorator
@inline function msub(acc: v128, x: v128, y: v128): v128 {
  return f64x2.sub(acc, f64x2.mul(x, y));
}

/** Column c's pivot: l(c, c) -> its root (0 below z = tol unit), l(i, c) -> l(i, c) / root for i > c (0 in a
 *  zero column); with `fuse`, also column c + 1's last term, l(i, c + 1) -= l(i, c) l(c + 1, c) for i > c.
 *  Without `clamp`, the lanes that fail (a pivot below -z or NaN, an entry of a zero column above
 *  offZero in size) are or-ed into the returned mask. */
// @ts-ignore: decorator
@inline function pivotColumn(l: usize, m: i32, s: usize, c: i32, z: v128, offZero: v128, clamp: bool, fuse: bool, bad: v128): v128 {
  const zero = f64x2.splat(0);
  const pc = l + <usize>(row(c) + c) * s;
  const piv = v128.load(pc);
  const pos = f64x2.gt(piv, z);
  if (!clamp) bad = v128.or(bad, v128.andnot(v128.or(f64x2.lt(piv, f64x2.neg(z)), f64x2.ne(piv, piv)), pos));
  const r = f64x2.sqrt(piv);
  const inv = f64x2.div(f64x2.splat(1), r);
  v128.store(pc, v128.bitselect(r, zero, pos));
  let q = pc + <usize>(c + 1) * s;
  let lc1 = zero;
  for (let i = c + 1; i < m; i++) {
    const e = v128.load(q);
    if (!clamp) bad = v128.or(bad, v128.andnot(v128.not(f64x2.le(f64x2.abs(e), offZero)), pos));
    const ne = v128.bitselect(f64x2.mul(e, inv), zero, pos);
    v128.store(q, ne);
    if (fuse) {
      if (i == c + 1) lc1 = ne;
      v128.store(q + s, msub(v128.load(q + s), ne, lc1));
    }
    q += <usize>(i + 1) * s;
  }
  return bad;
}

/**
 * The Cholesky factor of one lane pair of v into l (src/batched.ts, choleskyTile: l(i, c) = v(i, c) -
 * sum_{k < c} l(i, k) l(c, k), k ascending, then the pivot), columns in pairs (c, c + 1) that share the
 * loads of rows c and c + 1 for four rows at a time; column c + 1's term k = c follows c's pivot. unit:
 * the lanes' max V^aa (1 where not > 0); pivots below tol unit are zero. Returns the failing lanes' mask
 * (all ones), or 0 with `clamp` (every offending pivot taken as zero).
 */
function choleskyPair(v: usize, l: usize, m: i32, s: usize, unit: v128, tol: f64, clamp: bool): v128 {
  const z = f64x2.mul(f64x2.splat(tol), unit);
  const offZero = f64x2.mul(f64x2.splat(Math.sqrt(tol)), unit);
  let bad = f64x2.splat(0);
  for (let c = 0; c < m; c += 2) {
    const rc = l + <usize>row(c) * s;
    if (c + 1 < m) {
      const rd = l + <usize>row(c + 1) * s;
      let a00 = ld(v, row(c) + c, s);
      let a10 = ld(v, row(c + 1) + c, s);
      let a11 = ld(v, row(c + 1) + c + 1, s);
      let p = rc;
      let q = rd;
      for (let k = 0; k < c; k++) {
        const x = v128.load(p);
        const y = v128.load(q);
        a00 = msub(a00, x, x);
        a10 = msub(a10, y, x);
        a11 = msub(a11, y, y);
        p += s;
        q += s;
      }
      st(l, row(c) + c, s, a00);
      st(l, row(c + 1) + c, s, a10);
      st(l, row(c + 1) + c + 1, s, a11);
      let i = c + 2;
      for (; i + 3 < m; i += 4) {
        const o0 = <usize>(row(i) + c) * s;
        const o1 = <usize>(row(i + 1) + c) * s;
        const o2 = <usize>(row(i + 2) + c) * s;
        const o3 = <usize>(row(i + 3) + c) * s;
        let b00 = v128.load(v + o0);
        let b01 = v128.load(v + o0 + s);
        let b10 = v128.load(v + o1);
        let b11 = v128.load(v + o1 + s);
        let b20 = v128.load(v + o2);
        let b21 = v128.load(v + o2 + s);
        let b30 = v128.load(v + o3);
        let b31 = v128.load(v + o3 + s);
        let pc = rc;
        let pd = rd;
        let p0 = l + <usize>row(i) * s;
        let p1 = l + <usize>row(i + 1) * s;
        let p2 = l + <usize>row(i + 2) * s;
        let p3 = l + <usize>row(i + 3) * s;
        for (let k = 0; k < c; k++) {
          const xc = v128.load(pc);
          const xd = v128.load(pd);
          let y = v128.load(p0);
          b00 = msub(b00, y, xc);
          b01 = msub(b01, y, xd);
          y = v128.load(p1);
          b10 = msub(b10, y, xc);
          b11 = msub(b11, y, xd);
          y = v128.load(p2);
          b20 = msub(b20, y, xc);
          b21 = msub(b21, y, xd);
          y = v128.load(p3);
          b30 = msub(b30, y, xc);
          b31 = msub(b31, y, xd);
          pc += s;
          pd += s;
          p0 += s;
          p1 += s;
          p2 += s;
          p3 += s;
        }
        v128.store(l + o0, b00);
        v128.store(l + o0 + s, b01);
        v128.store(l + o1, b10);
        v128.store(l + o1 + s, b11);
        v128.store(l + o2, b20);
        v128.store(l + o2 + s, b21);
        v128.store(l + o3, b30);
        v128.store(l + o3 + s, b31);
      }
      for (; i < m; i++) {
        const o = <usize>(row(i) + c) * s;
        let b0 = v128.load(v + o);
        let b1 = v128.load(v + o + s);
        let pc = rc;
        let pd = rd;
        let pi = l + <usize>row(i) * s;
        for (let k = 0; k < c; k++) {
          const y = v128.load(pi);
          b0 = msub(b0, y, v128.load(pc));
          b1 = msub(b1, y, v128.load(pd));
          pc += s;
          pd += s;
          pi += s;
        }
        v128.store(l + o, b0);
        v128.store(l + o + s, b1);
      }
      bad = pivotColumn(l, m, s, c, z, offZero, clamp, true, bad);
      bad = pivotColumn(l, m, s, c + 1, z, offZero, clamp, false, bad);
    } else {
      let a00 = ld(v, row(c) + c, s);
      let p = rc;
      for (let k = 0; k < c; k++) {
        const x = v128.load(p);
        a00 = msub(a00, x, x);
        p += s;
      }
      st(l, row(c) + c, s, a00);
      bad = pivotColumn(l, m, s, c, z, offZero, clamp, false, bad);
    }
  }
  return bad;
}

/** Column c's Cholesky sums of one lane pair (src/batched.ts, choleskyColumnSums), rows four at a time. */
function columnSumsPair(v: usize, l: usize, m: i32, s: usize, c: i32): void {
  const rc = l + <usize>row(c) * s;
  let i = c;
  for (; i + 3 < m; i += 4) {
    const o0 = <usize>(row(i) + c) * s;
    const o1 = <usize>(row(i + 1) + c) * s;
    const o2 = <usize>(row(i + 2) + c) * s;
    const o3 = <usize>(row(i + 3) + c) * s;
    let b0 = v128.load(v + o0);
    let b1 = v128.load(v + o1);
    let b2 = v128.load(v + o2);
    let b3 = v128.load(v + o3);
    let pc = rc;
    let p0 = l + <usize>row(i) * s;
    let p1 = l + <usize>row(i + 1) * s;
    let p2 = l + <usize>row(i + 2) * s;
    let p3 = l + <usize>row(i + 3) * s;
    for (let k = 0; k < c; k++) {
      const x = v128.load(pc);
      b0 = msub(b0, v128.load(p0), x);
      b1 = msub(b1, v128.load(p1), x);
      b2 = msub(b2, v128.load(p2), x);
      b3 = msub(b3, v128.load(p3), x);
      pc += s;
      p0 += s;
      p1 += s;
      p2 += s;
      p3 += s;
    }
    v128.store(l + o0, b0);
    v128.store(l + o1, b1);
    v128.store(l + o2, b2);
    v128.store(l + o3, b3);
  }
  for (; i < m; i++) {
    const o = <usize>(row(i) + c) * s;
    let b = v128.load(v + o);
    let pc = rc;
    let pi = l + <usize>row(i) * s;
    for (let k = 0; k < c; k++) {
      b = msub(b, v128.load(pi), v128.load(pc));
      pc += s;
      pi += s;
    }
    v128.store(l + o, b);
  }
}

/**
 * out's lower triangle (packed, stride s) = A L^T for one lane pair: out(a, b) = sum_{r <= b} A(a, r)
 * L(b, r), r ascending from 0 (src/batched.ts: the noise's second product, and gramTile with A = L).
 * A's row a starts at A + row(a) as (packed, entries `as` apart) or at A + a rowBytes (dense rows, as = 16).
 * Columns go in pairs (b, b + 1) that share the loads of A's rows four rows at a time.
 */
function lowerProduct(A: usize, packed: bool, rowBytes: usize, as: usize, l: usize, m: i32, s: usize, out: usize): void {
  const zero = f64x2.splat(0);
  for (let b = 0; b < m; b += 2) {
    const lb = l + <usize>row(b) * s;
    // out(b, b)
    {
      let x = zero;
      let pa = packed ? A + <usize>row(b) * as : A + <usize>b * rowBytes;
      let pl = lb;
      for (let r = 0; r <= b; r++) {
        x = madd(x, v128.load(pa), v128.load(pl));
        pa += as;
        pl += s;
      }
      st(out, row(b) + b, s, x);
    }
    if (b + 1 >= m) break;
    const ld1 = l + <usize>row(b + 1) * s;
    let a = b + 1;
    for (; a + 3 < m; a += 4) {
      let x00 = zero;
      let x01 = zero;
      let x10 = zero;
      let x11 = zero;
      let x20 = zero;
      let x21 = zero;
      let x30 = zero;
      let x31 = zero;
      let p0 = packed ? A + <usize>row(a) * as : A + <usize>a * rowBytes;
      let p1 = packed ? A + <usize>row(a + 1) * as : A + <usize>(a + 1) * rowBytes;
      let p2 = packed ? A + <usize>row(a + 2) * as : A + <usize>(a + 2) * rowBytes;
      let p3 = packed ? A + <usize>row(a + 3) * as : A + <usize>(a + 3) * rowBytes;
      let pb = lb;
      let pd = ld1;
      for (let r = 0; r <= b; r++) {
        const u = v128.load(pb);
        const w = v128.load(pd);
        let y = v128.load(p0);
        x00 = madd(x00, y, u);
        x01 = madd(x01, y, w);
        y = v128.load(p1);
        x10 = madd(x10, y, u);
        x11 = madd(x11, y, w);
        y = v128.load(p2);
        x20 = madd(x20, y, u);
        x21 = madd(x21, y, w);
        y = v128.load(p3);
        x30 = madd(x30, y, u);
        x31 = madd(x31, y, w);
        pb += s;
        pd += s;
        p0 += as;
        p1 += as;
        p2 += as;
        p3 += as;
      }
      // r = b + 1, column b + 1 only
      const w = v128.load(pd);
      x01 = madd(x01, v128.load(p0), w);
      x11 = madd(x11, v128.load(p1), w);
      x21 = madd(x21, v128.load(p2), w);
      x31 = madd(x31, v128.load(p3), w);
      st(out, row(a) + b, s, x00);
      st(out, row(a) + b + 1, s, x01);
      st(out, row(a + 1) + b, s, x10);
      st(out, row(a + 1) + b + 1, s, x11);
      st(out, row(a + 2) + b, s, x20);
      st(out, row(a + 2) + b + 1, s, x21);
      st(out, row(a + 3) + b, s, x30);
      st(out, row(a + 3) + b + 1, s, x31);
    }
    for (; a < m; a++) {
      let x0 = zero;
      let x1 = zero;
      let pa = packed ? A + <usize>row(a) * as : A + <usize>a * rowBytes;
      let pb = lb;
      let pd = ld1;
      for (let r = 0; r <= b; r++) {
        const y = v128.load(pa);
        x0 = madd(x0, y, v128.load(pb));
        x1 = madd(x1, y, v128.load(pd));
        pa += as;
        pb += s;
        pd += s;
      }
      x1 = madd(x1, v128.load(pa), v128.load(pd));
      st(out, row(a) + b, s, x0);
      st(out, row(a) + b + 1, s, x1);
    }
  }
}

/** Columns of the full S, or of ls, per row of the scratch: m rounded up to 4. */
// @ts-ignore: decorator
@inline function padded(m: i32): i32 {
  return (m + 3) & ~3;
}

/**
 * The Euler-Maruyama noise L S L^T root of one lane pair (src/batched.ts, noiseTile): ls = (L S) root
 * for rows a, a + 1 against four columns of S at a time (every column up to a + 1 rounded up to 4: the
 * extra entries of ls are never read), the four unpacked from g into the strip sf (sqrt(2) g_rr on the
 * diagonal, 0 past m), then out's lower triangle = ls L^T. ls: m padded(m) entries of 16 bytes; sf: 4 m.
 */
function noisePair(l: usize, g: usize, m: i32, s: usize, root: f64, ls: usize, sf: usize, out: usize): void {
  const zero = f64x2.splat(0);
  const mp = padded(m);
  const rowBytes = <usize>mp << 4;
  const sqrt2 = f64x2.splat(1.4142135623730951);
  const vroot = f64x2.splat(root);
  // Four columns of S outermost, unpacked into a strip (row r at sf + 64 r): it stays in L1 while L's
  // rows stream past it.
  for (let c0 = 0; c0 < m; c0 += 4) {
    const strip = sf;
    for (let i = 0; i < 4; i++) {
      const c = c0 + i;
      let d = sf + (<usize>i << 4);
      if (c >= m) {
        for (let r = 0; r < m; r++) {
          v128.store(d, zero);
          d += 64;
        }
        continue;
      }
      // S(r, c) = g(c, r) for r < c (row c of g), sqrt(2) g(c, c), g(r, c) for r > c (column c of g)
      let q = g + <usize>row(c) * s;
      for (let r = 0; r < c; r++) {
        v128.store(d, v128.load(q));
        q += s;
        d += 64;
      }
      v128.store(d, f64x2.mul(sqrt2, v128.load(q)));
      d += 64;
      q += <usize>(c + 1) * s;
      for (let r = c + 1; r < m; r++) {
        v128.store(d, v128.load(q));
        q += <usize>(r + 1) * s;
        d += 64;
      }
    }
    let a = c0;
    for (; a + 1 < m; a += 2) {
      let x00 = zero;
      let x01 = zero;
      let x02 = zero;
      let x03 = zero;
      let x10 = zero;
      let x11 = zero;
      let x12 = zero;
      let x13 = zero;
      let pa = l + <usize>row(a) * s;
      let pb = l + <usize>row(a + 1) * s;
      let q = strip;
      for (let r = 0; r <= a; r++) {
        const u = v128.load(pa);
        const w = v128.load(pb);
        let y = v128.load(q);
        x00 = madd(x00, u, y);
        x10 = madd(x10, w, y);
        y = v128.load(q, 16);
        x01 = madd(x01, u, y);
        x11 = madd(x11, w, y);
        y = v128.load(q, 32);
        x02 = madd(x02, u, y);
        x12 = madd(x12, w, y);
        y = v128.load(q, 48);
        x03 = madd(x03, u, y);
        x13 = madd(x13, w, y);
        pa += s;
        pb += s;
        q += 64;
      }
      // r = a + 1, row a + 1 only
      const w = v128.load(pb);
      x10 = madd(x10, w, v128.load(q));
      x11 = madd(x11, w, v128.load(q, 16));
      x12 = madd(x12, w, v128.load(q, 32));
      x13 = madd(x13, w, v128.load(q, 48));
      const o = ls + <usize>a * rowBytes + (<usize>c0 << 4);
      v128.store(o, f64x2.mul(x00, vroot));
      v128.store(o, f64x2.mul(x01, vroot), 16);
      v128.store(o, f64x2.mul(x02, vroot), 32);
      v128.store(o, f64x2.mul(x03, vroot), 48);
      v128.store(o + rowBytes, f64x2.mul(x10, vroot));
      v128.store(o + rowBytes, f64x2.mul(x11, vroot), 16);
      v128.store(o + rowBytes, f64x2.mul(x12, vroot), 32);
      v128.store(o + rowBytes, f64x2.mul(x13, vroot), 48);
    }
    if (a < m) {
      let x0 = zero;
      let x1 = zero;
      let x2 = zero;
      let x3 = zero;
      let pa = l + <usize>row(a) * s;
      let q = strip;
      for (let r = 0; r <= a; r++) {
        const u = v128.load(pa);
        x0 = madd(x0, u, v128.load(q));
        x1 = madd(x1, u, v128.load(q, 16));
        x2 = madd(x2, u, v128.load(q, 32));
        x3 = madd(x3, u, v128.load(q, 48));
        pa += s;
        q += 64;
      }
      const o = ls + <usize>a * rowBytes + (<usize>c0 << 4);
      v128.store(o, f64x2.mul(x0, vroot));
      v128.store(o, f64x2.mul(x1, vroot), 16);
      v128.store(o, f64x2.mul(x2, vroot), 32);
      v128.store(o, f64x2.mul(x3, vroot), 48);
    }
  }
  lowerProduct(ls, false, rowBytes, 16, l, m, s, out);
}

/**
 * The splitting noise directions of one lane pair in ascending packed order (src/batched.ts, flowsTile).
 * Direction (a, b) only mixes entries of one row, so each row is its own problem; ascending, each entry
 * of row i ends as l(i, b) f_bb + sum_{a = b + 1}^{i} f_ab l(i, a) over the row's first values (a in the
 * directions' order), computed in place for b ascending, two columns and four rows at a time.
 */
function flowsAscending(l: usize, f: usize, m: i32, s: usize): void {
  for (let b = 0; b < m; b += 2) {
    const fbb = ld(f, row(b) + b, s);
    st(l, row(b) + b, s, f64x2.mul(ld(l, row(b) + b, s), fbb));
    if (b + 1 >= m) break;
    const fdd = ld(f, row(b + 1) + b + 1, s);
    const fdb = ld(f, row(b + 1) + b, s);
    // f(b + 2, b): the first of the column pair's directions past its own rows
    const f0 = f + <usize>(row(b + 2) + b) * s;
    let i = b + 1;
    for (; i + 3 < m; i += 4) {
      const p0 = l + <usize>(row(i) + b) * s;
      const p1 = l + <usize>(row(i + 1) + b) * s;
      const p2 = l + <usize>(row(i + 2) + b) * s;
      const p3 = l + <usize>(row(i + 3) + b) * s;
      let y = v128.load(p0 + s);
      let x00 = madd(f64x2.mul(v128.load(p0), fbb), fdb, y);
      let x01 = f64x2.mul(y, fdd);
      y = v128.load(p1 + s);
      let x10 = madd(f64x2.mul(v128.load(p1), fbb), fdb, y);
      let x11 = f64x2.mul(y, fdd);
      y = v128.load(p2 + s);
      let x20 = madd(f64x2.mul(v128.load(p2), fbb), fdb, y);
      let x21 = f64x2.mul(y, fdd);
      y = v128.load(p3 + s);
      let x30 = madd(f64x2.mul(v128.load(p3), fbb), fdb, y);
      let x31 = f64x2.mul(y, fdd);
      let q0 = p0 + (s << 1);
      let q1 = p1 + (s << 1);
      let q2 = p2 + (s << 1);
      let q3 = p3 + (s << 1);
      let fa = f0;
      let step = <usize>(b + 3) * s;
      for (let a = b + 2; a <= i; a++) {
        const u = v128.load(fa);
        const w = v128.load(fa + s);
        y = v128.load(q0);
        x00 = madd(x00, u, y);
        x01 = madd(x01, w, y);
        y = v128.load(q1);
        x10 = madd(x10, u, y);
        x11 = madd(x11, w, y);
        y = v128.load(q2);
        x20 = madd(x20, u, y);
        x21 = madd(x21, w, y);
        y = v128.load(q3);
        x30 = madd(x30, u, y);
        x31 = madd(x31, w, y);
        q0 += s;
        q1 += s;
        q2 += s;
        q3 += s;
        fa += step;
        step += s;
      }
      // rows i + 1 .. i + 3 go on past a = i, each to its own end
      let u = v128.load(fa);
      let w = v128.load(fa + s);
      y = v128.load(q1);
      x10 = madd(x10, u, y);
      x11 = madd(x11, w, y);
      y = v128.load(q2);
      x20 = madd(x20, u, y);
      x21 = madd(x21, w, y);
      y = v128.load(q3);
      x30 = madd(x30, u, y);
      x31 = madd(x31, w, y);
      fa += step;
      step += s;
      u = v128.load(fa);
      w = v128.load(fa + s);
      y = v128.load(q2 + s);
      x20 = madd(x20, u, y);
      x21 = madd(x21, w, y);
      y = v128.load(q3 + s);
      x30 = madd(x30, u, y);
      x31 = madd(x31, w, y);
      fa += step;
      u = v128.load(fa);
      w = v128.load(fa + s);
      y = v128.load(q3 + (s << 1));
      x30 = madd(x30, u, y);
      x31 = madd(x31, w, y);
      v128.store(p0, x00);
      v128.store(p0 + s, x01);
      v128.store(p1, x10);
      v128.store(p1 + s, x11);
      v128.store(p2, x20);
      v128.store(p2 + s, x21);
      v128.store(p3, x30);
      v128.store(p3 + s, x31);
    }
    for (; i < m; i++) {
      const p = l + <usize>(row(i) + b) * s;
      let y = v128.load(p + s);
      let x0 = madd(f64x2.mul(v128.load(p), fbb), fdb, y);
      let x1 = f64x2.mul(y, fdd);
      let q = p + (s << 1);
      let fa = f0;
      let step = <usize>(b + 3) * s;
      for (let a = b + 2; a <= i; a++) {
        y = v128.load(q);
        x0 = madd(x0, v128.load(fa), y);
        x1 = madd(x1, v128.load(fa + s), y);
        q += s;
        fa += step;
        step += s;
      }
      v128.store(p, x0);
      v128.store(p + s, x1);
    }
  }
}

/**
 * The directions in descending packed order, row by row as in flowsAscending: each entry of row i ends
 * as (l(i, b) + sum_{a = i}^{b + 1} f_ab l'(i, a)) f_bb (a descending) over the row's final values l', so
 * b runs descending, two columns (b, b - 1) and four rows at a time.
 */
function flowsDescending(l: usize, f: usize, m: i32, s: usize): void {
  let b = m - 1;
  for (; b >= 1; b -= 2) {
    const fbb = ld(f, row(b) + b, s);
    const fbc = ld(f, row(b) + b - 1, s);
    const fcc = ld(f, row(b - 1) + b - 1, s);
    let i = b + 1;
    for (; i + 3 < m; i += 4) {
      // each row's own head: a = i + j down to i + 1
      const p0 = l + <usize>(row(i) + b - 1) * s;
      const p1 = l + <usize>(row(i + 1) + b - 1) * s;
      const p2 = l + <usize>(row(i + 2) + b - 1) * s;
      const p3 = l + <usize>(row(i + 3) + b - 1) * s;
      let x00 = v128.load(p0 + s);
      let x01 = v128.load(p0);
      let x10 = v128.load(p1 + s);
      let x11 = v128.load(p1);
      let x20 = v128.load(p2 + s);
      let x21 = v128.load(p2);
      let x30 = v128.load(p3 + s);
      let x31 = v128.load(p3);
      // f(a, b) for a = i + 1 .. i + 3, and l'(row, a) at offset (a - b + 1) from each row's column b - 1
      const f1 = f + <usize>(row(i + 1) + b - 1) * s;
      const f2 = f + <usize>(row(i + 2) + b - 1) * s;
      const f3 = f + <usize>(row(i + 3) + b - 1) * s;
      const k1 = <usize>(i + 1 - b + 1) * s;
      const k2 = <usize>(i + 2 - b + 1) * s;
      const k3 = <usize>(i + 3 - b + 1) * s;
      let y = v128.load(p1 + k1);
      x10 = madd(x10, v128.load(f1 + s), y);
      x11 = madd(x11, v128.load(f1), y);
      y = v128.load(p2 + k2);
      x20 = madd(x20, v128.load(f2 + s), y);
      x21 = madd(x21, v128.load(f2), y);
      y = v128.load(p2 + k1);
      x20 = madd(x20, v128.load(f1 + s), y);
      x21 = madd(x21, v128.load(f1), y);
      y = v128.load(p3 + k3);
      x30 = madd(x30, v128.load(f3 + s), y);
      x31 = madd(x31, v128.load(f3), y);
      y = v128.load(p3 + k2);
      x30 = madd(x30, v128.load(f2 + s), y);
      x31 = madd(x31, v128.load(f2), y);
      y = v128.load(p3 + k1);
      x30 = madd(x30, v128.load(f1 + s), y);
      x31 = madd(x31, v128.load(f1), y);
      // a = i down to b + 1, shared
      const k0 = <usize>(i - b + 1) * s;
      let q0 = p0 + k0;
      let q1 = p1 + k0;
      let q2 = p2 + k0;
      let q3 = p3 + k0;
      let fa = f + <usize>(row(i) + b - 1) * s;
      let step = <usize>i * s;
      for (let a = i; a > b; a--) {
        const u = v128.load(fa + s);
        const w = v128.load(fa);
        y = v128.load(q0);
        x00 = madd(x00, u, y);
        x01 = madd(x01, w, y);
        y = v128.load(q1);
        x10 = madd(x10, u, y);
        x11 = madd(x11, w, y);
        y = v128.load(q2);
        x20 = madd(x20, u, y);
        x21 = madd(x21, w, y);
        y = v128.load(q3);
        x30 = madd(x30, u, y);
        x31 = madd(x31, w, y);
        q0 -= s;
        q1 -= s;
        q2 -= s;
        q3 -= s;
        fa -= step;
        step -= s;
      }
      x00 = f64x2.mul(x00, fbb);
      x10 = f64x2.mul(x10, fbb);
      x20 = f64x2.mul(x20, fbb);
      x30 = f64x2.mul(x30, fbb);
      v128.store(p0 + s, x00);
      v128.store(p1 + s, x10);
      v128.store(p2 + s, x20);
      v128.store(p3 + s, x30);
      v128.store(p0, f64x2.mul(madd(x01, fbc, x00), fcc));
      v128.store(p1, f64x2.mul(madd(x11, fbc, x10), fcc));
      v128.store(p2, f64x2.mul(madd(x21, fbc, x20), fcc));
      v128.store(p3, f64x2.mul(madd(x31, fbc, x30), fcc));
    }
    for (; i < m; i++) {
      const p = l + <usize>(row(i) + b - 1) * s;
      let x0 = v128.load(p + s);
      let x1 = v128.load(p);
      let q = p + <usize>(i - b + 1) * s;
      let fa = f + <usize>(row(i) + b - 1) * s;
      let step = <usize>i * s;
      for (let a = i; a > b; a--) {
        const y = v128.load(q);
        x0 = madd(x0, v128.load(fa + s), y);
        x1 = madd(x1, v128.load(fa), y);
        q -= s;
        fa -= step;
        step -= s;
      }
      x0 = f64x2.mul(x0, fbb);
      v128.store(p + s, x0);
      v128.store(p, f64x2.mul(madd(x1, fbc, x0), fcc));
    }
    // row b: (b, b) then (b, b - 1); row b - 1: (b - 1, b - 1)
    const d = f64x2.mul(ld(l, row(b) + b, s), fbb);
    st(l, row(b) + b, s, d);
    st(l, row(b) + b - 1, s, f64x2.mul(madd(ld(l, row(b) + b - 1, s), fbc, d), fcc));
    st(l, row(b - 1) + b - 1, s, f64x2.mul(ld(l, row(b - 1) + b - 1, s), fcc));
  }
  if (b == 0) {
    // column 0 alone (m odd)
    const f00 = v128.load(f);
    for (let i = 1; i < m; i++) {
      const p = l + <usize>row(i) * s;
      let x = v128.load(p);
      let q = p + <usize>i * s;
      let fa = f + <usize>row(i) * s;
      let step = <usize>i * s;
      for (let a = i; a > 0; a--) {
        x = madd(x, v128.load(fa), v128.load(q));
        q -= s;
        fa -= step;
        step -= s;
      }
      v128.store(p, f64x2.mul(x, f00));
    }
    v128.store(l, f64x2.mul(v128.load(l), f00));
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
  // rho and the scale of a chunk of 8 lanes (fewer at the end: w is even, 2 for a lane pair) between two passes over the chunk: two
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
        const len = min<usize>(64, bytes - o0);
        for (let o: usize = 0; o < len; o += 16) {
          const scale = pairScale(xa + o0 + o, xb + o0 + o);
          v128.store(keep + o, pairCorrelation(xp + o0 + o, scale));
          v128.store(keep + o, scale, 64);
        }
        for (let o: usize = 0; o < len; o += 16) {
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
  // r, scale and mid of a chunk of 8 lanes (fewer at the end: w is even, 2 for a lane pair) between three passes over the chunk,
  // each a short chain (the correlation, then one arc-cosine kernel), so that the out-of-order window holds
  // several lane pairs' divisions at once where the whole chain of one pair would fill it.
  const keep = memory.data(3 * 64);
  for (let a = 1; a < m; a++) {
    const xa = at(x, (row(a) + a) * w);
    for (let b = 0; b < a; b++) {
      const xb = at(x, (row(b) + b) * w);
      const xp = at(x, (row(a) + b) * w);
      for (let o0: usize = 0; o0 < bytes; o0 += 64) {
        const len = min<usize>(64, bytes - o0);
        for (let o: usize = 0; o < len; o += 16) {
          const scale = pairScale(xa + o0 + o, xb + o0 + o);
          v128.store(keep + o, pairCorrelation(xp + o0 + o, scale));
          v128.store(keep + o, scale, 64);
        }
        for (let o: usize = 0; o < len; o += 16) {
          const r = v128.load(keep + o);
          v128.store(keep + o, clamp1(f64x2.add(f64x2.mul(vd0, r), f64x2.mul(vw0, source2(vk, r)))), 128);
        }
        for (let o: usize = 0; o < len; o += 16) {
          const r = v128.load(keep + o);
          const next = clamp1(f64x2.add(f64x2.mul(vd1, r), f64x2.mul(vw1, source2(vk, v128.load(keep + o, 128)))));
          v128.store(xp + o0 + o, f64x2.mul(next, v128.load(keep + o, 64)));
        }
      }
    }
  }
}

// ---- Tiles of w lanes (entry p of lane u at (p w + u) 8): the lane-pair kernels pair by pair, s = 8 w.

/** choleskyColumnSums over every lane of a tile. */
export function choleskyColumnSums2x(v: usize, l: usize, m: i32, w: i32, c: i32): void {
  const s = <usize>w << 3;
  for (let u = 0; u < w; u += 2) columnSumsPair(v + (<usize>u << 3), l + (<usize>u << 3), m, s, c);
}

/** noiseTile over every lane of a tile; ls, sf: scratch of m padded(m) and 4 m 16-byte entries. */
export function noiseTile2x(l: usize, g: usize, m: i32, w: i32, root: f64, ls: usize, sf: usize, out: usize): void {
  const s = <usize>w << 3;
  for (let u = 0; u < w; u += 2) {
    const o = <usize>u << 3;
    noisePair(l + o, g + o, m, s, root, ls, sf, out + o);
  }
}

/** gramTile over every lane of a tile: out's lower triangle = L L^T. */
export function gramTile2x(l: usize, m: i32, w: i32, out: usize): void {
  const s = <usize>w << 3;
  for (let u = 0; u < w; u += 2) {
    const o = <usize>u << 3;
    lowerProduct(l + o, true, 0, s, l + o, m, s, out + o);
  }
}

/** flowsTile over lanes [u0, u1) of a tile. A pair cut by u0 or u1 runs in `pair` (dense scratch of
 *  2 m(m+1)/2 entries of 16 bytes: its factor, then its directions), and only its lane inside is kept. */
export function flowsTile2x(l: usize, f: usize, m: i32, w: i32, u0: i32, u1: i32, descending: i32, pair: usize): void {
  const s = <usize>w << 3;
  const E = row(m);
  for (let u = u0 & ~1; u < u1; u += 2) {
    const o = <usize>u << 3;
    if (u >= u0 && u + 1 < u1) {
      if (descending) flowsDescending(l + o, f + o, m, s);
      else flowsAscending(l + o, f + o, m, s);
      continue;
    }
    const pf = pair + (<usize>E << 4);
    for (let p = 0; p < E; p++) {
      v128.store(pair + (<usize>p << 4), v128.load(l + o + <usize>p * s));
      v128.store(pf + (<usize>p << 4), v128.load(f + o + <usize>p * s));
    }
    if (descending) flowsDescending(pair, pf, m, 16);
    else flowsAscending(pair, pf, m, 16);
    const lane = u >= u0 ? 0 : 1;
    for (let p = 0; p < E; p++)
      store<f64>(l + o + <usize>p * s + (<usize>lane << 3), load<f64>(pair + (<usize>p << 4) + (<usize>lane << 3)));
  }
}

// ---- Blocks of B lanes (the integrator's structure of arrays: entry p of lane j at (p B + j) 8), stepped
// one dense pair of neighbours (j, j + 1), j even, at a time (entry p at 16 p). A group of up to four pairs
// (eight lanes: one cache line of each entry) is gathered and scattered together, so that each line is
// read and written once; pair q of a group lies at dst + q E 16.

/** Lanes j0 .. j0 + 2 pairs - 1 of the block array src into the group's dense pairs at dst. */
function gatherGroup(src: usize, B: i32, E: i32, j0: i32, pairs: i32, dst: usize): void {
  const step = <usize>B << 3;
  const span = <usize>E << 4;
  let p = src + (<usize>j0 << 3);
  let d = dst;
  if (pairs == 4) {
    for (let e = 0; e < E; e++) {
      v128.store(d, v128.load(p));
      v128.store(d + span, v128.load(p, 16));
      v128.store(d + 2 * span, v128.load(p, 32));
      v128.store(d + 3 * span, v128.load(p, 48));
      p += step;
      d += 16;
    }
    return;
  }
  for (let e = 0; e < E; e++) {
    for (let q = 0; q < pairs; q++) v128.store(d + <usize>q * span, v128.load(p + (<usize>q << 4)));
    p += step;
    d += 16;
  }
}

/** The group's dense pairs at src into lanes j0 .. j0 + 2 pairs - 1 of the block array dst, lane j0 + i
 *  where bit i of `keep` is set. */
function scatterGroup(src: usize, E: i32, dst: usize, B: i32, j0: i32, pairs: i32, keep: i32): void {
  const step = <usize>B << 3;
  const span = <usize>E << 4;
  let p = dst + (<usize>j0 << 3);
  let s = src;
  if (pairs == 4 && keep == 0xff) {
    for (let e = 0; e < E; e++) {
      v128.store(p, v128.load(s));
      v128.store(p, v128.load(s + span), 16);
      v128.store(p, v128.load(s + 2 * span), 32);
      v128.store(p, v128.load(s + 3 * span), 48);
      p += step;
      s += 16;
    }
    return;
  }
  for (let e = 0; e < E; e++) {
    for (let q = 0; q < pairs; q++) {
      const bits = (keep >> (2 * q)) & 3;
      const v = v128.load(s + <usize>q * span);
      const o = p + (<usize>q << 4);
      if (bits == 3) v128.store(o, v);
      else if (bits == 1) store<f64>(o, f64x2.extract_lane(v, 0));
      else if (bits == 2) store<f64>(o + 8, f64x2.extract_lane(v, 1));
    }
    p += step;
    s += 16;
  }
}

/** The lanes' max V^aa of a dense pair (NaN where any is NaN), 1 where that is not > 0. */
// @ts-ignore: decorator
@inline function unitOf(v: usize, m: i32): v128 {
  const zero = f64x2.splat(0);
  let scale = zero;
  for (let a = 0; a < m; a++) scale = f64x2.max(scale, v128.load(v + (<usize>(row(a) + a) << 4)));
  return v128.bitselect(scale, f64x2.splat(1), f64x2.gt(scale, zero));
}

/**
 * Euler-Maruyama's step for one dense pair with the ReLU-like drift: the drift into d (or given there) and
 * the noise L S L^T root into nz (both 0 on the lanes not alive: `live`), x += h d + nz, then the settle's checks
 * (the sum of the entries finite, max V^aa <= threshold, a non-negative diagonal, the strict Cholesky
 * factor of the new x into lnew: src/batched.ts, choleskyTile), the noise from the factor l. Returns the
 * mask of the lanes that need the term's per-lane policy; lnew holds the new factor of the others.
 */
function eulerPair(
  x: usize, l: usize, lnew: usize, g: usize, d: usize, sd: usize, nz: usize, ls: usize, sf: usize, live: v128,
  m: i32, h: f64, root: f64, k: f64, beta: f64, clock: f64, threshold: f64, tol: f64,
): v128 {
  // d: the pair's drift, entries sd bytes apart; computed here into a dense pair (sd = 16), else given.
  if (sd == 16) driftRelu2x(x, d, m, 2, k, beta, clock);
  noisePair(l, g, m, 16, root, ls, sf, nz);
  const E = row(m);
  const zero = f64x2.splat(0);
  const vh = f64x2.splat(h);
  let check = zero;
  let q = x;
  let pd = d;
  let pn = nz;
  for (let p = 0; p < E; p++) {
    const dv = v128.bitselect(v128.load(pd), zero, live);
    const nv = v128.bitselect(v128.load(pn), zero, live);
    const nx = f64x2.add(v128.load(q), f64x2.add(f64x2.mul(vh, dv), nv));
    v128.store(q, nx);
    check = f64x2.add(check, nx);
    q += 16;
    pd += sd;
    pn += 16;
  }
  let top = zero;
  let negative = zero;
  for (let a = 0; a < m; a++) {
    const v = v128.load(x + (<usize>(row(a) + a) << 4));
    top = v128.bitselect(v, top, f64x2.gt(v, top));
    negative = v128.or(negative, v128.not(f64x2.ge(v, zero)));
  }
  const finite = f64x2.eq(f64x2.sub(check, check), zero);
  let bad = v128.or(v128.not(finite), f64x2.gt(top, f64x2.splat(threshold)));
  bad = v128.or(bad, negative);
  return v128.or(bad, choleskyPair(x, lnew, m, 16, unitOf(x, m), tol, false));
}

// The block's Cholesky cache (the factors, and the states they factor) is kept pair-major: the pair of lanes
// (j, j + 1), j even, as one dense pair at cache + (j / 2) E 16, read and written as contiguous streams.

/** The group's x (lanes j0 ..) into its dense pairs at pv, with flags = 2 for each alive lane whose x is not
 *  the state that fact (pair-major) holds (its cached factor is stale), else 0; whether there is any. */
function staleGroup(X: usize, fact: usize, alive: usize, flags: usize, B: i32, E: i32, j0: i32, pairs: i32, pv: usize): bool {
  gatherGroup(X, B, E, j0, pairs, pv);
  const span = <usize>E << 4;
  let any = false;
  for (let q = 0; q < pairs; q++) {
    const j = j0 + 2 * q;
    let o = pv + <usize>q * span;
    let r = fact + <usize>(j >> 1) * span;
    let d = f64x2.splat(0);
    for (let e = 0; e < E; e++) {
      d = v128.or(d, f64x2.ne(v128.load(o), v128.load(r)));
      o += 16;
      r += 16;
    }
    const s0 = load<u8>(alive + <usize>j) != 0 && i64x2.extract_lane(d, 0) != 0;
    const s1 = load<u8>(alive + <usize>j + 1) != 0 && i64x2.extract_lane(d, 1) != 0;
    store<u8>(flags + <usize>j, s0 ? 2 : 0);
    store<u8>(flags + <usize>j + 1, s1 ? 2 : 0);
    any = any || s0 || s1;
  }
  return any;
}

/** Each lane of the dense pair src into the dense pair dst where its lane of `keep` is all ones. */
function keepPair(src: usize, dst: usize, E: i32, keep: v128): void {
  if (!v128.any_true(keep)) return;
  if (i64x2.all_true(keep)) {
    memory.copy(dst, src, <usize>E << 4);
    return;
  }
  let s = src;
  let d = dst;
  for (let e = 0; e < E; e++) {
    v128.store(d, v128.bitselect(v128.load(s), v128.load(d), keep));
    s += 16;
    d += 16;
  }
}

/** The mask of a pair's lanes from their bytes (non-zero: all ones). */
// @ts-ignore: decorator
@inline function laneMask(bytes: usize): v128 {
  return i64x2(load<u8>(bytes) != 0 ? -1 : 0, load<u8>(bytes + 1) != 0 ? -1 : 0);
}

/**
 * Euler-Maruyama's whole step over the block's lane pairs (j, j + 1), for the ReLU-like drift
 * (sde/terms/covariance.mk.ts), in groups of `group` pairs from lane `from` (a multiple of 2 group): x from
 * X and whether an alive lane's x is not the state that fact holds its factor of (then flags = 2 for such
 * lanes and the group's first lane is returned, nothing of it touched: the owner refactors them and calls
 * again from there with `trusted`, which skips that group's check: a factor of a state outside the cone is
 * never the state's), the normals from G; eulerPair on each pair with its factor from chol; x back into X
 * for every lane, the new factor into chol and x into fact (both pair-major) where the lane is alive and
 * flags = 0; flags = 1 where the lane needs the per-lane policy, its x before the step left in G's lane.
 * Returns -1 when every group is done.
 * pv, pg: group dense pairs of m(m+1)/2 entries; pl, d, nz: one; ls: m padded(m) entries, sf: 4 m; D: 0, or
 * a block array for the drift of every lane at once.
 */
export function eulerGroups(
  X: usize, chol: usize, fact: usize, G: usize, alive: usize, flags: usize, group: i32,
  pv: usize, pl: usize, pg: usize, d: usize, nz: usize, ls: usize, sf: usize, D: usize,
  m: i32, B: i32, from: i32, trusted: i32, h: f64, root: f64, k: f64, beta: f64, clock: f64, threshold: f64, tol: f64,
): i32 {
  const E = row(m);
  const span = <usize>E << 4;
  // Small m: the drift of the whole block in one pass into D (the lane loop inside), read by each pair.
  if (D != 0) driftRelu2x(X, D, m, B, k, beta, clock);
  for (let j0 = from; j0 < B; j0 += 2 * group) {
    const pairs = min(group, (B - j0) >> 1);
    if (staleGroup(X, fact, alive, flags, B, E, j0, pairs, pv) && !(trusted && j0 == from)) return j0;
    gatherGroup(G, B, E, j0, pairs, pg);
    for (let q = 0; q < pairs; q++) {
      const j = j0 + 2 * q;
      const live = laneMask(alive + <usize>j);
      const o = <usize>q * span;
      const c = chol + <usize>(j >> 1) * span;
      // the new factor into pl first: the old one stays for a lane that needs the per-lane policy
      const dj = D != 0 ? D + (<usize>j << 3) : d;
      const sd = D != 0 ? <usize>B << 3 : 16;
      const bad = eulerPair(pv + o, c, pl, pg + o, dj, sd, nz, ls, sf, live, m, h, root, k, beta, clock, threshold, tol);
      store<u8>(flags + <usize>j, i64x2.extract_lane(bad, 0) != 0 ? 1 : 0);
      store<u8>(flags + <usize>j + 1, i64x2.extract_lane(bad, 1) != 0 ? 1 : 0);
      const keep = v128.andnot(live, bad);
      keepPair(pl, c, E, keep);
      keepPair(pv + o, fact + <usize>(j >> 1) * span, E, keep);
    }
    // A lane for the per-lane policy keeps its state before the step in G (its normals are spent).
    const step = <usize>B << 3;
    for (let j = j0; j < j0 + 2 * pairs; j++) {
      if (load<u8>(flags + <usize>j) == 0) continue;
      let p = X + (<usize>j << 3);
      let o = G + (<usize>j << 3);
      for (let e = 0; e < E; e++) {
        store<f64>(o, load<f64>(p));
        p += step;
        o += step;
      }
    }
    // Every lane moves (a frozen one by h 0 + 0, as in the generic step).
    scatterGroup(pv, E, X, B, j0, pairs, (1 << (2 * pairs)) - 1);
  }
  return -1;
}

/**
 * The Euler-Maruyama noise L S L^T root (sde/terms/covariance.mk.ts, diffusion) over the block's lane
 * pairs in groups of `group` from lane `from`, with the stale-factor protocol of eulerGroups: the noise of
 * each alive lane from its cached factor (chol) and its normals (G), 0 for the others, into G's lanes.
 * pv, pg: group dense pairs; nz: one; ls: m padded(m) entries, sf: 4 m.
 */
export function diffusionGroups(
  X: usize, chol: usize, fact: usize, G: usize, alive: usize, flags: usize, group: i32,
  pv: usize, pg: usize, nz: usize, ls: usize, sf: usize, m: i32, B: i32, from: i32, trusted: i32, root: f64,
): i32 {
  const E = row(m);
  const span = <usize>E << 4;
  const zero = f64x2.splat(0);
  for (let j0 = from; j0 < B; j0 += 2 * group) {
    const pairs = min(group, (B - j0) >> 1);
    if (staleGroup(X, fact, alive, flags, B, E, j0, pairs, pv) && !(trusted && j0 == from)) return j0;
    gatherGroup(G, B, E, j0, pairs, pg);
    for (let q = 0; q < pairs; q++) {
      const j = j0 + 2 * q;
      const live = laneMask(alive + <usize>j);
      const o = pg + <usize>q * span;
      noisePair(chol + <usize>(j >> 1) * span, o, m, 16, root, ls, sf, nz);
      let s = nz;
      let t = o;
      for (let e = 0; e < E; e++) {
        v128.store(t, v128.bitselect(v128.load(s), zero, live));
        s += 16;
        t += 16;
      }
    }
    scatterGroup(pg, E, G, B, j0, pairs, (1 << (2 * pairs)) - 1);
  }
  return -1;
}

/**
 * The settle's cone check (sde/terms/covariance.mk.ts, settle) over the block's alive lanes: the strict
 * Cholesky factor of x (a negative diagonal fails too: src/batched.ts, choleskyTile with `diagonal`) into
 * chol and x into fact (pair-major) for the lanes that pass; flags = 1 for those that fail, else 0.
 * pv: group dense pairs; pl: one.
 */
export function settleGroups(
  X: usize, chol: usize, fact: usize, alive: usize, flags: usize, group: i32, pv: usize, pl: usize, m: i32, B: i32, tol: f64,
): void {
  const E = row(m);
  const span = <usize>E << 4;
  const zero = f64x2.splat(0);
  for (let j0 = 0; j0 < B; j0 += 2 * group) {
    const pairs = min(group, (B - j0) >> 1);
    gatherGroup(X, B, E, j0, pairs, pv);
    for (let q = 0; q < pairs; q++) {
      const j = j0 + 2 * q;
      const live = laneMask(alive + <usize>j);
      const v = pv + <usize>q * span;
      let negative = zero;
      for (let a = 0; a < m; a++) negative = v128.or(negative, v128.not(f64x2.ge(v128.load(v + (<usize>(row(a) + a) << 4)), zero)));
      const bad = v128.or(negative, choleskyPair(v, pl, m, 16, unitOf(v, m), tol, false));
      store<u8>(flags + <usize>j, i64x2.extract_lane(bad, 0) != 0 ? 1 : 0);
      store<u8>(flags + <usize>j + 1, i64x2.extract_lane(bad, 1) != 0 ? 1 : 0);
      const keep = v128.andnot(live, bad);
      keepPair(pl, chol + <usize>(j >> 1) * span, E, keep);
      keepPair(v, fact + <usize>(j >> 1) * span, E, keep);
    }
  }
}

/** The splitting noise step N_h of one dense pair, V in v and the normals in g (see splitBlock), its lanes'
 *  directions ascending where `up` is all ones, descending where 0 (l2: scratch for a pair that needs
 *  both); returns the lanes' mask of max V^aa over the threshold after. */
function splitPair(
  v: usize, l: usize, l2: usize, g: usize, edge: usize, m: i32, up: v128,
  rootHalfH: f64, rootH: f64, tol: f64, threshold: f64,
): v128 {
  const E = row(m);
  choleskyPair(v, l, m, 16, unitOf(v, m), tol, true);
  for (let a = 0; a < m; a++) {
    const e = f64x2.splat(load<f64>(edge + (<usize>a << 3)));
    let q = l + (<usize>(row(a) + a) << 4);
    for (let r = a; r < m; r++) {
      v128.store(q, f64x2.mul(v128.load(q), e));
      q += <usize>(r + 1) << 4;
    }
  }
  const vhalf = f64x2.splat(rootHalfH);
  const vroot = f64x2.splat(rootH);
  let q = g;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < a; b++) {
      v128.store(q, f64x2.mul(vroot, v128.load(q)));
      q += 16;
    }
    v128.store(q, exp2(f64x2.mul(vhalf, v128.load(q))));
    q += 16;
  }
  const ascending = i64x2.all_true(up);
  if (ascending) flowsAscending(l, g, m, 16);
  else if (!v128.any_true(up)) flowsDescending(l, g, m, 16);
  else {
    // One lane each way: both orders, then each lane its own.
    memory.copy(l2, l, <usize>E << 4);
    flowsAscending(l, g, m, 16);
    flowsDescending(l2, g, m, 16);
    let p = l;
    let o = l2;
    for (let e = 0; e < E; e++) {
      v128.store(p, v128.bitselect(v128.load(p), v128.load(o), up));
      p += 16;
      o += 16;
    }
  }
  for (let a = 0; a < m; a++) {
    const e = f64x2.splat(load<f64>(edge + (<usize>a << 3)));
    let q = l + (<usize>(row(a) + a) << 4);
    for (let r = a; r < m; r++) {
      v128.store(q, f64x2.mul(v128.load(q), e));
      q += <usize>(r + 1) << 4;
    }
  }
  lowerProduct(l, true, 0, 16, l, m, 16, v);
  let top = f64x2.splat(0);
  for (let a = 0; a < m; a++) top = f64x2.max(top, v128.load(v + (<usize>(row(a) + a) << 4)));
  return f64x2.gt(top, f64x2.splat(threshold));
}

/**
 * The splitting scheme's noise step N_h (sde/terms/covariance.mk.ts, noiseStep) over the alive lanes of
 * a block, lane pairs (j, j + 1) in groups of `group` pairs: per pair, V and the normals from X and G, the
 * factor of V with pivots below tol max V^aa taken as zero, its columns scaled by edge[a] =
 * exp(-(a + 1) h / 4), the directions' factors from the normals (exp(sqrt(h/2) z) on the diagonal,
 * sqrt(h) z off it), the directions (ascending where up[j] = 1, descending where 0), the edge scaling
 * again, and the lower triangle of l l^T back into X for the alive lanes; with `flow`, each pair's ReLU-like
 * drift flow first (flowRelu2x: sde/terms/covariance.mk.ts, splitStep). flags[j] = 1 where lane j's
 * max V^aa is over the threshold after, else 0. pv, pg: group dense pairs of m(m+1)/2 entries; l, l2: one.
 */
export function splitBlock(
  X: usize, G: usize, alive: usize, up: usize, flags: usize, group: i32,
  pv: usize, l: usize, l2: usize, pg: usize, edge: usize,
  m: i32, B: i32, rootHalfH: f64, rootH: f64, tol: f64, threshold: f64,
  flow: i32, kappa: f64, d0: f64, w0: f64, d1: f64, w1: f64,
): void {
  const E = row(m);
  const span = <usize>E << 4;
  for (let j0 = 0; j0 < B; j0 += 2 * group) {
    const pairs = min(group, (B - j0) >> 1);
    let keep = 0;
    for (let i = 0; i < 2 * pairs; i++) if (load<u8>(alive + <usize>(j0 + i))) keep |= 1 << i;
    if (keep == 0) continue;
    gatherGroup(X, B, E, j0, pairs, pv);
    gatherGroup(G, B, E, j0, pairs, pg);
    for (let q = 0; q < pairs; q++) {
      const j = j0 + 2 * q;
      const bits = (keep >> (2 * q)) & 3;
      if (bits == 0) continue;
      // a lane not alive takes its neighbour's direction
      const u0 = load<u8>(up + <usize>j) != 0;
      const u1 = load<u8>(up + <usize>j + 1) != 0;
      const u0x = bits & 1 ? u0 : u1;
      const u1x = bits & 2 ? u1 : u0;
      const o = <usize>q * span;
      if (flow) flowRelu2x(pv + o, m, 2, kappa, d0, w0, d1, w1);
      const over = splitPair(pv + o, l, l2, pg + o, edge, m, i64x2(u0x ? -1 : 0, u1x ? -1 : 0), rootHalfH, rootH, tol, threshold);
      store<u8>(flags + <usize>j, i64x2.extract_lane(over, 0) != 0 ? 1 : 0);
      store<u8>(flags + <usize>j + 1, i64x2.extract_lane(over, 1) != 0 ? 1 : 0);
    }
    scatterGroup(pv, E, X, B, j0, pairs, keep);
  }
}
