// One layer of the m = 2 covariance chain for a piecewise-linear phi = a x + b |x| (networks/chain.ts,
// pairLayer): rows of z correlated by L, phi applied, Gram sums accumulated. The two columns run in the
// two f64 lanes; each lane's sum takes the same terms in the same order as the scalar reference, and
// lane 0's value is taken before the add that forms lane 1 (so a -0 stays -0), hence the same bits.

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
