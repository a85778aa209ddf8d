// The validation report: one SDE-versus-network comparison at T, the convergence study in width,
// and the data behind every plot, as a versioned JSON-ready object (schema "ncsde.validation/1").
import { activationFromSpec } from '../src/activations/index.js';
import type { WorkerPool } from '../src/parallel.js';
import { quantileSorted, sorted } from '../src/stats.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';
import type { SampleComparison } from './compare.js';
import { parseConfig, validationSchema, type ValidationConfig } from './config.js';
import { PATH_EXPLODED } from '../sde/kernels.js';
import { observable, OBSERVABLES, pathObservable, type CovarianceSamples, type ObservableName } from './observables.js';
import { pointRow, runPoint, type PointRow } from './point.js';
import { widthStudy, type WidthStudy } from './widths.js';

export const VALIDATION_SCHEMA = 'ncsde.validation/1';

export interface Histogram {
  readonly edges: number[];
  readonly sde: number[];
  readonly network: number[];
}

export interface PathBundle {
  readonly ts: number[];
  /** A few individual paths (rows) for the plot. */
  readonly examples: number[][];
  /** 10%, 50% and 90% quantiles over all non-exploded paths at each time. */
  readonly q10: number[];
  readonly q50: number[];
  readonly q90: number[];
}

export interface ValidationReport {
  readonly schema: typeof VALIDATION_SCHEMA;
  readonly package: { name: string; version: string };
  readonly generatedAt: string;
  readonly config: ValidationConfig;
  readonly activation: { name: string; beta: number };
  readonly summary: PointRow;
  readonly status: {
    sde: { finished: number; exploded: number; repaired: number; repairedSteps: number };
    network: { finished: number; exploded: number; repaired: number };
  };
  readonly comparisons: Partial<Record<ObservableName, SampleComparison>>;
  readonly logits: { sde: { value: number; se: number; secondMoment: number }; network: { value: number; se: number; secondMoment: number } };
  readonly widths: WidthStudy[];
  readonly histograms: Partial<Record<ObservableName, Histogram>>;
  readonly paths: { rho: { sde: PathBundle; network: PathBundle }; logVaa: { sde: PathBundle; network: PathBundle } };
  readonly elapsedSeconds: number;
}

/** Densities of both samples on shared bins spanning their pooled 0.5%-99.5% range. */
export function histogram(a: Float64Array, b: Float64Array, bins = 40): { edges: number[]; a: number[]; b: number[] } {
  const pooled = sorted(Float64Array.from([...a, ...b]));
  let lo = quantileSorted(pooled, 0.005);
  let hi = quantileSorted(pooled, 0.995);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const density = (xs: Float64Array) => {
    const counts = new Array<number>(bins).fill(0);
    for (const x of xs) {
      const k = Math.floor((x - lo) / width);
      if (k >= 0 && k < bins) counts[k]++;
    }
    return counts.map((c) => c / (xs.length * width));
  };
  return { edges, a: density(a), b: density(b) };
}

function pathBundle(samples: CovarianceSamples, name: ObservableName, examples = 8): PathBundle {
  const saves = samples.ts.length;
  const perSave = Array.from({ length: saves }, (_, s) => observable(samples, name, s));
  const sortedPerSave = perSave.map((x) => sorted(x));
  // Example paths: the first `examples` paths that never exploded, read at every save.
  const rows: number[][] = [];
  for (let p = 0; p < samples.status.length && rows.length < examples; p++) {
    if (samples.status[p] === PATH_EXPLODED) continue;
    const row = Array.from({ length: saves }, (_, s) => pathObservable(samples.values, name, s, p));
    if (row.every(Number.isFinite)) rows.push(row);
  }
  return {
    ts: Array.from(samples.ts),
    examples: rows,
    q10: sortedPerSave.map((s) => quantileSorted(s, 0.1)),
    q50: sortedPerSave.map((s) => quantileSorted(s, 0.5)),
    q90: sortedPerSave.map((s) => quantileSorted(s, 0.9)),
  };
}

export interface ValidateOptions {
  threads?: number | WorkerPool;
  onStage?: (stage: string) => void;
}

/** Run the default (or a given) validation; `config` is parsed with the schema, so {} means defaults. */
export async function validate(config: unknown = {}, options: ValidateOptions = {}): Promise<ValidationReport> {
  const started = performance.now();
  const cfg = parseConfig(validationSchema, config);
  const activation = activationFromSpec(cfg.activation);
  options.onStage?.('SDE and networks at T');
  const point = await runPoint(cfg, { threads: options.threads, pathSaves: 50 });
  options.onStage?.('convergence in width');
  const widths = await widthStudy(cfg, cfg.widths, point.sde, { threads: options.threads, onLevel: (n) => options.onStage?.(`width ${n}`) });
  const histograms: Partial<Record<ObservableName, Histogram>> = {};
  for (const name of OBSERVABLES) {
    const a = observable(point.sde, name);
    const b = observable(point.network, name);
    if (a.length < 2 || b.length < 2) continue;
    const h = histogram(a, b);
    histograms[name] = { edges: h.edges, sde: h.a, network: h.b };
  }
  const sdeCounts = point.sde.counts;
  return {
    schema: VALIDATION_SCHEMA,
    package: { name: PACKAGE_NAME, version: PACKAGE_VERSION },
    generatedAt: new Date().toISOString(),
    config: cfg,
    activation: { name: activation.name, beta: activation.limit?.beta ?? 0 },
    summary: pointRow(point),
    status: { sde: sdeCounts, network: point.network.counts },
    comparisons: point.comparisons,
    logits: point.logits,
    widths,
    histograms,
    paths: {
      rho: { sde: pathBundle(point.sde, 'rho'), network: pathBundle(point.network, 'rho') },
      logVaa: { sde: pathBundle(point.sde, 'logVaa'), network: pathBundle(point.network, 'logVaa') },
    },
    elapsedSeconds: (performance.now() - started) / 1000,
  };
}
