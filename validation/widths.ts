// Convergence in width at fixed T: for each width n (depth T n), networks against an SDE sample of
// their own (independent streams per level, so the levels' errors are independent), the energy distance
// between the laws (unbiased: zero in expectation once the laws agree) with its jackknife SE, and the
// rate distance ~ C n^(-p) fitted by weighted least squares over at least 4 widths, with a 95% CI.
import { activationFromSpec } from '../src/activations/index.js';
import { InputError } from '../src/errors.js';
import {
  energyDistance,
  ksTwoSample,
  meanEstimate,
  normalInterval,
  powerLawFit,
  wasserstein1,
  type Estimate,
  type Interval,
  type PowerLawFit,
} from '../src/stats/index.js';
import { requireKnownKeys } from '../src/apiOptions.js';
import { pause } from '../src/steps.js';
import { observable, requireObservable, type ObservableName } from './observables.js';
import { pointActivation, pointArchitecture, type PointSettings } from './options.js';
import { widthCorrelationReference } from './theory.js';
import { isMissing, runPointNetworks, runPointSde, type Missing } from './point.js';
import { referencesOf } from '../architectures/index.js';

/** One width of the width study: its depth, sample sizes, energy distance with SE, and comparisons. */
export interface WidthLevel {
  readonly n: number;
  readonly depth: number;
  /** Energy distance between the network and SDE laws of the observable (units of the observable). */
  readonly energyDistance: Estimate | Missing;
  readonly wasserstein1: number | Missing;
  readonly ks: { readonly statistic: number; readonly pValue: number } | Missing;
  /** The observable's mean on both sides (CLT) and, for E rho of a shaped ReLU-like MLP, what width n
   *  predicts (widthCorrelationReference: the PDE at kappa_n where its shift exceeds 1.5/n, else the limit). */
  readonly mean?: { readonly network: Interval; readonly sde: Interval; readonly widthReference: number | null };
}

/** The width study: the levels and the fitted rate distance ~ C n^-p. */
export interface WidthStudy {
  readonly observable: ObservableName;
  readonly levels: readonly WidthLevel[];
  /** Energy distance ~ C n^(-exponent); the distance itself (its square root) falls as n^(-exponent/2). */
  readonly rate: PowerLawFit | Missing;
  /** Set when the rate's interval cannot tell a decay from none (it holds 0, or is wider than the exponent). */
  readonly uninformative?: string;
}

/** Why a fitted rate says nothing, or undefined when its interval resolves a decay. */
export function uninformativeRate(fit: PowerLawFit | Missing): string | undefined {
  if (isMissing(fit)) return undefined;
  const half = (fit.upper - fit.lower) / 2;
  if (fit.lower <= 0)
    return `uninformative: the ${Math.round(fit.level * 100)}% interval [${fit.lower.toPrecision(3)}, ${fit.upper.toPrecision(3)}] holds 0, so these widths do not resolve a decay; raise samples and paths, or use widths further apart`;
  if (half > Math.abs(fit.exponent))
    return `uninformative: the interval's half-width ${half.toPrecision(3)} exceeds the exponent ${fit.exponent.toPrecision(3)}; raise samples and paths, or use widths further apart`;
  return undefined;
}

/** Minimum number of widths for a rate. */
export const MIN_WIDTHS = 4;

/**
 * Convergence in width at fixed T: networks of each width against an SDE sample of their own, the energy
 * distance with its jackknife SE, and distance ~ C n^-p fitted over at least MIN_WIDTHS widths.
 */
export async function widthStudy(
  settings: PointSettings,
  widths: readonly number[],
  options: {
    observables?: readonly ObservableName[] | undefined;
    threads?: number | undefined;
    onLevel?: ((n: number) => void) | undefined;
  } = {},
): Promise<WidthStudy[]> {
  requireKnownKeys('widthStudy (its third argument)', options, ['observables', 'threads', 'onLevel']);
  (options.observables ?? []).forEach((name, i) => requireObservable(name, `observables[${i}]`));
  if (widths.length < MIN_WIDTHS)
    throw new InputError(
      'widths',
      widths,
      `must list at least ${MIN_WIDTHS} widths (a rate from fewer is not a measurement)`,
    );
  const names = options.observables ?? (['rho', 'logVaa'] as const);
  const activation = activationFromSpec(pointActivation(settings));
  const levels: WidthLevel[][] = names.map(() => []);
  for (const n of widths) {
    const tag = `width=${n}`;
    const sde = await runPointSde(settings, activation, { threads: options.threads, streamTag: tag });
    const net = await runPointNetworks(settings, activation, n, { threads: options.threads, streamTag: tag });
    for (const [k, name] of names.entries()) {
      // The distances of 10^5 paths take a while on this thread: the event loop gets a turn between them.
      await pause();
      const x = observable(net, name).values;
      const y = observable(sde, name).values;
      const depth = Math.max(1, Math.round(settings.T * n));
      if (x.length < 3 || y.length < 3) {
        const missing = { missing: `fewer than 3 paths left after explosions (network ${x.length}, SDE ${y.length})` };
        levels[k].push({ n, depth, energyDistance: missing, wasserstein1: missing, ks: missing });
        continue;
      }
      const ks = ksTwoSample(x, y);
      const mean =
        name === 'rho' || name === 'logVaa'
          ? {
              network: normalInterval(meanEstimate(x)),
              sde: normalInterval(meanEstimate(y)),
              widthReference: name === 'rho' ? widthReference(settings, n) : null,
            }
          : undefined;
      levels[k].push({
        n,
        depth,
        energyDistance: energyDistance(x, y),
        wasserstein1: wasserstein1(x, y),
        ks: { statistic: ks.statistic, pValue: ks.pValue },
        ...(mean ? { mean } : {}),
      });
    }
    options.onLevel?.(n);
  }
  return names.map((name, k) => {
    const rate = fitRate(levels[k]);
    const uninformative = uninformativeRate(rate);
    return uninformative
      ? { observable: name, levels: levels[k], rate, uninformative }
      : { observable: name, levels: levels[k], rate };
  });
}

function widthReference(settings: PointSettings, n: number): number | null {
  // kappa_n is derived for the MLP's own layer map (docs/maths.md, section 5.1): where an architecture declares it has that map.
  if (!referencesOf(pointArchitecture(settings)).layerRecursion) return null;
  return widthCorrelationReference(pointActivation(settings), n, settings.rho0, settings.T)?.value ?? null;
}

function fitRate(levels: readonly WidthLevel[]): PowerLawFit | Missing {
  const usable = levels.flatMap((l) =>
    isMissing(l.energyDistance) || !(l.energyDistance.se > 0) ? [] : [{ n: l.n, e: l.energyDistance }],
  );
  if (usable.length < MIN_WIDTHS)
    return { missing: `only ${usable.length} widths have a distance with an SE (a rate needs ${MIN_WIDTHS})` };
  const fit = powerLawFit(
    usable.map((l) => l.n),
    usable.map((l) => l.e.value),
    usable.map((l) => l.e.se),
  );
  if (!fit)
    return {
      missing:
        'the distances are not resolved above their noise at 3 or more widths, so no power law can be fitted; raise samples or use smaller widths',
    };
  return fit;
}
