// `ncsde validate`, `ncsde criterion` and `ncsde cumulants`: one scaffold for commands that compute a
// report and write it as JSON, Markdown and self-contained HTML into a directory. The directory is
// checked before computing and replaced whole at the end (all files or none); the Markdown goes to
// stdout (or, with --json, a JSON summary), the time taken to stderr.
import type { Command } from 'commander';
import { parseActivation, shapedSmooth } from '../../src/activations/index.js';
import { InputError } from '../../src/errors.js';
import { prepareReportDir, writeReportDir } from '../../src/files.js';
import { asGiven, type OptionSpec } from '../../src/options.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../src/version.js';
import { VALIDATION_OPTIONS } from '../../validation/options.js';
import {
  CRITERION_OPTIONS,
  CRITERION_POINT_OPTIONS,
  CUMULANT_OPTIONS,
  criterionPoint,
  criterionReport,
  cumulantReport,
  planCriterion,
  readCriterionPointSettings,
  readCriterionSettings,
  readCumulantSettings,
} from '../../validation/studies.js';
import { readValidationSettings } from '../../validation/settings.js';
import { COLLAPSE_OPTIONS, collapseReport, readCollapseSettings } from '../../validation/collapse.js';
import { planValidation, validate } from '../../validation/validate.js';
import { isGiven } from '../../src/options.js';
import { loadInputFiles } from './inputs.js';
import {
  addConfigOption,
  addOptions,
  commonOptions,
  guardWork,
  jsonText,
  readCommand,
  refuseFlags,
  threadsFrom,
} from './common.js';
import { startProgress } from './progress.js';

interface ReportCommand<S, R> {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly defaultOut: string;
  /** Typed settings from the option values; cross-option checks. */
  readonly settings: (values: Record<string, unknown>) => S;
  /** Checks that need no computing (memory of every run), before the output directory is touched. */
  readonly plan?: (settings: S) => void;
  /** The run's work on the fixed-rate model (seconds on one thread) and the options that drive it, for the
   *  note before a long run and the 7-day refusal (`--force` lets it start). */
  readonly work?: (settings: S) => { seconds: number; drivers: ReadonlyArray<readonly [string, unknown]> };
  readonly run: (settings: S, threads: number, onStage: (stage: string) => void) => Promise<R>;
  /** How many times `run` calls onStage: the length of the progress bar. */
  readonly stages: (settings: S) => number;
  /** File stem: <stem>.json, <stem>.md, <stem>.html. */
  readonly stem: string;
  readonly markdown: (report: R) => Promise<string>;
  readonly html: (report: R) => Promise<string>;
  /** The JSON summary printed with --json. */
  readonly summary: (report: R) => unknown;
}

/** Register a report command from its description: the one scaffold behind validate, criterion, cumulants. */
function reportCommand<S, R>(
  program: Command,
  spec: ReportCommand<S, R>,
  extend?: (cmd: Command) => Command,
  /** Runs first; true when it did the command's work itself (criterion's point). `common` is the table of
   *  the options every report takes (out, threads, json). */
  before?: (cmd: Command, common: readonly OptionSpec[]) => Promise<boolean>,
): Command {
  const cmd = program.command(spec.name).description(spec.description);
  extend?.(cmd);
  const common = commonOptions(
    {
      help: 'output directory: the report replaces it whole (it must be new, empty, or an earlier ncsde report)',
      default: spec.defaultOut,
    },
    { force: spec.work !== undefined },
  );
  const options = [...spec.options, ...common];
  addOptions(cmd, options);
  addConfigOption(cmd);
  cmd.action(async () => {
    if (before && (await before(cmd, common))) return;
    const { values: all, sources, where } = readCommand(cmd, options);
    // The report's settings are its own options as the user gave them (the readers apply the defaults and
    // the rule of V0's sources); where it goes and on how many threads are not settings. Files are read here.
    const values = loadInputFiles(
      Object.fromEntries(Object.entries(all).filter(([k]) => isGiven(k, sources) && !common.some((c) => c.key === k))),
      where,
    );
    // Cross-option and memory checks speak in option names: say them as the user gave them.
    const settings = asGiven(sources, () => spec.settings(values));
    asGiven(sources, () => spec.plan?.(settings), { method: 'sampler' });
    const out = all.out as string;
    prepareReportDir(where('out'), out);
    const threads = threadsFrom(all, where);
    if (spec.work) {
      const work = spec.work(settings);
      await guardWork({
        seconds: work.seconds / threads,
        threads,
        force: all.force === true,
        drivers: work.drivers.map(([key, value]) => [where(key), value] as const),
      });
    }
    const started = performance.now();
    const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    const progress = await startProgress(spec.name);
    const stages = spec.stages(settings);
    let done = 0;
    progress.update(0, stages);
    const report = await spec.run(settings, threads, (stage) => {
      progress.stage(stage);
      progress.update(Math.min(++done, stages), stages);
    });
    progress.stop();
    const markdown = await spec.markdown(report);
    const html = await spec.html(report);
    writeReportDir(
      out,
      [
        [`${spec.stem}.json`, jsonText(report)],
        [`${spec.stem}.md`, markdown],
        [`${spec.stem}.html`, html],
      ],
      { schema: 'ncsde.report-manifest/1', package: PACKAGE_NAME, version: PACKAGE_VERSION, command: spec.name },
    );
    process.stdout.write(all.json ? jsonText(spec.summary(report)) : markdown);
    process.stderr.write(`wrote ${out}/${spec.stem}.{json,md,html} in ${elapsed()}\n`);
  });
  return cmd;
}

// The renderers (and vega with them) load only when a report is written.
const reports = () => import('../reports.js');

export function validateCommand(program: Command): void {
  reportCommand(program, {
    name: 'validate',
    description:
      'The SDE against finite networks: statistics with calibrated intervals, exact finite-width theory, convergence in width; JSON, Markdown and HTML',
    options: VALIDATION_OPTIONS,
    defaultOut: 'ncsde-report',
    settings: (values) => readValidationSettings(values),
    plan: planValidation,
    // The fixed-rate model of ncsde sde and network (bench/results.md): a path-step costs about
    // 4e-7 s + 1e-9 m^3 s; a chain layer-sample about n m^2 / 1.5e8 s; the width study runs networks at
    // every width and one SDE reference.
    work: (s) => {
      const m = Array.isArray(s.v0) ? s.v0.length : s.m;
      const sde = s.paths * s.steps * (4e-7 + 1e-9 * m ** 3) * 2;
      const net = [s.n, ...s.widths].reduce(
        (t, n) => t + (s.samples * Math.max(1, Math.round(s.T * n)) * n * m * m) / 1.5e8,
        0,
      );
      return {
        seconds: sde + net,
        // The side that dominates is named first (the field of the refusal).
        drivers: [
          ...(sde > net
            ? [['paths', s.paths] as const, ['steps', s.steps] as const]
            : [['samples', s.samples] as const, ['n', s.n] as const, ['widths', s.widths.join(',')] as const]),
          ...(m > 2 ? [['m', m] as const] : []),
        ],
      };
    },
    run: (settings, threads, onStage) => validate(settings, { threads, onStage }),
    stages: (settings) => 3 + settings.widths.length,
    stem: 'validation',
    markdown: async (r) => (await reports()).validationMarkdown(r),
    html: async (r) => (await reports()).validationHtml(r),
    summary: (r) => ({
      schema: r.schema,
      settings: r.settings,
      solver: r.solver,
      notes: r.notes,
      explosion: r.explosion,
      theory: r.theory,
      comparisons: Object.fromEntries(
        Object.entries(r.comparisons).map(([k, c]) => [
          k,
          'missing' in c ? c : { mean: c.mean, variance: c.variance, ks: c.ks, energyDistance: c.energyDistance },
        ]),
      ),
      rates: r.widths.map((w) => ({ observable: w.observable, rate: w.rate })),
    }),
  });
}

export function collapseCommand(program: Command): void {
  reportCommand(program, {
    name: 'collapse',
    description:
      'Rank collapse and explosion of shaped attention / the shaped Transformer: token correlation and P(explode) against T over gamma, tau0, H, SDE against networks',
    options: COLLAPSE_OPTIONS,
    defaultOut: 'ncsde-collapse',
    settings: (values) => readCollapseSettings(values),
    run: (settings, threads, onStage) => collapseReport(settings, { threads, onRow: onStage }),
    stages: (s) => s.gamma.length * s.tau0.length * s.heads.length,
    stem: 'collapse',
    markdown: async (r) => (await reports()).collapseMarkdown(r),
    html: async (r) => (await reports()).collapseHtml(r),
    summary: (r) => ({ schema: r.schema, settings: r.settings, rows: r.rows }),
  });
}

export function cumulantsCommand(program: Command): void {
  reportCommand(program, {
    name: 'cumulants',
    description:
      'Fourth cumulants of outputs and input derivatives against L/n, with exact finite-width theory and calibrated intervals',
    options: CUMULANT_OPTIONS,
    defaultOut: 'ncsde-cumulants',
    settings: (values) => readCumulantSettings(values),
    run: (settings, threads, onStage) => cumulantReport(settings, { threads, onRow: onStage }),
    stages: (s) => s.activations.length * s.widths.length,
    stem: 'cumulants',
    markdown: async (r) => (await reports()).cumulantMarkdown(r),
    html: async (r) => (await reports()).cumulantHtml(r),
    summary: (r) => ({
      schema: r.schema,
      settings: r.settings,
      rows: r.rows.map((row) => ({
        activation: row.activation,
        n: row.n,
        layers: row.layers,
        pooled: row.pooled,
        direct: row.output,
        theory: row.theory,
      })),
    }),
  });
}

export function criterionCommand(program: Command): void {
  const [activation] = CRITERION_POINT_OPTIONS;
  reportCommand(
    program,
    {
      name: 'criterion',
      description:
        'The explosion criterion of one activation: beta, regime, P(explode ever), and P(explode by T) exactly and from the SDE with intervals, networks against both at a threshold (JSON on stdout); --report runs the study over the catalogue',
      options: CRITERION_OPTIONS,
      defaultOut: 'ncsde-criterion',
      settings: (values) => readCriterionSettings(values),
      plan: (s) => {
        for (const f of s.activations) for (const a of s.a) planCriterion(s, shapedSmooth(f, { a }));
      },
      run: (settings, threads, onStage) => criterionReport(settings, { threads, onRow: onStage }),
      stages: (s) => s.activations.length * s.a.length,
      stem: 'criterion',
      markdown: async (r) => (await reports()).criterionMarkdown(r),
      html: async (r) => (await reports()).criterionHtml(r),
      summary: (r) => ({
        schema: r.schema,
        settings: r.settings,
        rows: r.rows.map((row) => ({ f: row.f, a: row.a, criterion: row.criterion, exact: row.exact, sde: row.sde })),
      }),
    },
    (cmd) =>
      addOptions(cmd, [activation]).option(
        '--report',
        'run the study over the catalogue (--activations) and the shaping scales (--a), written as a report directory (--out); the other options apply to a point and to the report alike',
      ),
    async (cmd, common) => {
      if (cmd.opts().report) {
        refuseFlags(
          cmd,
          ['activation'],
          'conflicts with --report (the report runs the catalogue given by --activations and --a)',
        );
        return false;
      }
      // A point: one activation through the study's measurements, the JSON on stdout.
      refuseFlags(cmd, ['activations', 'a'], 'applies to --report only (a point takes one --activation)');
      refuseFlags(cmd, ['out'], 'applies to --report only (a point prints its JSON on stdout)');
      const table = [...CRITERION_POINT_OPTIONS, ...common.filter((c) => c.key === 'threads' || c.key === 'json')];
      const { values, sources, where } = readCommand(cmd, table);
      if (values.activation === undefined)
        throw new InputError(
          '--activation',
          undefined,
          'is required unless --report is given (e.g. --activation swish:1)',
        );
      const own = Object.fromEntries(
        Object.entries(values).filter(([key]) => CRITERION_POINT_OPTIONS.some((o) => o.key === key)),
      );
      const settings = asGiven(sources, () => readCriterionPointSettings(own));
      asGiven(sources, () => planCriterion(settings, parseActivation(settings.activation, 'activation')));
      const threads = threadsFrom(values, where);
      const progress = await startProgress('criterion');
      progress.stage(
        `criterion: ${settings.activation}, ${settings.paths} paths to T = ${Math.max(...settings.T)} and ${settings.samples} networks of width ${settings.n} on ${threads} thread${threads > 1 ? 's' : ''}`,
      );
      const point = await criterionPoint(settings, { threads });
      progress.stop();
      process.stdout.write(jsonText(point));
      return true;
    },
  );
}
