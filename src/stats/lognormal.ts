// Moments of a log-normal variable from a sample of its logarithm (docs/maths.md, section 9): where log V
// is exactly Gaussian (ReLU-like shaping: V^aa is a geometric Brownian motion), the sample moments of V
// are dominated by rare paths and their intervals under-cover, while the mean and variance of log V give
// E V^k = exp(k mu + k^2 sigma^2 / 2) with a delta-method interval on the log scale that holds.
import { chiSquareQuantile } from '../special.js';
import { exp, expm1, log } from '../math/index.js';
import { mean, variance, zFor, type Interval } from './moments.js';

/** E V^k / scale^k and the kurtosis ratio Var V / (E V)^2 = exp(sigma^2) - 1 of a log-normal V, from a sample of log V. */
export interface LogNormalMoments {
  moment(k: number): Interval;
  /** Var V / scale^2 = exp(2 mu + sigma^2) (exp(sigma^2) - 1). */
  readonly variance: Interval;
  readonly kurtosis: Interval;
}

/**
 * The log-normal fit of a sample of log V (at least 3 values): with mu, s2 the sample mean and unbiased
 * variance, l_k = k mu + k^2 s2 / 2 - k log(scale) has Var = k^2 s2 / N + k^4 s2^2 / (2 (N - 1)); the interval
 * is exp(l_k -+ z sd) and the value exp(l_k - Var / 2), which removes the log-normal bias of exp(l_k) to
 * first order. The kurtosis interval maps the exact chi-square interval of sigma^2 through exp(.) - 1.
 */
export function logNormalMoments(
  logs: ArrayLike<number>,
  options: { scale?: number; level?: number } = {},
): LogNormalMoments {
  const N = logs.length;
  if (N < 3) throw new RangeError(`logNormalMoments needs at least 3 values, got ${N}`);
  const level = options.level ?? 0.95;
  const z = zFor(level);
  const mu = mean(logs) - log(options.scale ?? 1);
  const s2 = variance(logs);
  const moment = (k: number): Interval => {
    const l = k * mu + (k * k * s2) / 2;
    const v = (k * k * s2) / N + (k ** 4 * s2 * s2) / (2 * (N - 1));
    const sd = Math.sqrt(v);
    const value = exp(l - v / 2);
    return {
      value,
      se: value * sd,
      lower: exp(l - z * sd),
      upper: exp(l + z * sd),
      level,
      method: 'log-normal fit (delta method)',
    };
  };
  // log Var = 2 mu + s2 + log(expm1(s2)): gradient 2 in mu and g = 1 + e^s2 / (e^s2 - 1) in s2.
  const lv = 2 * mu + s2 + log(expm1(s2));
  const g = 1 + exp(s2) / expm1(s2);
  const vv = (4 * s2) / N + (g * g * 2 * s2 * s2) / (N - 1);
  const sdv = Math.sqrt(vv);
  const varValue = exp(lv - vv / 2);
  const varianceInterval: Interval = {
    value: varValue,
    se: varValue * sdv,
    lower: exp(lv - z * sdv),
    upper: exp(lv + z * sdv),
    level,
    method: 'log-normal fit (delta method)',
  };
  const alpha = (1 - level) / 2;
  const lo = ((N - 1) * s2) / chiSquareQuantile(1 - alpha, N - 1);
  const hi = ((N - 1) * s2) / chiSquareQuantile(alpha, N - 1);
  const kurtosis: Interval = {
    value: expm1(s2),
    se: exp(s2) * s2 * Math.sqrt(2 / (N - 1)),
    lower: expm1(lo),
    upper: expm1(hi),
    level,
    method: 'log-normal fit (chi-square)',
  };
  return { moment, variance: varianceInterval, kurtosis };
}
