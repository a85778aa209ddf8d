// The explorer's state: one text per control, kept in the URL under the CLI's flag names, read into the
// package's own point settings (so a bad value gets the package's one-line error), and written back as
// a CLI command and as TypeScript that reproduce the view. Pure; shared by the page, its worker and tests.
import { ARCHITECTURES, InputError } from '../entry/index.js';
import { flagName, OPTION, readPointSettings, type PointSettings } from '../entry/validation.js';

/** What the architecture field accepts: the package's own table (`--architecture`'s grammar). */
export const ARCHITECTURE_GRAMMAR = Object.values(ARCHITECTURES)
  .map((entry) => entry.grammar)
  .join(' | ');

/** The URL's query keys, in the order they are written: the CLI's flag names. */
export const STATE_KEYS = [
  'architecture',
  'activation',
  'rho0',
  'x0',
  'T',
  'n',
  'paths',
  'samples',
  'steps',
  'solver',
  'seed',
] as const;
export type StateKey = (typeof STATE_KEYS)[number];
export type StateTexts = Readonly<Record<StateKey, string>>;

/** Saves along t for the fan chart (a divisor of steps at most this; the network records as many layers). */
export const PATH_SAVES = 16;

/** Defaults: the package's own option defaults (validate's), so the page and `ncsde validate` agree. */
export const DEFAULTS: StateTexts = {
  architecture: 'mlp',
  activation: String(OPTION.activation.default),
  rho0: String(OPTION.rho0.default),
  x0: String(OPTION.x0.default),
  T: String(OPTION.T.default),
  n: String(OPTION.n.default),
  paths: String(OPTION.paths.default),
  samples: String(OPTION.samples.default),
  steps: String(OPTION.steps.default),
  solver: String(OPTION.solver.default),
  seed: String(OPTION.seed.default),
};

/** The texts of a query string (unknown keys ignored, missing keys at their defaults). */
export function textsFromQuery(query: string): StateTexts {
  const params = new URLSearchParams(query);
  const out = { ...DEFAULTS } as Record<StateKey, string>;
  for (const key of STATE_KEYS) {
    const v = params.get(key);
    if (v !== null) out[key] = v.trim();
  }
  return out;
}

/** The query string of a state: only the keys away from their defaults, in a fixed order. */
export function queryFromTexts(texts: StateTexts): string {
  const params = new URLSearchParams();
  for (const key of STATE_KEYS) if (texts[key] !== DEFAULTS[key]) params.set(key, texts[key]);
  const q = params.toString();
  return q ? `?${q}` : '';
}

/** Checked settings of a state; a bad value throws the package's InputError naming the key. */
export function readState(texts: StateTexts): { architecture: string; settings: PointSettings } {
  const flags: Record<string, string> = {};
  for (const key of STATE_KEYS) flags[key] = texts[key];
  try {
    return { architecture: texts.architecture, settings: readPointSettings({}, { flags }) };
  } catch (e) {
    // The page's fields carry the bare key names (the CLI's flags without the dashes).
    if (e instanceof InputError && e.field.startsWith('--')) throw e.renamed(e.field.slice(2));
    throw e;
  }
}

/** Saves of the SDE side: the largest divisor of steps at most PATH_SAVES (as runPointSde picks them). */
export function sdeSaves(steps: number): number {
  let saves = Math.min(PATH_SAVES, steps);
  while (saves > 0 && steps % saves !== 0) saves--;
  return saves;
}

/** Layers recorded on the network side (as runPointNetworks picks them). */
export function networkRecords(settings: PointSettings): number {
  return Math.min(PATH_SAVES, Math.max(1, Math.round(settings.T * settings.n)));
}

/** The flags of the two `ncsde` commands that print the page's `sde` and `network` results, by option key:
 *  the page records its results' settings from these through the CLI's own tables, so they agree. */
export function cliFlags(settings: PointSettings): { sde: Record<string, string>; network: Record<string, string> } {
  const s = settings;
  const common = {
    architecture: typeof s.architecture === 'string' ? s.architecture : s.architecture.text,
    activation: s.activation,
    rho0: String(s.rho0),
    x0: String(s.x0),
  };
  return {
    sde: {
      ...common,
      T: String(s.T),
      steps: String(s.steps),
      solver: s.solver,
      paths: String(s.paths),
      saves: String(sdeSaves(s.steps)),
      seed: String(s.seed),
    },
    network: {
      ...common,
      n: String(s.n),
      T: String(s.T),
      samples: String(s.samples),
      record: String(networkRecords(s)),
      seed: String(s.seed),
    },
  };
}

/** Two `ncsde` commands that print the page's `sde` and `network` results (window.ncsdeResults). */
export function cliCommands(settings: PointSettings): string[] {
  const flags = cliFlags(settings);
  const text = (command: string, f: Record<string, string>) =>
    `ncsde ${command} ${Object.entries(f)
      .map(([k, v]) => `--${flagName(k)} ${v}`)
      .join(' ')} --json`;
  return [text('sde', flags.sde), text('network', flags.network)];
}

/** TypeScript that computes the page's comparison with the package. */
export function typescriptSnippet(settings: PointSettings): string {
  const fields = Object.entries(settings)
    .map(([k, v]) => `${/^[A-Za-z_]\w*$/.test(k) ? k : JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ');
  return [
    "import { readPointSettings, runPoint } from 'neural-covariance-sde/validation';",
    '',
    `const settings = readPointSettings({ ${fields} });`,
    `const point = await runPoint(settings, { pathSaves: ${PATH_SAVES} });`,
    'console.log(point.comparisons.rho, point.explosion, point.theory);',
    '',
  ].join('\n');
}
