// `ncsde sde` and `ncsde network`: integrate the SDE or sample finite networks from V0 and write a JSON
// summary (means with SEs at every save; --values adds every path), or with --out FILE.npy/.npz every
// path as NumPy arrays. Both build the same V0 from --m, --rho0 and --x0 (or a config's v0), check the
// output path and the work estimate before computing.
import type { Command } from 'commander';
import { parseActivation, parseActivationSpec } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/files.js';
import { asGiven, type OptionSpec } from '../../src/options.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { kernelsInUse } from '../../src/kernels/index.js';
import { GENERATORS } from '../../src/random/streams.js';
import { PATH_STATUS_NAMES } from '../../src/results.js';
import { buildNetworkJob, NETWORK_METHODS, sampleNetworks, type NetworkOptions } from '../../networks/index.js';
import { brownianSampling, buildSdeJob, constantSteps, explosionDetection, saveAt, solve, solverFromName, weakExpectations, type SolveOptions } from '../../sde/index.js';
import { parseArchitecture } from '../../architectures/index.js';
import { OPTION } from '../../validation/options.js';
import { networkSummary, sdeSummary } from '../summaries.js';
import { checkArchiveSize, outputFormat, prepareOutput, valuesArray, writeArrays } from './arrays.js';
import { initialCovariance, INPUT_OPTIONS } from './inputs.js';
import { addConfigOption, addOptions, commonOptions, guardWork, jsonText, note, progressBar, readCommand, threadsFrom } from './common.js';

const shared = {
  m: { key: 'm', kind: { type: 'integer', min: 1, max: 512 }, help: 'number of inputs (equicorrelated V0 from --rho0 and --x0)', default: 2 },
  threshold: { ...OPTION.threshold, help: 'explosion threshold on max V^aa, in units of the largest input variance, the same rule as the other side' },
  generator: { key: 'generator', kind: { type: 'choice', choices: GENERATORS }, help: 'uniform source (xor4096: seedrandom-compatible)', default: 'xoshiro128++' },
  values: { key: 'values', kind: { type: 'boolean' }, help: 'include every path (network) in the output' },
} as const satisfies Record<string, OptionSpec>;

export const SDE_OPTIONS: readonly OptionSpec[] = [
  OPTION.activation,
  shared.m,
  { ...OPTION.rho0, help: 'initial correlation of every pair of inputs' },
  OPTION.x0,
  INPUT_OPTIONS.v0,
  INPUT_OPTIONS.inputs,
  OPTION.T,
  { ...OPTION.steps, default: 100 },
  { ...OPTION.solver, help: 'solver: euler-maruyama (the default) or the splitting scheme that stays in the PSD cone', default: 'euler-maruyama' },
  { key: 'extrapolate', kind: { type: 'boolean' }, help: 'Talay-Tubaro: final-time means from N and 2N steps on one Brownian path' },
  { key: 'saves', kind: { type: 'integer', min: 1, max: 1e6 }, help: 'equally spaced save times after t = 0 (a divisor of --steps)', default: 1 },
  { ...OPTION.paths, default: 1000 },
  shared.threshold,
  shared.generator,
  OPTION.architecture,
  OPTION.seed,
  shared.values,
];

export const NETWORK_OPTIONS: readonly OptionSpec[] = [
  { ...OPTION.activation, kind: { type: 'text', pattern: 'relu:<c+>,<c-> | tanh|sin|swish|softplus|gelu:<a> | relu|tanh|linear' }, help: 'activation (shaped, or an unshaped baseline)', check: (v, f) => void parseActivationSpec(v, f) },
  shared.m,
  { ...OPTION.rho0, help: 'input correlation of every pair' },
  OPTION.x0,
  INPUT_OPTIONS.v0,
  INPUT_OPTIONS.inputs,
  { key: 'n', kind: { type: 'integer', min: 1, max: 1 << 20 }, help: 'width', default: 128 },
  { key: 'T', kind: { type: 'number', min: 0, max: 1e4, exclusiveMin: true }, help: 'depth-to-width ratio: depth = round(T n) (default 1 unless --depth)', aliases: ['ratio'] },
  { key: 'depth', kind: { type: 'integer', min: 1, max: 1e7 }, help: 'depth (instead of --T)' },
  { ...OPTION.sampler, kind: { type: 'choice', choices: NETWORK_METHODS } },
  { ...OPTION.samples, default: 1000 },
  { key: 'record', kind: { type: 'integer', min: 1, max: 1e6 }, help: 'equally spaced layers to record', default: 1 },
  { key: 'outputs', kind: { type: 'integer', min: 1, max: 65536 }, help: 'output logits per network', default: 1 },
  shared.threshold,
  shared.generator,
  OPTION.architecture,
  OPTION.seed,
  shared.values,
];

/** The JSON summary to stdout or --out; with --out .npy/.npz the arrays (and the summary only with --json). */
function emit(values: Record<string, unknown>, summary: Record<string, unknown>, arrays: () => Parameters<typeof writeArrays>[2]): void {
  const out = values.out as string | undefined;
  const format = outputFormat(out);
  if (out === undefined || out === '-') process.stdout.write(jsonText(summary));
  else {
    if (format === 'json') writeFileAtomic(out, jsonText(summary));
    else writeArrays(out, format, arrays(), { schema: summary.schema, settings: summary.settings, shape: summary.shape, counts: summary.counts, statusNames: PATH_STATUS_NAMES });
    process.stderr.write(`wrote ${out}\n`);
    if (values.json) process.stdout.write(jsonText(summary));
  }
}

const OUT_HELP = { help: 'output file: .json (the summary), .npy (the values, float64) or .npz (values, times, status, settings)', default: undefined } as const;
const SDE_COMMAND_OPTIONS = [...SDE_OPTIONS, ...commonOptions({ help: `${OUT_HELP.help} (default: stdout)` }, { force: true })];
const NETWORK_COMMAND_OPTIONS = [...NETWORK_OPTIONS, ...commonOptions({ help: `${OUT_HELP.help} (default: stdout)` }, { force: true })];

/** What a result records of how it was made: the options that determined its numbers, as a later
 *  `--config` of the output takes them back (V0 whole, the architecture and activation as texts), and
 *  the kernels and package version that ran (the kernels give the same bits either way). */
function recordedSettings(values: Record<string, unknown>, keys: readonly string[], initial: { v0: number[][]; inputs?: number[][] }): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of keys) if (values[key] !== undefined && !['m', 'rho0', 'x0', 'v0', 'inputs'].includes(key)) settings[key] = values[key];
  return { ...settings, v0: initial.v0, ...(initial.inputs ? { inputs: initial.inputs } : {}), kernels: kernelsInUse(), version: PACKAGE_VERSION };
}

/** The keys of a table that determine a result's numbers (not where it goes or how many threads ran it). */
const RESULT_KEYS = (specs: readonly OptionSpec[]) => specs.map((s) => s.key).filter((k) => !['values'].includes(k));

export function sdeCommand(program: Command): void {
  const cmd = program.command('sde').description('Integrate the Neural Covariance SDE over many seeded paths; JSON summary (means with SEs)');
  addOptions(cmd, SDE_COMMAND_OPTIONS);
  addConfigOption(cmd);
  cmd.action(async () => {
    const { values: v, sources, where } = readCommand(cmd, SDE_COMMAND_OPTIONS);
    const flags = sources.flags ?? {};
    if (v.paths === undefined || (v.paths as number) < 2) throw new InputError(where('paths'), v.paths, 'must be at least 2 (a mean needs two paths)');
    const { v0, inputs } = initialCovariance(v, sources, where);
    const activation = parseActivation(v.activation, where('activation'));
    const architecture = parseArchitecture(v.architecture, where('architecture'));
    if (architecture.ignoresActivation && flags.activation !== undefined) note(`${where('activation')} is ignored: ${architecture.label} does not use an activation`);
    const scale = Math.max(...v0.map((row, i) => row[i]));
    const options: SolveOptions = {
      sde: architecture.sde(activation),
      solver: solverFromName(v.solver),
      t1: v.T as number,
      v0,
      stepping: constantSteps(v.steps as number),
      saveAt: saveAt({ count: v.saves as number }),
      paths: v.paths as number,
      seed: v.seed as number,
      brownian: brownianSampling({ generator: v.generator as 'xoshiro128++' }),
      explosion: explosionDetection({ threshold: (v.threshold as number) * scale }),
    };
    // The API is the one validator; its errors come back in the names the user wrote.
    asGiven(sources, () => buildSdeJob(options), { 'explosion.threshold': 'threshold', 'saveAt.count': 'saves', 'stepping.steps': 'steps', t1: 'T' });
    checkArchiveSize(prepareOutput(v.out as string | undefined), ((v.saves as number) + 1) * (v.paths as number) * v0.length ** 2, where('paths'), v.paths);
    const threads = threadsFrom(v, where);
    // Measured on one core (Node 20): about 3e7 path-steps x m^3 per second for either solver at m = 2..4;
    // Talay-Tubaro adds N and 2N steps.
    const m = v0.length;
    guardWork({
      seconds: ((v.paths as number) * (v.steps as number) * (v.extrapolate ? 4 : 1) * m ** 3) / 3e7 / threads,
      threads,
      force: v.force === true,
      drivers: [[where('paths'), v.paths], [where('steps'), v.steps], ...(m > 1 ? [[where('m'), m] as const] : []), ...(v.extrapolate ? [['--extrapolate', 'on'] as const] : [])],
    });
    const bar = await progressBar('sde');
    const sol = await solve({ ...options, threads, onProgress: bar.update });
    let extrapolated: unknown;
    if (v.extrapolate) {
      const entries: Record<string, (x: Float64Array) => number> = {};
      for (let i = 0; i < m; i++) for (let j = i; j < m; j++) entries[`${i},${j}`] = (x) => x[i * m + j];
      const e = await weakExpectations({ ...options, threads, extrapolate: true }, entries);
      extrapolated = { method: 'talay-tubaro', steps: [v.steps, 2 * (v.steps as number)], note: 'final-time means over all paths (an exploded path counts with its state at detection)', mean: e };
    }
    bar.stop();
    const summary = sdeSummary(sol, { architecture: architecture.label, sde: options.sde.description });
    emit(v, {
      ...summary,
      settings: recordedSettings({ ...v, architecture: architecture.text }, RESULT_KEYS(SDE_OPTIONS), { v0, ...(inputs ? { inputs } : {}) }),
      resolved: summary.settings,
      ...(extrapolated ? { extrapolated } : {}),
      ...(v.values ? { values: sol.values.data, status: sol.status, explosionTime: sol.explosionTime, repairs: sol.repairs } : {}),
    }, () => ({
      values: valuesArray(sol.values),
      ts: { dtype: 'f8', shape: [sol.ts.length], data: sol.ts },
      status: { dtype: 'i1', shape: [sol.status.length], data: sol.status },
      explosionTime: { dtype: 'f8', shape: [sol.explosionTime.length], data: sol.explosionTime },
      repairs: { dtype: 'i4', shape: [sol.repairs.length], data: Int32Array.from(sol.repairs) },
    }));
  });
}

export function networkCommand(program: Command): void {
  const cmd = program.command('network').description('Sample finite shaped networks (exact covariance chain or explicit weights); JSON summary');
  addOptions(cmd, NETWORK_COMMAND_OPTIONS);
  addConfigOption(cmd);
  cmd.action(async () => {
    const { values: v, sources, where } = readCommand(cmd, NETWORK_COMMAND_OPTIONS);
    const flags = sources.flags ?? {};
    if ((v.samples as number) < 2) throw new InputError(where('samples'), v.samples, 'must be at least 2 (a mean needs two networks)');
    if (v.T !== undefined && v.depth !== undefined) throw new InputError(where('depth'), v.depth, `conflicts with ${where('T')} (the depth is round(T n)); give one of them`);
    const { v0, inputs } = initialCovariance(v, sources, where);
    const activation = parseActivation(v.activation, where('activation'));
    const architecture = parseArchitecture(v.architecture, where('architecture'));
    if (architecture.ignoresActivation && flags.activation !== undefined) note(`${where('activation')} is ignored: ${architecture.label} does not use an activation`);
    const scale = Math.max(...v0.map((row, i) => row[i]));
    const options: NetworkOptions = {
      architecture,
      activation,
      n: v.n as number,
      depth: v.depth as number | undefined,
      ratio: (v.T as number | undefined) ?? (v.depth === undefined ? 1 : undefined),
      ...(inputs ? { inputs } : { v0 }),
      samples: v.samples as number,
      seed: v.seed as number,
      method: v.sampler as string,
      record: { count: v.record as number },
      outputs: v.outputs as number,
      explosion: { threshold: (v.threshold as number) * scale },
      streams: { generator: v.generator as 'xoshiro128++' },
    };
    const job = asGiven(sources, () => buildNetworkJob(options), { 'explosion.threshold': 'threshold', 'record.count': 'record', ratio: 'T', method: 'sampler' });
    checkArchiveSize(prepareOutput(v.out as string | undefined), job.recordLayers.length * job.m * job.m * (v.samples as number), where('samples'), v.samples);
    const threads = threadsFrom(v, where);
    // A large request runs a long time: say how long before starting (the chain does ~1e5 n=400 layer-samples/s).
    const work = (v.samples as number) * job.depth * (job.method === 'explicit' ? job.n * job.n : job.n) * job.m;
    const depthFlag: readonly [string, unknown] = v.depth !== undefined ? [where('depth'), job.depth] : [`depth ${job.depth} from ${where('T')}`, options.ratio];
    guardWork({
      seconds: work / (job.method === 'explicit' ? 4e8 : 1.5e8) / threads,
      threads,
      force: v.force === true,
      drivers: [[where('samples'), v.samples], [where('n'), job.n], depthFlag, [where('sampler'), job.method], ...(job.m > 1 ? [[where('m'), job.m] as const] : [])],
    });
    const bar = await progressBar('network');
    const sample = await sampleNetworks({ ...options, threads, onProgress: bar.update });
    bar.stop();
    const summary = networkSummary(sample);
    emit(v, {
      ...summary,
      settings: recordedSettings({ ...v, architecture: architecture.text, T: v.depth === undefined ? options.ratio : undefined }, RESULT_KEYS(NETWORK_OPTIONS), { v0, ...(inputs ? { inputs } : {}) }),
      resolved: summary.settings,
      ...(v.values ? { values: sample.values.data, logits: sample.logits.data, status: sample.status, explosionLayer: sample.explosionLayer } : {}),
    }, () => ({
      values: valuesArray(sample.values),
      layers: { dtype: 'i4', shape: [sample.layers.length], data: sample.layers },
      ts: { dtype: 'f8', shape: [sample.ts.length], data: sample.ts },
      status: { dtype: 'i1', shape: [sample.status.length], data: sample.status },
      explosionLayer: { dtype: 'i4', shape: [sample.explosionLayer.length], data: sample.explosionLayer },
      logits: valuesArray(sample.logits),
    }));
  });
}
