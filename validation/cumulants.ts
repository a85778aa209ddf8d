// Finite-width fourth cumulants (Hanin 2022): the normalised fourth cumulant of an output,
// kappa_4 / (3 kappa_2^2) = E z^4 / (3 (E z^2)^2) - 1 = Var(V) / (E V)^2 with V the conditional variance
// of z given the last layer, and the same for the input derivative dz. Estimators: the direct ratio with
// a BCa bootstrap interval (heavy-tailed once L/n is not small), and where the product structure holds
// (piecewise-linear activation, one input) the pooled layer-factor estimator, calibrated at any L/n, for
// the output and (docs/maths.md section 12) for the derivative alike.
// Theory: the exact (1 + k/n)^L - 1, the leading-order recursion otherwise, and the SDE's e^{2T} - 1.
import { parseActivation, type Activation, type ActivationSpec } from '../src/activations/index.js';
import { requireKnownKeys, withRenamedKeys } from '../src/apiOptions.js';
import { requireInteger } from '../src/errors.js';
import { gaussHermite, gaussianExpectation, type GaussRule } from '../src/quadrature.js';
import { openStream, PURPOSES } from '../src/random/streams.js';
import { PATH_EXPLODED } from '../src/results.js';
import { bcaBootstrapSteps, type Interval } from '../src/stats/index.js';
import { cooperate } from '../src/steps.js';
import { sampleNetworks } from '../networks/index.js';
import { mlp, toArchitecture, type Architecture, type ArchitectureReferences } from '../architectures/index.js';
import { pooledEstimates } from './theory.js';
import { referencesOf } from '../architectures/index.js';

/** Theory for the cumulant ratio at the requested layers, and which kind it is. */
export interface CumulantTheory {
  /** 'exact (1 + k/n)^L - 1', 'leading-order recursion' or 'none'. */
  readonly kind: string;
  readonly values: readonly (number | null)[];
  /** The SDE limit e^{2T} - 1 (shaped ReLU-like only). */
  readonly limits: readonly (number | null)[];
}

/**
 * Leading order in 1/n: with K_{l+1} = C_W <phi^2>_{K_l} and v_l = Var(V_l),
 *   v_{l+1} = (C_W^2 / n) (<phi^4>_{K_l} - <phi^2>_{K_l}^2) + chi_l^2 v_l,  chi_l = C_W d<phi^2>_K / dK at K_l,
 * and the ratio after L layers is v_L / K_L^2 (error O(L^2/n^2)). Returns the ratio after each layer 1..L.
 */
export function leadingOrderRatios(
  phi: (x: number) => number,
  gain: number,
  n: number,
  layers: number,
  k0: number,
  rule: GaussRule = gaussHermite(120),
): number[] {
  const second = (k: number) => gaussianExpectation((x) => phi(x) ** 2, k, rule);
  // (phi^2)^2, not phi ** 4: an engine's pow may round x ** 4 differently (results stay engine-free)
  const fourth = (k: number) =>
    gaussianExpectation(
      (x) => {
        const p = phi(x);
        return p * p * (p * p);
      },
      k,
      rule,
    );
  let k = k0;
  let v = 0;
  const out: number[] = [];
  for (let l = 0; l < layers; l++) {
    const s2 = second(k);
    const h = 1e-5 * Math.max(k, 1e-8);
    // d<phi^2>_K / dK = <(phi^2)''>/2 by Gaussian integration by parts; a central difference is as accurate here.
    const chi = (gain * (second(k + h) - second(k - h))) / (2 * h);
    v = ((gain * gain) / n) * (fourth(k) - s2 * s2) + chi * chi * v;
    k = gain * s2;
    out.push(v / (k * k));
  }
  return out;
}

/**
 * Theory beside measurements at layers L of width n, for one input of unit variance: the architecture's
 * exact finite-width value where it has one, else its leading-order recursion, else none (default: the MLP).
 */
export function cumulantTheory(
  spec: ActivationSpec,
  activation: Activation,
  n: number,
  layers: readonly number[],
  references: Required<ArchitectureReferences> = referencesOf(mlp()),
): CumulantTheory {
  const kurtosis = layers.map((l) => references.finiteMoments(spec, { n, depth: l, T: l / n }).kurtosis);
  const limits = kurtosis.map((k) => k.limit);
  const exact = kurtosis.map((k) => k.exact);
  if (exact.every((x) => x !== null)) return { kind: 'exact (1 + k/n)^L - 1', values: exact, limits };
  if (!references.layerRecursion) return { kind: 'none', values: layers.map(() => null), limits };
  const f = activation.atWidth(n);
  const ratios = leadingOrderRatios(f.phi, f.c, n, Math.max(...layers), 1);
  return { kind: 'leading-order recursion', values: layers.map((l) => ratios[l - 1]), limits };
}

/** Fourth-cumulant ratios of outputs and derivatives at the recorded layers, by the direct (BCa) and pooled estimators. */
export interface CumulantMeasurement {
  readonly n: number;
  readonly layers: readonly number[];
  /** L / n at each recorded layer. */
  /** The depth-to-width ratios T = L/n of the recorded layers. */
  readonly T: readonly number[];
  /** Var(V)/(E V)^2 of the output by the direct estimator (BCa bootstrap). */
  readonly output: readonly Interval[];
  /** The same by pooled layer factors; null without the product structure. */
  readonly pooled: readonly Interval[] | null;
  /** The input derivative's ratio by the direct estimator (BCa bootstrap). */
  readonly derivative: readonly Interval[];
  /** The same by pooled derivative factors psi_l (i.i.d. for piecewise-linear phi, docs/maths.md section 12); null without the product structure. */
  readonly derivativePooled: readonly Interval[] | null;
  readonly exploded: number;
}

/**
 * Output and input-derivative ratios from the covariance chain with derivatives: one input x and an
 * orthogonal direction u, both of norm^2 / n_in = 1, so the joint (z, dz) Gram starts at I_2.
 */
export async function measureCumulants(options: {
  /** Default: the MLP. Its references say whether the pooled layer-factor estimator applies. */
  architecture?: Architecture | string | undefined;
  /** A value or its text. */
  activation: Activation | string;
  n: number;
  layers: readonly number[];
  samples: number;
  seed: number;
  /** The network sampler (default the architecture's). */
  sampler?: string | undefined;
  /** @deprecated Use sampler. */
  method?: string | undefined;
  threads?: number | undefined;
  resamples?: number | undefined;
  /** Qualifies the stream families (several measurements at one seed stay independent). */
  streamTag?: string | undefined;
}): Promise<CumulantMeasurement> {
  requireKnownKeys('measureCumulants', options, [
    'architecture',
    'activation',
    'n',
    'layers',
    'samples',
    'seed',
    'sampler',
    'threads',
    'resamples',
    'streamTag',
  ]);
  options = withRenamedKeys('measureCumulants', options, { method: 'sampler' });
  const activation =
    typeof options.activation === 'string' ? parseActivation(options.activation, 'activation') : options.activation;
  const architecture = toArchitecture(options.architecture);
  const layers = [...options.layers].sort((a, b) => a - b);
  layers.forEach((l, i) => requireInteger(`layers[${i}]`, l, 1));
  const depth = layers[layers.length - 1];
  const tag = options.streamTag ? `/${options.streamTag}` : '';
  const sample = await sampleNetworks({
    architecture,
    activation,
    n: options.n,
    depth,
    v0: [
      [1, 0],
      [0, 1],
    ],
    derivatives: true,
    samples: options.samples,
    seed: options.seed,
    sampler: options.sampler,
    record: { layers },
    factorMoments: true,
    streams: { purpose: `${PURPOSES.network}${tag}` },
    threads: options.threads,
  });
  const alive = Array.from({ length: sample.samples }, (_, p) => p).filter((p) => sample.status[p] !== PATH_EXPLODED);
  const diagonal = (r: number, i: number) => Float64Array.from(alive, (p) => sample.values.get(r, p, i, i));
  // The bootstraps run on this thread: in slices, so that a stop request is honoured while they run.
  const ratio = async (x: Float64Array, label: string): Promise<Interval> =>
    (
      await cooperate(
        bcaBootstrapSteps(
          [[x, x.map((v) => v * v)]],
          { r: (m) => m[0][1] / (m[0][0] * m[0][0]) - 1 },
          { rng: openStream(options.seed, `${PURPOSES.bootstrap}${tag}/${label}`, 0), resamples: options.resamples },
        ),
      )
    ).r;
  const output: Interval[] = [];
  for (const [r, l] of layers.entries()) output.push(await ratio(diagonal(r, 0), `output-L${l}`));
  const derivative: Interval[] = [];
  for (const [r, l] of layers.entries()) derivative.push(await ratio(diagonal(r, 1), `derivative-L${l}`));
  const spec = activation.spec;
  // The pooled estimator needs i.i.d. layer factors: exactly where the architecture has the exact product theory.
  const references = referencesOf(architecture);
  const structured =
    spec !== null &&
    references.finiteMoments(spec, { n: options.n, depth: 1, T: 1 / options.n }).kurtosis.exact !== null;
  return {
    n: options.n,
    layers,
    T: layers.map((l) => l / options.n),
    output,
    pooled: structured
      ? layers.map((l) => pooledEstimates(sample.factors, sample.status, l)?.kurtosis ?? missingInterval())
      : null,
    derivative,
    derivativePooled: structured
      ? layers.map(
          (l) => pooledEstimates(sample.factors, sample.status, l, 0.95, 'derivative')?.kurtosis ?? missingInterval(),
        )
      : null,
    exploded: sample.samples - alive.length,
  };
}

function missingInterval(): Interval {
  return { value: NaN, se: NaN, lower: NaN, upper: NaN, level: 0.95, method: 'pooled layer factors (delta method)' };
}
