// `ncsde sde` and `ncsde network`: integrate the SDE or sample finite networks from V0 and write a JSON
// summary (means with SEs at every save; --values adds every path; sde --keep summary keeps no path at
// all), or with --out FILE.npy/.npz every path as NumPy arrays. Both build the same V0 from --m, --rho0 and --x0 (or a config's v0), check the
// output path and the work estimate before computing.
import type { Command } from 'commander';
import { parseActivation } from '../../src/activations/index.js';
import { InputError, LimitError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/files.js';
import { capThreads } from '../../src/limits.js';
import { asGiven } from '../../src/options.js';
import { PATH_STATUS_NAMES } from '../../src/results.js';
import { buildNetworkJob, NETWORK_BLOCK, sampleNetworks, type NetworkOptions } from '../../networks/index.js';
import {
  brownianSampling,
  buildSdeJob,
  constantSteps,
  saveAt,
  SDE_BLOCK,
  solve,
  solverForSde,
  weakExpectations,
  type Keep,
  type KeepOption,
  type SolveOptions,
} from '../../sde/index.js';
import { parseArchitecture } from '../../architectures/index.js';
import { networkSummary, sdeSummary } from '../summaries.js';
import { checkArchiveSize, outputFormat, prepareOutput, valuesArray, writeArrays } from './arrays.js';
import { initialCovariance } from './inputs.js';
import { NETWORK_OPTIONS, recordedSettings, RESULT_KEYS, SDE_OPTIONS } from '../options.js';
import {
  addConfigOption,
  addOptions,
  commonOptions,
  guardWork,
  jsonText,
  note,
  readCommand,
  threadsFrom,
} from './common.js';
import { doubledSizes, type Pilot } from './estimate.js';
import { startProgress } from './progress.js';

/** The --extrapolate block: Talay-Tubaro final-time E V^ab per pair in the summary's layout and rule
 *  (cells { estimate, se, lo, hi, n } over the paths that did not explode in either solve). */
async function extrapolatedMeans(options: SolveOptions, m: number) {
  const entries: Record<string, (x: number[][] | number) => number> = {};
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) entries[`${i},${j}`] = (x) => (x as number[][])[i][j];
  const e = await weakExpectations(
    { ...options, saveAt: saveAt({ t1: true }), extrapolate: true, over: 'finished' },
    entries,
  );
  const first = e['0,0'];
  return {
    method: first.method,
    steps: first.steps,
    t: first.ts[first.ts.length - 1],
    averagedOver: {
      over: first.over,
      leftOut: first.leftOut,
      note: 'means over the paths that did not explode by the final time in either solve (N and 2N steps), the rule of the plain means',
    },
    mean: Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => e[`${i},${j}`].saves[0])),
  };
}

/** Characters of the printed summary per table cell { estimate, se, lo, hi, n } (169 measured at m = 128). */
const JSON_CHARS_PER_CELL = 170;
/** The longest string JavaScript holds (V8: 2^29 - 24 characters): a JSON text longer cannot be made. */
const MAX_STRING = 2 ** 29 - 24;

/** Refuse, before computing, a summary that is to be printed as JSON but would not fit in one string: its
 *  mean and rho tables hold 2 m^2 + m cells at each of the saves (t = 0 and --saves more). */
function refuseLongJson(v: Record<string, unknown>, m: number, where: (key: string) => string): void {
  if (outputFormat(v.out as string | undefined) !== 'json' && !v.json) return;
  const cells = ((v.saves as number) + 1) * (2 * m * m + m);
  if (cells * JSON_CHARS_PER_CELL > MAX_STRING)
    throw new LimitError(
      where('saves'),
      v.saves,
      `gives a JSON summary of ${cells} cells (2 m^2 + m at each of ${(v.saves as number) + 1} saves, m = ${m}), about ${((cells * JSON_CHARS_PER_CELL) / 1e6).toFixed(0)} million characters, more than the ${(MAX_STRING / 1e6).toFixed(0)} million of one JavaScript string; lower it`,
    );
}

/** The JSON summary to stdout or --out; with --out .npy/.npz the arrays (and the summary only with --json). */
function emit(
  values: Record<string, unknown>,
  summary: Record<string, unknown>,
  arrays: () => Parameters<typeof writeArrays>[2],
): void {
  const out = values.out as string | undefined;
  const format = outputFormat(out);
  if (out === undefined || out === '-') process.stdout.write(jsonText(summary));
  else {
    if (format === 'json') writeFileAtomic(out, jsonText(summary));
    else
      writeArrays(out, format, arrays(), {
        schema: summary.schema,
        settings: summary.settings,
        shape: summary.shape,
        counts: summary.counts,
        statusNames: PATH_STATUS_NAMES,
      });
    process.stderr.write(`wrote ${out}\n`);
    if (values.json) process.stdout.write(jsonText(summary));
  }
}

const OUT_HELP = {
  help: 'output file: .json (the summary), .npy (the values, float64) or .npz (values, times, status, settings)',
  default: undefined,
} as const;
const SDE_COMMAND_OPTIONS = [
  ...SDE_OPTIONS,
  ...commonOptions({ help: `${OUT_HELP.help} (default: stdout)` }, { force: true }),
];
const NETWORK_COMMAND_OPTIONS = [
  ...NETWORK_OPTIONS,
  ...commonOptions({ help: `${OUT_HELP.help} (default: stdout)` }, { force: true }),
];

export function sdeCommand(program: Command): void {
  const cmd = program
    .command('sde')
    .description('Integrate the Neural Covariance SDE over many seeded paths; JSON summary (means with SEs)');
  addOptions(cmd, SDE_COMMAND_OPTIONS);
  addConfigOption(cmd);
  cmd.action(async () => {
    const { values: v, sources, where } = readCommand(cmd, SDE_COMMAND_OPTIONS);
    const flags = sources.flags ?? {};
    if (v.paths === undefined || (v.paths as number) < 2)
      throw new InputError(where('paths'), v.paths, 'must be at least 2 (a mean needs two paths)');
    const { v0, inputs } = initialCovariance(v, sources, where);
    const activation = parseActivation(v.activation, where('activation'));
    const architecture = parseArchitecture(v.architecture, where('architecture'));
    if (architecture.ignoresActivation && flags.activation !== undefined)
      note(`${where('activation')} is ignored: ${architecture.label} does not use an activation`);
    const sde = architecture.sde(activation);
    const chosen = asGiven(sources, () => solverForSde(v.solver, sde, v0));
    if (chosen.note) note(chosen.note);
    const keep = v.keep as Keep;
    if (keep === 'summary') {
      // Every one of these needs every path's value, which keep summary does not hold.
      if (v.values)
        throw new InputError(
          where('values'),
          v.values,
          `needs every path, which ${where('keep')} summary does not keep`,
        );
      if (v.extrapolate)
        throw new InputError(
          where('extrapolate'),
          v.extrapolate,
          `combines every path of two solves, which ${where('keep')} summary does not keep`,
        );
      if (outputFormat(v.out as string | undefined) !== 'json')
        throw new InputError(
          '--out',
          v.out,
          `must be a .json file (the summary): ${where('keep')} summary keeps no path to write as .npy or .npz`,
        );
    }
    const options: SolveOptions & KeepOption = {
      sde,
      solver: chosen.solver,
      T: v.T as number,
      v0,
      stepping: constantSteps(v.steps as number),
      saveAt: saveAt({ count: v.saves as number }),
      paths: v.paths as number,
      seed: v.seed as number,
      brownian: brownianSampling({ generator: v.generator as 'xoshiro128++' }),
      threshold: v.threshold as number,
      keep,
    };
    // The API is the one validator (memory included, for the threads that will run); its errors come back
    // in the names the user wrote.
    asGiven(sources, () => buildSdeJob({ ...options, threads: capThreads(v.threads as number | undefined).threads }), {
      'saveAt.count': 'saves',
      'stepping.steps': 'steps',
    });
    checkArchiveSize(
      prepareOutput(v.out as string | undefined),
      ((v.saves as number) + 1) * (v.paths as number) * v0.length ** 2,
      where('paths'),
      v.paths,
    );
    refuseLongJson(v, v0.length, where);
    const threads = threadsFrom(v, where);
    // Measured on one shared core (bench/results.md, issue 28): a path-step costs about 4e-7 s + 1e-9 m^3 s
    // for either solver (docs/maths.md, section 18); Talay-Tubaro adds N and 2N steps.
    const m = v0.length;
    await guardWork({
      seconds: ((v.paths as number) * (v.steps as number) * (v.extrapolate ? 4 : 1) * (4e-7 + 1e-9 * m ** 3)) / threads,
      threads,
      force: v.force === true,
      drivers: [
        [where('paths'), v.paths],
        [where('steps'), v.steps],
        ...(m > 1 ? [[where('m'), m] as const] : []),
        ...(v.extrapolate ? [['--extrapolate', 'on'] as const] : []),
      ],
      pilot: sdePilot(options, v.steps as number, v.extrapolate ? 4 : 1, threads),
    });
    const bar = await startProgress('sde');
    bar.stage(`sde: ${v.paths} paths x ${v.steps} steps on ${threads} thread${threads > 1 ? 's' : ''}`);
    const sol = await solve({ ...options, threads, onProgress: bar.update });
    const kept = 'values' in sol ? sol : null;
    let extrapolated: unknown;
    if (v.extrapolate) {
      bar.stage('sde: Talay-Tubaro extrapolation (N and 2N steps)');
      // Only with keep paths (refused above with summary): weakExpectations combines every path itself.
      const { keep: _paths, ...integration } = options;
      extrapolated = await extrapolatedMeans({ ...integration, threads }, m);
    }
    bar.stop();
    const record = recordedSettings({ ...v, architecture: architecture.text }, RESULT_KEYS(SDE_OPTIONS), {
      v0,
      ...(inputs ? { inputs } : {}),
    });
    const summary = sdeSummary(sol, { architecture: architecture.label, sde: options.sde.description }, record);
    for (const warning of summary.warnings) note(warning);
    emit(
      v,
      {
        ...summary,
        ...(extrapolated ? { extrapolated } : {}),
        ...(v.values && kept
          ? { values: kept.values.data, status: sol.status, explosionTime: sol.explosionTime, repairs: sol.repairs }
          : {}),
      },
      () => {
        // Refused before computing: keep summary writes JSON only.
        if (!kept) throw new Error('ncsde sde: no values to write with --keep summary');
        return {
          values: valuesArray(kept.values),
          ts: { dtype: 'f8', shape: [sol.ts.length], data: sol.ts },
          status: { dtype: 'i1', shape: [sol.status.length], data: sol.status },
          explosionTime: { dtype: 'f8', shape: [sol.explosionTime.length], data: sol.explosionTime },
          repairs: { dtype: 'i4', shape: [sol.repairs.length], data: Int32Array.from(sol.repairs) },
        };
      },
    );
  });
}

export function networkCommand(program: Command): void {
  const cmd = program
    .command('network')
    .description('Sample finite shaped networks (exact covariance chain or explicit weights); JSON summary');
  addOptions(cmd, NETWORK_COMMAND_OPTIONS);
  addConfigOption(cmd);
  cmd.action(async () => {
    const { values: v, sources, where } = readCommand(cmd, NETWORK_COMMAND_OPTIONS);
    const flags = sources.flags ?? {};
    if ((v.samples as number) < 2)
      throw new InputError(where('samples'), v.samples, 'must be at least 2 (a mean needs two networks)');
    if (v.T !== undefined && v.depth !== undefined)
      throw new InputError(
        where('depth'),
        v.depth,
        `conflicts with ${where('T')} (the depth is round(T n)); give one of them`,
      );
    const { v0, inputs } = initialCovariance(v, sources, where);
    const activation = parseActivation(v.activation, where('activation'));
    const architecture = parseArchitecture(v.architecture, where('architecture'));
    if (architecture.ignoresActivation && flags.activation !== undefined)
      note(`${where('activation')} is ignored: ${architecture.label} does not use an activation`);
    const options: NetworkOptions = {
      architecture,
      activation,
      n: v.n as number,
      depth: v.depth as number | undefined,
      T: (v.T as number | undefined) ?? (v.depth === undefined ? 1 : undefined),
      ...(inputs ? { inputs } : { v0 }),
      samples: v.samples as number,
      seed: v.seed as number,
      sampler: v.sampler as string,
      record: { count: v.record as number },
      outputs: v.outputs as number,
      threshold: v.threshold as number,
      streams: { generator: v.generator as 'xoshiro128++' },
    };
    const job = asGiven(sources, () => buildNetworkJob(options), { 'record.count': 'record' });
    checkArchiveSize(
      prepareOutput(v.out as string | undefined),
      job.recordLayers.length * job.m * job.m * (v.samples as number),
      where('samples'),
      v.samples,
    );
    const threads = threadsFrom(v, where);
    // A large request runs a long time: say how long before starting (the chain does ~1e5 n=400 layer-samples/s).
    // (a layer costs O(n m^2) in the chain, O(n^2 m) with explicit weights)
    const work =
      (v.samples as number) * job.depth * (job.method === 'explicit' ? job.n * job.n : (job.n * job.m) / 2) * job.m;
    const depthFlag: readonly [string, unknown] =
      v.depth !== undefined ? [where('depth'), job.depth] : [`depth ${job.depth} from ${where('T')}`, options.T];
    await guardWork({
      seconds: work / (job.method === 'explicit' ? 4e8 : 1.5e8) / threads,
      threads,
      force: v.force === true,
      drivers: [
        [where('samples'), v.samples],
        [where('n'), job.n],
        depthFlag,
        [where('sampler'), job.method],
        ...(job.m > 1 ? [[where('m'), job.m] as const] : []),
      ],
      pilot: networkPilot(options, job.depth, threads),
    });
    const bar = await startProgress('network');
    bar.stage(
      `network: ${v.samples} samples of width ${job.n} and depth ${job.depth} on ${threads} thread${threads > 1 ? 's' : ''}`,
    );
    const sample = await sampleNetworks({ ...options, threads, onProgress: bar.update });
    bar.stop();
    const record = recordedSettings(
      { ...v, architecture: architecture.text, T: v.depth === undefined ? options.T : undefined },
      RESULT_KEYS(NETWORK_OPTIONS),
      { v0, ...(inputs ? { inputs } : {}) },
    );
    emit(
      v,
      {
        ...networkSummary(sample, record),
        ...(v.values
          ? {
              values: sample.values.data,
              logits: sample.logits.data,
              status: sample.status,
              explosionLayer: sample.explosionLayer,
            }
          : {}),
      },
      () => ({
        values: valuesArray(sample.values),
        layers: { dtype: 'i4', shape: [sample.layers.length], data: sample.layers },
        ts: { dtype: 'f8', shape: [sample.ts.length], data: sample.ts },
        status: { dtype: 'i1', shape: [sample.status.length], data: sample.status },
        explosionLayer: { dtype: 'i4', shape: [sample.explosionLayer.length], data: sample.explosionLayer },
        logits: valuesArray(sample.logits),
      }),
    );
  });
}

/** The sde pilot: the first paths (one block per thread, then more) over fewer steps, the same solver.
 *  `factor` is the run's work per path-step of one solve (Talay-Tubaro: 4). */
function sdePilot(options: SolveOptions & KeepOption, steps: number, factor: number, threads: number): Pilot {
  return {
    units: options.paths * steps * factor,
    part: (k) => {
      const sizes = doubledSizes(
        [
          { from: 1, to: steps },
          { from: threads * SDE_BLOCK, to: options.paths },
        ],
        k,
      );
      if (!sizes) return undefined;
      const [s, paths] = sizes;
      return {
        units: paths * s,
        what: `a pilot of ${paths} paths x ${s} steps`,
        run: () => solve({ ...options, paths, stepping: constantSteps(s), saveAt: saveAt({ count: 1 }), threads }),
      };
    },
  };
}

/** The network pilot: the first samples (one per thread, then more) through fewer layers, the same sampler. */
function networkPilot(options: NetworkOptions, depth: number, threads: number): Pilot {
  return {
    units: options.samples * depth,
    part: (k) => {
      const sizes = doubledSizes(
        [
          { from: 1, to: depth },
          { from: threads * NETWORK_BLOCK, to: options.samples },
        ],
        k,
      );
      if (!sizes) return undefined;
      const [layers, samples] = sizes;
      return {
        units: samples * layers,
        what: `a pilot of ${samples} samples x ${layers} layers`,
        run: () => sampleNetworks({ ...options, samples, depth: layers, T: undefined, record: { count: 1 }, threads }),
      };
    },
  };
}
