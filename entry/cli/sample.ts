// `ncsde sde` and `ncsde network`: integrate the SDE or sample finite networks from V0 and write a JSON
// summary (means with SEs at every save; --values adds every path), or with --out FILE.npy/.npz every
// path as NumPy arrays. Both build the same V0 from --m, --rho0 and --x0 (or a config's v0), check the
// output path and the work estimate before computing.
import type { Command } from 'commander';
import { parseActivation, parseActivationSpec } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/files.js';
import { asGiven, givenName, readOptions, type OptionSources, type OptionSpec } from '../../src/options.js';
import { GENERATORS } from '../../src/random/streams.js';
import { PATH_STATUS_NAMES } from '../../src/results.js';
import { buildNetworkJob, NETWORK_METHODS, sampleNetworks, type NetworkOptions } from '../../networks/index.js';
import { brownianSampling, buildSdeJob, constantSteps, saveAt, solve, solverFromName, weakExpectations, type SolveOptions } from '../../sde/index.js';
import { parseArchitecture } from '../../architectures/index.js';
import { OPTION } from '../../validation/options.js';
import { networkSummary, sdeSummary } from '../summaries.js';
import { checkArchiveSize, outputFormat, prepareOutput, valuesArray, writeArrays } from './arrays.js';
import { addCommonOptions, addForceOption, addOptions, flagTexts, guardWork, jsonText, note, progressBar, readConfigFile, threadsFrom } from './common.js';

const shared = {
  m: { key: 'm', kind: { type: 'integer', min: 1, max: 64 }, help: 'number of inputs', default: 2 },
  v0: { key: 'v0', kind: { type: 'matrix' }, help: 'V0 as a matrix (config only; replaces m, rho0 and x0)', flag: false },
  threshold: { ...OPTION.threshold, help: 'explosion threshold on max V^aa, in units of the largest input variance, the same rule as the other side' },
  generator: { key: 'generator', kind: { type: 'choice', choices: GENERATORS }, help: 'uniform source (xor4096: seedrandom-compatible)', default: 'xoshiro128++' },
  values: { key: 'values', kind: { type: 'boolean' }, help: 'include every path (network) in the output' },
} as const satisfies Record<string, OptionSpec>;

export const SDE_OPTIONS: readonly OptionSpec[] = [
  OPTION.activation,
  shared.m,
  { ...OPTION.rho0, help: 'initial correlation of every pair of inputs' },
  OPTION.x0,
  shared.v0,
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
  shared.v0,
  { key: 'n', kind: { type: 'integer', min: 1, max: 1 << 20 }, help: 'width', default: 128 },
  { key: 'ratio', kind: { type: 'number', min: 0, max: 1e4, exclusiveMin: true }, help: 'depth-to-width ratio T: depth = round(T n) (default 1 unless --depth)' },
  { key: 'depth', kind: { type: 'integer', min: 1, max: 1e7 }, help: 'depth (instead of --ratio)' },
  { ...OPTION.method, kind: { type: 'choice', choices: NETWORK_METHODS } },
  { ...OPTION.samples, default: 1000 },
  { key: 'record', kind: { type: 'integer', min: 1, max: 1e6 }, help: 'equally spaced layers to record', default: 1 },
  { key: 'outputs', kind: { type: 'integer', min: 1, max: 65536 }, help: 'output logits per network', default: 1 },
  shared.threshold,
  shared.generator,
  OPTION.architecture,
  OPTION.seed,
  shared.values,
];

/** V0 from m, rho0, x0 (equicorrelated), or the config's v0; conflicts refused, indefinite V0 named. */
function initialMatrix(values: Record<string, unknown>, sources: OptionSources): number[][] {
  const flags = sources.flags ?? {};
  const config = sources.config?.values;
  if (values.v0 !== undefined) {
    for (const key of ['m', 'rho0', 'x0']) {
      if (flags[key] !== undefined) throw new InputError(givenName(key, sources), flags[key], 'conflicts with the config\'s v0 (which sets V0 whole); give one of them');
      if (config?.[key] !== undefined) throw new InputError(key, config[key], 'conflicts with v0 in the same config; give one of them');
    }
    return values.v0 as number[][];
  }
  const m = values.m as number;
  const rho = values.rho0 as number;
  const x0 = values.x0 as number;
  // An equicorrelated matrix is PSD iff rho >= -1/(m-1).
  if (m > 1 && rho < -1 / (m - 1)) throw new InputError(givenName('rho0', sources), rho, `makes V0 indefinite for ${m} inputs: it must be >= ${(-1 / (m - 1)).toPrecision(4)} when ${givenName('m', sources)} is ${m}`);
  return Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? x0 : x0 * rho)));
}

/** The --extrapolate block: Talay-Tubaro final-time E V^ab per pair in the summary's layout and rule
 *  (cells { estimate, se, lo, hi, n } over the paths that did not explode in either solve). */
async function extrapolatedMeans(options: SolveOptions, m: number) {
  const entries: Record<string, (x: number[][] | number) => number> = {};
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) entries[`${i},${j}`] = (x) => (x as number[][])[i][j];
  const e = await weakExpectations({ ...options, saveAt: saveAt({ t1: true }), extrapolate: true, over: 'finished' }, entries);
  const first = e['0,0'];
  return {
    method: first.method,
    steps: first.steps,
    t: first.ts[first.ts.length - 1],
    averagedOver: { over: first.over, leftOut: first.leftOut, note: 'means over the paths that did not explode by the final time in either solve (N and 2N steps), the rule of the plain means' },
    mean: Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => e[`${i},${j}`].saves[0])),
  };
}

/** The JSON summary to stdout or --out; with --out .npy/.npz the arrays (and the summary only with --json). */
function emit(cmd: Command, summary: Record<string, unknown>, arrays: () => Parameters<typeof writeArrays>[2]): void {
  const out = cmd.opts().out as string | undefined;
  const format = outputFormat(out);
  if (out === undefined || out === '-') process.stdout.write(jsonText(summary));
  else {
    if (format === 'json') writeFileAtomic(out, jsonText(summary));
    else writeArrays(out, format, arrays(), { schema: summary.schema, settings: summary.settings, shape: summary.shape, counts: summary.counts, statusNames: PATH_STATUS_NAMES });
    process.stderr.write(`wrote ${out}\n`);
    if (cmd.opts().json) process.stdout.write(jsonText(summary));
  }
}

function checkOut(cmd: Command) {
  return prepareOutput(cmd.opts().out as string | undefined);
}

export function sdeCommand(program: Command): void {
  const cmd = program.command('sde').description('Integrate the Neural Covariance SDE over many seeded paths; JSON summary (means with SEs)');
  addOptions(cmd, SDE_OPTIONS);
  addCommonOptions(cmd, { help: 'output file: .json (the summary), .npy (the values, float64) or .npz (values, times, status, settings)', default: 'stdout' });
  addForceOption(cmd);
  cmd.action(async () => {
    const config = readConfigFile(cmd.opts().config);
    const flags = flagTexts(cmd, SDE_OPTIONS);
    const v = readOptions(SDE_OPTIONS, { config, flags });
    const sources = { config, flags };
    const where = (key: string) => givenName(key, sources);
    if (v.paths === undefined || (v.paths as number) < 2) throw new InputError(where('paths'), v.paths, 'must be at least 2 (a mean needs two paths)');
    const v0 = initialMatrix(v, sources);
    const activation = parseActivation(v.activation, where('activation'));
    const architecture = parseArchitecture(v.architecture, where('architecture'));
    if (architecture.ignoresActivation && flags.activation !== undefined) note(`${where('activation')} is ignored: ${architecture.label} does not use an activation`);
    const options: SolveOptions = {
      sde: architecture.sde(activation),
      solver: solverFromName(v.solver),
      T: v.T as number,
      v0,
      stepping: constantSteps(v.steps as number),
      saveAt: saveAt({ count: v.saves as number }),
      paths: v.paths as number,
      seed: v.seed as number,
      brownian: brownianSampling({ generator: v.generator as 'xoshiro128++' }),
      threshold: v.threshold as number,
    };
    // The API is the one validator; its errors come back in the names the user wrote.
    asGiven(sources, () => buildSdeJob(options), { 'saveAt.count': 'saves', 'stepping.steps': 'steps' });
    checkArchiveSize(checkOut(cmd), ((v.saves as number) + 1) * (v.paths as number) * v0.length ** 2, where('paths'), v.paths);
    const threads = threadsFrom(cmd);
    // Measured on one core (Node 20): about 3e7 path-steps x m^3 per second for either solver at m = 2..4;
    // Talay-Tubaro adds N and 2N steps.
    const m = v0.length;
    guardWork(cmd, {
      seconds: ((v.paths as number) * (v.steps as number) * (v.extrapolate ? 4 : 1) * m ** 3) / 3e7 / threads,
      threads,
      drivers: [[where('paths'), v.paths], [where('steps'), v.steps], ...(m > 1 ? [[where('m'), m] as const] : []), ...(v.extrapolate ? [['--extrapolate', 'on'] as const] : [])],
    });
    const bar = await progressBar('sde');
    const sol = await solve({ ...options, threads, onProgress: bar.update });
    let extrapolated: unknown;
    if (v.extrapolate) {
      extrapolated = await extrapolatedMeans({ ...options, threads }, m);
    }
    bar.stop();
    emit(cmd, {
      ...sdeSummary(sol, { architecture: architecture.label, sde: options.sde.description }),
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
  addOptions(cmd, NETWORK_OPTIONS);
  addCommonOptions(cmd, { help: 'output file: .json (the summary), .npy (the values, float64) or .npz (values, times, status, settings)', default: 'stdout' });
  addForceOption(cmd);
  cmd.action(async () => {
    const config = readConfigFile(cmd.opts().config);
    const flags = flagTexts(cmd, NETWORK_OPTIONS);
    const v = readOptions(NETWORK_OPTIONS, { config, flags });
    const sources = { config, flags };
    const where = (key: string) => givenName(key, sources);
    if ((v.samples as number) < 2) throw new InputError(where('samples'), v.samples, 'must be at least 2 (a mean needs two networks)');
    const v0 = initialMatrix(v, sources);
    const activation = parseActivation(v.activation, where('activation'));
    const architecture = parseArchitecture(v.architecture, where('architecture'));
    if (architecture.ignoresActivation && flags.activation !== undefined) note(`${where('activation')} is ignored: ${architecture.label} does not use an activation`);
    const options: NetworkOptions = {
      architecture,
      activation,
      n: v.n as number,
      depth: v.depth as number | undefined,
      T: (v.ratio as number | undefined) ?? (v.depth === undefined ? 1 : undefined),
      v0,
      samples: v.samples as number,
      seed: v.seed as number,
      sampler: v.method as string,
      record: { count: v.record as number },
      outputs: v.outputs as number,
      threshold: v.threshold as number,
      streams: { generator: v.generator as 'xoshiro128++' },
    };
    const job = asGiven(sources, () => buildNetworkJob(options), { 'record.count': 'record', T: 'ratio', sampler: 'method' });
    checkArchiveSize(checkOut(cmd), job.recordLayers.length * job.m * job.m * (v.samples as number), where('samples'), v.samples);
    const threads = threadsFrom(cmd);
    // A large request runs a long time: say how long before starting (the chain does ~1e5 n=400 layer-samples/s).
    const work = (v.samples as number) * job.depth * (job.method === 'explicit' ? job.n * job.n : job.n) * job.m;
    const depthFlag: readonly [string, unknown] = v.depth !== undefined ? [where('depth'), job.depth] : [`depth ${job.depth} from ${where('ratio')}`, options.T];
    guardWork(cmd, {
      seconds: work / (job.method === 'explicit' ? 4e8 : 1.5e8) / threads,
      threads,
      drivers: [[where('samples'), v.samples], [where('n'), job.n], depthFlag, [where('method'), job.method], ...(job.m > 1 ? [[where('m'), job.m] as const] : [])],
    });
    const bar = await progressBar('network');
    const sample = await sampleNetworks({ ...options, threads, onProgress: bar.update });
    bar.stop();
    emit(cmd, {
      ...networkSummary(sample),
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

