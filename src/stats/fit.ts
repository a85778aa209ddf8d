// Weighted least-squares fits with confidence intervals: a straight line (orders of convergence from
// log error against log step) and a power law y = C x^(-p) fitted to the values themselves, so that
// points whose noise crosses zero still count with their weight (rates of distances in width).
import { chiSquareCdf } from '../special.js';
import { zFor } from './moments.js';
import { exp, log } from '../math/index.js';

/** A weighted least-squares line: slope and intercept with a confidence interval on the slope. */
export interface SlopeFit {
  readonly slope: number;
  readonly intercept: number;
  /** Standard error of the slope, inflated by sqrt(chi^2 / dof) when the scatter exceeds the stated errors. */
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  /** chi^2 of the residuals over their stated errors, and its degrees of freedom. */
  readonly chi2: number;
  readonly dof: number;
  /** P(chi^2_dof >= chi2): a small value says the model or the errors do not fit. */
  readonly fitPValue: number;
}

/** Weighted least squares of y on x with weights 1 / se^2. */
export function weightedLine(
  x: readonly number[],
  y: readonly number[],
  se: readonly number[],
  level = 0.95,
): SlopeFit {
  const n = x.length;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const w = 1 / (se[i] * se[i]);
    sw += w;
    sx += w * x[i];
    sy += w * y[i];
  }
  const xb = sx / sw;
  const yb = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const w = 1 / (se[i] * se[i]);
    sxx += w * (x[i] - xb) ** 2;
    sxy += w * (x[i] - xb) * (y[i] - yb);
  }
  const slope = sxy / sxx;
  const intercept = yb - slope * xb;
  let chi2 = 0;
  for (let i = 0; i < n; i++) chi2 += ((y[i] - intercept - slope * x[i]) / se[i]) ** 2;
  const dof = n - 2;
  const scale = dof > 0 ? Math.max(1, Math.sqrt(chi2 / dof)) : 1;
  const s = scale / Math.sqrt(sxx);
  const z = zFor(level);
  return {
    slope,
    intercept,
    se: s,
    lower: slope - z * s,
    upper: slope + z * s,
    level,
    chi2,
    dof,
    fitPValue: dof > 0 ? 1 - chiSquareCdf(chi2, dof) : NaN,
  };
}

/** y ~ C x^-p fitted by weighted least squares in log-log coordinates: p with its SE and CI, and chi^2. */
export interface PowerLawFit {
  /** y = C x^(-exponent). */
  readonly coefficient: number;
  readonly exponent: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly chi2: number;
  readonly dof: number;
}

/**
 * y = C x^(-p) by weighted nonlinear least squares on y itself (Levenberg-Marquardt on (log C, p)),
 * started from the log-log line through the positive points. The SE of p comes from the inverse
 * Fisher information, inflated by sqrt(chi^2 / dof) when the scatter exceeds the stated errors.
 * Returns null when fewer than 3 points are positive or the fit does not converge.
 */
export function powerLawFit(
  x: readonly number[],
  y: readonly number[],
  se: readonly number[],
  level = 0.95,
): PowerLawFit | null {
  const positive = x.map((_, i) => i).filter((i) => y[i] > 0 && se[i] > 0);
  if (positive.length < 3 || x.length < 3) return null;
  const start = weightedLine(
    positive.map((i) => log(x[i])),
    positive.map((i) => log(y[i])),
    positive.map((i) => se[i] / y[i]),
  );
  let c = start.intercept;
  let p = -start.slope;
  const lx = x.map(log);
  const cost = (cc: number, pp: number) => x.reduce((s, _, i) => s + ((y[i] - exp(cc - pp * lx[i])) / se[i]) ** 2, 0);
  let current = cost(c, p);
  let lambda = 1e-3;
  let a11 = 0;
  let a12 = 0;
  let a22 = 0;
  for (let iter = 0; iter < 200; iter++) {
    let g1 = 0;
    let g2 = 0;
    a11 = 0;
    a12 = 0;
    a22 = 0;
    for (let i = 0; i < x.length; i++) {
      const f = exp(c - p * lx[i]);
      const w = 1 / (se[i] * se[i]);
      const j1 = f;
      const j2 = -f * lx[i];
      const r = y[i] - f;
      a11 += w * j1 * j1;
      a12 += w * j1 * j2;
      a22 += w * j2 * j2;
      g1 += w * j1 * r;
      g2 += w * j2 * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const b11 = a11 * (1 + lambda);
      const b22 = a22 * (1 + lambda);
      const det = b11 * b22 - a12 * a12;
      const dc = (b22 * g1 - a12 * g2) / det;
      const dp = (b11 * g2 - a12 * g1) / det;
      const next = cost(c + dc, p + dp);
      if (Number.isFinite(next) && next <= current) {
        const done = Math.abs(dc) < 1e-12 && Math.abs(dp) < 1e-12;
        c += dc;
        p += dp;
        lambda = Math.max(1e-12, lambda / 10);
        improved = true;
        if (done || current - next < 1e-14 * (1 + current)) iter = 1000;
        current = next;
      } else lambda *= 10;
    }
    if (!improved) break;
  }
  const det = a11 * a22 - a12 * a12;
  if (!(det > 0) || !Number.isFinite(p)) return null;
  const dof = x.length - 2;
  const scale = dof > 0 ? Math.max(1, current / dof) : 1;
  const s = Math.sqrt((a11 / det) * scale);
  const z = zFor(level);
  return { coefficient: exp(c), exponent: p, se: s, lower: p - z * s, upper: p + z * s, level, chi2: current, dof };
}
