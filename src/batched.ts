// Dense kernels over a tile of many paths' packed symmetric m x m matrices: entry p = a(a+1)/2 + b (b <= a)
// of lane u at x[p * w + u] (the SDE's structure of arrays, gathered into a tile of stride w), lanes
// [u0, u1). The lane loop is innermost, so each lane sees exactly the operations, in exactly the order, of
// the one-matrix loops of src/linalg.ts and sde/terms/covariance.ts (the same bits), while memory runs
// contiguously over lanes. Pure arithmetic (the tile sums) has a WebAssembly SIMD twin, asm/dense.ts.

/** Packed lower-triangle offset of row a: entry (a, b) is at row(a) + b. */
export const row = (a: number) => (a * (a + 1)) / 2;

/**
 * Column c's sums of a Cholesky factorisation, for lanes [0, n) of a tile of stride w: for i >= c,
 * l(i, c) = v(i, c) - sum_{k < c} l(i, k) l(c, k), k ascending (for i = c: the pivot before its root).
 */
export function choleskyColumnSums(v: Float64Array, l: Float64Array, m: number, w: number, n: number, c: number): void {
  const rc = row(c) * w;
  for (let i = c; i < m; i++) {
    const ri = row(i) * w;
    const p = ri + c * w;
    for (let u = 0; u < n; u++) l[p + u] = v[p + u];
    for (let k = 0; k < c; k++) {
      const qi = ri + k * w;
      const qc = rc + k * w;
      for (let u = 0; u < n; u++) l[p + u] -= l[qi + u] * l[qc + u];
    }
  }
}

/** Scratch of choleskyTile, one entry per tile lane. */
export interface CholeskyScratch {
  /** -1 for a lane that factored, else the first pivot showing V is not PSD. */
  readonly fail: Int32Array;
  readonly inv: Float64Array;
  readonly unit: Float64Array;
}

/**
 * Cholesky factors of lanes [0, n) of the tile v into l, each lane the choleskyPsd of src/linalg.ts (its
 * pivot tolerance, a zero column for a zero pivot). `diagonal`: a negative diagonal fails at pivot 0 (the
 * term's cone check). With `clamp`, every offending pivot is taken as zero. `sums` computes each column's
 * sums (choleskyColumnSums or its WebAssembly twin, over at least n lanes); the per-lane pivot decisions
 * are here. A failed lane's l is garbage.
 */
export function choleskyTile(
  v: Float64Array,
  l: Float64Array,
  m: number,
  w: number,
  n: number,
  tol: number,
  clamp: boolean,
  diagonal: boolean,
  s: CholeskyScratch,
  sums: (c: number) => void,
): void {
  const { fail, inv, unit } = s;
  for (let u = 0; u < n; u++) {
    let scale = 0;
    let ok = true;
    for (let a = 0; a < m; a++) {
      const d = v[(row(a) + a) * w + u];
      scale = Math.max(scale, d);
      if (!(d >= 0)) ok = false;
    }
    unit[u] = scale > 0 ? scale : 1;
    fail[u] = diagonal && !ok ? 0 : -1;
  }
  const rootTol = Math.sqrt(tol);
  for (let c = 0; c < m; c++) {
    sums(c);
    const pc = (row(c) + c) * w;
    for (let u = 0; u < n; u++) {
      const d = l[pc + u];
      const zero = tol * unit[u];
      if (!(d > zero)) {
        if (!clamp && (d < -zero || Number.isNaN(d)) && fail[u] < 0) fail[u] = c;
        l[pc + u] = 0;
        inv[u] = NaN; // a zero column
      } else {
        const root = Math.sqrt(d);
        l[pc + u] = root;
        inv[u] = 1 / root;
      }
    }
    for (let i = c + 1; i < m; i++) {
      const p = (row(i) + c) * w;
      for (let u = 0; u < n; u++) {
        const f = inv[u];
        // biome-ignore lint/suspicious/noSelfCompare: f === f is the NaN test (a failed pivot), the cheapest in this hot loop
        if (f === f) l[p + u] *= f;
        else {
          if (!clamp && !(Math.abs(l[p + u]) <= rootTol * unit[u]) && fail[u] < 0) fail[u] = c;
          l[p + u] = 0;
        }
      }
    }
  }
}

/**
 * The Euler-Maruyama noise L S L^T sqrt(h) of lanes [0, n): S symmetric with S_rr = sqrt(2) g_rr and
 * S_rc = g_rc from the packed normals g, L the packed factors. First ls = (L S) sqrt(h), only its lower
 * triangle (c <= a: all that the lower triangle of ls L^T reads), into `ls` (m * m * w), then out's lower
 * triangle = ls L^T; each sum runs over r ascending from 0 as in the one-lane loop, so the same bits.
 */
export function noiseTile(
  l: Float64Array,
  g: Float64Array,
  m: number,
  w: number,
  n: number,
  root: number,
  ls: Float64Array,
  out: Float64Array,
): void {
  for (let a = 0; a < m; a++) {
    const ra = row(a);
    for (let c = 0; c <= a; c++) {
      const o = (a * m + c) * w;
      for (let u = 0; u < n; u++) ls[o + u] = 0;
      for (let r = 0; r <= a; r++) {
        const q = (ra + r) * w;
        if (r === c) {
          const s = (row(r) + r) * w;
          for (let u = 0; u < n; u++) ls[o + u] += l[q + u] * (Math.SQRT2 * g[s + u]);
        } else {
          const s = (r > c ? row(r) + c : row(c) + r) * w;
          for (let u = 0; u < n; u++) ls[o + u] += l[q + u] * g[s + u];
        }
      }
      for (let u = 0; u < n; u++) ls[o + u] *= root;
    }
  }
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      const p = (row(a) + b) * w;
      for (let u = 0; u < n; u++) out[p + u] = 0;
      const rb = row(b);
      for (let r = 0; r <= b; r++) {
        const o = (a * m + r) * w;
        const q = (rb + r) * w;
        for (let u = 0; u < n; u++) out[p + u] += ls[o + u] * l[q + u];
      }
    }
  }
}

/** The lower triangle of L L^T for lanes [0, n) into out (not aliasing l): each entry summed over r
 *  ascending from 0, as the one-lane loop. */
export function gramTile(l: Float64Array, m: number, w: number, n: number, out: Float64Array): void {
  for (let a = 0; a < m; a++) {
    const ra = row(a);
    for (let b = 0; b <= a; b++) {
      const p = (ra + b) * w;
      const rb = row(b);
      for (let u = 0; u < n; u++) out[p + u] = 0;
      for (let r = 0; r <= b; r++) {
        const qa = (ra + r) * w;
        const qb = (rb + r) * w;
        for (let u = 0; u < n; u++) out[p + u] += l[qa + u] * l[qb + u];
      }
    }
  }
}

/**
 * The splitting scheme's noise directions over lanes [u0, u1) of the factor tile l, in packed order
 * (descending when `descending`): direction (a, a) scales column a by f, direction (a, b) adds f times
 * column a to column b (rows a..m-1); f(k) per lane at f[k * w + u] (exp(sqrt(h/2) z) on the diagonal,
 * sqrt(h) z off it: sde/terms/covariance.ts, noise.direction).
 */
export function flowsTile(
  l: Float64Array,
  f: Float64Array,
  m: number,
  w: number,
  u0: number,
  u1: number,
  descending: boolean,
): void {
  const E = row(m);
  for (let step = 0; step < E; step++) {
    const k = descending ? E - 1 - step : step;
    // (a, b) of the packed index k
    let a = Math.floor((Math.sqrt(8 * k + 1) - 1) / 2);
    if (row(a) > k) a--;
    else if (row(a + 1) <= k) a++;
    const b = k - row(a);
    const fk = k * w;
    if (a === b) {
      for (let i = a; i < m; i++) {
        const p = (row(i) + a) * w;
        for (let u = u0; u < u1; u++) l[p + u] *= f[fk + u];
      }
    } else {
      for (let i = a; i < m; i++) {
        const pb = (row(i) + b) * w;
        const pa = (row(i) + a) * w;
        for (let u = u0; u < u1; u++) l[pb + u] += f[fk + u] * l[pa + u];
      }
    }
  }
}

/** Column a of lanes [0, n) of the factor tile l scaled by s (the same for every lane), rows a..m-1. */
export function scaleColumnTile(l: Float64Array, m: number, w: number, n: number, a: number, s: number): void {
  for (let i = a; i < m; i++) {
    const p = (row(i) + a) * w;
    for (let u = 0; u < n; u++) l[p + u] *= s;
  }
}

/** Lanes per tile for an m x m kernel: as many as keep about `bytesPerLane` per lane within `budget` (a share
 *  of L2), a multiple of 8 (one cache line of doubles), at most `lanes` rounded up to 8. */
export function tileLanes(bytesPerLane: number, lanes: number, budget = 1 << 20): number {
  let w = 8;
  while (w * 2 <= lanes && bytesPerLane * w * 2 <= budget) w *= 2;
  return Math.min(w, Math.ceil(lanes / 8) * 8);
}
