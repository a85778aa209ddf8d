// The architecture contract: one value per architecture (the MLP, the shaped ResNet, ...) that owns its
// limit SDEs for an activation, its finite samplers, its output shape and its exact references. validation/
// and entry/ take an Architecture and never switch on its name; the table is architectures/index.ts.
import type { Activation, ActivationSpec } from '../src/activations/index.js';
import type { ModuleRef } from '../src/modules.js';
import type { OptionSpec } from '../src/options.js';
import type { NetworkArchitecture, SamplerFactory } from '../networks/index.js';
import type { Sde } from '../sde/index.js';
import type { Block } from './blocks/block.js';

/** JSON that rebuilds an architecture: { kind: 'mlp' }, { kind: 'resnet', gamma: 0.7 }. */
export type ArchitectureSpec = { readonly kind: string } & Readonly<Record<string, unknown>>;

/** An exact value where one exists, or null with the reason it does not. */
export type Reference<T> =
  | { readonly value: T; readonly reason?: undefined }
  | { readonly value: null; readonly reason: string };

/** A value at finite width (exact, where known) and its limit. */
export interface TheoryValue {
  /** At width n and depth L; null where no closed form exists (smooth activations). */
  readonly exact: number | null;
  /** In the limit (depth-and-width, T = L/n); null where none is known. */
  readonly limit: number | null;
}

/** The exact references of an architecture's limit, each null-with-reason where it does not exist. */
/** What an architecture knows exactly, each member optional: a reader asks through referencesOf, which
 *  says for a member that is absent that the architecture declares none. */
export interface ArchitectureReferences {
  /** E rho_T of the correlation SDE (Kolmogorov backward PDE), ReLU-like activations. */
  correlationExpectation?(
    activation: Activation,
    options: { rho0: number; T: number; cells?: number | undefined; steps?: number | undefined },
  ): Reference<number>;
  /** P(V^aa reaches threshold x0 by T) of the diagonal SDE from x0 (the threshold in units of x0, as
   *  everywhere; undefined: explosion itself). */
  explosionProbability?(
    activation: Activation,
    options: {
      x0: number;
      T: number;
      threshold?: number | undefined;
      cells?: number | undefined;
      steps?: number | undefined;
    },
  ): Reference<number>;
  /** The law of log V^aa_T (Gaussian for ReLU-like activations): mean and variance. */
  logDiagonal?(
    activation: Activation,
    options: { x0: number; T: number },
  ): Reference<{ readonly mean: number; readonly variance: number }>;
  /** P(explode ever) of the diagonal from x0 (closed form). */
  explosionEver?(activation: Activation, options: { x0: number }): Reference<number>;
  /** The constant k of P(explode ever) = 1 - exp(-k beta X0) for beta > 0 (1 for the MLP): what the
   *  phase diagram's level curves are drawn from. */
  explosionEverScale?(): Reference<number>;
  /** E[V^aa_L] / V_0 at finite width and in the limit (null where unknown). */
  meanDiagonal?(spec: ActivationSpec): TheoryValue;
  /** E[(V^aa_L)^2] / V_0^2 and the kurtosis ratio Var(V_L)/E(V_L)^2 at width n and depth L, with their
   *  limits at T = L/n; null entries where no closed form exists. */
  finiteMoments?(
    spec: ActivationSpec,
    options: { readonly n: number; readonly depth: number; readonly T: number },
  ): { readonly secondMoment: TheoryValue; readonly kurtosis: TheoryValue };
  /** Whether V_{l+1} given V_l is the MLP's layer map, so that the kurtosis ratio follows its leading-order
   *  recursion in 1/n (docs/maths.md, section 5) where finiteMoments has no exact value. */
  readonly layerRecursion?: boolean;
}

/** Every reference of an architecture, the absent ones answering null with the reason (no stubs to write). */
export function referencesOf(architecture: {
  readonly label: string;
  readonly references?: ArchitectureReferences;
}): Required<ArchitectureReferences> {
  const r = architecture.references ?? {};
  const none = (what: string) => ({ value: null, reason: `${architecture.label} declares no ${what}` });
  const unknown: TheoryValue = { exact: null, limit: null };
  return {
    correlationExpectation: r.correlationExpectation?.bind(r) ?? (() => none('E rho_T reference')),
    explosionProbability: r.explosionProbability?.bind(r) ?? (() => none('P(explode by T) reference')),
    logDiagonal: r.logDiagonal?.bind(r) ?? (() => none('law of log V^aa')),
    explosionEver: r.explosionEver?.bind(r) ?? (() => none('P(explode ever)')),
    explosionEverScale: r.explosionEverScale?.bind(r) ?? (() => none('P(explode ever) scale')),
    meanDiagonal: r.meanDiagonal?.bind(r) ?? (() => unknown),
    finiteMoments: r.finiteMoments?.bind(r) ?? (() => ({ secondMoment: unknown, kurtosis: unknown })),
    layerRecursion: r.layerRecursion ?? false,
  };
}

/** One architecture, as a value. */
export interface Architecture extends NetworkArchitecture {
  /** The table key: 'mlp', 'resnet', ... */
  readonly name: string;
  readonly spec: ArchitectureSpec;
  /** One line for --help. */
  readonly description: string;
  /** For reports: "mlp", "resnet(gamma=0.7)". */
  readonly label: string;
  /** True when the activation plays no part (shaped attention alone): a command line notes that its
   *  activation flag is ignored. */
  readonly ignoresActivation?: boolean;
  /** The --architecture text that parses back to this value: "mlp", "resnet:0.7". */
  readonly text: string;
  /** The m x m covariance SDE of the limit (InputError when the activation has none). */
  sde(activation: Activation): Sde<'matrix'>;
  /** The autonomous correlation SDE (ReLU-like activations), if the architecture has one. */
  correlationSde?(activation: Activation): Sde<'scalar'>;
  /** The SDE of one diagonal entry, if the architecture has one. */
  diagonalSde?(activation: Activation): Sde<'scalar'>;
  readonly samplers: Readonly<Record<string, SamplerFactory>>;
  readonly defaultSampler: string;
  /** Network outputs: logits of shape [outputs, side] per network. */
  outputShape(outputs: number, side: number): readonly number[];
  readonly references: ArchitectureReferences;
  /** Rebuilds this architecture in a worker. */
  readonly ref: ModuleRef;
  /** The block it composes (architectures/blocks/): every architecture is one. */
  readonly block: Block;
}

/** An entry of ARCHITECTURES: the grammar of `--architecture name[:args]`, and the parse into a value. */
export interface ArchitectureEntry {
  readonly name: string;
  /** e.g. 'resnet:<gamma>' */
  readonly grammar: string;
  readonly description: string;
  /** Parse the text after 'name:' ('' when absent), or the whole text for an entry with `matches`;
   *  InputError naming `field` on bad input. */
  parse(args: string, field: string): Architecture;
  /** Present on an entry that owns texts of its own shape (a block expression): whether it owns `text`. */
  matches?(text: string): boolean;
  /** Rebuild from a spec (configs, workers). */
  fromSpec(spec: ArchitectureSpec, field: string): Architecture;
  /** Its parameters as scan axes (resnet: gamma), each a number option; absent: none. */
  readonly axes?: readonly OptionSpec[];
  /** The architecture with some parameters set from axis values (keys of `axes`); errors name `field`. */
  withAxes?(architecture: Architecture, values: Readonly<Record<string, number>>, field: string): Architecture;
  /** Every function its module references name, by that name: what a bundled Web Worker (which cannot
   *  import modules by URL) resolves them from (entry/kernels.ts). */
  readonly builders: Readonly<Record<string, (...args: never[]) => unknown>>;
}
