// `ncsde scan` (run a scan, or this process's shard of it), `scan merge`, `scan report` and `scan slurm`
// (the sbatch scripts of an array scan and its merge). Every scan writes scan.csv, scan.json and a
// report.html of heatmaps; shards merge into the bytes of an unsharded run.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { InputError } from '../../src/errors.js';
import { prepareOutputDir, prepareOutputFile, writeFileAtomic } from '../../src/files.js';
import {
  flagName,
  givenName,
  parseOptionText,
  readOptions,
  type OptionSources,
  type OptionSpec,
} from '../../src/options.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { POINT_OPTIONS } from '../../validation/options.js';
import {
  expandGrid,
  gridFromFlags,
  AXIS_KEYS,
  mergeScanShards,
  parseShard,
  progressFiles,
  readScanResult,
  resolveScan,
  runScan,
  scanHash,
  scanKind,
  scanKindHelp,
  SCAN_KIND_NAMES,
  SCAN_KIND_TABLE,
  shardFromEnvironment,
  type ScanConfig,
  type ScanRenderer,
  type ScanResult,
} from '../../validation/scan.js';
import { loadInputFiles } from './inputs.js';
import { addOptions, commonOptions, flagTexts, jsonText, note, once, readConfigFile, threadsFrom } from './common.js';
import { startProgress } from './progress.js';

/** Base flags of every kind (their values are checked by the chosen kind's own table). */
const KIND_SPECS = SCAN_KIND_NAMES.map((k) => SCAN_KIND_TABLE[k].options);
const BASE_KEYS = [...new Set(KIND_SPECS.flatMap((specs) => specs.map((s) => s.key)))].filter((k) => k !== 'seed');
const BASE_FLAGS: readonly OptionSpec[] = BASE_KEYS.map((key) => {
  const spec = POINT_OPTIONS.find((s) => s.key === key) ?? KIND_SPECS.flat().find((s) => s.key === key)!;
  return { ...spec, default: undefined, help: `${spec.help} (base of every point; its default depends on --kind)` };
});

function reportRenderer(options: { stats?: string[]; x?: string; y?: string } = {}): ScanRenderer {
  return async (result: ScanResult) => {
    const { scanHtml } = await import('../reports.js');
    return [['report.html', await scanHtml(result, options)]];
  };
}

/** What a scan run takes besides its points: the CLI-side options, each also a key of a scan config. */
const RUN_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'shard',
    kind: { type: 'text', pattern: 'i/k' },
    help: 'run the points with index % k == i (default: the array task of Slurm or Kubernetes, else all)',
  },
  ...commonOptions({ help: 'output directory (a rerun resumes)', default: 'ncsde-scan' }),
];

/**
 * The scan described by --config, --kind, base flags, --grid and --seed, and the run options (out,
 * threads, json, shard). A scan config follows the rule of every config: its keys are the option names
 * (kind, grid, seed, the base options of the kind, out, threads, json, shard), flags win; the older form
 * with the base options under `base` is read too.
 */
function scanFrom(
  cmd: Command,
  runSpecs: readonly OptionSpec[] = RUN_OPTIONS,
): { scan: ScanConfig; run: Record<string, unknown>; where: (key: string) => string } {
  const opts = cmd.opts();
  const file = readConfigFile(opts.config);
  const source = file?.source ?? '';
  const given = { ...(file?.values ?? {}) };
  // Split a flat config: the run options and the scan's own keys; every other key is a base option.
  const runValues: Record<string, unknown> = {};
  for (const spec of runSpecs)
    if (spec.key in given) {
      runValues[spec.key] = given[spec.key];
      delete given[spec.key];
    }
  const scanKeys = ['kind', 'grid', 'seed', 'base'];
  const flatBase = Object.fromEntries(Object.entries(given).filter(([k]) => !scanKeys.includes(k)));
  if (Object.keys(flatBase).length > 0 && given.base !== undefined)
    throw new InputError(
      `${source}: base`,
      given.base,
      'conflicts with base options given at the top level of the same config; give them one way',
    );
  const config: Record<string, unknown> = Object.fromEntries(
    Object.entries(given).filter(([k]) => scanKeys.includes(k)),
  );
  if (Object.keys(flatBase).length > 0) config.base = flatBase;
  const runSources: OptionSources = { config: { values: runValues, source }, flags: flagTexts(cmd, runSpecs) };
  const run = readOptions(runSpecs, runSources);
  // Old spellings (--method) count as their keys.
  const base = flagTexts(cmd, BASE_FLAGS) as Record<string, string>;
  const kind = scanKind(
    (opts.kind as string | undefined) ?? (config.kind as string | undefined) ?? SCAN_KIND_NAMES[0],
    opts.kind !== undefined ? '--kind' : `${source}: kind`,
  ).name;
  const allowed = SCAN_KIND_TABLE[kind].options.map((s) => s.key);
  for (const key of Object.keys(base))
    if (!allowed.includes(key))
      throw new InputError(
        `--${flagName(key)}`,
        base[key],
        `does not apply to ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} scan (its options: ${allowed.filter((k) => k !== 'seed').join(', ')})`,
      );
  const seed =
    opts.seed === undefined
      ? undefined
      : (parseOptionText({ key: 'seed', kind: { type: 'seed' }, help: '' }, opts.seed as string) as number);
  const resolved = resolveScan(config, source, {
    base,
    grid: gridFromFlags((opts.grid as string[]) ?? []),
    kind: opts.kind as string | undefined,
    seed,
  });
  // A base V0 or input file is read now: the scan (and its hash, and every shard) holds the rows.
  const loaded = loadInputFiles(resolved.base, (key) =>
    base[key] !== undefined ? `--${flagName(key)}` : `${source}: ${key}`,
  );
  // With V0 given whole, m, rho0 and x0 are V0's: their defaults are dropped (values the user gave stay, to be checked against it).
  if (loaded.v0 !== undefined || loaded.inputs !== undefined) {
    const userBase = { ...((config.base as Record<string, unknown> | undefined) ?? {}), ...base };
    for (const key of ['m', 'rho0', 'x0']) if (!(key in userBase)) delete loaded[key];
  }
  const scan = { ...resolved, base: loaded };
  return { scan, run, where: (key: string) => givenName(key, runSources) };
}

function addScanOptions(cmd: Command): Command {
  cmd.option(
    '--kind <name>',
    `what each point computes: ${scanKindHelp()} (default: ${SCAN_KIND_NAMES[0]})`,
    once('--kind'),
  );
  cmd.option(
    '--grid <axis=v1,v2,...>',
    `a grid axis (repeatable): ${AXIS_KEYS.join(', ')}`,
    (value: string, previous: string[] = []) => [...previous, value],
  );
  addOptions(cmd, BASE_FLAGS);
  cmd.option(
    '--seed <int>',
    'seed shared by every point (common random numbers across the grid) (default: 1)',
    once('--seed'),
  );
  return cmd;
}

function summary(result: ScanResult, dir: string, shard?: { index: number; count: number }) {
  return {
    schema: result.schema,
    hash: result.hash,
    kind: result.scan.kind,
    points: result.points,
    rows: result.rows.length,
    shard: shard ?? null,
    dir,
  };
}

export function scanCommands(program: Command): void {
  const scan = program
    .command('scan')
    .description(
      'Scan a grid of shaping constants, beta, x0, T, n, rho0, architectures: resumable, lockable, shardable (--shard i/k, or a Slurm array task); writes scan.csv, scan.json and report.html',
    )
    .enablePositionalOptions()
    .passThroughOptions();
  addScanOptions(scan);
  addOptions(scan, RUN_OPTIONS);
  scan.option(
    '--config <file>',
    'JSON scan config: its keys are the option names (kind, grid as { axis: [values] }, seed, the base options, out, threads, json, shard), flags win',
    once('--config'),
  );
  scan.action(async () => {
    const { scan: config, run: opts, where } = scanFrom(scan);
    const points = expandGrid(config);
    const shard = opts.shard !== undefined ? parseShard(opts.shard as string) : (shardFromEnvironment() ?? undefined);
    const out = opts.out as string;
    prepareOutputDir(where('out'), out);
    const threads = threadsFrom(opts, where);
    const label = shard ? `scan ${shard.index}/${shard.count}` : 'scan';
    const bar = await startProgress(label, { leaves: `the finished points stay in ${out}; the same command resumes` });
    // The first count comes once the scan holds its lock and has read what an earlier run finished.
    let begun = false;
    const onPoint = (done: number, total: number) => {
      if (!begun)
        bar.stage(
          `${label}: ${total} points on ${threads} thread${threads > 1 ? 's' : ''}${done > 0 ? `, ${done} done before` : ''}`,
        );
      begun = true;
      bar.update(done, total);
    };
    const result = await runScan(config, {
      outDir: out,
      field: '--out',
      shard,
      threads,
      onPoint,
      render: reportRenderer(),
    });
    bar.stop();
    process.stderr.write(
      `${result.rows.length} of ${points.length} points in ${out}${shard && shard.count > 1 ? ` (shard ${shard.index}/${shard.count}; merge with ncsde scan merge ${out})` : ''}\n`,
    );
    if (opts.json) process.stdout.write(jsonText(summary(result, out, shard)));
  });

  const merge = scan
    .command('merge')
    .description(
      'Merge shard progress files (or a directory holding them) into scan.csv, scan.json and report.html, byte for byte an unsharded run',
    )
    .argument('<paths...>', 'shard files scan.shard-i-of-k.jsonl, or one directory holding them')
    .option('--out <dir>', 'output directory (default: the directory given, else ncsde-scan)', once('--out'))
    .option('--json', 'print a JSON summary on stdout');
  merge.action(async (paths: string[]) => {
    const opts = merge.opts();
    const single = paths.length === 1 && existsSync(paths[0]) && statSync(paths[0]).isDirectory();
    const files = single ? progressFiles(paths[0]).filter((f) => !f.endsWith('/scan.jsonl')) : paths;
    if (single && files.length === 0)
      throw new InputError(paths[0], 'no shard files', 'holds no scan.shard-i-of-k.jsonl to merge');
    for (const f of files)
      if (!existsSync(f))
        throw new InputError(f, 'missing', 'does not exist (a shard progress file scan.shard-i-of-k.jsonl)');
    const out = (opts.out as string | undefined) ?? (single ? paths[0] : 'ncsde-scan');
    const result = await mergeScanShards(files, out, { field: '--out', render: reportRenderer() });
    process.stderr.write(
      `merged ${result.rows.length} points from ${files.length} shard file${files.length > 1 ? 's' : ''} into ${join(out, 'scan.{csv,json}')} and report.html\n`,
    );
    if (opts.json) process.stdout.write(jsonText(summary(result, out)));
  });

  const report = scan
    .command('report')
    .description('Render report.html again from a finished scan directory')
    .argument('<dir>', 'a finished scan directory (with scan.json)')
    .option('--stats <a,b,...>', 'columns to draw as heatmaps (default: by kind)', once('--stats'))
    .option('--x <axis>', 'axis across', once('--x'))
    .option('--y <axis>', 'axis up', once('--y'))
    .option('--out <file>', 'output HTML file (default: <dir>/report.html)', once('--out'));
  report.action(async (dir: string) => {
    const opts = report.opts();
    const result = readScanResult(dir);
    const out = (opts.out as string | undefined) ?? join(dir, 'report.html');
    prepareOutputFile('--out', out);
    const [[, html]] = await reportRenderer({
      stats: opts.stats ? (opts.stats as string).split(',') : undefined,
      x: opts.x,
      y: opts.y,
    })(result);
    writeFileAtomic(out, html);
    process.stderr.write(`wrote ${out}\n`);
  });

  const slurm = scan
    .command('slurm')
    .description(
      'Write the sbatch scripts of an array scan (one task per shard) and of the merge that runs after all succeed',
    );
  addScanOptions(slurm);
  slurm
    .option('--config <file>', 'JSON scan config ({ kind, base, grid, seed })', once('--config'))
    .option('--tasks <int>', 'array tasks (shards)', once('--tasks'))
    .option('--out <dir>', 'scan directory on a filesystem every node sees (default: ncsde-scan)', once('--out'))
    .option('--partition <name>', 'Slurm partition', once('--partition'))
    .option('--time <limit>', 'Slurm time limit per task, e.g. 02:00:00', once('--time'))
    .option(
      '--cpus-per-task <int>',
      'CPUs per task (the scan uses them as threads) (default: 2)',
      once('--cpus-per-task'),
    )
    .option('--mem <size>', 'memory per task, e.g. 4G', once('--mem'))
    .option('--json', 'print a JSON summary on stdout');
  slurm.action(async () => {
    const opts = slurm.opts();
    if (opts.tasks === undefined)
      throw new InputError('--tasks', undefined, 'is required: the number of array tasks (shards)');
    const tasks = parseOptionText(
      { key: 'tasks', kind: { type: 'integer', min: 1, max: 100_000 }, help: '' },
      opts.tasks as string,
      '--tasks',
    ) as number;
    const cpus =
      opts.cpusPerTask === undefined
        ? 2
        : (parseOptionText(
            { key: 'cpus', kind: { type: 'integer', min: 1, max: 4096 }, help: '' },
            opts.cpusPerTask as string,
            '--cpus-per-task',
          ) as number);
    for (const [flag, value, pattern] of [
      ['--partition', opts.partition, /^[A-Za-z0-9_.,-]+$/],
      ['--time', opts.time, /^[0-9:-]+$/],
      ['--mem', opts.mem, /^[0-9]+[KMGT]?$/],
    ] as const) {
      if (value !== undefined && !pattern.test(value as string))
        throw new InputError(flag, value, `must match ${pattern.source}`);
    }
    const { scan: config } = scanFrom(slurm, []);
    const points = expandGrid(config).length;
    if (tasks > points) throw new InputError('--tasks', tasks, `must not exceed the scan's ${points} points`);
    const dir = resolve((opts.out as string | undefined) ?? 'ncsde-scan');
    prepareOutputDir('--out', dir);
    prepareOutputDir('--out', join(dir, 'slurm'));
    const files = slurmScripts(config, { dir, tasks, cpus, partition: opts.partition, time: opts.time, mem: opts.mem });
    for (const [name, text] of files) writeFileAtomic(join(dir, name), text);
    process.stderr.write(
      `wrote ${files.map(([n]) => join(dir, n)).join(', ')}\nsubmit with: bash ${join(dir, 'slurm', 'submit.sh')}\n`,
    );
    if (points % tasks !== 0) note(`${points} points over ${tasks} tasks: shards differ in size by one point`);
    if (opts.json)
      process.stdout.write(
        jsonText({ hash: scanHash(config), points, tasks, dir, submit: join(dir, 'slurm', 'submit.sh') }),
      );
  });
}

/** This CLI's script and the Node flags it needs (tsx when it runs from the TypeScript sources). */
function selfCli(): { script: string; nodeArgs: string } {
  const source = import.meta.url.endsWith('.ts');
  return {
    script: fileURLToPath(new URL(source ? '../cli.ts' : '../cli.js', import.meta.url)),
    nodeArgs: source ? '--import tsx' : '',
  };
}

/**
 * The lines of an sbatch script that find Node and this package's CLI on the node that runs it: Node from
 * the node's PATH (module load, nvm, ...) or NCSDE_NODE, never the path of the Node that wrote the script;
 * the CLI from NCSDE_CLI, else the install that wrote the script, else `ncsde` on PATH, else the package as
 * Node resolves it from the submit directory; the first that reports this version (the one that wrote the
 * scan) is used, and none is a one-line error naming what was tried.
 */
function locateCli(cli: { script: string; nodeArgs: string }): string {
  const version = PACKAGE_VERSION;
  const resolveFromSubmitDir = `const p = require.resolve('neural-covariance-sde/package.json', { paths: [process.env.SLURM_SUBMIT_DIR || process.cwd()] }); process.stdout.write(require('path').join(require('path').dirname(p), require(p).bin.ncsde))`;
  return `# Node from PATH on this node (or NCSDE_NODE); the CLI of ncsde ${version}, the version that wrote this scan.
node=\${NCSDE_NODE:-$(command -v node || true)}
if [ -z "$node" ]; then echo "ncsde: no node on PATH on $HOSTNAME (load Node 20.16 or later, or set NCSDE_NODE)" >&2; exit 127; fi
tried=""
for candidate in \${NCSDE_CLI:+"$NCSDE_CLI"} ${shellQuote(cli.script)} "$(command -v ncsde || true)" "$("$node" -e ${shellQuote(resolveFromSubmitDir)} 2>/dev/null || true)"; do
  [ -n "$candidate" ] && [ -f "$candidate" ] || continue
  tried="$tried $candidate"
  if [ "$("$node"${cli.nodeArgs ? ` ${cli.nodeArgs}` : ''} "$candidate" --version 2>/dev/null)" = ${shellQuote(version)} ]; then ncsde_cli=$candidate; break; fi
done
if [ -z "\${ncsde_cli:-}" ]; then echo "ncsde: no ncsde ${version} on $HOSTNAME (tried NCSDE_CLI, the install that wrote this script, ncsde on PATH, neural-covariance-sde from the submit directory:\${tried:- none found})" >&2; exit 127; fi`;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The files of an array scan: scan.config.json (the resolved scan, so every task runs the same hash),
 * slurm/array.sbatch (task i runs shard i of k, read from SLURM_ARRAY_TASK_ID and _COUNT), slurm/merge.sbatch
 * and slurm/submit.sh (submits the array, then the merge with --dependency=afterok on it). `cli` is the script
 * the sbatch files try first (default: this CLI); they find Node on the node's PATH.
 */
export function slurmScripts(
  config: ScanConfig,
  o: {
    dir: string;
    tasks: number;
    cpus: number;
    partition?: string;
    time?: string;
    mem?: string;
    cli?: { script: string; nodeArgs: string };
  },
): Array<[string, string]> {
  const cli = o.cli ?? selfCli();
  const locate = locateCli(cli);
  const ncsde = `"$node"${cli.nodeArgs ? ` ${cli.nodeArgs}` : ''} "$ncsde_cli"`;
  const d = shellQuote(o.dir);
  const headers = (name: string, extra: string[]) =>
    [
      '#!/bin/bash',
      `#SBATCH --job-name=${name}`,
      ...extra,
      `#SBATCH --cpus-per-task=${o.cpus}`,
      ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
      ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
      ...(o.mem ? [`#SBATCH --mem=${o.mem}`] : []),
    ].join('\n');
  const hash = scanHash(config);
  const array = `${headers(`ncsde-scan-${hash.slice(0, 8)}`, [`#SBATCH --array=0-${o.tasks - 1}`, `#SBATCH --output=${o.dir}/slurm/task-%a.out`])}
# ncsde ${PACKAGE_VERSION}, scan ${hash}: task i runs shard i of ${o.tasks} (from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT).
set -euo pipefail
${locate}
exec ${ncsde} scan --config ${d}/scan.config.json --out ${d} --threads "\${SLURM_CPUS_PER_TASK:-${o.cpus}}"
`;
  const merge = `${headers(`ncsde-merge-${hash.slice(0, 8)}`, [`#SBATCH --output=${o.dir}/slurm/merge.out`])}
# Runs after every array task succeeded (submit.sh sets --dependency=afterok); refuses missing or foreign shards.
set -euo pipefail
${locate}
exec ${ncsde} scan merge ${d}
`;
  const submit = `#!/bin/bash
# Submit the array scan, then its merge once every task has succeeded.
set -euo pipefail
cd ${d}
array=$(sbatch --parsable slurm/array.sbatch)
array=\${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:\${array} slurm/merge.sbatch)
echo "array job \${array}, merge job \${merge%%;*}"
`;
  return [
    ['scan.config.json', JSON.stringify(config, null, 1) + '\n'],
    ['slurm/array.sbatch', array],
    ['slurm/merge.sbatch', merge],
    ['slurm/submit.sh', submit],
  ];
}
