#!/usr/bin/env node
// The `ncsde` command line: sde, network, validate, scan (and scan merge), criterion, cumulants.
// Each command takes flags or a JSON config (validated, one-line errors) and writes JSON (and for
// reports Markdown and HTML) under --out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { parseActivation } from './activations/index.js';
import { equicorrelated, networkCommandSchema, readConfigFile, sdeCommandSchema } from './cliConfig.js';
import { InputError } from './errors.js';
import { meanEstimate } from './stats.js';
import { PACKAGE_VERSION } from './version.js';
import { sampleNetworks } from '../networks/index.js';
import { constantSteps, covarianceSde, explosionDetection, saveAt, solve, PATH_STATUS_NAMES } from '../sde/index.js';
import { parseConfig, scanSchema, validationSchema } from '../validation/config.js';
import { criterion } from '../validation/criterion.js';
import { criterionHtml, criterionMarkdown, criterionReport, criterionSchema } from '../validation/criterionReport.js';
import { cumulantHtml, cumulantMarkdown, cumulantReport, cumulantSchema } from '../validation/cumulantReport.js';
import { validationHtml, validationMarkdown } from '../validation/render.js';
import { gridFromFlags, mergeScanShards, parseShard, runScan } from '../validation/scan.js';
import { validate } from '../validation/validate.js';

const number = (flag: string) => (value: string) => {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${flag} must be a number (got ${JSON.stringify(value)})`);
  return x;
};
const integer = (flag: string) => (value: string) => {
  const x = number(flag)(value);
  if (!Number.isInteger(x)) throw new InvalidArgumentError(`${flag} must be an integer (got ${value})`);
  return x;
};
const seedArg = (value: string) => (/^\d+$/.test(value) ? Number(value) : value);
const collect = (value: string, previous: string[]) => [...previous, value];

function threadsOf(options: { threads?: number }): number {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new InputError('--threads', threads, 'must be an integer >= 1');
  return threads;
}

function progressBar(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function writeJson(path: string | undefined, data: unknown): void {
  const text = JSON.stringify(data, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v), 1) + '\n';
  if (path === undefined || path === '-') process.stdout.write(text);
  else {
    writeFileSync(path, text);
    process.stderr.write(`wrote ${path}\n`);
  }
}

/** Flags given on the command line override the config file; undefined flags are dropped. */
function merged(config: Record<string, unknown>, flags: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...config };
  for (const key of keys) if (flags[key] !== undefined) out[key] = flags[key];
  return out;
}

/** Mean and SE of each matrix entry at each save: the summary that the sde and network commands print. */
function entrySummary(values: { get(...i: number[]): number; shape: number[] }, status: Uint8Array) {
  const [saves, paths, side] = values.shape;
  return Array.from({ length: saves }, (_, s) =>
    Array.from({ length: side }, (_, i) =>
      Array.from({ length: side }, (_, j) => {
        const xs: number[] = [];
        for (let p = 0; p < paths; p++) if (status[p] !== 1) xs.push(values.get(s, p, i, j));
        return xs.length >= 2 ? meanEstimate(xs) : null;
      }),
    ),
  );
}

const program = new Command()
  .name('ncsde')
  .description('The Neural Covariance SDE and finite shaped networks: integrate, sample, validate, scan.')
  .version(PACKAGE_VERSION)
  .showHelpAfterError();

program
  .command('sde')
  .description('Integrate the Neural Covariance SDE (Euler-Maruyama) over many seeded paths')
  .option('--config <file>', 'JSON config (keys: the long flag names)')
  .option('--activation <spec>', 'relu:<c+>,<c-> | tanh|sin|swish|softplus|gelu:<a>')
  .option('--m <int>', 'number of inputs', integer('--m'))
  .option('--rho0 <x>', 'initial correlation of every pair (V0 has unit diagonal)', number('--rho0'))
  .option('--T <x>', 'final time', number('--T'))
  .option('--steps <int>', 'Euler-Maruyama steps', integer('--steps'))
  .option('--paths <int>', 'number of paths', integer('--paths'))
  .option('--saves <int>', 'equally spaced save times (a divisor of steps)', integer('--saves'))
  .option('--threshold <x>', 'explosion threshold on max V^aa', number('--threshold'))
  .option('--values', 'include every path value in the output')
  .option('--seed <seed>', 'seed (integer or string)', seedArg)
  .option('--threads <int>', 'worker threads (default: all cores)', integer('--threads'))
  .option('--out <file>', 'output JSON file (default stdout)')
  .action(async (flags) => {
    const cfg = parseConfig(sdeCommandSchema, merged(readConfigFile(flags.config), flags, Object.keys(sdeCommandSchema.shape)), flags.config ?? 'flags');
    const activation = parseActivation(cfg.activation, 'activation');
    const bar = progressBar('sde');
    const sol = await solve({
      sde: covarianceSde(activation),
      t1: cfg.T,
      v0: cfg.v0 ?? equicorrelated(cfg.m, cfg.rho0),
      stepping: constantSteps(cfg.steps),
      saveAt: saveAt({ count: cfg.saves }),
      paths: cfg.paths,
      seed: cfg.seed,
      explosion: explosionDetection({ threshold: cfg.threshold }),
      threads: threadsOf(flags),
      onProgress: bar.update,
    });
    bar.stop();
    writeJson(flags.out, {
      schema: 'ncsde.sde/1',
      settings: sol.settings,
      shape: sol.values.shape,
      ts: sol.ts,
      counts: sol.counts,
      statusNames: PATH_STATUS_NAMES,
      mean: entrySummary(sol.values, sol.status),
      ...(cfg.values ? { values: sol.values.data, status: sol.status, explosionTime: sol.explosionTime, repairs: sol.repairs } : {}),
    });
  });

program
  .command('network')
  .description('Sample finite shaped networks (exact covariance chain or explicit weights)')
  .option('--config <file>', 'JSON config (keys: the long flag names)')
  .option('--activation <spec>', 'relu:<c+>,<c-> | tanh|...:<a> | relu|tanh|linear (unshaped)')
  .option('--m <int>', 'number of inputs', integer('--m'))
  .option('--rho0 <x>', 'input correlation of every pair', number('--rho0'))
  .option('--n <int>', 'width', integer('--n'))
  .option('--ratio <x>', 'depth-to-width ratio T (depth = round(T n))', number('--ratio'))
  .option('--depth <int>', 'depth (instead of --ratio)', integer('--depth'))
  .option('--method <name>', 'chain | explicit')
  .option('--samples <int>', 'number of networks', integer('--samples'))
  .option('--record <int>', 'equally spaced layers to record', integer('--record'))
  .option('--outputs <int>', 'output logits per network', integer('--outputs'))
  .option('--threshold <x>', 'explosion threshold on max V^aa', number('--threshold'))
  .option('--values', 'include every sample in the output')
  .option('--seed <seed>', 'seed (integer or string)', seedArg)
  .option('--threads <int>', 'worker threads (default: all cores)', integer('--threads'))
  .option('--out <file>', 'output JSON file (default stdout)')
  .action(async (flags) => {
    const cfg = parseConfig(networkCommandSchema, merged(readConfigFile(flags.config), flags, Object.keys(networkCommandSchema.shape)), flags.config ?? 'flags');
    const activation = parseActivation(cfg.activation, 'activation');
    const bar = progressBar('network');
    const sample = await sampleNetworks({
      activation,
      n: cfg.n,
      depth: cfg.depth,
      ratio: cfg.depth === undefined ? (cfg.ratio ?? 1) : undefined,
      v0: cfg.v0 ?? equicorrelated(cfg.m, cfg.rho0),
      samples: cfg.samples,
      seed: cfg.seed,
      method: cfg.method,
      record: { count: cfg.record },
      outputs: cfg.outputs,
      explosion: { threshold: cfg.threshold },
      threads: threadsOf(flags),
      onProgress: bar.update,
    });
    bar.stop();
    writeJson(flags.out, {
      schema: 'ncsde.network/1',
      settings: sample.settings,
      shape: sample.values.shape,
      layers: sample.layers,
      ts: sample.ts,
      counts: sample.counts,
      mean: entrySummary(sample.values, sample.status),
      ...(cfg.values ? { values: sample.values.data, logits: sample.logits.data, status: sample.status, explosionLayer: sample.explosionLayer } : {}),
    });
  });

program
  .command('validate')
  .description('SDE against finite networks: statistics, distances, convergence in width; JSON, Markdown and HTML report')
  .option('--config <file>', 'JSON config (activation, rho0, T, n, widths, sde, network, seed)')
  .option('--seed <seed>', 'seed (integer or string)', seedArg)
  .option('--out <dir>', 'output directory', 'ncsde-report')
  .option('--threads <int>', 'worker threads (default: all cores)', integer('--threads'))
  .action(async (flags) => {
    const config = readConfigFile(flags.config);
    if (flags.seed !== undefined) config.seed = flags.seed;
    parseConfig(validationSchema, config, flags.config ?? 'config');
    const started = performance.now();
    const report = await validate(config, {
      threads: threadsOf(flags),
      onStage: (stage) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${stage}\n`),
    });
    mkdirSync(flags.out, { recursive: true });
    writeFileSync(join(flags.out, 'validation.json'), JSON.stringify(report, null, 1) + '\n');
    const md = validationMarkdown(report);
    writeFileSync(join(flags.out, 'validation.md'), md);
    writeFileSync(join(flags.out, 'validation.html'), await validationHtml(report));
    process.stdout.write(md);
    process.stderr.write(`wrote ${join(flags.out, 'validation.{json,md,html}')} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  });

const scan = program
  .command('scan')
  .description('Scan shaping constants, T, n and rho0 on a grid; resumable, shardable (--shard i/k)')
  .option('--config <file>', 'JSON config { base: {...}, grid: { cMinus: [...], T: [...] }, seed }')
  .option('--grid <key=v1,v2>', 'grid axis (repeatable): activation, cPlus, cMinus, a, T, n, rho0', collect, [])
  .option('--seed <seed>', 'seed shared by every grid point (integer or string)', seedArg)
  .option('--out <dir>', 'output directory (re-running resumes)', 'ncsde-scan')
  .option('--shard <i/k>', 'run the points with index % k == i')
  .option('--threads <int>', 'worker threads (default: all cores)', integer('--threads'))
  .action(async (flags) => {
    const config = readConfigFile(flags.config);
    if (flags.grid.length) config.grid = { ...((config.grid as object) ?? {}), ...gridFromFlags(flags.grid) };
    if (flags.seed !== undefined) config.seed = flags.seed;
    if (config.grid === undefined) throw new InputError('grid', undefined, 'must be given by --grid key=values or in --config');
    parseConfig(scanSchema, config, flags.config ?? 'config');
    const bar = progressBar('scan');
    const result = await runScan(config, { outDir: flags.out, shard: flags.shard ? parseShard(flags.shard) : undefined, threads: threadsOf(flags), onPoint: bar.update });
    bar.stop();
    process.stderr.write(`${result.rows.length} of ${result.points} points in ${flags.out}\n`);
  });

scan
  .command('merge')
  .description('Merge shard .jsonl files into scan.csv and scan.json, equal to an unsharded run')
  .argument('<files...>', 'the shards\' scan.shard-i-of-k.jsonl files')
  .option('--out <dir>', 'output directory', 'ncsde-scan')
  .action((files: string[], flags) => {
    const result = mergeScanShards(files, flags.out);
    process.stderr.write(`merged ${result.rows.length} points into ${join(flags.out, 'scan.{csv,json}')}\n`);
  });

program
  .command('criterion')
  .description('The explosion criterion: beta, regime and P(explode); --report runs the catalog study')
  .option('--activation <spec>', 'a smooth shaped activation, e.g. swish:1')
  .option('--x0 <x>', 'initial variance X0', number('--x0'), 1)
  .option('--report', 'run the report over the catalog and a sweep of a (see --config)')
  .option('--config <file>', 'report config: activations, a, x0, ts, paths, stepsPerUnit, network, seed')
  .option('--seed <seed>', 'seed (integer or string)', seedArg)
  .option('--out <dir>', 'output directory for --report', 'ncsde-criterion')
  .option('--threads <int>', 'worker threads (default: all cores)', integer('--threads'))
  .action(async (flags) => {
    if (!flags.report) {
      if (!flags.activation) throw new InputError('--activation', undefined, 'is required unless --report is given');
      writeJson('-', criterion(parseActivation(flags.activation), flags.x0));
      return;
    }
    const config = readConfigFile(flags.config);
    if (flags.seed !== undefined) config.seed = flags.seed;
    parseConfig(criterionSchema, config, flags.config ?? 'config');
    const report = await criterionReport(config, { threads: threadsOf(flags), onRow: (label) => process.stderr.write(`${label}\n`) });
    mkdirSync(flags.out, { recursive: true });
    writeFileSync(join(flags.out, 'criterion.json'), JSON.stringify(report, null, 1) + '\n');
    const md = criterionMarkdown(report);
    writeFileSync(join(flags.out, 'criterion.md'), md);
    writeFileSync(join(flags.out, 'criterion.html'), await criterionHtml(report));
    process.stdout.write(md);
  });

program
  .command('cumulants')
  .description('Fourth cumulants of outputs and input derivatives against L/n, with finite-width theory')
  .option('--config <file>', 'config: widths, ratios, activations, samples, seed')
  .option('--seed <seed>', 'seed (integer or string)', seedArg)
  .option('--out <dir>', 'output directory', 'ncsde-cumulants')
  .option('--threads <int>', 'worker threads (default: all cores)', integer('--threads'))
  .action(async (flags) => {
    const config = readConfigFile(flags.config);
    if (flags.seed !== undefined) config.seed = flags.seed;
    parseConfig(cumulantSchema, config, flags.config ?? 'config');
    const report = await cumulantReport(config, { threads: threadsOf(flags), onRow: (label) => process.stderr.write(`${label}\n`) });
    mkdirSync(flags.out, { recursive: true });
    writeFileSync(join(flags.out, 'cumulants.json'), JSON.stringify(report, null, 1) + '\n');
    const md = cumulantMarkdown(report);
    writeFileSync(join(flags.out, 'cumulants.md'), md);
    writeFileSync(join(flags.out, 'cumulants.html'), await cumulantHtml(report));
    process.stdout.write(md);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof InputError) {
    process.stderr.write(`ncsde: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
});
