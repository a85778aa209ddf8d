// Distances between two samples of one observable: the 1-Wasserstein distance (in the observable's
// units, biased upwards by sampling noise) and the energy distance, whose U-statistic estimator is
// exactly unbiased (zero in expectation when the laws agree), with a two-sample jackknife SE. Rates
// of convergence are fitted to the energy distance because its noise is centred.
import type { Estimate } from './moments.js';
import { sorted } from './moments.js';

/** 1-Wasserstein distance between two empirical laws: the integral of |F_a - F_b|. */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = sorted(a);
  const y = sorted(b);
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let prev = Math.min(x[0], y[0]);
  let total = 0;
  while (i < n || j < m) {
    const v = j >= m || (i < n && x[i] <= y[j]) ? x[i] : y[j];
    total += Math.abs(i / n - j / m) * (v - prev);
    prev = v;
    while (i < n && x[i] <= v) i++;
    while (j < m && y[j] <= v) j++;
  }
  return total;
}

/** For each x_i, sum_k |x_i - x_k| over the same sorted sample, from prefix sums. */
function withinSums(x: Float64Array): Float64Array {
  const n = x.length;
  let total = 0;
  for (let k = 0; k < n; k++) total += x[k];
  const out = new Float64Array(n);
  let before = 0;
  for (let k = 0; k < n; k++) {
    out[k] = k * x[k] - before + (total - before - x[k]) - (n - k - 1) * x[k];
    before += x[k];
  }
  return out;
}

/** For each x_i (sorted), sum_j |x_i - y_j| over sorted y, by a merge walk with prefix sums. */
function crossSums(x: Float64Array, y: Float64Array): Float64Array {
  const m = y.length;
  let total = 0;
  for (let j = 0; j < m; j++) total += y[j];
  const out = new Float64Array(x.length);
  let c = 0;
  let below = 0;
  for (let i = 0; i < x.length; i++) {
    while (c < m && y[c] <= x[i]) below += y[c++];
    out[i] = c * x[i] - below + (total - below) - (m - c) * x[i];
  }
  return out;
}

/**
 * Energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| (twice the integral of (F - G)^2), estimated by
 * U-statistics (unbiased; may be slightly negative when the laws agree), with the two-sample
 * delete-one jackknife SE, all in O(N log N).
 */
export function energyDistance(a: ArrayLike<number>, b: ArrayLike<number>): Estimate {
  const x = sorted(a);
  const y = sorted(b);
  const n = x.length;
  const m = y.length;
  if (n < 3 || m < 3) return { value: NaN, se: NaN };
  const ax = crossSums(x, y); // sum_j |x_i - y_j|
  const ay = crossSums(y, x);
  const bx = withinSums(x);
  const by = withinSums(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += ax[i];
    sxx += bx[i];
  }
  for (let j = 0; j < m; j++) syy += by[j];
  const value = (2 * sxy) / (n * m) - sxx / (n * (n - 1)) - syy / (m * (m - 1));
  // Leave x_i out: the cross sum loses ax[i], the within sum loses 2 bx[i] (both orders of each pair).
  const looX = new Float64Array(n);
  for (let i = 0; i < n; i++)
    looX[i] = (2 * (sxy - ax[i])) / ((n - 1) * m) - (sxx - 2 * bx[i]) / ((n - 1) * (n - 2)) - syy / (m * (m - 1));
  const looY = new Float64Array(m);
  for (let j = 0; j < m; j++)
    looY[j] = (2 * (sxy - ay[j])) / (n * (m - 1)) - sxx / (n * (n - 1)) - (syy - 2 * by[j]) / ((m - 1) * (m - 2));
  const spread = (loo: Float64Array) => {
    let mu = 0;
    for (const v of loo) mu += v;
    mu /= loo.length;
    let s = 0;
    for (const v of loo) s += (v - mu) * (v - mu);
    return ((loo.length - 1) / loo.length) * s;
  };
  return { value, se: Math.sqrt(spread(looX) + spread(looY)) };
}
